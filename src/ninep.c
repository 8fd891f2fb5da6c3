/* ninep.c: the 9P2000.L front-end (see ninep.h). Each connection reads
 * whole messages (ninep_msg.c frames and parses them), turns each into a
 * request (req.h) and a vfs.h call, and writes the answer when the core
 * gives it: at once, or later from the loop for a parked read, accept,
 * connect or lookup. Tflush interrupts a parked request as Ctrl-C does on
 * FUSE; Tclunk of a fid releases its open file as the last close does.
 *
 * Bounds, per connection: msize at most NINEP_MSIZE_MAX, NINEP_FIDS_MAX
 * fids, NINEP_PENDING_MAX requests waiting, NINEP_OUT_MAX bytes of
 * answers the client has not read; and NINEP_CONNS_MAX connections. A
 * malformed message, or a client past a bound it cannot be told about,
 * closes its connection and nothing else. Loop thread only. */
#include "ninep.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hash.h"
#include "list.h"
#include "log.h"
#include "loop.h"
#include "netfs.h"
#include "ninep_msg.h"
#include "perm.h"
#include "strbuf.h"
#include "tree.h"
#include "vfs.h"

#define NINEP_MSIZE_MAX (1u << 20)
#define NINEP_MSIZE_MIN 4096u
#define NINEP_FIDS_MAX 65536u
#define NINEP_PENDING_MAX 4096u
#define NINEP_OUT_MAX (64u << 20)
#define NINEP_CONNS_MAX 64u
#define NINEP_NAME_MAX 255u

struct ident {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	int ngroups;
	gid_t groups[CRED_GROUPS];
};

struct nfid {
	struct hnode h;
	uint32_t fid;
	uint64_t ino;
	bool dir;
	bool held;		/* holds a lookup reference on ino */
	struct ofile *of;	/* once opened, a file */
	struct dirlist *dl;	/* once opened, a directory */
};

struct nconn {
	struct list link;	/* in conns */
	struct watch rw;	/* the socket, or stdin */
	struct watch ww;	/* stdout, for "-" */
	int rfd, wfd;
	bool closed;		/* no more input or output; waits for reqs */
	bool quit_on_close;	/* "-": netfs ends with its one client */
	struct ident who;
	uint32_t msize;
	uint8_t *in;
	size_t inlen;
	struct strbuf out;	/* answers not yet written */
	size_t outpos;
	uint8_t *msg;		/* one answer being built: msize bytes */
	struct htab fids;
	unsigned nfids;
	struct list reqs;	/* waiting for the core's answer */
	unsigned nreqs;
	unsigned busy;		/* being worked on: not freed meanwhile */
};

/* A request of a connection. */
struct nreq {
	struct req r;
	struct list link;	/* in c->reqs */
	struct nconn *c;
	uint16_t tag;
	uint8_t type;
	bool flushed;		/* Tflush or the connection's end: no answer */
	void (*intr_fn)(req_t r, void *data);
	void *intr_data;
	uint32_t fid, newfid;
	uint32_t count;
	/* Twalk, one step at a time (lookups may wait). */
	uint16_t nwname, step;
	uint64_t ino;
	bool held;
	struct ninep_qid qids[NINEP_MAXWELEM];
	char names[NINEP_MAXWELEM][NINEP_NAME_MAX + 1];
};

static struct list conns = { &conns, &conns };
static unsigned nconns;
static struct watch lw = { .fd = -1 };	/* the listener */
static bool tcp_listener;
static struct ident tcp_user;
static char *unix_path;			/* removed at exit */

static void conn_close(struct nconn *c);
static void conn_maybe_free(struct nconn *c);

/* --- identities --- */

/* The supplementary groups of process pid, from /proc (the peer of a
 * unix connection): a read that fails gives none. */
static void groups_of_pid(pid_t pid, struct ident *id)
{
	char path[64], line[1024], *p, *end;
	FILE *f;

	id->ngroups = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Groups:", 7))
			continue;
		for (p = line + 7; id->ngroups < CRED_GROUPS; p = end) {
			unsigned long g = strtoul(p, &end, 10);

			if (end == p)
				break;
			id->groups[id->ngroups++] = (gid_t)g;
		}
		break;
	}
	fclose(f);
}

static int ident_of_user(const char *name, struct ident *id)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int n = CRED_GROUPS;

	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || !res)
		return -ENOENT;
	id->uid = pw.pw_uid;
	id->gid = pw.pw_gid;
	id->pid = 0;
	if (getgrouplist(name, pw.pw_gid, id->groups, &n) < 0)
		n = 0;
	id->ngroups = n;
	return 0;
}

static void ident_self(struct ident *id)
{
	int n = getgroups(CRED_GROUPS, id->groups);

	id->uid = getuid();
	id->gid = getgid();
	id->pid = getpid();
	id->ngroups = n < 0 ? 0 : n;
}

/* --- fids --- */

static struct nfid *fid_find(struct nconn *c, uint32_t fid)
{
	struct hnode *n;

