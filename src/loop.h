/* loop.h: the one event loop. It owns an epoll set and a heap of timers;
 * everything that answers a parked FUSE request runs from here, on the
 * loop thread. Owners embed a struct watch or struct timer and recover
 * themselves with container_of in the callback. */
#ifndef NETFS_LOOP_H
#define NETFS_LOOP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

struct watch;
typedef void (*watch_fn)(struct watch *w, uint32_t events);

struct watch {
	int fd;
	uint32_t events;	/* the epoll mask registered */
	watch_fn fn;
};

struct timer;
typedef void (*timer_fn)(struct timer *t);

struct timer {
	int64_t when;		/* CLOCK_MONOTONIC nanoseconds */
	size_t slot;		/* 1-based heap index; 0 when not armed */
	timer_fn fn;
};

int loop_init(void);
void loop_fini(void);
/* Runs until loop_quit(); returns 0 or a negative errno. */
int loop_run(void);
void loop_quit(void);
/* close(fd) once the current callback (or FUSE request) is done, after
 * its reply is sent. The fd must be out of the epoll set already. */
void loop_close_later(int fd);
void loop_close_deferred(void);
/* How long the loop keeps polling after events before it sleeps. */
void loop_set_spin(unsigned usec);

/* Registers fd with the given epoll mask. 0 or a negative errno. */
int watch_add(struct watch *w, int fd, uint32_t events, watch_fn fn);
int watch_mod(struct watch *w, uint32_t events);
/* Unregisters; the fd stays open (the caller closes it). */
void watch_del(struct watch *w);

int64_t mono_ns(void);
/* Arms (or re-arms) t to fire at the absolute time when. */
void timer_set(struct timer *t, int64_t when, timer_fn fn);
void timer_stop(struct timer *t);
static inline int timer_armed(const struct timer *t)
{
	return t->slot != 0;
}

#endif
