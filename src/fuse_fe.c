/* fuse_fe.c: the FUSE front-end. libfuse's low-level operations become
 * vfs.h calls, each with a request (req.h) that wraps libfuse's; the
 * core's answers become fuse_reply_*() and, for large reads, a splice
 * through fuseio.c. Only this file, fuseio.c and main.c name libfuse. */
#include "fuse_fe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuse_uring.h"
#include "fuseio.h"
#include "passthru.h"
#include "log.h"
#include "vfs.h"

struct fuse_session *fuse_se;

/* A FUSE request as the core sees it. Freed when answered. */
struct freq {
	struct req r;
	fuse_req_t fr;
	uint64_t read_unique;	/* a READ's id, for a spliced answer */
	uint64_t unique;	/* any request's id (OPEN: FOPEN_STREAM) */
	struct fuse_file_info fi;	/* open and opendir: answered with */
	void (*intr_fn)(req_t r, void *data);
	void *intr_data;
};

/* The node ids a readdirplus reply carries, until it is sent. */
static uint64_t *given;
static size_t ngiven_cap;

/* Spare wrappers: a request costs no malloc in the steady state. */
#define SPARE_MAX 64
static struct freq *spare[SPARE_MAX];
static unsigned nspare;

static const struct req_ops fuse_req_ops;

static struct freq *FQ(req_t r)
{
	return (struct freq *)r;
}

static req_t wrap(fuse_req_t fr, const struct fuse_file_info *fi)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(fr);
	struct freq *q = nspare ? spare[--nspare] : malloc(sizeof(*q));

	if (!q) {
		fuse_reply_err(fr, ENOMEM);
		return NULL;
	}
	memset(q, 0, sizeof(*q));
	q->r.ops = &fuse_req_ops;
	q->r.ctx.uid = ctx->uid;
	q->r.ctx.gid = ctx->gid;
	q->r.ctx.pid = ctx->pid;
	q->fr = fr;
	q->read_unique = fuseio_unique();
	q->unique = fuseio_current();
	if (fi)
		q->fi = *fi;
	return &q->r;
}

static void done(struct freq *q)
{
	if (nspare < SPARE_MAX)
		spare[nspare++] = q;
	else
		free(q);
}

/* --- answers --- */

static void fe_err(req_t r, int err)
{
	fuse_reply_err(FQ(r)->fr, err);
	done(FQ(r));
}

static void fe_buf(req_t r, const void *p, size_t n)
{
	fuse_reply_buf(FQ(r)->fr, p, n);
	done(FQ(r));
}

static void fe_written(req_t r, size_t n)
{
	fuse_reply_write(FQ(r)->fr, n);
	done(FQ(r));
}

static void fe_none(req_t r)
{
	fuse_reply_none(FQ(r)->fr);
	done(FQ(r));
}

static int fe_entry(req_t r, uint64_t ino, const struct stat *st,
		    double entry_ttl, double attr_ttl)
{
	struct fuse_entry_param e;
	int ret;

	memset(&e, 0, sizeof(e));
	e.ino = ino;
	e.attr = *st;
	e.attr_timeout = attr_ttl;
	e.entry_timeout = entry_ttl;
	ret = fuse_reply_entry(FQ(r)->fr, &e);
	done(FQ(r));
	return ret;
}

static void fe_attr(req_t r, const struct stat *st, double ttl)
{
	fuse_reply_attr(FQ(r)->fr, st, ttl);
	done(FQ(r));
}

/* A snapshot opened to read: the kernel may serve it from a copy. */
static bool snapshot(const struct ofile *of)
{
	return of->def->render && !of->def->ops &&
	       (of->flags & O_ACCMODE) == O_RDONLY;
}

