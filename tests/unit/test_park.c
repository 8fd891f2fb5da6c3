/* test_park.c: the life of a parked request (park.c) without a mount.
 *
 * park.c asks its request two things (req.h), whether it was interrupted
 * and where to call on an interrupt; this file answers both with a fake
 * front-end's request, as a front-end would. The deadline runs on loop.c's timers and the per-user share on
 * limits.c, both real. Every way a park ends is checked to answer the
 * request exactly once, off its queue, with its deadline stopped and its
 * share of -o max_user_blocked given back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "errors.h"
#include "limits.h"
#include "loop.h"
#include "park.h"
#include "tree.h"

/* --- a fake front-end --- */
struct fake_req {
	struct req r;
	bool interrupted;
	void (*func)(req_t req, void *data);
	void *data;
};

static bool fake_interrupted(req_t req)
{
	return ((struct fake_req *)req)->interrupted;
}

static void fake_on_interrupt(req_t req, void (*func)(req_t, void *),
			      void *data)
{
	struct fake_req *f = (struct fake_req *)req;

	f->func = func;
	f->data = data;
}

static const struct req_ops fake_ops = {
	.interrupted = fake_interrupted,
	.on_interrupt = fake_on_interrupt,
};

#define FAKE_REQ { .r = { .ops = &fake_ops } }

/* The caller gives up: the front-end calls what was registered. */
static void interrupt(struct fake_req *f)
{
	f->interrupted = true;
	assert_non_null(f->func);
	f->func(&f->r, f->data);
}

/* --- the answers --- */
static struct {
	struct park *p;
	int err;
} answers[16];
static int nanswers;
static bool quit_on_answer;

static void answer(struct park *p, int err)
{
	/* park_end() ran first: off the queue, no deadline, share back. */
	assert_true(list_empty(&p->link));
	assert_false(timer_armed(&p->timer));
	assert_false(p->counted);
	assert_true(nanswers < 16);
	answers[nanswers].p = p;
	answers[nanswers].err = err;
	nanswers++;
	if (quit_on_answer)
		loop_quit();
}

static void quit(struct timer *t)
{
	(void)t;
	loop_quit();
}

/* Runs the loop through every timer due by now: a deadline that should
 * have been stopped would answer again here. */
static void run_due(void)
{
	struct timer sentinel = { 0 };

	quit_on_answer = false;
	timer_set(&sentinel, mono_ns(), quit);
	assert_int_equal(loop_run(), 0);
}

#define NOBODY 65534

static struct ofile nobody_file;	/* an open file of uid 65534 */

static int setup(void **state)
{
	(void)state;
	nanswers = 0;
	quit_on_answer = false;
	memset(&nobody_file, 0, sizeof(nobody_file));
	nobody_file.cred.uid = NOBODY;
	alarm(20);
	limits_init(0, 2, 0);	/* two parked requests a user */
	return loop_init();
}

static int teardown(void **state)
{
	(void)state;
	loop_fini();
	limits_fini();
	alarm(0);
	return 0;
}

static void start_queues_end_dequeues(void **state)
{
	struct list q;
	struct fake_req r = FAKE_REQ;
	struct park p;

	(void)state;
	list_init(&q);
	assert_int_equal(park_start(&p, &q, &r.r, NULL, -1, answer), 0);
	assert_ptr_equal(list_first(&q, struct park, link), &p);
	assert_ptr_equal(p.req, &r);
	assert_false(timer_armed(&p.timer));	/* no deadline asked */
	assert_ptr_equal(r.data, &p);		/* interrupts come to p */
	park_end(&p);
	assert_true(list_empty(&q));
	park_end(&p);				/* a second end is harmless */
	assert_true(list_empty(&q));
	run_due();
	assert_int_equal(nanswers, 0);		/* the caller answers */
}

static void interrupted_before_it_parks(void **state)
{
	struct list q;
	struct fake_req r = { .r = { .ops = &fake_ops }, .interrupted = true };
	struct park p, more[2];
	int i;

	(void)state;
	list_init(&q);
	assert_int_equal(park_start(&p, &q, &r.r, &nobody_file, 1000000000,
				    answer), -EINTR);
	assert_true(list_empty(&q));
	assert_null(r.func);			/* nothing registered */
	assert_false(timer_armed(&p.timer));
	/* Complete for the caller, who answers through p->abort. */
	assert_ptr_equal(p.req, &r);
	assert_ptr_equal(p.abort, answer);
	assert_false(p.counted);
	/* No share was taken: the user still has both. */
	for (i = 0; i < 2; i++) {
		struct fake_req r2 = FAKE_REQ;

		assert_int_equal(park_start(&more[i], &q, &r2.r, &nobody_file,
					    -1, answer), 0);
	}
	park_abort_all(&q, EBADF);
	assert_int_equal(nanswers, 2);
}

