/* park.c: the life of a parked request (see park.h).
 *
 * A front-end may call an interrupt function in two ways. FUSE's, for
 * one: from do_interrupt() libfuse holds an extra reference on the
 * request, so the function may reply; from fuse_req_interrupt_func(), when
 * the interrupt came first, it calls it with the request lock held and no
 * extra reference: a reply there would free a locked request. netfs runs
 * every handler and every interrupt on the loop thread, so checking
 * req_interrupted() before registering closes that case: no interrupt can
 * arrive in between. */
#include "park.h"

#include <errno.h>

#include "limits.h"
#include "tree.h"

static void on_interrupt(req_t req, void *data)
{
	struct park *p = data;

	(void)req;
	park_end(p);
	p->abort(p, EINTR);
}

static void on_deadline(struct timer *t)
{
	struct park *p = container_of(t, struct park, timer);

	park_end(p);
	p->abort(p, ETIMEDOUT);
}

int park_start(struct park *p, struct list *q, req_t req,
	       struct ofile *of, int64_t timeout_ns, park_abort_fn abort)
{
	uid_t uid = of ? of->cred.uid : 0;
	int r;

	/* Complete before any refusal: the caller answers through
	 * p->abort, which uses p->req. */
	p->req = req;
	p->of = of;
	p->abort = abort;
	p->timer.slot = 0;
	p->counted = false;
	list_init(&p->link);
	if (req_interrupted(req))
		return -EINTR;
	r = limit_take(uid, L_PARKED);
	if (r < 0)
		return r;
	p->charged = uid;
	p->counted = true;
	list_add_tail(q, &p->link);
	if (timeout_ns >= 0)
		timer_set(&p->timer, mono_ns() + timeout_ns, on_deadline);
	req_on_interrupt(req, on_interrupt, p);
	return 0;
}

void park_end(struct park *p)
{
	list_del(&p->link);
	timer_stop(&p->timer);
	if (p->counted)
		limit_release(p->charged, L_PARKED);
	p->counted = false;
	/* The interrupt function stays registered: the front-end drops it
	 * when the answer ends the request, on this same thread. */
}

void park_abort_all(struct list *q, int err)
{
	struct park *p;

	while ((p = list_first(q, struct park, link))) {
		park_end(p);
		p->abort(p, err);
	}
}
