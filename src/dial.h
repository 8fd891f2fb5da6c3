/* dial.h: connect, bind and listen to an address on a socket, the way the
 * reference's create_connection() does it: resolve the name off the loop,
 * then try each address in turn, each connect bounded by the socket's
 * timeout. One dial at a time per socket. */
#ifndef NETFS_DIAL_H
#define NETFS_DIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "perm.h"

struct sock;

enum dial_op { DIAL_CONNECT, DIAL_BIND, DIAL_LISTEN };

#define DIAL_PENDING 1

struct dial_req {
	enum dial_op op;
	struct addrspec addr;
	int backlog;		/* DIAL_LISTEN */
	bool reuseaddr;		/* SO_REUSEADDR before bind */
	bool has_source;	/* DIAL_CONNECT: bind to source first */
	struct addrspec source;
	bool nonblock;		/* DIAL_CONNECT: return -EINPROGRESS and go on */
	const struct cred *cred;	/* whom the calls act for */
	void (*done)(void *arg, int err);
	void *arg;
};

/* Starts rq on s. Returns 0 when done at once, DIAL_PENDING when
 * rq->done will be called from the loop, or a negative errno; a failure's
 * text is left in the socket's `error`. */
int dial_start(struct sock *s, const struct dial_req *rq);
/* Readiness of a connecting socket. */
void dial_event(struct sock *s, uint32_t events);
/* The socket is closing: the waiter, if any, gets -EBADF. */
void dial_cancel(struct sock *s);
/* The waiter went away (interrupted); the dial goes on. */
void dial_detach(struct sock *s);

#endif
