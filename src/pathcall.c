/* pathcall.c: path-walking socket calls on a worker, as the caller (see
 * pathcall.h). */
#include "pathcall.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "list.h"
#include "log.h"
#include "loop.h"
#include "netfs.h"

/* How often a send that would block tries again (a unix datagram socket
 * polls writable whatever its peer's queue holds). */
#define RETRY_NS (5 * 1000000LL)

bool addr_walks_path(const struct sockaddr *sa, socklen_t len)
{
	const struct sockaddr_un *sun = (const void *)sa;

	return sa->sa_family == AF_UNIX &&
	       len > offsetof(struct sockaddr_un, sun_path) &&
	       sun->sun_path[0] != '\0';
}

struct pathcall *pathcall_new(enum pathcall_op op, int fd, struct cred *c,
			      const void *buf, size_t size)
{
	struct pathcall *pc = calloc(1, sizeof(*pc) + size);

	if (!pc)
		return NULL;
	pc->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (pc->fd < 0) {
		free(pc);
		return NULL;
	}
	cred_load_groups(c);
	pc->op = op;
	pc->cred = *c;
	pc->cred.req = NULL;
	pc->size = size;
	if (size)
		memcpy(pc->buf, buf, size);
	return pc;
}

void pathcall_free(struct pathcall *pc)
{
	if (pc->fd >= 0)
		close(pc->fd);
	free(pc);
}

/* The caller's umask from /proc (the kernel gives FUSE one only for
 * create, mkdir and mknod). Failing closed: 077. */
static mode_t caller_umask(pid_t pid)
{
	char path[64], line[128];
	unsigned m = 077;
	FILE *f;

	if (pid <= 0)
		return 077;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 077;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Umask: %o", &m) == 1)
			break;
	fclose(f);
	return (mode_t)(m & 0777);
}

/* Each worker has its own umask and working directory, so that setting
 * the caller's umask for a bind changes nothing on other threads. */
static bool own_fs(void)
{
	static _Thread_local int state;	/* 0 not tried, 1 own, -1 shared */

	if (state == 0) {
		state = unshare(CLONE_FS) == 0 ? 1 : -1;
		if (state < 0)
			log_err("pathcall: unshare(CLONE_FS): %m");
	}
	return state > 0;
}

ssize_t send_as(int fd, bool unix_sock, const void *buf, size_t len,
		int flags, const struct sockaddr *to, socklen_t tolen,
		const struct ucred *who)
{
	union {
		char b[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { (void *)buf, len };
	struct msghdr m = { .msg_name = (void *)to, .msg_namelen = tolen,
			    .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	/* Only a root daemon may name another user; any other daemon's
	 * callers are itself, which the kernel stamps on its own. */
	if (!unix_sock || !who || nfs.uid != 0)
		return sendto(fd, buf, len, flags, to, tolen);
	memset(&cbuf, 0, sizeof(cbuf));	/* the padding goes out too */
	m.msg_control = cbuf.b;
	m.msg_controllen = sizeof(cbuf.b);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(*who));
	memcpy(CMSG_DATA(c), who, sizeof(*who));
	return sendmsg(fd, &m, flags);
}

static void do_send(struct pathcall *pc)
{
	struct ucred who = { .pid = getpid(), .uid = pc->cred.uid,
			     .gid = pc->cred.gid };

	for (;;) {
		ssize_t n = send_as(pc->fd, true, pc->buf, pc->size,
				    MSG_DONTWAIT | MSG_NOSIGNAL | pc->flags,
				    (struct sockaddr *)&pc->to, pc->tolen,
				    &who);
		struct timespec ts = { 0, RETRY_NS };

		if (n >= 0) {
			pc->sent = (size_t)n;
			pc->err = 0;
			return;
		}
		pc->err = errno;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || atomic_load(&pc->j.abandoned) ||
		    (pc->deadline >= 0 && mono_ns() >= pc->deadline))
			return;
		nanosleep(&ts, NULL);
	}
}

static void work(struct rjob *j)
{
	struct pathcall *pc = container_of(j, struct pathcall, j);
	int r = act_as(&pc->cred);
	mode_t old = 0;
	bool mask = false;

	if (r < 0) {
		pc->err = -r;
		return;
	}
	if (pc->op == PC_BIND || (pc->op == PC_CONNECT && pc->srclen)) {
		mask = own_fs();
		if (mask)
			old = umask(caller_umask(pc->cred.pid));
	}
	switch (pc->op) {
	case PC_BIND:
		pc->err = bind(pc->fd, (struct sockaddr *)&pc->to,
			       pc->tolen) < 0 ? errno : 0;
		break;
	case PC_CONNECT:
		if (pc->srclen &&
		    bind(pc->fd, (struct sockaddr *)&pc->src, pc->srclen) < 0) {
			pc->err = errno;
			pc->src_failed = true;
			break;
		}
		pc->err = connect(pc->fd, (struct sockaddr *)&pc->to,
				  pc->tolen) < 0 ? errno : 0;
		break;
	case PC_SEND:
		do_send(pc);
		break;
	}
	if (mask)
		umask(old);
	act_as_daemon();
}

int pathcall_submit(struct pathcall *pc)
{
	pc->j.work = work;
	pc->j.uid = pc->cred.uid;
	pc->j.path = true;
	return resolver_submit(&pc->j);
}
