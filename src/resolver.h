/* resolver.h: the worker pool for calls that may block: name lookups
 * (getaddrinfo, getnameinfo, ...) and path calls (pathcall.h). A job's
 * work() runs on a worker; its done() runs afterwards on the loop thread,
 * which is the only side that ever touches netfs state. A job whose
 * requester went away is marked cancelled and still handed to done(),
 * which frees it. Jobs queue per user (uid) and take turns; a user holds
 * at most a share of the threads, and the pool grows on demand up to its
 * maximum and shrinks when idle. */
#ifndef NETFS_RESOLVER_H
#define NETFS_RESOLVER_H

#include <netdb.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

#include "strbuf.h"

struct rjob {
	void (*work)(struct rjob *j);	/* worker thread */
	void (*done)(struct rjob *j);	/* loop thread; owns j afterwards */
	void *arg;			/* loop side only */
	bool cancelled;			/* loop side only */
	struct rjob *next;		/* queue link, under the pool lock */
	uid_t uid;			/* whose share the job counts in */
	bool path;			/* a path call: the smaller share */
	atomic_bool abandoned;		/* set by the loop, seen by work() */

	/* getaddrinfo: inputs and outputs of rjob_getaddrinfo */
	char host[256];
	char serv[32];
	bool nohost;			/* pass NULL as the node */
	struct addrinfo hints;
	struct addrinfo *res;
	int gai;			/* getaddrinfo's result */
	int sys_errno;			/* errno after EAI_SYSTEM */

	/* The name-service kinds below take host, serv, hints and these,
	 * and leave the answer as text lines, or err (a negative errno)
	 * with the resolver's own message in detail. */
	int niflags;			/* NI_* for rjob_reverse */
	char proto_name[32];		/* services!PROTO, protocols/NAME */
	int number;			/* protocols/NUMBER, or -1 */
	struct strbuf text;
	int err;
	char detail[256];
};

#define RESOLVER_THREADS_MAX 256

/* At most max threads; none start before there is work. */
int resolver_init(unsigned max);
void resolver_fini(void);
/* Queues j for j->uid; -EAGAIN when that user's queue is full (a bounded
 * backlog). */
int resolver_submit(struct rjob *j);
/* Jobs queued or running. */
unsigned resolver_pending(void);

struct resolver_stats {
	unsigned pending;	/* jobs queued or running */
	unsigned threads, idle, high_water;
	unsigned users;		/* users with work */
};
struct resolver_stats resolver_stats(void);

/* Marks j cancelled (loop side): its done() frees it, and a long work()
 * sees abandoned and stops waiting. */
void rjob_cancel(struct rjob *j);

/* A work function that calls getaddrinfo with host/serv/hints. */
void rjob_getaddrinfo(struct rjob *j);

/* getaddrinfo, one line per result: FAMILY TYPE PROTO ADDRESS (the read
 * form of addresses), after "canonname NAME" when AI_CANONNAME asked. */
void rjob_resolve(struct rjob *j);
/* getnameinfo and gethostbyaddr of host (a literal, or a name looked up
 * first): "name HOST", "alias NAME"..., "address ADDR"..., and "service
 * NAME" when serv holds a port. */
void rjob_reverse(struct rjob *j);
/* services(5) by name or port (serv), for proto_name or for each of tcp,
 * udp, sctp and dccp: "NAME PORT PROTO [ALIAS...]" per entry. */
void rjob_service(struct rjob *j);
/* protocols(5) by proto_name or number: "NAME NUMBER [ALIAS...]". */
void rjob_protocol(struct rjob *j);
/* getfqdn() as the reference defines it: the first name with a dot among
 * the host name and aliases of gethostbyaddr(gethostname()), else that
 * host name, else gethostname(). One line. */
void rjob_fqdn(struct rjob *j);

/* Maps an EAI_* result to the nearest errno (EAI_NONAME -> ENOENT,
 * EAI_AGAIN -> EAGAIN, ...). */
int gai_to_errno(int gai, int sys_errno);

#endif
