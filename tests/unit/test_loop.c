/* test_loop.c: the timer heap of loop.c, through its interface: timers
 * fire in the order of their times whatever the order they were set,
 * stopped and re-armed in; a callback may re-arm itself or stop another
 * due timer; and a timer in the future makes loop_run wait for it.
 *
 * Times of the past (small numbers: CLOCK_MONOTONIC has run for longer
 * than that) are due at once, so one loop_run fires them all; a sentinel
 * at "now", later than every one of them, fires last and stops the loop.
 * alarm() bounds every test: a timer the heap lost would otherwise leave
 * loop_run waiting for ever. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop.h"

#define MANY 3000

static struct timer *fired[2 * MANY];
static size_t nfired;

static void record(struct timer *t)
{
	assert_true(nfired < sizeof(fired) / sizeof(fired[0]));
	assert_false(timer_armed(t));	/* off the heap before its call */
	fired[nfired++] = t;
}

static void quit(struct timer *t)
{
	(void)t;
	loop_quit();
}

/* Fires every due timer, in the heap's order, then returns. */
static void run_due(void)
{
	struct timer sentinel = { 0 };

	timer_set(&sentinel, mono_ns(), quit);
	assert_int_equal(loop_run(), 0);
	assert_false(timer_armed(&sentinel));
}

static void set(struct timer *t, int64_t when)
{
	timer_set(t, when, record);
	assert_true(timer_armed(t));
}

static int setup(void **state)
{
	(void)state;
	nfired = 0;
	alarm(20);
	return loop_init();
}

static int teardown(void **state)
{
	(void)state;
	loop_fini();
	alarm(0);
	return 0;
}

static void fires_in_time_order(void **state)
{
	struct timer t[5] = { 0 };
	static const int64_t when[5] = { 50, 10, 40, 20, 30 };
	static const int order[5] = { 1, 3, 4, 2, 0 };
	int i;

	(void)state;
	for (i = 0; i < 5; i++)
		set(&t[i], when[i]);
	run_due();
	assert_int_equal(nfired, 5);
	for (i = 0; i < 5; i++) {
		assert_ptr_equal(fired[i], &t[order[i]]);
		assert_false(timer_armed(&t[i]));
	}
}

static void rearming_moves_a_timer(void **state)
{
	struct timer a = { 0 }, b = { 0 }, c = { 0 };

	(void)state;
	set(&a, 10);
	set(&b, 20);
	set(&c, 30);
	set(&a, 40);		/* from the top to the bottom */
	set(&c, 5);		/* from the bottom to the top */
	set(&b, 20);		/* in place */
	run_due();
	assert_int_equal(nfired, 3);	/* each once, at its last time */
	assert_ptr_equal(fired[0], &c);
	assert_ptr_equal(fired[1], &b);
	assert_ptr_equal(fired[2], &a);
}

static void stopping_the_top_and_others(void **state)
{
	struct timer t[6] = { 0 };
	int i;

	(void)state;
	for (i = 0; i < 6; i++)
		set(&t[i], 10 * (i + 1));
	timer_stop(&t[0]);	/* the top */
	assert_false(timer_armed(&t[0]));
	timer_stop(&t[1]);	/* the new top */
	timer_stop(&t[5]);	/* the last slot */
	timer_stop(&t[3]);	/* one in the middle */
	timer_stop(&t[3]);	/* twice: nothing happens */
	timer_stop(&t[0]);
	run_due();
	assert_int_equal(nfired, 2);
	assert_ptr_equal(fired[0], &t[2]);
	assert_ptr_equal(fired[1], &t[4]);
}

static void stop_everything(void **state)
{
	struct timer t[3] = { 0 };
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		set(&t[i], 3 - i);
	for (i = 0; i < 3; i++)
		timer_stop(&t[i]);
	run_due();
	assert_int_equal(nfired, 0);
	/* An emptied heap takes timers again. */
	set(&t[1], 7);
	run_due();
	assert_int_equal(nfired, 1);
	assert_ptr_equal(fired[0], &t[1]);
}

/* A callback may re-arm its own timer (a periodic one) and stop another
 * that is due as well: run_timers takes each off the heap before it
 * calls it. */
static struct timer periodic, victim, other;
static int periods;

static void tick(struct timer *t)
{
	record(t);
	if (++periods < 3)
		timer_set(t, t->when + 100, tick);
	else
		timer_stop(&victim);
}

static void callbacks_rearm_and_stop(void **state)
{
	(void)state;
	periods = 0;
	timer_set(&periodic, 10, tick);	/* fires at 10, 110 and 210 */
	set(&other, 150);
	set(&victim, 300);		/* stopped by the third tick */
	run_due();
	assert_int_equal(periods, 3);
	assert_int_equal(nfired, 4);
	assert_ptr_equal(fired[0], &periodic);
	assert_ptr_equal(fired[1], &periodic);
	assert_ptr_equal(fired[2], &other);
	assert_ptr_equal(fired[3], &periodic);
	assert_false(timer_armed(&victim));
}

/* Thousands of timers, past the heap's first growth, set, re-armed and
 * stopped in a scrambled order: those left armed fire once each, in
 * order, and no stopped one fires. */
static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return rnd_state >> 8;
}

static void many_timers(void **state)
{
	static struct timer t[MANY];
	static int times[MANY];
	size_t i, armed = 0;

	(void)state;
	for (i = 0; i < MANY; i++)
		set(&t[i], 1 + rnd() % 100000);
	for (i = 0; i < MANY; i += 3)
		timer_stop(&t[i]);
	for (i = 1; i < MANY; i += 5)
		set(&t[i], 1 + rnd() % 100000);
	for (i = 0; i < MANY; i += 7)
		if (!timer_armed(&t[i]))
			set(&t[i], 1 + rnd() % 100000);
	for (i = 0; i < MANY; i++)
		armed += timer_armed(&t[i]);
	run_due();
	assert_int_equal(nfired, armed);
	for (i = 0; i < nfired; i++) {
		if (i)
			assert_true(fired[i - 1]->when <= fired[i]->when);
		times[fired[i] - t]++;
	}
	for (i = 0; i < MANY; i++) {
		assert_true(times[i] <= 1);
		assert_false(timer_armed(&t[i]));
	}
}

/* A timer in the future: loop_run sleeps until it is due, not before. */
static void waits_for_a_future_timer(void **state)
{
	struct timer t = { 0 };
	int64_t t0 = mono_ns();

	(void)state;
	timer_set(&t, t0 + 30 * 1000000, quit);
	assert_int_equal(loop_run(), 0);
	assert_true(mono_ns() - t0 >= 30 * 1000000);
	assert_false(timer_armed(&t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fires_in_time_order, setup, teardown),
		cmocka_unit_test_setup_teardown(rearming_moves_a_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(stopping_the_top_and_others, setup, teardown),
		cmocka_unit_test_setup_teardown(stop_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(callbacks_rearm_and_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(many_timers, setup, teardown),
		cmocka_unit_test_setup_teardown(waits_for_a_future_timer, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
