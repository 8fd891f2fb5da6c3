/* hash.c: intrusive chained hash tables (see hash.h). Tables grow when the
 * load passes 1 and shrink when it falls under 1/8, so a soak of many
 * short-lived sockets returns its memory. */
#include "hash.h"

#include <errno.h>
#include <stdlib.h>

static int ht_resize(struct htab *t, size_t nb)
{
	struct hnode **b = calloc(nb, sizeof(*b));
	size_t i;

	if (!b)
		return -ENOMEM;
	for (i = 0; i < t->nb; i++) {
		struct hnode *n = t->b[i], *next;

		for (; n; n = next) {
			next = n->next;
			n->next = b[n->hash & (nb - 1)];
			b[n->hash & (nb - 1)] = n;
		}
	}
	free(t->b);
	t->b = b;
	t->nb = nb;
	return 0;
}

int ht_insert(struct htab *t, struct hnode *n, uint64_t hash)
{
	struct hnode **slot;

	if (t->n + 1 > t->nb) {
		int r = ht_resize(t, t->nb ? t->nb * 2 : 16);

		if (r < 0)
			return r;
	}
	n->hash = hash;
	slot = &t->b[hash & (t->nb - 1)];
	n->next = *slot;
	*slot = n;
	t->n++;
	return 0;
}

void ht_remove(struct htab *t, struct hnode *n)
{
	struct hnode **pp;

	if (!t->nb)
		return;
	for (pp = &t->b[n->hash & (t->nb - 1)]; *pp; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			n->next = NULL;
			t->n--;
			break;
		}
	}
	/* Shrinking is best effort: on ENOMEM the table stays as it is. */
	if (t->nb > 16 && t->n < t->nb / 8)
		(void)ht_resize(t, t->nb / 2);
}

void ht_free(struct htab *t)
{
	free(t->b);
	t->b = NULL;
	t->nb = t->n = 0;
}

struct hnode *ht_chain(const struct htab *t, uint64_t hash)
{
	return t->nb ? t->b[hash & (t->nb - 1)] : NULL;
}

/* FNV-1a, then a final mix so that the low bits used for buckets depend on
 * every input byte. */
uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--) {
		h ^= *s++;
		h *= 0x100000001b3ull;
	}
	return hash_u64(h);
}

uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}