static int fe_open(req_t r, struct ofile *of)
{
	struct freq *q = FQ(r);
	bool direct;
	int ret, id;

	q->fi.fh = (uintptr_t)of;
	q->fi.direct_io = 1;
	q->fi.keep_cache = 0;
	q->fi.noflush = 1;
	q->fi.nonseekable = tree_is_stream(of->ino);
	/* libfuse 3.14 cannot ask for FOPEN_STREAM: fuseio.c adds it. */
	if (q->fi.nonseekable)
		fuseio_mark_stream(q->unique);
	else if ((id = passthru_open(of->ino, snapshot(of) ? of->out.buf : NULL,
				     of->out.len, &direct)) > 0) {
		of->backing = true;
		fuseio_mark_backing(q->unique, id, direct);
	}
	ret = fuse_reply_open(q->fr, &q->fi);
	if (ret == -ENOENT && of->backing)
		passthru_close(of->ino);
	done(q);
	return ret;
}

static int fe_opendir(req_t r, struct dirlist *dl)
{
	struct freq *q = FQ(r);
	int ret;

	q->fi.fh = (uintptr_t)dl;
	ret = fuse_reply_open(q->fr, &q->fi);
	done(q);
	return ret;
}

static void fe_poll(req_t r, unsigned revents)
{
	fuse_reply_poll(FQ(r)->fr, revents);
	done(FQ(r));
}

static void fe_statfs(req_t r, const struct statvfs *sv)
{
	fuse_reply_statfs(FQ(r)->fr, sv);
	done(FQ(r));
}

/* Socket -> pipe -> /dev/fuse: the bytes are copied once, into the
 * reader's buffer (fuseio.c). Only for a READ, and only the pipe's
 * capacity at a time. */
