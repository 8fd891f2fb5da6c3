/* limits.c: per-user counts of sockets and parked requests (see
 * limits.h). Loop thread only. */
#include "limits.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "errors.h"
#include "hash.h"
#include "list.h"

struct usage {
	struct hnode h;
	uid_t uid;
	unsigned n[L_KINDS];
};

static struct htab users;
static unsigned caps[L_KINDS];

void limits_init(unsigned max_sockets, unsigned max_parked)
{
	struct rlimit rl;
	rlim_t fds = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		fds = rl.rlim_cur;
	/* By default one user may hold half the descriptors, so others
	 * always find the other half; and 16 parked requests a socket. */
	caps[L_SOCKETS] = max_sockets ? max_sockets :
			  fds / 2 > 64 ? (unsigned)(fds / 2) : 64;
	caps[L_PARKED] = max_parked ? max_parked : caps[L_SOCKETS] * 16;
}

unsigned limit_cap(enum limit_kind k)
{
	return caps[k];
}

static struct usage *find(uid_t uid, int create)
{
	uint64_t h = hash_u64(uid);
	struct hnode *n;
	struct usage *u;

	for (n = ht_chain(&users, h); n; n = n->next) {
		u = container_of(n, struct usage, h);
		if (n->hash == h && u->uid == uid)
			return u;
	}
	if (!create)
		return NULL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->uid = uid;
	if (ht_insert(&users, &u->h, h) < 0) {
		free(u);
		return NULL;
	}
	return u;
}

int limit_take(uid_t uid, enum limit_kind k)
{
	struct usage *u;

	if (uid == 0)
		return 0;
	u = find(uid, 1);
	if (!u)
		return errf(ENOMEM, "no memory to count uid %u's use", uid);
	if (u->n[k] >= caps[k])
		return k == L_SOCKETS ?
		       errf(EMFILE, "uid %u holds %u sockets "
			    "(-o max_user_sockets)", uid, u->n[k]) :
		       errf(EAGAIN, "uid %u has %u blocked requests "
			    "(-o max_user_blocked)", uid, u->n[k]);
	u->n[k]++;
	return 0;
}

void limit_release(uid_t uid, enum limit_kind k)
{
	struct usage *u;
	int i;

	if (uid == 0 || !(u = find(uid, 0)) || !u->n[k])
		return;
	u->n[k]--;
	for (i = 0; i < L_KINDS; i++)
		if (u->n[i])
			return;
	ht_remove(&users, &u->h);
	free(u);
}

void limits_fini(void)
{
	size_t i;

	for (i = 0; i < users.nb; i++) {
		struct hnode *n = users.b[i], *next;

		for (; n; n = next) {
			next = n->next;
			free(container_of(n, struct usage, h));
		}
	}
	ht_free(&users);
}
