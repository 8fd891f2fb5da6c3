/* vfs.c: the file system's operations, for any front-end (see vfs.h).
 * Each decodes the inode, finds the table entry and the socket, checks the
 * caller's rights and hands stream files to their fileops; nothing here
 * waits for the network. Replies to parked requests come from the loop
 * (data.c, accept.c, ctl.c). */
#include "vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "dnode.h"
#include "errors.h"
#include "log.h"
#include "netfs.h"
#include "perm.h"
#include "sock.h"
#include "tree.h"

/* Every open file and directory listing: the kernel releases them, but
 * not those still open when netfs exits. */
static struct list open_files = { &open_files, &open_files };

/* May the caller of req do want to n? The kernel checks modes itself only
 * under -o default_permissions; netfs checks either way. */
static int may(req_t req, const struct node *n, int want)
{
	struct cred c;
	struct stat st;

	cred_of_req(req, &c);
	node_stat(n, &st);
	return perm_check(&c, &st, want);
}

/* Whether the kernel may keep the name of fixed entry f of dir: a
 * filtered entry may appear or go, so it is asked for every time until
 * the directory has settled what it shows. A socket notes what it let
 * the kernel keep, to take it back when it goes (tree_inval_kept). */
static bool kept(const struct node *dir, const struct filedef *f)
{
	const struct dirdef *dd = dir->def->dir;
	bool fixed = !dd->shows || dd->shows_fixed ||
		     (dd->settled && dd->settled(dir));

	if (fixed && dd->settled && dir->s)
		tree_keep_file(dir->s, f->code);
	return fixed;
}

int vfs_search_dir(req_t req, uint64_t ino, struct node *dir)
{
	if (node_get(ino, dir) < 0)
		return -ENOENT;
	if (!dir->def->dir)
		return -ENOTDIR;
	return may(req, dir, X_OK) < 0 ? -EACCES : 0;
}

void vfs_lookup(req_t req, uint64_t parent, const char *name)
{
	const struct filedef *f;
	const struct dirdef *dd;
	struct node dir;
	int r = vfs_search_dir(req, parent, &dir);

	if (r < 0) {
		req_err(req, -r);
		return;
	}
	dd = dir.def->dir;
	f = tree_find(dd->files, name);
	if (f && (!dd->shows || dd->shows(&dir, f))) {
		tree_reply_entry(req, INO(INO_OBJ(parent), f->code),
				 kept(&dir, f) ? TTL_FIXED : TTL_NONE);
		return;
	}
	if (dd->lookup)
		dd->lookup(req, &dir, name);
	else
		req_err(req, ENOENT);
}

void vfs_forget(uint64_t ino, uint64_t nlookup)
{
	struct node n;

	if (node_get(ino, &n) == 0 && n.dn)
		dnode_lookups(n.dn, -(int64_t)nlookup);
}

int vfs_hold(uint64_t ino)
{
	struct node n;

	if (node_get(ino, &n) < 0)
		return -ENOENT;
	if (n.dn)
		dnode_lookups(n.dn, 1);
	return 0;
}

void vfs_getattr(req_t req, uint64_t ino)
{
	struct stat st;
	struct node n;

	if (node_get(ino, &n) < 0) {
		req_err(req, ENOENT);
		return;
	}
	node_stat(&n, &st);
	req_attr(req, &st, TTL_ATTR);
}