	for (n = ht_chain(&c->fids, hash_u64(fid)); n; n = n->next) {
		struct nfid *f = container_of(n, struct nfid, h);

		if (f->fid == fid && n->hash == hash_u64(fid))
			return f;
	}
	return NULL;
}

static void fid_drop(struct nconn *c, struct nfid *f)
{
	if (f->of)
		ofile_release(f->of);
	if (f->dl)
		dirlist_free(f->dl);
	if (f->held)
		vfs_forget(f->ino, 1);
	ht_remove(&c->fids, &f->h);
	c->nfids--;
	free(f);
}

/* A new fid (replacing one of the same number). NULL: out of memory or
 * past NINEP_FIDS_MAX. */
static struct nfid *fid_new(struct nconn *c, uint32_t fid, uint64_t ino,
			    bool dir, bool held)
{
	struct nfid *f = fid_find(c, fid);

	if (f)
		fid_drop(c, f);
	if (c->nfids >= NINEP_FIDS_MAX || !(f = calloc(1, sizeof(*f))))
		return NULL;
	if (ht_insert(&c->fids, &f->h, hash_u64(fid)) < 0) {
		free(f);
		return NULL;
	}
	f->fid = fid;
	f->ino = ino;
	f->dir = dir;
	f->held = held;
	c->nfids++;
	return f;
}

static void fids_drop_all(struct nconn *c)
{
	size_t i;

	for (i = 0; i < c->fids.nb; i++)
		while (c->fids.b[i])
			fid_drop(c, container_of(c->fids.b[i], struct nfid,
						 h));
}

/* --- output --- */

static void out_flush(struct nconn *c)
{
	while (c->outpos < c->out.len) {
		ssize_t n = write(c->wfd, c->out.buf + c->outpos,
				  c->out.len - c->outpos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct watch *w = c->wfd == c->rfd ? &c->rw : &c->ww;
			uint32_t ev = (w == &c->rw ? EPOLLIN : 0) | EPOLLOUT;

			if (w->fd >= 0 && w->events != ev)
				watch_mod(w, ev);
			return;
		}
		if (n <= 0) {
			conn_close(c);
			return;
		}
		c->outpos += (size_t)n;
	}
	sb_reset(&c->out);
	c->outpos = 0;
	if (c->wfd != c->rfd && c->ww.fd >= 0 && c->ww.events)
		watch_mod(&c->ww, 0);
	else if (c->rw.fd >= 0 && c->rw.events != EPOLLIN)
		watch_mod(&c->rw, EPOLLIN);
}

/* Sends the answer of len bytes built in c->msg. */
static void send_msg(struct nconn *c, int len)
{
	if (c->closed)
		return;
	if (len < 0) {
		log_err("9p: cannot build an answer: %s", strerror(-len));
		conn_close(c);
		return;
	}
	if (c->out.len - c->outpos + (size_t)len > NINEP_OUT_MAX) {
		log_info("9p: a client reads no answers; closing it");
		conn_close(c);
		return;
	}
	if (sb_append(&c->out, c->msg, (size_t)len) < 0) {
		conn_close(c);
		return;
	}
	out_flush(c);
}

static void send_error(struct nconn *c, uint16_t tag, int err)
{
	send_msg(c, ninep_build_rlerror(c->msg, c->msize, tag,
					(uint32_t)(err > 0 ? err : EIO)));
}

/* --- qids and attributes --- */

static struct ninep_qid qid_of(uint64_t ino, mode_t mode)
{
	struct ninep_qid q = { .type = S_ISDIR(mode) ? NINEP_QTDIR :
					NINEP_QTFILE,
			       .version = 0, .path = ino };

	return q;
}

static void attr_of(const struct stat *st, struct ninep_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->valid = NINEP_GETATTR_BASIC;
	a->qid = qid_of(st->st_ino, st->st_mode);
	a->mode = st->st_mode;
	a->uid = st->st_uid;
	a->gid = st->st_gid;
	a->nlink = st->st_nlink;
	a->size = (uint64_t)st->st_size;
	a->blksize = (uint64_t)st->st_blksize;
	a->atime_sec = (uint64_t)st->st_atim.tv_sec;
	a->atime_nsec = (uint64_t)st->st_atim.tv_nsec;
	a->mtime_sec = (uint64_t)st->st_mtim.tv_sec;
	a->mtime_nsec = (uint64_t)st->st_mtim.tv_nsec;
	a->ctime_sec = (uint64_t)st->st_ctim.tv_sec;
	a->ctime_nsec = (uint64_t)st->st_ctim.tv_nsec;
}

static bool ino_is_dir(uint64_t ino)
{
	struct node n;

	return node_get(ino, &n) == 0 && n.def->dir;
}

/* --- requests --- */

static struct nreq *NQ(req_t r)
{
	return (struct nreq *)r;
}

/* The request is answered (or dropped): off the list, freed; a closed
 * connection goes once its last request has. */
static void nreq_end(struct nreq *q)
{
	struct nconn *c = q->c;

	list_del(&q->link);
	c->nreqs--;
	free(q);
	conn_maybe_free(c);
}

