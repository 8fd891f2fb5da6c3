/* resolver.h: a fixed pool of worker threads for calls that may block on
 * the network (getaddrinfo, getnameinfo, ...). A job's work() runs on a
 * worker; its done() runs afterwards on the loop thread, which is the only
 * side that ever touches netfs state. A job whose requester went away is
 * marked cancelled and still handed to done(), which frees it. */
#ifndef NETFS_RESOLVER_H
#define NETFS_RESOLVER_H

#include <netdb.h>
#include <stdbool.h>

struct rjob {
	void (*work)(struct rjob *j);	/* worker thread */
	void (*done)(struct rjob *j);	/* loop thread; owns j afterwards */
	void *arg;			/* loop side only */
	bool cancelled;			/* loop side only */
	struct rjob *next;		/* queue link, under the pool lock */

	/* getaddrinfo: inputs and outputs of rjob_getaddrinfo */
	char host[256];
	char serv[32];
	bool nohost;			/* pass NULL as the node */
	struct addrinfo hints;
	struct addrinfo *res;
	int gai;			/* getaddrinfo's result */
	int sys_errno;			/* errno after EAI_SYSTEM */
};

int resolver_init(unsigned nthreads);
void resolver_fini(void);
/* Queues j; -EAGAIN when the queue is full (a bounded backlog). */
int resolver_submit(struct rjob *j);
/* Jobs queued or running. */
unsigned resolver_pending(void);

/* A work function that calls getaddrinfo with host/serv/hints. */
void rjob_getaddrinfo(struct rjob *j);

/* Maps an EAI_* result to the nearest errno (EAI_NONAME -> ENOENT,
 * EAI_AGAIN -> EAGAIN, ...). */
int gai_to_errno(int gai, int sys_errno);

#endif
