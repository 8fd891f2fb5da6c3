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
#include "sock.h"
#include "tree.h"

/* Fixed names never change; socket directories come and go, so their
 * entries are checked on every path walk. Attributes change only through
 * us (chmod, chown), which refreshes the kernel's copy. */
#define TTL_FIXED 60.0
#define TTL_SOCK 0.0
#define TTL_ATTR 1.0

static struct ofile *OF(struct fuse_file_info *fi)
{
	return (struct ofile *)(uintptr_t)fi->fh;
}

static void fs_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* Socket data is never cached: nothing to invalidate. */
	conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
	conn->want &= ~FUSE_CAP_ASYNC_READ;
}

static void reply_entry(fuse_req_t req, uint64_t ino, double ttl)
{
	struct fuse_entry_param e;
	int r;

	memset(&e, 0, sizeof(e));
	r = tree_stat(ino, &e.attr);
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	e.ino = ino;
	e.attr_timeout = TTL_ATTR;
	e.entry_timeout = ttl;
	fuse_reply_entry(req, &e);
}

static void fs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	const struct filedef *d;
	struct sock *s;

	if (parent == FUSE_ROOT_ID) {
		d = tree_find(root_files, name);
		if (d) {
			reply_entry(req, INO(0, d->code), TTL_FIXED);
			return;
		}
		s = sock_by_name(name, strlen(name));
		if (!s) {
			fuse_reply_err(req, ENOENT);
			return;
		}
		reply_entry(req, INO(s->id, C_SOCKDIR), TTL_SOCK);
		return;
	}
	if (INO_CODE(parent) == C_SOCKDIR) {
		d = tree_find(sock_files, name);
		if (!d) {
			fuse_reply_err(req, ENOENT);
			return;
		}
		reply_entry(req, INO(INO_OBJ(parent), d->code), TTL_FIXED);
		return;
	}
	fuse_reply_err(req, ENOTDIR);
}

static void fs_getattr(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct stat st;
	int r = tree_stat(ino, &st);

	(void)fi;
	if (r < 0)
		fuse_reply_err(req, -r);
	else
		fuse_reply_attr(req, &st, TTL_ATTR);
}

static void fs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
		       int to_set, struct fuse_file_info *fi)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct sock *s = INO_OBJ(ino) ? sock_by_id(INO_OBJ(ino)) : NULL;
	struct stat st;
	int r;

	(void)fi;
	r = tree_stat(ino, &st);
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID |
		      FUSE_SET_ATTR_GID)) {
		/* Modes live on the socket directory; its files follow. */
		if (!s || INO_CODE(ino) != C_SOCKDIR ||
		    (ctx->uid != 0 && ctx->uid != s->uid)) {
			fuse_reply_err(req, EPERM);
			return;
		}
		if ((to_set & FUSE_SET_ATTR_UID) && ctx->uid != 0 &&
		    attr->st_uid != s->uid) {
			fuse_reply_err(req, EPERM);
			return;
		}
		if (to_set & FUSE_SET_ATTR_MODE)
			s->mode = attr->st_mode & 0777;
		if (to_set & FUSE_SET_ATTR_UID)
			s->uid = attr->st_uid;
		if (to_set & FUSE_SET_ATTR_GID)
			s->gid = attr->st_gid;
	}
	/* Sizes (O_TRUNC from `>`) and times mean nothing here: accept and
	 * keep the attributes as they are. */
	tree_stat(ino, &st);
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
	reply_entry(req, INO(s->id, C_SOCKDIR), TTL_SOCK);
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
		fuse_reply_err(req, tree_find(root_files, name) ? ENOTDIR
								: ENOENT);
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

static void ofile_free(struct ofile *of)
{
	struct sock *s = of->s;

	if (of->def->ops && of->def->ops->release)
		of->def->ops->release(of);
	if (of->ph)
		fuse_pollhandle_destroy(of->ph);
	sb_free(&of->out);
	if (s) {
		list_del(&of->link);
		s->nopen--;
		/* Plan 9 lifetime: gone with its last open file. */
		if (s->ephemeral && s->nopen == 0)
			sock_close(s);
		sock_put(s);
	}
	free(of);
}

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	const struct filedef *d = tree_def(INO_CODE(ino));
	int acc = fi->flags & O_ACCMODE;
	struct sock *s = NULL;
	struct ofile *of;
	int r;

	if (!d) {
		fuse_reply_err(req, INO_CODE(ino) == C_ROOT ||
				    INO_CODE(ino) == C_SOCKDIR ? EISDIR : ENOENT);
		return;
	}
	if (INO_OBJ(ino)) {
		s = sock_by_id(INO_OBJ(ino));
		if (!s) {
			fuse_reply_err(req, ENOENT);
			return;
		}
	}
	if ((acc != O_WRONLY && !(d->mode & S_IRUSR)) ||
	    (acc != O_RDONLY && !(d->mode & S_IWUSR))) {
		fuse_reply_err(req, EACCES);
		return;
	}
	of = calloc(1, sizeof(*of));
	if (!of) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	of->def = d;
	of->flags = fi->flags;
	of->uid = ctx->uid;
	of->gid = ctx->gid;
	of->pid = ctx->pid;
	list_init(&of->link);
	if (d->render && acc != O_WRONLY) {
		r = d->render(s, &of->out);
		if (r < 0) {
			sb_free(&of->out);
			free(of);
			fuse_reply_err(req, -r);
			return;
		}
	}
	if (s) {
		sock_get(s);
		of->s = s;
		s->nopen++;
		list_add_tail(&s->ofiles, &of->link);
	}
	if (d->ops && d->ops->open) {
		r = d->ops->open(of);
		if (r < 0) {
			ofile_free(of);
			fuse_reply_err(req, -r);
			return;
		}
	}
	fi->fh = (uintptr_t)of;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fi->noflush = 1;
	fi->nonseekable = d->ops != NULL;
	/* An open whose caller died meanwhile gets no release: free now. */
	if (fuse_reply_open(req, fi) == -ENOENT)
		ofile_free(of);
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