/* Whether an answer should go out: not after Tflush, nor to a closed
 * connection. */
static bool live(struct nreq *q)
{
	return !q->flushed && !q->c->closed;
}

static void walk_next(struct nreq *q);

static void nq_err(req_t r, int err)
{
	struct nreq *q = NQ(r);
	struct nconn *c = q->c;

	if (q->type == NINEP_TWALK && q->step > 0) {
		/* A walk that got part of the way: the qids so far, and no
		 * new fid; the last step's reference goes back. */
		if (q->held)
			vfs_forget(q->ino, 1);
		if (live(q))
			send_msg(c, ninep_build_rwalk(c->msg, c->msize, q->tag,
						      q->step, q->qids));
		nreq_end(q);
		return;
	}
	if (live(q)) {
		if (err)
			send_error(c, q->tag, err);
		else if (q->type == NINEP_TUNLINKAT)
			send_msg(c, ninep_build_runlinkat(c->msg, c->msize,
							  q->tag));
		else
			send_error(c, q->tag, EIO);
	}
	nreq_end(q);
}

static void nq_buf(req_t r, const void *p, size_t n)
{
	struct nreq *q = NQ(r);
	struct nconn *c = q->c;

	if (live(q)) {
		if (n > q->count)
			n = q->count;
		send_msg(c, ninep_build_rread(c->msg, c->msize, q->tag, p,
					      (uint32_t)n));
	}
	nreq_end(q);
}

static void nq_written(req_t r, size_t n)
{
	struct nreq *q = NQ(r);
	struct nconn *c = q->c;

	if (live(q))
		send_msg(c, ninep_build_rwrite(c->msg, c->msize, q->tag,
					       (uint32_t)n));
	nreq_end(q);
}

static void nq_none(req_t r)
{
	nreq_end(NQ(r));
}

static int nq_entry(req_t r, uint64_t ino, const struct stat *st,
		    double entry_ttl, double attr_ttl)
{
	struct nreq *q = NQ(r);
	struct nconn *c = q->c;

	(void)entry_ttl;
	(void)attr_ttl;
	if (q->type == NINEP_TMKDIR) {
		if (live(q))
			send_msg(c, ninep_build_rmkdir(c->msg, c->msize,
						       q->tag,
						       &(struct ninep_qid){
							       NINEP_QTDIR, 0,
							       ino }));
		/* No fid names it: the reference goes back at once. */
		nreq_end(q);
		return -ENOENT;
	}
	/* Twalk: one more step. The reference of the step before goes
	 * back; this one is kept for the new fid, or the next step. */
	if (q->held)
		vfs_forget(q->ino, 1);
	q->ino = ino;
	q->held = true;
	q->qids[q->step++] = qid_of(ino, st->st_mode);
	if (q->flushed || c->closed) {
		vfs_forget(ino, 1);
		q->held = false;
		nreq_end(q);
		return 0;
	}
	walk_next(q);
	return 0;
}

static void nq_attr(req_t r, const struct stat *st, double ttl)
{
	struct nreq *q = NQ(r);
	struct nconn *c = q->c;
	struct ninep_attr a;

	(void)ttl;
	if (live(q)) {
		if (q->type == NINEP_TSETATTR) {
			send_msg(c, ninep_build_rsetattr(c->msg, c->msize,
							 q->tag));
		} else {
			attr_of(st, &a);
			send_msg(c, ninep_build_rgetattr(c->msg, c->msize,
							 q->tag, &a));
		}
	}
	nreq_end(q);
}

static uint32_t iounit(const struct nconn *c)
{
	return c->msize - NINEP_IOHDRSZ;
}

/* An open or opendir answered: the fid takes the file (of) or the
 * listing (dl), and Rlopen goes out. -ENOENT when nobody is there to
 * close it any more (clunked, flushed, or the connection gone). */
static int opened(struct nreq *q, struct ofile *of, struct dirlist *dl)
{
	struct nconn *c = q->c;
	struct nfid *f = live(q) ? fid_find(c, q->fid) : NULL;

	if (!f || f->of || f->dl) {
		nreq_end(q);
		return -ENOENT;
	}
	f->of = of;
	f->dl = dl;
	send_msg(c, ninep_build_rlopen(c->msg, c->msize, q->tag,
				       &(struct ninep_qid){
					       dl ? NINEP_QTDIR : NINEP_QTFILE,
					       0, f->ino },
				       dl ? 0 : iounit(c)));
	nreq_end(q);
	return 0;
}

static int nq_open(req_t r, struct ofile *of)
{
	return opened(NQ(r), of, NULL);
}

static int nq_opendir(req_t r, struct dirlist *dl)
{
	return opened(NQ(r), NULL, dl);
}

static void nq_poll(req_t r, unsigned revents)
{
	(void)revents;
	nreq_end(NQ(r));	/* 9P has no poll: never asked */
}