void vfs_setattr(req_t req, uint64_t ino, const struct stat *attr,
		 int to_set)
{
	struct stat st;
	struct node n;
	struct cred c;
	struct sock *s;
	bool dir;
	int r = 0;

	if (node_get(ino, &n) < 0) {
		req_err(req, ENOENT);
		return;
	}
	s = n.s;
	dir = S_ISDIR(n.def->mode);
	cred_of_req(req, &c);
	if (to_set & (VFS_SET_MODE | VFS_SET_UID |
		      VFS_SET_GID)) {
		/* Only a socket's owner (or root) changes its files. */
		if (!s || (c.uid != 0 && c.uid != s->uid))
			r = -EPERM;
		/* chown as chown(2): the owner only by root, the group by
		 * the owner to a group of theirs; the owner is the
		 * socket's, so only on its directory. */
		else if ((to_set & VFS_SET_UID) &&
			 ((c.uid != 0 && attr->st_uid != s->uid) || !dir))
			r = -EPERM;
		else if ((to_set & VFS_SET_GID) &&
			 ((c.uid != 0 && !cred_in_group(&c, attr->st_gid)) ||
			  !dir))
			r = -EPERM;
		else if ((to_set & VFS_SET_MODE) && !dir)
			r = sock_set_file_mode(s, n.def->code,
					       attr->st_mode &
					       tree_file_bits(n.def->mode));
		if (r < 0) {
			req_err(req, -r);
			return;
		}
		if ((to_set & VFS_SET_MODE) && dir)
			s->mode = attr->st_mode & 0777;
		if (to_set & VFS_SET_UID)
			s->uid = attr->st_uid;
		if (to_set & VFS_SET_GID)
			s->gid = attr->st_gid;
		/* Its files follow the directory: stale modes in the
		 * kernel would be enforced under default_permissions. */
		if (dir)
			tree_inval_files(s);
	}
	/* Sizes (O_TRUNC from `>`) and times mean nothing here: accept and
	 * keep the attributes as they are. */
	node_stat(&n, &st);
	req_attr(req, &st, TTL_ATTR);
}

void vfs_mkdir(req_t req, uint64_t parent, const char *name)
{
	const struct req_ctx *ctx = req_ctx(req);
	struct sock *s;
	int err;

	/* The mode asked for means nothing: sockets start private, 0700. */
	if (parent != ROOT_INO) {
		req_err(req, EPERM);
		return;
	}
	err_clear();
	s = sock_new(name, ctx->uid, ctx->gid, &err);
	if (!s) {
		log_debug("mkdir %s: %s", name, err_detail());
		req_err(req, err);
		return;
	}
	tree_reply_entry(req, INO(s->id, C_SOCKDIR), TTL_NONE);
}

void vfs_rmdir(req_t req, uint64_t parent, const char *name)
{
	const struct req_ctx *ctx = req_ctx(req);
	struct sock *s;

	if (parent != ROOT_INO) {
		req_err(req, EPERM);
		return;
	}
	s = sock_by_name(name, strlen(name));
	if (!s) {
		req_err(req, ENOENT);
		return;
	}
	/* The root is sticky: only the owner (or root) removes. */
	if (ctx->uid != 0 && ctx->uid != s->uid) {
		req_err(req, EPERM);
		return;
	}
	sock_close(s);
	req_err(req, 0);
}

void vfs_refuse(req_t req)
{
	req_err(req, EPERM);
}

void ofile_attach(struct ofile *of, struct sock *s)
{
	sock_get(s);
	of->s = s;
	s->nopen++;
	list_add_tail(&s->ofiles, &of->link);
}

void ofile_release(struct ofile *of)
{
	struct sock *s = of->s;

	if (of->dn)
		dnode_put(of->dn);
	if (of->def->ops && of->def->ops->release)
		of->def->ops->release(of);
	if (of->ph)
		pollh_destroy(of->ph);
	sb_free(&of->out);
	sb_free(&of->carry);
	ofile_charge(of);
	list_del(&of->all);
	if (s) {
		list_del(&of->link);
		if (--s->nopen == 0)
			sock_unused(s);
		sock_put(s);
	}
	free(of);
}

void vfs_open(req_t req, uint64_t ino, int flags)
{
	int acc = flags & O_ACCMODE;
	const struct filedef *d;
	struct ofile *of;
	struct node n;
	int r;

	if (node_get(ino, &n) < 0) {
		req_err(req, ENOENT);
		return;
	}
	d = n.def;
	if (d->dir) {
		req_err(req, EISDIR);
		return;
	}
	/* What the file can do at all, then what the caller may do. */
	if ((acc != O_WRONLY && !(d->mode & S_IRUSR)) ||
	    (acc != O_RDONLY && !(d->mode & S_IWUSR)) ||
	    may(req, &n, (acc != O_WRONLY ? R_OK : 0) |
			 (acc != O_RDONLY ? W_OK : 0)) < 0) {
		req_err(req, EACCES);
		return;
	}
	of = calloc(1, sizeof(*of));
	if (!of) {
		req_err(req, ENOMEM);
		return;
	}
	of->def = d;
	of->ino = ino;
	of->flags = flags;
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
			req_err(req, -r);
			return;
		}
	}
	if (n.s) {
		ofile_attach(of, n.s);
		/* An ephemeral socket's use has begun. */
		if (sock_io_file(d->code))
			n.s->ephemeral_wait = false;
	}
	if (n.dn) {
		dnode_get(n.dn);
		of->dn = n.dn;
	}
	if (d->ops && d->ops->open) {
		r = d->ops->open(req, of);
		if (r == OPEN_PARKED)
			return;
		if (r < 0) {
			ofile_release(of);
			req_err(req, -r);
			return;
		}
	}
	open_reply(req, of);
}