static void deadline_answers_etimedout(void **state)
{
	struct list q;
	struct fake_req r = FAKE_REQ;
	struct park p;
	int64_t t0 = mono_ns();

	(void)state;
	list_init(&q);
	assert_int_equal(park_start(&p, &q, &r.r, &nobody_file, 20 * 1000000,
				    answer), 0);
	assert_true(timer_armed(&p.timer));
	quit_on_answer = true;
	assert_int_equal(loop_run(), 0);
	assert_int_equal(nanswers, 1);
	assert_ptr_equal(answers[0].p, &p);
	assert_int_equal(answers[0].err, ETIMEDOUT);
	assert_true(mono_ns() - t0 >= 20 * 1000000);
	assert_true(list_empty(&q));
}

static void interrupt_answers_eintr(void **state)
{
	struct list q;
	struct fake_req r = FAKE_REQ;
	struct park p;

	(void)state;
	list_init(&q);
	assert_int_equal(park_start(&p, &q, &r.r, &nobody_file, 0, answer), 0);
	interrupt(&r);
	assert_int_equal(nanswers, 1);
	assert_ptr_equal(answers[0].p, &p);
	assert_int_equal(answers[0].err, EINTR);
	assert_true(list_empty(&q));
	/* Its deadline (due now) was stopped, and the queue has forgotten
	 * it: neither answers a second time. */
	run_due();
	park_abort_all(&q, EBADF);
	assert_int_equal(nanswers, 1);
}

static void abort_all_answers_each_in_order(void **state)
{
	struct list q;
	struct fake_req r[3] = { FAKE_REQ, FAKE_REQ, FAKE_REQ };
	struct park p[3];
	int i;

	(void)state;
	list_init(&q);
	assert_int_equal(park_start(&p[0], &q, &r[0].r, &nobody_file, -1,
				    answer), 0);
	assert_int_equal(park_start(&p[1], &q, &r[1].r, NULL, 0, answer), 0);
	assert_int_equal(park_start(&p[2], &q, &r[2].r, &nobody_file, -1,
				    answer), 0);
	park_abort_all(&q, EBADF);
	assert_true(list_empty(&q));
	assert_int_equal(nanswers, 3);
	for (i = 0; i < 3; i++) {
		assert_ptr_equal(answers[i].p, &p[i]);
		assert_int_equal(answers[i].err, EBADF);
	}
	run_due();			/* p[1]'s deadline was stopped */
	assert_int_equal(nanswers, 3);
}

/* -o max_user_blocked: a user's third park is refused with EAGAIN and a
 * reason; root is not counted; every way out gives the share back. */
static void a_users_share(void **state)
{
	struct list q;
	struct fake_req r[6] = { FAKE_REQ, FAKE_REQ, FAKE_REQ, FAKE_REQ, FAKE_REQ,
				 FAKE_REQ };
	struct park p[6];

	(void)state;
	list_init(&q);
	assert_int_equal(park_start(&p[0], &q, &r[0].r, &nobody_file, -1,
				    answer), 0);
	assert_int_equal(park_start(&p[1], &q, &r[1].r, &nobody_file, 0,
				    answer), 0);
	err_clear();
	assert_int_equal(park_start(&p[2], &q, &r[2].r, &nobody_file, -1,
				    answer), -EAGAIN);
	assert_non_null(strstr(err_detail(), "max_user_blocked"));
	assert_false(p[2].counted);
	assert_int_equal(park_start(&p[3], &q, &r[3].r, NULL, -1, answer), 0);

	park_end(&p[0]);		/* answered by its owner */
	assert_int_equal(park_start(&p[4], &q, &r[4].r, &nobody_file, -1,
				    answer), 0);
	run_due();			/* p[1]'s deadline */
	assert_int_equal(nanswers, 1);
	assert_int_equal(answers[0].err, ETIMEDOUT);
	assert_int_equal(park_start(&p[5], &q, &r[5].r, &nobody_file, -1,
				    answer), 0);
	interrupt(&r[4]);
	assert_int_equal(park_start(&p[0], &q, &r[0].r, &nobody_file, -1,
				    answer), 0);
	park_abort_all(&q, ECONNRESET);	/* p[3] (root), p[5], p[0] */
	assert_int_equal(nanswers, 5);
	assert_int_equal(park_start(&p[1], &q, &r[1].r, &nobody_file, -1,
				    answer), 0);
	assert_int_equal(park_start(&p[2], &q, &r[2].r, &nobody_file, -1,
				    answer), 0);
	park_abort_all(&q, EBADF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(start_queues_end_dequeues, setup, teardown),
		cmocka_unit_test_setup_teardown(interrupted_before_it_parks, setup, teardown),
		cmocka_unit_test_setup_teardown(deadline_answers_etimedout, setup, teardown),
		cmocka_unit_test_setup_teardown(interrupt_answers_eintr, setup, teardown),
		cmocka_unit_test_setup_teardown(abort_all_answers_each_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(a_users_share, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
