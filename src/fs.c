/* fs.c: the FUSE low-level operations. Each decodes the inode, finds the
 * table entry and the socket, and hands stream files to their fileops;
 * nothing here waits for the network. Replies to parked requests come
 * from the loop (data.c, accept.c, ctl.c). */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "log.h"
#include "netfs.h"
#include "node.h"
#include "perm.h"
#include "sock.h"
#include "tree.h"

#define TTL_ATTR 1.0

/* Every open file and directory listing: the kernel releases them, but
 * not those still open when netfs exits. */
static struct list open_files = { &open_files, &open_files };

static struct ofile *OF(struct fuse_file_info *fi)
{
	return (struct ofile *)(uintptr_t)fi->fh;
}

/* May the caller of req do want to n? The kernel checks modes itself only
 * under -o default_permissions; netfs checks either way. */
static int may(fuse_req_t req, const struct node *n, int want)
{
	struct cred c;
	struct stat st;

	cred_of_req(req, &c);
	node_stat(n, &st);
	return perm_check(&c, &st, want);
}

static void fs_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* Socket data is never cached: nothing to invalidate. */
	conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
	conn->want &= ~FUSE_CAP_ASYNC_READ;
	log_debug("fuse: proto 7.%u, max_write %u, max_read %u, "
		  "max_readahead %u", conn->proto_minor, conn->max_write,
		  conn->max_read, conn->max_readahead);
}

static void fs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	const struct filedef *f;
	const struct dirdef *dd;
	struct node dir;

	if (node_get(parent, &dir) < 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	dd = dir.def->dir;
	if (!dd) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	if (may(req, &dir, X_OK) < 0) {
		fuse_reply_err(req, EACCES);
		return;
	}
	f = tree_find(dd->files, name);
	if (f && (!dd->shows || dd->shows(&dir, f))) {
		/* A filtered entry may appear or go: check it every time. */
		tree_reply_entry(req, INO(INO_OBJ(parent), f->code),
				 dd->shows ? TTL_NONE : TTL_FIXED);
		return;
	}
	if (dd->lookup)
		dd->lookup(req, &dir, name);
	else
		fuse_reply_err(req, ENOENT);
}

static void fs_forget_one(uint64_t ino, uint64_t nlookup)
{
	struct node n;

	if (node_get(ino, &n) == 0 && n.dn)
		dnode_lookups(n.dn, -(int64_t)nlookup);
}

static void fs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	fs_forget_one(ino, nlookup);
	fuse_reply_none(req);
}

static void fs_forget_multi(fuse_req_t req, size_t count,
			    struct fuse_forget_data *forgets)
{
	size_t i;

	for (i = 0; i < count; i++)
		fs_forget_one(forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

static void fs_getattr(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct stat st;
	struct node n;

	(void)fi;
	if (node_get(ino, &n) < 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	node_stat(&n, &st);
	fuse_reply_attr(req, &st, TTL_ATTR);
}

static void fs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
		       int to_set, struct fuse_file_info *fi)
{
	struct stat st;
	struct node n;
	struct cred c;
	struct sock *s;
	bool dir;
	int r = 0;

	(void)fi;
	if (node_get(ino, &n) < 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	s = n.s;
	dir = S_ISDIR(n.def->mode);
	cred_of_req(req, &c);
	if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID |
		      FUSE_SET_ATTR_GID)) {
		/* Only a socket's owner (or root) changes its files. */
		if (!s || (c.uid != 0 && c.uid != s->uid))
			r = -EPERM;
		/* chown as chown(2): the owner only by root, the group by
		 * the owner to a group of theirs; the owner is the
		 * socket's, so only on its directory. */
		else if ((to_set & FUSE_SET_ATTR_UID) &&
			 ((c.uid != 0 && attr->st_uid != s->uid) || !dir))
			r = -EPERM;
		else if ((to_set & FUSE_SET_ATTR_GID) &&
			 ((c.uid != 0 && !cred_in_group(&c, attr->st_gid)) ||
			  !dir))
			r = -EPERM;
		else if ((to_set & FUSE_SET_ATTR_MODE) && !dir)
			r = sock_set_file_mode(s, n.def->code,
					       attr->st_mode &
					       tree_file_bits(n.def->mode));
		if (r < 0) {
			fuse_reply_err(req, -r);
			return;
		}
		if ((to_set & FUSE_SET_ATTR_MODE) && dir)
			s->mode = attr->st_mode & 0777;
		if (to_set & FUSE_SET_ATTR_UID)
			s->uid = attr->st_uid;
		if (to_set & FUSE_SET_ATTR_GID)
			s->gid = attr->st_gid;
		/* Its files follow the directory: stale modes in the
		 * kernel would be enforced under default_permissions. */
		if (dir)
			tree_inval_files(s);
	}
	/* Sizes (O_TRUNC from `>`) and times mean nothing here: accept and
	 * keep the attributes as they are. */
	node_stat(&n, &st);
	fuse_reply_attr(req, &st, TTL_ATTR);
}

static void fs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct sock *s;
	int err;

