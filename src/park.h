/* park.h: FUSE requests that cannot be answered now. A parked request sits
 * on a queue of its socket until the loop answers it on readiness, on its
 * deadline (ETIMEDOUT) or when the kernel interrupts it (EINTR). Each is
 * answered exactly once: whoever answers calls park_end() first, and the
 * abort path (interrupt, deadline, socket closed) goes through ->abort. */
#ifndef NETFS_PARK_H
#define NETFS_PARK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "list.h"
#include "loop.h"
#include "netfs.h"

struct ofile;
struct park;

/* Must reply to p->req (with err, or with partial progress) and free p. */
typedef void (*park_abort_fn)(struct park *p, int err);

struct park {
	struct list link;	/* in a socket's queue */
	req_t req;
	struct ofile *of;
	struct timer timer;	/* armed when the park has a deadline */
	park_abort_fn abort;
	uid_t charged;		/* whose -o max_user_blocked share */
	bool counted;
};

/* Queues p on q with a deadline timeout_ns from now (none if < 0) and
 * registers for interrupts. Returns -EINTR, without queuing, if the
 * request was interrupted already, or -EAGAIN when the opener has too
 * many requests parked: the caller answers it. */
int park_start(struct park *p, struct list *q, req_t req,
	       struct ofile *of, int64_t timeout_ns, park_abort_fn abort);
/* Takes p off its queue and stops its deadline; call before answering. */
void park_end(struct park *p);
/* Ends and aborts every park on q with err. */
void park_abort_all(struct list *q, int err);

#endif