void open_reply(req_t req, struct ofile *of)
{
	/* An open whose caller died meanwhile gets no release: free now. */
	if (req_open(req, of) == -ENOENT)
		ofile_release(of);
}

void vfs_read(req_t req, struct ofile *of, size_t size, off_t off)
{
	if (of->def->ops)
		of->def->ops->read(req, of, size, off, of->flags);
	else
		reply_from_snapshot(req, of, size, off);
}

void vfs_write(req_t req, struct ofile *of, const char *buf, size_t size)
{
	struct sock *s = of->s;
	int r;

	/* Streams and values: offsets mean nothing. */
	if (of->def->ops) {
		of->def->ops->write(req, of, buf, size, of->flags);
		return;
	}
	if (!of->def->store) {
		req_err(req, EACCES);
		return;
	}
	if (s && s->state == SS_CLOSED) {
		req_err(req, EBADF);
		return;
	}
	err_clear();
	r = of->def->store(&(struct node){ of->ino, of->def, s, of->dn },
			   field_trim(buf, size));
	if (r < 0) {
		if (s)
			sock_seterr(s, -r, err_detail());
		req_err(req, -r);
		return;
	}
	req_written(req, size);
}

void vfs_poll(req_t req, struct ofile *of, struct pollh *ph)
{
	unsigned revents = POLLIN | POLLOUT;

	if (ph) {
		if (of->ph)
			pollh_destroy(of->ph);
		of->ph = ph;
	}
	if (of->def->ops && of->def->ops->poll)
		revents = of->def->ops->poll(of);
	req_poll(req, revents);
}

void vfs_opendir(req_t req, uint64_t ino)
{
	struct dirlist *dl;
	struct node n;

	if (node_get(ino, &n) < 0) {
		req_err(req, ENOENT);
		return;
	}
	if (!n.def->dir) {
		req_err(req, ENOTDIR);
		return;
	}
	if (may(req, &n, R_OK) < 0) {
		req_err(req, EACCES);
		return;
	}
	dl = dirlist_make(&n);
	if (!dl) {
		req_err(req, ENOMEM);
		return;
	}
	if (req_opendir(req, dl) == -ENOENT)
		dirlist_free(dl);
}

bool vfs_listed(const struct node *dir, const char *name, uint64_t *ino,
		struct stat *st, double *ttl)
{
	const struct dirdef *dd = dir->def->dir;
	const struct filedef *f = tree_find(dd->files, name);
	struct node n;

	if (f) {
		/* Listed, so shown; only a name the kernel keeps is worth
		 * giving: any other is asked for again on its first use. */
		if ((dd->shows && !dd->shows(dir, f)) || !kept(dir, f))
			return false;
		*ino = INO(INO_OBJ(dir->ino), f->code);
		*ttl = TTL_FIXED;
		if (node_get(*ino, &n) < 0)
			return false;
	} else if (!dd->listed || dd->listed(dir, name, ino, ttl) < 0) {
		return false;
	} else if (node_get(*ino, &n) < 0) {
		vfs_forget(*ino, 1);
		return false;
	}
	node_stat(&n, st);
	return true;
}

void vfs_statfs(req_t req)
{
	struct statvfs sv;

	memset(&sv, 0, sizeof(sv));
	sv.f_bsize = sv.f_frsize = 4096;
	sv.f_files = nfs.nsocks;
	sv.f_namemax = SOCK_NAME_MAX;
	req_statfs(req, &sv);
}

void vfs_fini(void)
{
	struct ofile *of;

	while ((of = list_first(&open_files, struct ofile, all)))
		ofile_release(of);
	dirlist_free_all();
}

size_t write_whole_max(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return nfs.scratch_size - (size_t)(page > 0 ? page : 4096);
}