	(void)mode;	/* sockets start private: 0700 */
	if (parent != FUSE_ROOT_ID) {
		fuse_reply_err(req, EPERM);
		return;
	}
	err_clear();
	s = sock_new(name, ctx->uid, ctx->gid, &err);
	if (!s) {
		log_debug("mkdir %s: %s", name, err_detail());
		fuse_reply_err(req, err);
		return;
	}
	tree_reply_entry(req, INO(s->id, C_SOCKDIR), TTL_NONE);
}

static void fs_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct sock *s;

	if (parent != FUSE_ROOT_ID) {
		fuse_reply_err(req, EPERM);
		return;
	}
	s = sock_by_name(name, strlen(name));
	if (!s) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	/* The root is sticky: only the owner (or root) removes. */
	if (ctx->uid != 0 && ctx->uid != s->uid) {
		fuse_reply_err(req, EPERM);
		return;
	}
	sock_close(s);
	fuse_reply_err(req, 0);
}

static void fs_refuse(fuse_req_t req)
{
	fuse_reply_err(req, EPERM);
}

static void fs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	(void)parent;
	(void)name;
	fs_refuse(req);
}

static void fs_create(fuse_req_t req, fuse_ino_t parent, const char *name,
		      mode_t mode, struct fuse_file_info *fi)
{
	(void)parent;
	(void)name;
	(void)mode;
	(void)fi;
	fs_refuse(req);
}

static void fs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode, dev_t rdev)
{
	(void)parent;
	(void)name;
	(void)mode;
	(void)rdev;
	fs_refuse(req);
}

static void fs_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		      fuse_ino_t newparent, const char *newname,
		      unsigned int flags)
{
	(void)parent;
	(void)name;
	(void)newparent;
	(void)newname;
	(void)flags;
	fs_refuse(req);
}

void ofile_release(struct ofile *of)
{
	struct sock *s = of->s;

	if (of->dn)
		dnode_put(of->dn);
	if (of->def->ops && of->def->ops->release)
		of->def->ops->release(of);
	if (of->ph)
		fuse_pollhandle_destroy(of->ph);
	sb_free(&of->out);
	list_del(&of->all);
	if (s) {
		list_del(&of->link);
		if (--s->nopen == 0)
			sock_unused(s);
		sock_put(s);
	}
	free(of);
}

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	int acc = fi->flags & O_ACCMODE;
	const struct filedef *d;
	struct ofile *of;
	struct node n;
	int r;

	if (node_get(ino, &n) < 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	d = n.def;
	if (d->dir) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	/* What the file can do at all, then what the caller may do. */
	if ((acc != O_WRONLY && !(d->mode & S_IRUSR)) ||
	    (acc != O_RDONLY && !(d->mode & S_IWUSR)) ||
	    may(req, &n, (acc != O_WRONLY ? R_OK : 0) |
			 (acc != O_RDONLY ? W_OK : 0)) < 0) {
		fuse_reply_err(req, EACCES);
		return;
	}
	of = calloc(1, sizeof(*of));
	if (!of) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	of->def = d;
	of->ino = ino;
	of->flags = fi->flags;
	cred_of_req(req, &of->cred);
	of->cred.req = NULL;	/* the request ends here */
	list_init(&of->link);
	list_add_tail(&open_files, &of->all);
	if (d->render && acc != O_WRONLY) {
		r = d->render(&n, &of->out);
		if (r < 0) {
			sb_free(&of->out);
			list_del(&of->all);
			free(of);
			fuse_reply_err(req, -r);
			return;
		}
	}
	if (n.s) {
		sock_get(n.s);
		of->s = n.s;
		n.s->nopen++;
		list_add_tail(&n.s->ofiles, &of->link);
		/* An ephemeral socket's use has begun. */
		if (sock_io_file(d->code))
			n.s->ephemeral_wait = false;
	}
	if (n.dn) {
		dnode_get(n.dn);
		of->dn = n.dn;
	}
	if (d->ops && d->ops->open) {
		r = d->ops->open(req, of, fi);
		if (r == OPEN_PARKED)
			return;
		if (r < 0) {
			ofile_release(of);
			fuse_reply_err(req, -r);
			return;
		}
	}
	open_reply(req, fi, of);
}