static ssize_t fe_from_fd(req_t r, int fd, size_t size)
{
	struct freq *q = FQ(r);
	size_t cap;
	char *ring;
	ssize_t n;

	/* A READ that came through io_uring has its reply buffer here: the
	 * socket's bytes go straight into it, one copy instead of splice
	 * and a copy out of the pipe. */
	ring = q->read_unique ? fuse_uring_payload(q->read_unique, &cap) : NULL;
	if (ring) {
		do
			n = recv(fd, ring, size < cap ? size : cap, MSG_DONTWAIT);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		if (n > 0) {
			fuse_uring_commit(q->read_unique, 0, (size_t)n);
			fuse_reply_none(q->fr);
			done(q);
		}
		return n;
	}
	if (!q->read_unique || fuseio_pipe() < 0)
		return -EOPNOTSUPP;
	if (size > fuseio_pipe_max())
		size = fuseio_pipe_max();
	do
		n = splice(fd, NULL, fuseio_pipe(), NULL, size,
			   SPLICE_F_NONBLOCK | SPLICE_F_MOVE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN :
		       errno == EINVAL ? -EOPNOTSUPP : -errno;
	if (n > 0) {
		fuseio_reply_pipe(q->fr, q->read_unique, (size_t)n,
				  nfs.scratch, nfs.scratch_size);
		done(q);
	}
	return n;
}

static bool fe_interrupted(req_t r)
{
	return fuse_req_interrupted(FQ(r)->fr);
}

static void interrupt_tramp(fuse_req_t fr, void *data)
{
	struct freq *q = data;

	(void)fr;
	q->intr_fn(&q->r, q->intr_data);
}

/* An interrupt the kernel did not send (fuse_uring_watch). */
static void lost_interrupt(void *data)
{
	struct freq *q = data;

	interrupt_tramp(q->fr, q);
}

static void fe_on_interrupt(req_t r, void (*fn)(req_t, void *), void *data)
{
	struct freq *q = FQ(r);

	q->intr_fn = fn;
	q->intr_data = data;
	/* Before libfuse may call fn, and so answer: the answer ends the
	 * watch. */
	fuse_uring_watch(q->unique, r->ctx.pid, lost_interrupt, q);
	fuse_req_interrupt_func(q->fr, interrupt_tramp, q);
}

static int fe_groups(req_t r, int size, gid_t *list)
{
	return fuse_req_getgroups(FQ(r)->fr, size, list);
}

static const struct req_ops fuse_req_ops = {
	.err = fe_err,
	.buf = fe_buf,
	.written = fe_written,
	.none = fe_none,
	.entry = fe_entry,
	.attr = fe_attr,
	.open = fe_open,
	.opendir = fe_opendir,
	.poll = fe_poll,
	.statfs = fe_statfs,
	.from_fd = fe_from_fd,
	.interrupted = fe_interrupted,
	.on_interrupt = fe_on_interrupt,
	.groups = fe_groups,
};

/* --- poll handles and invalidation --- */

struct fpollh {
	struct pollh ph;
	struct fuse_pollhandle *h;
};

static void fph_notify(struct pollh *ph)
{
	fuse_lowlevel_notify_poll(((struct fpollh *)ph)->h);
}

static void fph_destroy(struct pollh *ph)
{
	fuse_pollhandle_destroy(((struct fpollh *)ph)->h);
	free(ph);
}

static const struct pollh_ops fpollh_ops = {
	.notify = fph_notify,
	.destroy = fph_destroy,
};

/* Attributes only (offset < 0): the kernel takes no inode lock for that,
 * so the loop thread may send it while it handles a request. */
static void fe_inval_inode(uint64_t ino)
{
	fuse_lowlevel_notify_inval_inode(fuse_se, ino, -1, 0);
}

static void fe_inval_entry(uint64_t parent, const char *name, size_t len)
{
	/* ENOENT: already forgotten; nothing to do then. */
	fuse_lowlevel_notify_inval_entry(fuse_se, parent, name, len);
}

static struct frontend fuse_frontend = {
	.inval_inode = fe_inval_inode,
	.inval_entry = fe_inval_entry,
};

void fuse_fe_register(void)
{
	frontend_register(&fuse_frontend);
}

void fuse_fe_fini(void)
{
	while (nspare)
		free(spare[--nspare]);
	free(given);
	given = NULL;
	ngiven_cap = 0;
}

/* --- the low-level operations --- */

static struct ofile *OF(struct fuse_file_info *fi)
{
	return (struct ofile *)(uintptr_t)fi->fh;
}

#define WRAP(fr, fi) \
	req_t req = wrap(fr, fi); \
	if (!req) \
		return

static void fs_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* Socket data is never cached: nothing to invalidate. */
	conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
	conn->want &= ~FUSE_CAP_ASYNC_READ;
	/* Every listing with attributes (fs_readdirplus), not the first
	 * chunk only. */
	conn->want &= ~FUSE_CAP_READDIRPLUS_AUTO;
	log_debug("fuse: proto 7.%u, max_write %u, max_read %u, "
		  "max_readahead %u", conn->proto_minor, conn->max_write,
		  conn->max_read, conn->max_readahead);
}

static void fs_lookup(fuse_req_t fr, fuse_ino_t parent, const char *name)
{
	WRAP(fr, NULL);
	vfs_lookup(req, parent, name);
}

static void fs_forget(fuse_req_t fr, fuse_ino_t ino, uint64_t nlookup)
{
	vfs_forget(ino, nlookup);
	fuse_reply_none(fr);
}

static void fs_forget_multi(fuse_req_t fr, size_t count,
			    struct fuse_forget_data *forgets)
{
	size_t i;

