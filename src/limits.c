/* limits.c: per-user counts of sockets, parked requests and buffered
 * bytes (see limits.h). Loop thread only. */
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
	size_t bytes;
};

static struct htab users;
static unsigned caps[L_KINDS];
static unsigned users_sockets, users_sockets_cap;	/* all but root's */
static size_t bytes_cap;

void limits_init(unsigned max_sockets, unsigned max_parked,
		 unsigned max_mib)
{
	struct rlimit rl;
	rlim_t fds = 1024, reserve;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		fds = rl.rlim_cur;
	/* The daemon keeps a reserve of descriptors (lookups, path calls,
	 * /proc reads) that users' sockets together never take; of the
	 * rest one user holds a quarter by default, so two or three users
	 * at their caps still leave room for others. */
	reserve = fds / 16 > 64 ? fds / 16 : 64;
	users_sockets_cap = fds > 2 * reserve ? (unsigned)(fds - reserve) :
			    (unsigned)(fds / 2);
	caps[L_SOCKETS] = max_sockets ? max_sockets :
			  users_sockets_cap / 4 > 16 ?
			  users_sockets_cap / 4 : 16;
	caps[L_PARKED] = max_parked ? max_parked : caps[L_SOCKETS] * 16;
	bytes_cap = (size_t)(max_mib ? max_mib : 64) << 20;
}

size_t limit_bytes_cap(void)
{
	return bytes_cap;
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

/* A user with nothing counted leaves the table. */
static void drop_if_unused(struct usage *u)
{
	int i;

	for (i = 0; i < L_KINDS; i++)
		if (u->n[i])
			return;
	if (u->bytes)
		return;
	ht_remove(&users, &u->h);
	free(u);
}

int limit_take(uid_t uid, enum limit_kind k)
{
	struct usage *u;

	if (uid == 0)
		return 0;
	u = find(uid, 1);
	if (!u)
		return errf(ENOMEM, "no memory to count uid %u's use", uid);
	if (u->n[k] >= caps[k]) {
		int r = k == L_SOCKETS ?
			errf(EMFILE, "uid %u holds %u sockets "
			     "(-o max_user_sockets)", uid, u->n[k]) :
			errf(EAGAIN, "uid %u has %u blocked requests "
			     "(-o max_user_blocked)", uid, u->n[k]);

		drop_if_unused(u);
		return r;
	}
	if (k == L_SOCKETS && users_sockets >= users_sockets_cap) {
		drop_if_unused(u);
		return errf(ENFILE, "users hold %u sockets, all netfs gives "
			    "users (the rest is its reserve)", users_sockets);
	}
	u->n[k]++;
	if (k == L_SOCKETS)
		users_sockets++;
	return 0;
}

int limit_bytes(uid_t uid, size_t *charged, size_t want)
{
	struct usage *u;

	if (uid == 0 || want == *charged)
		return 0;
	u = find(uid, want > *charged);
	if (!u) {
		if (want > *charged)
			return errf(ENOMEM, "no memory to count uid %u's use",
				    uid);
		*charged = want;
		return 0;
	}
	if (want > *charged && u->bytes + (want - *charged) > bytes_cap) {
		drop_if_unused(u);
		return errf(ENOBUFS, "uid %u would hold over %zu MiB in netfs "
			    "(unread replies, blocked writes; "
			    "-o max_user_memory)", uid, bytes_cap >> 20);
	}
	u->bytes = u->bytes + want - *charged;
	*charged = want;
	drop_if_unused(u);
	return 0;
}

void limit_release(uid_t uid, enum limit_kind k)
{
	struct usage *u;

	if (uid == 0 || !(u = find(uid, 0)) || !u->n[k])
		return;
	u->n[k]--;
	if (k == L_SOCKETS)
		users_sockets--;
	drop_if_unused(u);
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
