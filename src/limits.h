/* limits.h: each user's share of the daemon. With -o allow_other every
 * user's sockets live in one process under one descriptor limit; a cap
 * per user on sockets and on parked (blocked) requests keeps one from
 * starving the others. Root is not capped. */
#ifndef NETFS_LIMITS_H
#define NETFS_LIMITS_H

#include <sys/types.h>

enum limit_kind { L_SOCKETS, L_PARKED, L_KINDS };

/* Sets the caps (0: the defaults, derived from the descriptor limit). */
void limits_init(unsigned max_sockets, unsigned max_parked);
/* Takes one of kind for uid: 0, or -EMFILE (sockets) / -EAGAIN (parked)
 * with a detail naming the cap. */
int limit_take(uid_t uid, enum limit_kind k);
void limit_release(uid_t uid, enum limit_kind k);
unsigned limit_cap(enum limit_kind k);
/* Frees the bookkeeping (unmount). */
void limits_fini(void);

#endif
