/* accept.h: waiting for connections on a listening socket. Two kinds of
 * request wait for one: a read of `accept` (it returns the new socket's
 * name) and an open of a Plan 9 `listen` file (it becomes the new
 * conversation's ctl). Each waiter says what to do with what arrives. */
#ifndef NETFS_ACCEPT_H
#define NETFS_ACCEPT_H

#include <stdbool.h>
#include <stddef.h>

#include "park.h"
#include "tree.h"

struct apark;
struct sock;

/* Receives the accepted socket c, or c NULL and the errno err (EINTR,
 * ETIMEDOUT, EBADF, EMFILE...): must answer ap->p.req and free ap. */
typedef void (*accept_take_fn)(struct apark *ap, struct sock *c, int err);

struct apark {
	struct park p;
	accept_take_fn take;
	size_t size;			/* accept reads: the size asked */
};

/* Gets the next connection of listening s for ap (req, of): take runs
 * at once when one is waiting or accepting fails, else from the loop when
 * one arrives. Returns 0; or -EAGAIN, with ap untouched and req for the
 * caller to answer, when none is waiting and nonblock is set. */
int accept_wait(struct sock *s, struct apark *ap, req_t req,
		struct ofile *of, bool nonblock);
/* Answers the parked waiters that can be answered now (the readiness
 * dispatch of sock.c calls it). */
void accept_serve(struct sock *s);

extern const struct fileops accept_ops;

#endif
