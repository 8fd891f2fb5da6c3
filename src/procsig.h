/* procsig.h: whether a thread has a signal waiting for it, from the text
 * of /proc/TID/status (its SigPnd, ShdPnd and SigBlk lines).
 *
 * FUSE over io_uring can lose the interrupt of a request whose caller was
 * signalled in the moment between the request's assignment to a ring
 * entry and its arrival in the daemon: the kernel sends no INTERRUPT, and
 * the caller waits for the answer with the signal pending, which its
 * status shows (fuse_uring.c). */
#ifndef NETFS_PROCSIG_H
#define NETFS_PROCSIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct procsig {
	uint64_t pending;	/* SigPnd: sent to the thread */
	uint64_t shared;	/* ShdPnd: sent to its process */
	uint64_t blocked;	/* SigBlk */
};

/* Reads the three masks from the status text p[0..n). Each is a line
 * "Name:<blanks><hex digits>", at most 16 digits (64 signals, as on
 * every architecture netfs builds for). EINVAL with a detail if one is
 * missing, malformed or given twice. */
int procsig_parse(const char *p, size_t n, struct procsig *ps);

/* A signal is pending that the thread does not block: the kernel has
 * woken it from an interruptible wait, or would. */
bool procsig_waiting(const struct procsig *ps);

#endif