static void nq_statfs(req_t r, const struct statvfs *sv)
{
	struct nreq *q = NQ(r);
	struct nconn *c = q->c;
	struct ninep_statfs st = {
		.type = 0x01021997,	/* V9FS_MAGIC */
		.bsize = (uint32_t)sv->f_bsize,
		.blocks = sv->f_blocks, .bfree = sv->f_bfree,
		.bavail = sv->f_bavail, .files = sv->f_files,
		.ffree = sv->f_ffree, .fsid = 0,
		.namelen = (uint32_t)sv->f_namemax,
	};

	if (live(q))
		send_msg(c, ninep_build_rstatfs(c->msg, c->msize, q->tag, &st));
	nreq_end(q);
}

static bool nq_interrupted(req_t r)
{
	return !live(NQ(r));
}

static void nq_on_interrupt(req_t r, void (*fn)(req_t, void *), void *data)
{
	NQ(r)->intr_fn = fn;
	NQ(r)->intr_data = data;
}

static int nq_groups(req_t r, int size, gid_t *list)
{
	const struct ident *id = &NQ(r)->c->who;
	int n = id->ngroups < size ? id->ngroups : size;

	memcpy(list, id->groups, (size_t)n * sizeof(*list));
	return n;
}

static const struct req_ops ninep_req_ops = {
	.err = nq_err,
	.buf = nq_buf,
	.written = nq_written,
	.none = nq_none,
	.entry = nq_entry,
	.attr = nq_attr,
	.open = nq_open,
	.opendir = nq_opendir,
	.poll = nq_poll,
	.statfs = nq_statfs,
	.interrupted = nq_interrupted,
	.on_interrupt = nq_on_interrupt,
	.groups = nq_groups,
};

static struct nreq *nreq_new(struct nconn *c, const struct ninep_msg *m)
{
	struct nreq *q;

	if (c->nreqs >= NINEP_PENDING_MAX) {
		send_error(c, m->tag, EAGAIN);
		return NULL;
	}
	q = calloc(1, sizeof(*q));
	if (!q) {
		send_error(c, m->tag, ENOMEM);
		return NULL;
	}
	q->r.ops = &ninep_req_ops;
	q->r.ctx.uid = c->who.uid;
	q->r.ctx.gid = c->who.gid;
	q->r.ctx.pid = c->who.pid;
	q->c = c;
	q->tag = m->tag;
	q->type = m->type;
	list_add_tail(&c->reqs, &q->link);
	c->nreqs++;
	return q;
}

/* Ends a waiting request without an answer: its park (if any) is told,
 * as an interrupt tells it; the core then answers into nothing. */
static void nreq_flush(struct nreq *q)
{
	q->flushed = true;
	if (q->intr_fn) {
		void (*fn)(req_t, void *) = q->intr_fn;

		q->intr_fn = NULL;
		fn(&q->r, q->intr_data);
	}
}

/* --- the messages --- */

static void walk_next(struct nreq *q)
{
	struct nconn *c = q->c;
	struct nfid *f;

	if (q->step < q->nwname) {
		vfs_lookup(&q->r, q->ino, q->names[q->step]);
		return;
	}
	f = fid_new(c, q->newfid, q->ino, q->nwname ?
		    (q->qids[q->nwname - 1].type & NINEP_QTDIR) != 0 :
		    ino_is_dir(q->ino), q->held);
	if (!f) {
		if (q->held)
			vfs_forget(q->ino, 1);
		send_error(c, q->tag, EMFILE);
	} else {
		send_msg(c, ninep_build_rwalk(c->msg, c->msize, q->tag,
					      q->nwname, q->qids));
	}
	nreq_end(q);
}

static void do_walk(struct nconn *c, const struct ninep_msg *m)
{
	const struct ninep_twalk *t = &m->u.twalk;
	struct nfid *f = fid_find(c, t->fid);
	struct nreq *q;
	unsigned i;

	if (!f) {
		send_error(c, m->tag, EBADF);
		return;
	}
	if (f->of || f->dl) {
		send_error(c, m->tag, EBUSY);	/* an open fid stays put */
		return;
	}
	for (i = 0; i < t->nwname; i++)
		if (t->wname[i].len > NINEP_NAME_MAX) {
			send_error(c, m->tag, ENAMETOOLONG);
			return;
		}
	q = nreq_new(c, m);
	if (!q)
		return;
	q->fid = t->fid;
	q->newfid = t->newfid;
	q->nwname = t->nwname;
	q->ino = f->ino;
	for (i = 0; i < t->nwname; i++)
		memcpy(q->names[i], t->wname[i].s, t->wname[i].len);
	if (t->nwname == 0) {
		/* A clone names what fid names, with a reference of its
		 * own. */
		q->held = f->held && vfs_hold(f->ino) == 0;
		if (t->newfid == t->fid) {
			if (q->held)
				vfs_forget(f->ino, 1);
			send_msg(c, ninep_build_rwalk(c->msg, c->msize, m->tag,
						      0, NULL));
			nreq_end(q);
			return;
		}
	} else if (t->newfid != t->fid && fid_find(c, t->newfid)) {
		nreq_end(q);
		send_error(c, m->tag, EBADF);	/* newfid in use */
		return;
	}
	walk_next(q);
}