	for (i = 0; i < count; i++)
		vfs_forget(forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(fr);
}

static void fs_getattr(fuse_req_t fr, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	(void)fi;
	WRAP(fr, NULL);
	vfs_getattr(req, ino);
}

static void fs_setattr(fuse_req_t fr, fuse_ino_t ino, struct stat *attr,
		       int to_set, struct fuse_file_info *fi)
{
	int set = (to_set & FUSE_SET_ATTR_MODE ? VFS_SET_MODE : 0) |
		  (to_set & FUSE_SET_ATTR_UID ? VFS_SET_UID : 0) |
		  (to_set & FUSE_SET_ATTR_GID ? VFS_SET_GID : 0);

	(void)fi;
	WRAP(fr, NULL);
	vfs_setattr(req, ino, attr, set);
}

static void fs_mkdir(fuse_req_t fr, fuse_ino_t parent, const char *name,
		     mode_t mode)
{
	(void)mode;
	WRAP(fr, NULL);
	vfs_mkdir(req, parent, name);
}

static void fs_rmdir(fuse_req_t fr, fuse_ino_t parent, const char *name)
{
	WRAP(fr, NULL);
	vfs_rmdir(req, parent, name);
}

static void fs_unlink(fuse_req_t fr, fuse_ino_t parent, const char *name)
{
	(void)parent;
	(void)name;
	fuse_reply_err(fr, EPERM);
}

static void fs_create(fuse_req_t fr, fuse_ino_t parent, const char *name,
		      mode_t mode, struct fuse_file_info *fi)
{
	(void)parent;
	(void)name;
	(void)mode;
	(void)fi;
	fuse_reply_err(fr, EPERM);
}

static void fs_mknod(fuse_req_t fr, fuse_ino_t parent, const char *name,
		     mode_t mode, dev_t rdev)
{
	(void)parent;
	(void)name;
	(void)mode;
	(void)rdev;
	fuse_reply_err(fr, EPERM);
}

static void fs_symlink(fuse_req_t fr, const char *link, fuse_ino_t parent,
		       const char *name)
{
	(void)link;
	(void)parent;
	(void)name;
	fuse_reply_err(fr, EPERM);
}

static void fs_link(fuse_req_t fr, fuse_ino_t ino, fuse_ino_t newparent,
		    const char *newname)
{
	(void)ino;
	(void)newparent;
	(void)newname;
	fuse_reply_err(fr, EPERM);
}

static void fs_rename(fuse_req_t fr, fuse_ino_t parent, const char *name,
		      fuse_ino_t newparent, const char *newname,
		      unsigned int flags)
{
	(void)parent;
	(void)name;
	(void)newparent;
	(void)newname;
	(void)flags;
	fuse_reply_err(fr, EPERM);
}

static void fs_open(fuse_req_t fr, fuse_ino_t ino, struct fuse_file_info *fi)
{
	WRAP(fr, fi);
	vfs_open(req, ino, fi->flags);
}

static void fs_read(fuse_req_t fr, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)ino;
	WRAP(fr, NULL);
	/* The file's flags as they are now (fcntl F_SETFL: O_NONBLOCK). */
	OF(fi)->flags = fi->flags;
	vfs_read(req, OF(fi), size, off);
}

static void fs_write(fuse_req_t fr, fuse_ino_t ino, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)ino;
	(void)off;
	WRAP(fr, NULL);
	OF(fi)->flags = fi->flags;
	vfs_write(req, OF(fi), buf, size);
}

static void fs_flush(fuse_req_t fr, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(fr, 0);
}

static void fs_release(fuse_req_t fr, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	(void)ino;
	if (OF(fi)->backing)
		passthru_close(OF(fi)->ino);
	ofile_release(OF(fi));
	fuse_reply_err(fr, 0);
}

static void fs_fsync(fuse_req_t fr, fuse_ino_t ino, int datasync,
		     struct fuse_file_info *fi)
{
	(void)ino;
	(void)datasync;
	(void)fi;
	fuse_reply_err(fr, 0);
}

static void fs_poll(fuse_req_t fr, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *h)
{
	struct fpollh *ph = NULL;

	(void)ino;
	if (h) {
		ph = malloc(sizeof(*ph));
		if (!ph) {
			fuse_pollhandle_destroy(h);
			fuse_reply_err(fr, ENOMEM);
			return;
		}
		ph->ph.ops = &fpollh_ops;
		ph->h = h;
	}
	{
		WRAP(fr, NULL);
		vfs_poll(req, OF(fi), ph ? &ph->ph : NULL);
	}
}