/* A text file takes one value per write; surrounding white space and the
 * newline of `echo` are not part of it. */
static struct field trim(const char *p, size_t n)
{
	while (n && strchr(" \t\r\n", p[n - 1]))
		n--;
	while (n && strchr(" \t", *p)) {
		p++;
		n--;
	}
	return (struct field){ p, n };
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
	r = of->def->store(s, trim(buf, size));
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
	ofile_free(OF(fi));
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

/* A directory listing is taken at opendir, so a reader paging through
 * thousands of sockets sees one consistent list. */
struct dirent_snap {
	uint64_t ino;
	mode_t type;
	size_t name;		/* offset in names */
};

struct dirsnap {
	struct dirent_snap *e;
	size_t n, cap;
	struct strbuf names;
};

static int snap_add(struct dirsnap *ds, const char *name, uint64_t ino,
		    mode_t type)
{
	if (ds->n == ds->cap) {
		size_t cap = ds->cap ? ds->cap * 2 : 32;
		struct dirent_snap *e = realloc(ds->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		ds->e = e;
		ds->cap = cap;
	}
	ds->e[ds->n].ino = ino;
	ds->e[ds->n].type = type;
	ds->e[ds->n].name = ds->names.len;
	ds->n++;
	return sb_append(&ds->names, name, strlen(name) + 1);
}

static int snap_table(struct dirsnap *ds, const struct filedef *t,
		      uint64_t obj)
{
	int r = 0;

	for (; t->name && r == 0; t++)
		r = snap_add(ds, t->name, INO(obj, t->code), t->mode & S_IFMT);
	return r;
}

static void snap_sock(struct sock *s, void *arg)
{
	struct dirsnap *ds = arg;

	if (ds->n != SIZE_MAX)
		if (snap_add(ds, s->name, INO(s->id, C_SOCKDIR), S_IFDIR) < 0)
			ds->n = SIZE_MAX;	/* out of memory */
}

static void snap_free(struct dirsnap *ds)
{
	free(ds->e);
	sb_free(&ds->names);
	free(ds);
}

static void fs_opendir(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct dirsnap *ds = calloc(1, sizeof(*ds));
	uint64_t obj = INO_OBJ(ino);
	int r = ds ? 0 : -ENOMEM;

	if (r == 0)
		r = snap_add(ds, ".", ino, S_IFDIR);
	if (r == 0)
		r = snap_add(ds, "..", FUSE_ROOT_ID, S_IFDIR);
	if (r == 0 && ino == FUSE_ROOT_ID) {
		r = snap_table(ds, root_files, 0);
		if (r == 0)
			sock_foreach(snap_sock, ds);
		if (ds->n == SIZE_MAX) {
			ds->n = 0;
			r = -ENOMEM;
		}
	} else if (r == 0 && INO_CODE(ino) == C_SOCKDIR) {
		r = sock_by_id(obj) ? snap_table(ds, sock_files, obj) : -ENOENT;
	} else if (r == 0) {
		r = -ENOTDIR;
	}
	if (r < 0) {
		if (ds)
			snap_free(ds);
		fuse_reply_err(req, -r);
		return;
	}
	fi->fh = (uintptr_t)ds;
	if (fuse_reply_open(req, fi) == -ENOENT)
		snap_free(ds);
}

static void fs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct dirsnap *ds = (struct dirsnap *)(uintptr_t)fi->fh;
	size_t i, used = 0;

	(void)ino;
	if (size > nfs.scratch_size)
		size = nfs.scratch_size;
	for (i = off > 0 ? (size_t)off : 0; i < ds->n; i++) {
		struct stat st = { .st_ino = ds->e[i].ino,
				   .st_mode = ds->e[i].type };
		size_t n = fuse_add_direntry(req, nfs.scratch + used,
					     size - used,
					     ds->names.buf + ds->e[i].name,
					     &st, (off_t)(i + 1));

		if (n > size - used)
			break;
		used += n;
	}
	fuse_reply_buf(req, nfs.scratch, used);
}

static void fs_releasedir(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	(void)ino;
	snap_free((struct dirsnap *)(uintptr_t)fi->fh);
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

const struct fuse_lowlevel_ops fs_ops = {
	.init = fs_init,
	.lookup = fs_lookup,
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