static void do_lopen(struct nconn *c, const struct ninep_msg *m)
{
	struct nfid *f = fid_find(c, m->u.tlopen.fid);
	int flags = (int)(m->u.tlopen.flags & (O_ACCMODE | O_NONBLOCK));
	struct nreq *q;

	if (!f) {
		send_error(c, m->tag, EBADF);
		return;
	}
	if (f->of || f->dl) {
		send_error(c, m->tag, EBUSY);
		return;
	}
	q = nreq_new(c, m);
	if (!q)
		return;
	q->fid = f->fid;
	if (f->dir)
		vfs_opendir(&q->r, f->ino);
	else
		vfs_open(&q->r, f->ino, flags);
}

static void do_readdir(struct nconn *c, const struct ninep_msg *m)
{
	const struct ninep_tread *t = &m->u.treaddir;
	struct nfid *f = fid_find(c, t->fid);
	struct ninep_dirbuf d;
	const char *name;
	uint64_t ino;
	mode_t type;
	size_t i;

	if (!f || !f->dl) {
		send_error(c, m->tag, f ? EBADF : EBADF);
		return;
	}
	if (ninep_readdir_begin(&d, c->msg, c->msize, t->count) < 0) {
		send_error(c, m->tag, EINVAL);
		return;
	}
	for (i = (size_t)t->offset; dirlist_get(f->dl, i, &name, &ino, &type);
	     i++) {
		struct ninep_qid qid = qid_of(ino, type);

		if (ninep_readdir_add(&d, &qid, i + 1,
				      S_ISDIR(type) ? DT_DIR : DT_REG, name,
				      strlen(name)) < 0)
			break;
	}
	send_msg(c, ninep_readdir_finish(&d, m->tag));
}

/* The fid of a read or write: an open file, or NULL with the error sent
 * (EISDIR for an open directory, EBADF otherwise). */
static struct nfid *open_file(struct nconn *c, const struct ninep_msg *m,
			      uint32_t fid)
{
	struct nfid *f = fid_find(c, fid);

	if (f && f->of)
		return f;
	send_error(c, m->tag, f && f->dl ? EISDIR : EBADF);
	return NULL;
}

static void do_read(struct nconn *c, const struct ninep_msg *m)
{
	const struct ninep_tread *t = &m->u.tread;
	struct nfid *f = open_file(c, m, t->fid);
	struct nreq *q = f ? nreq_new(c, m) : NULL;

	if (!q)
		return;
	q->count = ninep_read_max(c->msize, t->count);
	vfs_read(&q->r, f->of, q->count, (off_t)t->offset);
}

static void do_write(struct nconn *c, const struct ninep_msg *m)
{
	const struct ninep_twrite *t = &m->u.twrite;
	struct nfid *f = open_file(c, m, t->fid);
	struct nreq *q = f ? nreq_new(c, m) : NULL;

	if (q)
		vfs_write(&q->r, f->of, (const char *)t->data, t->count);
}

static void do_clunk(struct nconn *c, const struct ninep_msg *m, bool remove)
{
	struct nfid *f = fid_find(c, m->u.tclunk.fid);

	if (!f) {
		send_error(c, m->tag, EBADF);
		return;
	}
	fid_drop(c, f);
	/* Tremove clunks the fid whatever happens; netfs removes sockets
	 * by rmdir (Tunlinkat) only. */
	if (remove)
		send_error(c, m->tag, EPERM);
	else
		send_msg(c, ninep_build_rclunk(c->msg, c->msize, m->tag));
}

static void do_flush(struct nconn *c, const struct ninep_msg *m)
{
	struct list *pos, *tmp;

	list_for_each_safe(pos, tmp, &c->reqs) {
		struct nreq *q = container_of(pos, struct nreq, link);

		if (q->tag == m->u.tflush.oldtag && !q->flushed) {
			nreq_flush(q);
			break;
		}
	}
	send_msg(c, ninep_build_rflush(c->msg, c->msize, m->tag));
}

static void do_version(struct nconn *c, const struct ninep_msg *m)
{
	const struct ninep_tversion *t = &m->u.tversion;
	bool ok = t->version.len >= 8 &&
		  !memcmp(t->version.s, NINEP_VERSION, 8);
	uint32_t msize = t->msize < NINEP_MSIZE_MAX ? t->msize :
			 NINEP_MSIZE_MAX;
	struct list *pos, *tmp;

	/* A new session: whatever the old one held goes. */
	list_for_each_safe(pos, tmp, &c->reqs)
		nreq_flush(container_of(pos, struct nreq, link));
	fids_drop_all(c);
	if (msize < NINEP_MSIZE_MIN) {
		send_error(c, m->tag, EINVAL);
		return;
	}
	send_msg(c, ninep_build_rversion(c->msg, msize, m->tag, msize,
					 ok ? NINEP_VERSION :
					 NINEP_VERSION_UNKNOWN));
	c->msize = msize;
}

