/* req.h: a request of a front-end, as the core sees it. The core (tree,
 * sockets, dialing, data, accept, name services) answers a request only
 * through this interface, so a front-end (FUSE: fuse_fe.c; 9P) is files
 * that fill req_ops and call the vfs.h operations, with no change to the
 * core. A request is answered exactly once; after the answer it is gone.
 *
 * Which way calls go: front-end -> vfs.c -> tree and socket code ->
 * req_*() -> the front-end's req_ops. The core never names libfuse. */
#ifndef NETFS_REQ_H
#define NETFS_REQ_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

struct req;
typedef struct req *req_t;
struct ofile;
struct dirlist;

/* Who made the request. pid is 0 where the front-end has no local
 * process (a remote 9P caller). */
struct req_ctx {
	uid_t uid;
	gid_t gid;
	pid_t pid;
};

struct req_ops {
	void (*err)(req_t r, int err);		/* 0: success, no data */
	void (*buf)(req_t r, const void *p, size_t n);
	void (*written)(req_t r, size_t n);
	void (*none)(req_t r);			/* no answer at all (forget) */
	/* A lookup's or mkdir's answer: -ENOENT when the caller is gone
	 * (the entry was not taken). */
	int (*entry)(req_t r, uint64_t ino, const struct stat *st,
		     double entry_ttl, double attr_ttl);
	void (*attr)(req_t r, const struct stat *st, double ttl);
	/* An open's answer: -ENOENT when the caller is gone (then the
	 * core releases the file: no release will come). */
	int (*open)(req_t r, struct ofile *of);
	int (*opendir)(req_t r, struct dirlist *dl);
	void (*poll)(req_t r, unsigned revents);
	void (*statfs)(req_t r, const struct statvfs *sv);
	/* Optional: answers with what fd holds, at most size bytes, moved
	 * without a copy through the process (splice). The count answered,
	 * 0 at end of stream, or a negative errno with r still open:
	 * -EAGAIN nothing yet, -EOPNOTSUPP not offered or not this fd. */
	ssize_t (*from_fd)(req_t r, int fd, size_t size);
	bool (*interrupted)(req_t r);
	/* fn runs (on the loop thread) when the caller gives up; once. */
	void (*on_interrupt)(req_t r, void (*fn)(req_t r, void *data),
			     void *data);
	/* The caller's supplementary groups: the count, or -1. */
	int (*groups)(req_t r, int size, gid_t *list);
};

struct req {
	const struct req_ops *ops;
	struct req_ctx ctx;
};

static inline const struct req_ctx *req_ctx(req_t r)
{
	return &r->ctx;
}

static inline void req_err(req_t r, int err)
{
	r->ops->err(r, err);
}

static inline void req_buf(req_t r, const void *p, size_t n)
{
	r->ops->buf(r, p, n);
}

static inline void req_written(req_t r, size_t n)
{
	r->ops->written(r, n);
}

static inline void req_none(req_t r)
{
	r->ops->none(r);
}

static inline int req_entry(req_t r, uint64_t ino, const struct stat *st,
			    double entry_ttl, double attr_ttl)
{
	return r->ops->entry(r, ino, st, entry_ttl, attr_ttl);
}

static inline void req_attr(req_t r, const struct stat *st, double ttl)
{
	r->ops->attr(r, st, ttl);
}

static inline int req_open(req_t r, struct ofile *of)
{
	return r->ops->open(r, of);
}

static inline int req_opendir(req_t r, struct dirlist *dl)
{
	return r->ops->opendir(r, dl);
}

static inline void req_poll(req_t r, unsigned revents)
{
	r->ops->poll(r, revents);
}

static inline void req_statfs(req_t r, const struct statvfs *sv)
{
	r->ops->statfs(r, sv);
}

static inline ssize_t req_from_fd(req_t r, int fd, size_t size)
{
	return r->ops->from_fd ? r->ops->from_fd(r, fd, size) : -EOPNOTSUPP;
}

static inline bool req_interrupted(req_t r)
{
	return r->ops->interrupted(r);
}

static inline void req_on_interrupt(req_t r, void (*fn)(req_t, void *),
				    void *data)
{
	r->ops->on_interrupt(r, fn, data);
}

static inline int req_groups(req_t r, int size, gid_t *list)
{
	return r->ops->groups(r, size, list);
}

/* A poll handle: whom to tell that a file became ready. The front-end
 * makes it; the core keeps the latest per open file. */
struct pollh;
struct pollh_ops {
	void (*notify)(struct pollh *ph);
	void (*destroy)(struct pollh *ph);
};
struct pollh {
	const struct pollh_ops *ops;
};

static inline void pollh_notify(struct pollh *ph)
{
	ph->ops->notify(ph);
}

static inline void pollh_destroy(struct pollh *ph)
{
	ph->ops->destroy(ph);
}

/* What a front-end caches about the tree and must hear about when it
 * changes. Front-ends register at start; the core tells them all. */
struct frontend {
	/* The attributes of ino changed (a chmod of its directory). */
	void (*inval_inode)(uint64_t ino);
	/* Forget the name in directory parent (and what it names). Called
	 * on a worker thread: the kernel may take the directory's lock for
	 * it, which a lookup waiting on the loop thread may hold. */
	void (*inval_entry)(uint64_t parent, const char *name, size_t len);
	struct frontend *next;
};

void frontend_register(struct frontend *fe);
void frontend_inval_inode(uint64_t ino);
/* Any thread (the list is fixed once the front-ends have started). */
void frontend_inval_entry(uint64_t parent, const char *name, size_t len);

#endif