static void fs_opendir(fuse_req_t fr, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	WRAP(fr, fi);
	vfs_opendir(req, ino);
}

/* A listing's offsets are its entry numbers (tree.h dirlist_get). */
static void fs_readdir(fuse_req_t fr, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	const struct dirlist *dl = (struct dirlist *)(uintptr_t)fi->fh;
	size_t i, used = 0;
	const char *name;
	uint64_t eino;
	mode_t type;

	(void)ino;
	if (size > nfs.scratch_size)
		size = nfs.scratch_size;
	for (i = off > 0 ? (size_t)off : 0;
	     dirlist_get(dl, i, &name, &eino, &type); i++) {
		struct stat st = { .st_ino = eino, .st_mode = type };
		size_t n = fuse_add_direntry(fr, nfs.scratch + used,
					     size - used, name, &st,
					     (off_t)(i + 1));

		if (n > size - used)
			break;
		used += n;
	}
	fuse_reply_buf(fr, nfs.scratch, used);
}

static bool given_grow(void)
{
	size_t cap = ngiven_cap ? 2 * ngiven_cap : 256;
	uint64_t *p = realloc(given, cap * sizeof(*p));

	if (!p)
		return false;
	given = p;
	ngiven_cap = cap;
	return true;
}

/* Always with attributes where the core has them (vfs_listed): the
 * kernel's auto mode asks for them in a listing's first chunk only, so
 * `ls -l` of a large directory would still look up most names. An entry
 * without them has node id 0: to the kernel, a plain entry. The entries
 * a reply carries are lookups; if it never arrives, they are given back. */
static void fs_readdirplus(fuse_req_t fr, fuse_ino_t ino, size_t size,
			   off_t off, struct fuse_file_info *fi)
{
	const struct dirlist *dl = (struct dirlist *)(uintptr_t)fi->fh;
	size_t i, used = 0, ngiven = 0;
	struct node dir;
	bool plus;
	const char *name;
	uint64_t eino;
	mode_t type;
	double ttl;

	WRAP(fr, NULL);
	plus = vfs_search_dir(req, ino, &dir) == 0;
	if (size > nfs.scratch_size)
		size = nfs.scratch_size;
	for (i = off > 0 ? (size_t)off : 0;
	     dirlist_get(dl, i, &name, &eino, &type); i++) {
		struct fuse_entry_param e = {
			.attr = { .st_ino = eino, .st_mode = type },
		};
		size_t n = fuse_add_direntry_plus(fr, NULL, 0, name, NULL, 0);

		if (n > size - used)
			break;
		if (plus && i >= 2 &&
		    vfs_listed(&dir, name, &e.ino, &e.attr, &ttl)) {
			e.entry_timeout = ttl;
			e.attr_timeout = TTL_ATTR;
			if (ngiven == ngiven_cap && !given_grow()) {
				vfs_forget(e.ino, 1);
				e.ino = 0;
			} else {
				given[ngiven++] = e.ino;
			}
		}
		fuse_add_direntry_plus(fr, nfs.scratch + used, size - used,
				       name, &e, (off_t)(i + 1));
		used += n;
	}
	if (fuse_reply_buf(fr, nfs.scratch, used) < 0)
		while (ngiven)
			vfs_forget(given[--ngiven], 1);
	done(FQ(req));
}

static void fs_releasedir(fuse_req_t fr, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	(void)ino;
	dirlist_free((struct dirlist *)(uintptr_t)fi->fh);
	fuse_reply_err(fr, 0);
}

static void fs_statfs(fuse_req_t fr, fuse_ino_t ino)
{
	(void)ino;
	WRAP(fr, NULL);
	vfs_statfs(req);
}

const struct fuse_lowlevel_ops fuse_fe_ops = {
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
	.symlink = fs_symlink,
	.link = fs_link,
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
	.readdirplus = fs_readdirplus,
	.releasedir = fs_releasedir,
	.statfs = fs_statfs,
};