static void do_attach(struct nconn *c, const struct ninep_msg *m)
{
	/* uname and n_uname are the client's word only: the caller is
	 * who the transport says (ninep.h). */
	if (m->u.tattach.afid != NINEP_NOFID) {
		send_error(c, m->tag, EINVAL);
		return;
	}
	if (!fid_new(c, m->u.tattach.fid, ROOT_INO, true, false)) {
		send_error(c, m->tag, EMFILE);
		return;
	}
	send_msg(c, ninep_build_rattach(c->msg, c->msize, m->tag,
					&(struct ninep_qid){ NINEP_QTDIR, 0,
							     ROOT_INO }));
}

/* The request of a message that needs only a fid's inode. */
static struct nreq *fid_req(struct nconn *c, const struct ninep_msg *m,
			    uint32_t fid, uint64_t *ino)
{
	struct nfid *f = fid_find(c, fid);

	if (!f) {
		send_error(c, m->tag, EBADF);
		return NULL;
	}
	*ino = f->ino;
	return nreq_new(c, m);
}

static void do_remove(struct nconn *c, const struct ninep_msg *m)
{
	do_clunk(c, m, true);
}

static void do_close(struct nconn *c, const struct ninep_msg *m)
{
	do_clunk(c, m, false);
}

static void do_getattr(struct nconn *c, const struct ninep_msg *m)
{
	uint64_t ino;
	struct nreq *q = fid_req(c, m, m->u.tgetattr.fid, &ino);

	if (q)
		vfs_getattr(&q->r, ino);
}

static void do_setattr(struct nconn *c, const struct ninep_msg *m)
{
	const struct ninep_tsetattr *t = &m->u.tsetattr;
	struct stat st = { .st_mode = t->mode, .st_uid = t->uid,
			   .st_gid = t->gid };
	int set = (t->valid & NINEP_SETATTR_MODE ? VFS_SET_MODE : 0) |
		  (t->valid & NINEP_SETATTR_UID ? VFS_SET_UID : 0) |
		  (t->valid & NINEP_SETATTR_GID ? VFS_SET_GID : 0);
	uint64_t ino;
	struct nreq *q = fid_req(c, m, t->fid, &ino);

	if (q)
		vfs_setattr(&q->r, ino, &st, set);
}

static void do_statfs(struct nconn *c, const struct ninep_msg *m)
{
	uint64_t ino;
	struct nreq *q = fid_req(c, m, m->u.tstatfs.fid, &ino);

	if (q)
		vfs_statfs(&q->r);
}

/* A name a message carries, as the vfs takes it: false (answered) when
 * it is too long. */
static bool take_name(struct nconn *c, const struct ninep_msg *m,
		      const struct ninep_str *s, char *dst)
{
	if (s->len > NINEP_NAME_MAX) {
		send_error(c, m->tag, ENAMETOOLONG);
		return false;
	}
	memcpy(dst, s->s, s->len);
	dst[s->len] = '\0';
	return true;
}

static void do_mkdir(struct nconn *c, const struct ninep_msg *m)
{
	char name[NINEP_NAME_MAX + 1];
	uint64_t ino;
	struct nreq *q;

	if (!take_name(c, m, &m->u.tmkdir.name, name))
		return;
	q = fid_req(c, m, m->u.tmkdir.dfid, &ino);
	if (q)
		vfs_mkdir(&q->r, ino, name);
}

static void do_unlinkat(struct nconn *c, const struct ninep_msg *m)
{
	char name[NINEP_NAME_MAX + 1];
	uint64_t ino;
	struct nreq *q;

	if (!take_name(c, m, &m->u.tunlinkat.name, name))
		return;
	q = fid_req(c, m, m->u.tunlinkat.dirfid, &ino);
	if (!q)
		return;
	if (m->u.tunlinkat.flags & AT_REMOVEDIR)
		vfs_rmdir(&q->r, ino, name);
	else
		vfs_refuse(&q->r);
}

static void do_fsync(struct nconn *c, const struct ninep_msg *m)
{
	send_msg(c, ninep_build_rfsync(c->msg, c->msize, m->tag));
}

static void do_lock(struct nconn *c, const struct ninep_msg *m)
{
	send_msg(c, ninep_build_rlock(c->msg, c->msize, m->tag,
				      NINEP_LOCK_SUCCESS));
}

static void do_getlock(struct nconn *c, const struct ninep_msg *m)
{
	const struct ninep_tgetlock *t = &m->u.tgetlock;
	struct ninep_getlock l = { NINEP_LOCK_TYPE_UNLCK, t->start, t->length,
				   t->proc_id, t->client_id };

	send_msg(c, ninep_build_rgetlock(c->msg, c->msize, m->tag, &l));
}

/* What each message does; a message with no row is refused with the
 * errno of its row in `refused`, or EPERM (lcreate, symlink, mknod,
 * rename, renameat, link: netfs makes nothing but sockets). */
