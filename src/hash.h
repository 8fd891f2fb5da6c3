/* hash.h: intrusive chained hash tables keyed by a 64-bit hash. The caller
 * compares keys while walking one chain; see sock.c for the two tables that
 * find a socket by id (inode lookups) and by name (path lookups). */
#ifndef NETFS_HASH_H
#define NETFS_HASH_H

#include <stddef.h>
#include <stdint.h>

struct hnode {
	struct hnode *next;
	uint64_t hash;
};

struct htab {
	struct hnode **b;	/* nb buckets, nb a power of two */
	size_t nb, n;
};

/* 0 or -ENOMEM. */
int ht_insert(struct htab *t, struct hnode *n, uint64_t hash);
void ht_remove(struct htab *t, struct hnode *n);
void ht_free(struct htab *t);
/* First node of the chain that may hold hash; callers follow ->next and
 * check ->hash themselves. */
struct hnode *ht_chain(const struct htab *t, uint64_t hash);

uint64_t hash_bytes(const void *p, size_t n);
uint64_t hash_u64(uint64_t x);

#endif