void open_reply(fuse_req_t req, struct fuse_file_info *fi, struct ofile *of)
{
	fi->fh = (uintptr_t)of;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fi->noflush = 1;
	fi->nonseekable = tree_is_stream(of->ino);
	/* An open whose caller died meanwhile gets no release: free now. */
	if (fuse_reply_open(req, fi) == -ENOENT)
		ofile_release(of);
}

static void fs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct ofile *of = OF(fi);

	(void)ino;
	if (of->def->ops)
		of->def->ops->read(req, of, size, off, fi->flags);
	else
		reply_from_snapshot(req, of, size, off);
}

static void fs_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	struct ofile *of = OF(fi);
	struct sock *s = of->s;
	int r;

	(void)ino;
	(void)off;	/* streams and values: offsets mean nothing */
	if (of->def->ops) {
		of->def->ops->write(req, of, buf, size, fi->flags);
		return;
	}
	if (!of->def->store) {
		fuse_reply_err(req, EACCES);
		return;
	}
	if (s && s->state == SS_CLOSED) {
		fuse_reply_err(req, EBADF);
		return;
	}
	err_clear();
	r = of->def->store(&(struct node){ of->ino, of->def, s, of->dn },
			   field_trim(buf, size));
	if (r < 0) {
		if (s)
			sock_seterr(s, -r, err_detail());
		fuse_reply_err(req, -r);
		return;
	}
	fuse_reply_write(req, size);
}

static void fs_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}

static void fs_release(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	(void)ino;
	ofile_release(OF(fi));
	fuse_reply_err(req, 0);
}

static void fs_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
		     struct fuse_file_info *fi)
{
	(void)ino;
	(void)datasync;
	(void)fi;
	fuse_reply_err(req, 0);
}

static void fs_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	struct ofile *of = OF(fi);
	unsigned revents = POLLIN | POLLOUT;

	(void)ino;
	if (ph) {
		if (of->ph)
			fuse_pollhandle_destroy(of->ph);
		of->ph = ph;
	}
	if (of->def->ops && of->def->ops->poll)
		revents = of->def->ops->poll(of);
	fuse_reply_poll(req, revents);
}

static void fs_opendir(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct dirlist *dl;
	struct node n;

	if (node_get(ino, &n) < 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (!n.def->dir) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	if (may(req, &n, R_OK) < 0) {
		fuse_reply_err(req, EACCES);
		return;
	}
	dl = dirlist_make(&n);
	if (!dl) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	fi->fh = (uintptr_t)dl;
	if (fuse_reply_open(req, fi) == -ENOENT)
		dirlist_free(dl);
}

static void fs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct dirlist *dl = (struct dirlist *)(uintptr_t)fi->fh;

	(void)ino;
	if (size > nfs.scratch_size)
		size = nfs.scratch_size;
	fuse_reply_buf(req, nfs.scratch,
		       dirlist_fill(req, dl, off, nfs.scratch, size));
}

static void fs_releasedir(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	(void)ino;
	dirlist_free((struct dirlist *)(uintptr_t)fi->fh);
	fuse_reply_err(req, 0);
}

static void fs_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs sv;

	(void)ino;
	memset(&sv, 0, sizeof(sv));
	sv.f_bsize = sv.f_frsize = 4096;
	sv.f_files = nfs.nsocks;
	sv.f_namemax = SOCK_NAME_MAX;
	fuse_reply_statfs(req, &sv);
}

void fs_fini(void)
{
	struct ofile *of;

	while ((of = list_first(&open_files, struct ofile, all)))
		ofile_release(of);
	dirlist_free_all();
}

const struct fuse_lowlevel_ops fs_ops = {
	.init = fs_init,
	.lookup = fs_lookup,
	.forget = fs_forget,
	.forget_multi = fs_forget_multi,
	.getattr = fs_getattr,
	.setattr = fs_setattr,
	.mkdir = fs_mkdir,
	.rmdir = fs_rmdir,
	.unlink = fs_unlink,
	.create = fs_create,
	.mknod = fs_mknod,
	.rename = fs_rename,
	.open = fs_open,
	.read = fs_read,
	.write = fs_write,
	.flush = fs_flush,
	.release = fs_release,
	.fsync = fs_fsync,
	.poll = fs_poll,
	.opendir = fs_opendir,
	.readdir = fs_readdir,
	.releasedir = fs_releasedir,
	.statfs = fs_statfs,
};
