/* limits.h: each user's share of the daemon. With -o allow_other every
 * user's sockets live in one process under one descriptor limit and one
 * heap, outside the users' own limits and cgroups; caps per user on
 * sockets, parked (blocked) requests and buffered bytes keep one from
 * starving the others, and a reserve of descriptors stays the daemon's.
 * Root is not capped. */
#ifndef NETFS_LIMITS_H
#define NETFS_LIMITS_H

#include <sys/types.h>

enum limit_kind { L_SOCKETS, L_PARKED, L_KINDS };

/* Sets the caps (0: the defaults, derived from the descriptor limit;
 * max_mib: bytes held for a user, in MiB). */
void limits_init(unsigned max_sockets, unsigned max_parked,
		 unsigned max_mib);
/* Takes one of kind for uid: 0, or -EMFILE (sockets) / -EAGAIN (parked)
 * with a detail naming the cap. */
int limit_take(uid_t uid, enum limit_kind k);
void limit_release(uid_t uid, enum limit_kind k);
unsigned limit_cap(enum limit_kind k);
/* Memory netfs holds for uid (unread replies, copies of blocked writes):
 * moves *charged to want bytes. 0, or -ENOBUFS with a detail (nothing
 * taken) when growing would pass the user's cap. */
int limit_bytes(uid_t uid, size_t *charged, size_t want);
size_t limit_bytes_cap(void);
/* Frees the bookkeeping (unmount). */
void limits_fini(void);

#endif
