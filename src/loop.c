/* loop.c: epoll and the timer heap (see loop.h). Level or edge triggering is
 * the owner's choice per watch: sockets use edge triggering and always try
 * the system call first, so an idle socket costs no epoll_ctl calls.
 *
 * After a batch of events the loop polls (epoll_wait with no timeout) for
 * spin_ns before it sleeps again. A request that arrives in that window
 * finds the loop awake: nobody has to wake a sleeping thread (on a virtual
 * machine a halted CPU), which is most of what one FUSE request costs.
 * Interactive traffic (a write, then the read of its answer) lands in the
 * window; an idle daemon spins not at all. docs/BENCH.md has the figures.
 * An empty poll yields the CPU: the caller just woken may be waiting for
 * this very CPU, and a poller that does not yield keeps it from running
 * (traced: up to the whole window, at times milliseconds). */
#include "loop.h"

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define MAX_EVENTS 256

static int epfd = -1;
static bool quitting;
static int64_t spin_ns;

/* Descriptors whose close(2) waits until the request that dropped them
 * has its answer: closing a TCP socket runs its FIN through loopback in
 * the call, time the caller need not wait for. */
static int *later;
static size_t nlater, caplater;

/* The batch being dispatched: watch_del() clears later entries that point
 * at the watch it removes, so a callback may free another watch's owner
 * (a socket closed by a command) without a stale event reaching it. */
static struct epoll_event *batch;
static int batch_next, batch_n;

/* The timer heap, a binary min-heap on ->when; heap[0] is unused so that
 * slots are 1-based and 0 can mean "not armed". */
static struct timer **heap;
static size_t heap_n, heap_cap;

int loop_init(void)
{
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		return -errno;
	return 0;
}

void loop_fini(void)
{
	loop_close_deferred();
	free(later);
	later = NULL;
	caplater = 0;
	if (epfd >= 0)
		close(epfd);
	epfd = -1;
	free(heap);
	heap = NULL;
	heap_n = heap_cap = 0;
}

void loop_quit(void)
{
	quitting = true;
}

void loop_close_later(int fd)
{
	if (nlater == caplater) {
		size_t cap = caplater ? caplater * 2 : 16;
		int *p = realloc(later, cap * sizeof(*p));

		if (!p) {
			close(fd);
			return;
		}
		later = p;
		caplater = cap;
	}
	later[nlater++] = fd;
}

void loop_close_deferred(void)
{
	while (nlater)
		close(later[--nlater]);
}

void loop_set_spin(unsigned usec)
{
	spin_ns = (int64_t)usec * 1000;
}

int watch_add(struct watch *w, int fd, uint32_t events, watch_fn fn)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	w->fd = fd;
	w->events = events;
	w->fn = fn;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int watch_mod(struct watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (w->events == events)
		return 0;
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0)
		return -errno;
	w->events = events;
	return 0;
}

void watch_del(struct watch *w)
{
	int i;

	if (w->fd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_DEL, w->fd, NULL);
	w->fd = -1;
	for (i = batch_next; i < batch_n; i++)
		if (batch[i].data.ptr == w)
			batch[i].data.ptr = NULL;
}

int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void heap_place(size_t i, struct timer *t)
{
	heap[i] = t;
	t->slot = i;
}

static void heap_up(size_t i)
{
	struct timer *t = heap[i];

	while (i > 1 && heap[i / 2]->when > t->when) {
		heap_place(i, heap[i / 2]);
		i /= 2;
	}
	heap_place(i, t);
}

static void heap_down(size_t i)
{
	struct timer *t = heap[i];

	for (;;) {
		size_t c = 2 * i;

		if (c > heap_n)
			break;
		if (c < heap_n && heap[c + 1]->when < heap[c]->when)
			c++;
		if (heap[c]->when >= t->when)
			break;
		heap_place(i, heap[c]);
		i = c;
	}
	heap_place(i, t);
}

void timer_stop(struct timer *t)
{
	size_t i = t->slot;
	struct timer *last;

	if (!i)
		return;
	t->slot = 0;
	last = heap[heap_n--];
	if (i <= heap_n) {
		heap_place(i, last);
		heap_up(i);
		heap_down(last->slot);
	}
}

void timer_set(struct timer *t, int64_t when, timer_fn fn)
{
	timer_stop(t);
	t->when = when;
	t->fn = fn;
	if (heap_n + 1 >= heap_cap) {
		size_t cap = heap_cap ? heap_cap * 2 : 64;
		struct timer **h = realloc(heap, cap * sizeof(*h));

		if (!h) {
			/* Out of memory: fire at once rather than never. */
			log_err("timer heap: out of memory");
			fn(t);
			return;
		}
		heap = h;
		heap_cap = cap;
	}
	heap_n++;
	heap_place(heap_n, t);
	heap_up(heap_n);
}

/* Milliseconds until the first timer, rounded up; -1 without timers. */
static int next_timeout(void)
{
	int64_t d;

	if (!heap_n)
		return -1;
	d = heap[1]->when - mono_ns();
	if (d <= 0)
		return 0;
	d = (d + 999999) / 1000000;
	return d > 60000 ? 60000 : (int)d;
}

static void run_timers(void)
{
	int64_t now = mono_ns();

	while (heap_n && heap[1]->when <= now) {
		struct timer *t = heap[1];

		timer_stop(t);
		t->fn(t);
	}
	/* A timer may have closed a socket (idle, a dial's deadline). */
	loop_close_deferred();
}

int loop_run(void)
{
	struct epoll_event ev[MAX_EVENTS];
	int64_t awake_until = 0;

	quitting = false;
	while (!quitting) {
		bool spin = spin_ns && mono_ns() < awake_until;
		int i, n = epoll_wait(epfd, ev, MAX_EVENTS,
				      spin ? 0 : next_timeout());

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n > 0 && spin_ns)
			awake_until = mono_ns() + spin_ns;
		else if (spin)
			sched_yield();
		batch = ev;
		batch_n = n;
		for (i = 0; i < n && !quitting; i++) {
			struct watch *w = ev[i].data.ptr;

			batch_next = i + 1;
			if (w)
				w->fn(w, ev[i].events);
			loop_close_deferred();
		}
		batch_n = 0;
		run_timers();
	}
	return 0;
}
