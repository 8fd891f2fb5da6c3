/* pathcall.h: the socket calls that walk a file system path, made on a
 * worker thread as the caller. A unix bind, connect or sendto names a
 * path; resolving it may block without bound (a stalled NFS server, a
 * FUSE mount that waits, netfs's own mount, whose answer needs the loop
 * thread), so no such call runs on the loop thread. The worker takes the
 * caller's uid, gids, groups and umask for the call, so the kernel checks
 * the path, stamps the socket file and fills SO_PEERCRED as for a direct
 * call. The job counts in its user's small share of the pool
 * (resolver.h): a stalled path holds a few of that user's threads, no
 * one else's. */
#ifndef NETFS_PATHCALL_H
#define NETFS_PATHCALL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "perm.h"
#include "resolver.h"

enum pathcall_op { PC_BIND, PC_CONNECT, PC_SEND };

struct pathcall {
	struct rjob j;		/* j.done and j.arg are the caller's */
	enum pathcall_op op;
	int fd;			/* the job's own duplicate of the socket */
	struct sockaddr_storage to;
	socklen_t tolen;
	struct sockaddr_storage src;	/* PC_CONNECT: bound first when set */
	socklen_t srclen;
	struct cred cred;	/* groups loaded; req cleared */
	int64_t deadline;	/* PC_SEND: mono ns; 0 one try; -1 none */
	int flags;		/* PC_SEND: MSG_* besides DONTWAIT/NOSIGNAL */
	/* Results. */
	int err;		/* 0, or the call's errno */
	bool src_failed;	/* PC_CONNECT: the source bind failed */
	size_t size;		/* PC_SEND: the datagram, in buf */
	size_t sent;
	char buf[];
};

/* Whether a call with this address walks a path: a unix address that is
 * neither abstract nor unnamed. */
bool addr_walks_path(const struct sockaddr *sa, socklen_t len);

/* A job for op on a duplicate of fd (0 or a negative errno); the caller
 * fills the fields its op uses, sets j.done and j.arg, and submits. c's
 * groups are loaded here while its request lives. */
struct pathcall *pathcall_new(enum pathcall_op op, int fd, struct cred *c,
			      const void *buf, size_t size);
int pathcall_submit(struct pathcall *pc);
/* Frees pc (done() side): closes the duplicate. */
void pathcall_free(struct pathcall *pc);

/* sendto(2) that, on a unix socket, carries who (a user's uid and gid,
 * netfs's pid) in SCM_CREDENTIALS, as the kernel would stamp a direct
 * sender's. Without it the kernel stamps the daemon's real uid, root. */
ssize_t send_as(int fd, bool unix_sock, const void *buf, size_t len,
		int flags, const struct sockaddr *to, socklen_t tolen,
		const struct ucred *who);

#endif