static void (*const handlers[])(struct nconn *, const struct ninep_msg *) = {
	[NINEP_TVERSION] = do_version,
	[NINEP_TATTACH] = do_attach,
	[NINEP_TFLUSH] = do_flush,
	[NINEP_TWALK] = do_walk,
	[NINEP_TLOPEN] = do_lopen,
	[NINEP_TREAD] = do_read,
	[NINEP_TREADDIR] = do_readdir,
	[NINEP_TWRITE] = do_write,
	[NINEP_TCLUNK] = do_close,
	[NINEP_TREMOVE] = do_remove,
	[NINEP_TGETATTR] = do_getattr,
	[NINEP_TSETATTR] = do_setattr,
	[NINEP_TSTATFS] = do_statfs,
	[NINEP_TMKDIR] = do_mkdir,
	[NINEP_TUNLINKAT] = do_unlinkat,
	[NINEP_TFSYNC] = do_fsync,
	[NINEP_TLOCK] = do_lock,
	[NINEP_TGETLOCK] = do_getlock,
};

static const int refused[] = {
	[NINEP_TAUTH] = EOPNOTSUPP,		/* no authentication needed */
	[NINEP_TXATTRWALK] = ENODATA,		/* no extended attributes */
	[NINEP_TXATTRCREATE] = EOPNOTSUPP,
	[NINEP_TREADLINK] = EINVAL,		/* no links here */
};

static void dispatch(struct nconn *c, const struct ninep_msg *m)
{
	if (m->type != NINEP_TVERSION && !c->msize) {
		send_error(c, m->tag, EPROTO);	/* Tversion first */
		return;
	}
	if (m->type < sizeof(handlers) / sizeof(handlers[0]) &&
	    handlers[m->type])
		handlers[m->type](c, m);
	else if (m->type < sizeof(refused) / sizeof(refused[0]) &&
		 refused[m->type])
		send_error(c, m->tag, refused[m->type]);
	else
		send_error(c, m->tag, EPERM);
}

/* --- connections --- */

static void conn_input(struct nconn *c)
{
	size_t off = 0;

	while (!c->closed) {
		struct ninep_msg m;
		const char *why = NULL;
		uint32_t size;
		uint32_t msize = c->msize ? c->msize : NINEP_MSIZE_MAX;
		int r = ninep_frame(c->in + off, c->inlen - off, msize, &size,
				    &why);

		if (r == 0)
			break;
		if (r > 0)
			r = ninep_parse(c->in + off, size, msize, &m, &why);
		if (r < 0) {
			log_info("9p: closing a connection: %s", why ? why :
				 strerror(-r));
			conn_close(c);
			return;
		}
		dispatch(c, &m);
		off += size;
	}
	if (off && !c->closed) {
		memmove(c->in, c->in + off, c->inlen - off);
		c->inlen -= off;
	}
}

static void conn_ready(struct watch *w, uint32_t events)
{
	struct nconn *c = container_of(w, struct nconn, rw);
	int i;

	c->busy++;
	if (events & EPOLLOUT)
		out_flush(c);
	if (c->closed || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		goto out;
	for (i = 0; i < 16 && !c->closed; i++) {
		ssize_t n = read(c->rfd, c->in + c->inlen,
				 NINEP_MSIZE_MAX - c->inlen);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			conn_close(c);
			break;
		}
		c->inlen += (size_t)n;
		conn_input(c);
	}
out:
	c->busy--;
	loop_close_deferred();
	conn_maybe_free(c);
}

static void conn_writable(struct watch *w, uint32_t events)
{
	struct nconn *c = container_of(w, struct nconn, ww);

	(void)events;
	c->busy++;
	out_flush(c);
	c->busy--;
	conn_maybe_free(c);
}

static struct nconn *conn_new(int rfd, int wfd, const struct ident *who)
{
	struct nconn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->in = malloc(NINEP_MSIZE_MAX);
	c->msg = malloc(NINEP_MSIZE_MAX);
	if (!c->in || !c->msg)
		goto fail;
	c->rfd = rfd;
	c->wfd = wfd;
	c->rw.fd = c->ww.fd = -1;
	c->who = *who;
	list_init(&c->reqs);
	fcntl(rfd, F_SETFL, fcntl(rfd, F_GETFL) | O_NONBLOCK);
	fcntl(wfd, F_SETFL, fcntl(wfd, F_GETFL) | O_NONBLOCK);
	if (watch_add(&c->rw, rfd, EPOLLIN, conn_ready) < 0)
		goto fail;
	if (wfd != rfd && watch_add(&c->ww, wfd, 0, conn_writable) < 0) {
		watch_del(&c->rw);
		goto fail;
	}
	list_add_tail(&conns, &c->link);
	nconns++;
	return c;
fail:
	free(c->in);
	free(c->msg);
	free(c);
	return NULL;
}

/* No more input or output: files and fids go now, waiting requests are
 * told (they end into nothing), and the connection is freed with its
 * last request. */
static void conn_close(struct nconn *c)
{
	struct list *pos, *tmp;

	if (c->closed)
		return;
	c->closed = true;
	c->busy++;
	if (c->rw.fd >= 0)
		watch_del(&c->rw);
	if (c->ww.fd >= 0)
		watch_del(&c->ww);
	list_for_each_safe(pos, tmp, &c->reqs) {
		struct nreq *q = container_of(pos, struct nreq, link);

		if (!q->flushed)
			nreq_flush(q);
	}
	c->busy--;
	fids_drop_all(c);
	if (c->quit_on_close)
		loop_quit();
}

static void conn_maybe_free(struct nconn *c)
{
	if (!c->closed || c->nreqs || c->busy)
		return;
	list_del(&c->link);
	nconns--;
	if (c->rfd >= 0)
		loop_close_later(c->rfd);
	if (c->wfd >= 0 && c->wfd != c->rfd)
		loop_close_later(c->wfd);
	ht_free(&c->fids);
	sb_free(&c->out);
	free(c->in);
	free(c->msg);
	free(c);
}

static void accepted(struct watch *w, uint32_t events)
{
	int i;

	(void)events;
	for (i = 0; i < 16; i++) {
		int fd = accept4(w->fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct ident who;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_err("9p: accept: %m");
			return;
		}
		if (nconns >= NINEP_CONNS_MAX) {
			log_info("9p: %u connections already; refusing one",
				 nconns);
			close(fd);
			continue;
		}
		if (tcp_listener) {
			who = tcp_user;
		} else {
			struct ucred uc;
			socklen_t len = sizeof(uc);

			if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc,
				       &len) < 0) {
				close(fd);
				continue;
			}
			who.uid = uc.uid;
			who.gid = uc.gid;
			/* The peer's pid names its groups; for the umask of
			 * a unix bind netfs has none (pathcall.c: 077). */
			who.pid = 0;
			groups_of_pid(uc.pid, &who);
		}
		if (!conn_new(fd, fd, &who))
			close(fd);
	}
}

/* --- start and end --- */

static bool loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr)
			>> 24) == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
			&((const struct sockaddr_in6 *)sa)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

static int listen_tcp(const char *spec)
{
	char host[256];
	const char *bang = strrchr(spec, '!');
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE }, *res = NULL;
	int fd, one = 1, gai;

	if (!bang || (size_t)(bang - spec) >= sizeof(host)) {
		fprintf(stderr, "netfs: 9p: tcp!HOST!PORT, not tcp!%s\n", spec);
		return -EINVAL;
	}
	memcpy(host, spec, (size_t)(bang - spec));
	host[bang - spec] = '\0';
	gai = getaddrinfo(strcmp(host, "*") ? host : NULL, bang + 1, &hints,
			  &res);
	if (gai) {
		fprintf(stderr, "netfs: 9p: %s: %s\n", spec, gai_strerror(gai));
		return -EINVAL;
	}
	if (!loopback(res->ai_addr))
		log_warn("9p: serving /net over TCP on %s, beyond loopback: "
			 "anyone who reaches it acts as the 9p user", spec);
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0 ||
	    listen(fd, 16) < 0) {
		int err = errno;

		fprintf(stderr, "netfs: 9p: %s: %s\n", spec, strerror(err));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return -err;
	}
	freeaddrinfo(res);
	tcp_listener = true;
	return fd;
}

static int listen_unix(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "netfs: 9p: path too long: %s\n", path);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, 16) < 0) {
		int err = errno;

		fprintf(stderr, "netfs: 9p: unix!%s: %s\n", path,
			strerror(err));
		if (fd >= 0)
			close(fd);
		return -err;
	}
	unix_path = strdup(path);
	return fd;
}

int ninep_start(const char *addr, const char *user)
{
	struct ident self;
	int fd, r;

	if (!strcmp(addr, "-")) {
		struct nconn *c;

		ident_self(&self);
		c = conn_new(0, 1, &self);
		if (!c)
			return -ENOMEM;
		c->quit_on_close = true;
		return 0;
	}
	if (!strncmp(addr, "unix!", 5)) {
		fd = listen_unix(addr + 5);
	} else if (!strncmp(addr, "tcp!", 4)) {
		r = ident_of_user(user ? user : "nobody", &tcp_user);
		if (r < 0) {
			fprintf(stderr, "netfs: 9p_user: no user '%s'\n",
				user ? user : "nobody");
			return r;
		}
		fd = listen_tcp(addr + 4);
	} else {
		fprintf(stderr, "netfs: 9p: unix!PATH, tcp!HOST!PORT or -, "
			"not '%s'\n", addr);
		return -EINVAL;
	}
	if (fd < 0)
		return fd;
	r = watch_add(&lw, fd, EPOLLIN, accepted);
	if (r < 0)
		close(fd);
	return r;
}

void ninep_fini(void)
{
	struct list *pos, *tmp;

	if (lw.fd >= 0) {
		int fd = lw.fd;

		watch_del(&lw);
		close(fd);
		lw.fd = -1;
	}
	if (unix_path) {
		unlink(unix_path);
		free(unix_path);
		unix_path = NULL;
	}
	list_for_each_safe(pos, tmp, &conns) {
		struct nconn *c = container_of(pos, struct nconn, link);

		c->quit_on_close = false;
		conn_close(c);
		conn_maybe_free(c);
	}
}
