/* dnode.c: dynamic objects (see dnode.h). */
#include "dnode.h"

#include <stdlib.h>
#include <string.h>

#include "tree.h"

static struct htab by_id, by_key;
static struct list all = { &all, &all };
static uint64_t next_id = DNODE_BASE;
static unsigned count;

static uint64_t key_hash(uint64_t parent, const char *name)
{
	return hash_bytes(name, strlen(name)) ^ hash_u64(parent);
}

struct dnode *dnode_new(uint64_t parent, const char *name)
{
	struct dnode *dn = calloc(1, sizeof(*dn));

	if (!dn)
		return NULL;
	dn->name = strdup(name);
	if (!dn->name)
		goto fail;
	dn->id = next_id;
	dn->parent = parent;
	dn->refs = 1;
	if (ht_insert(&by_id, &dn->by_id, hash_u64(dn->id)) < 0)
		goto fail;
	if (ht_insert(&by_key, &dn->by_key, key_hash(parent, name)) < 0) {
		ht_remove(&by_id, &dn->by_id);
		goto fail;
	}
	next_id++;
	count++;
	list_add_tail(&all, &dn->all);
	return dn;
fail:
	free(dn->name);
	free(dn);
	return NULL;
}

struct dnode *dnode_find(uint64_t parent, const char *name)
{
	uint64_t h = key_hash(parent, name);
	struct hnode *n;

	for (n = ht_chain(&by_key, h); n; n = n->next) {
		struct dnode *dn = container_of(n, struct dnode, by_key);

		if (n->hash == h && dn->parent == parent &&
		    strcmp(dn->name, name) == 0)
			return dn;
	}
	return NULL;
}

struct dnode *dnode_by_id(uint64_t id)
{
	uint64_t h = hash_u64(id);
	struct hnode *n;

	for (n = ht_chain(&by_id, h); n; n = n->next) {
		struct dnode *dn = container_of(n, struct dnode, by_id);

		if (n->hash == h && dn->id == id)
			return dn;
	}
	return NULL;
}

static void dnode_free(struct dnode *dn)
{
	ht_remove(&by_id, &dn->by_id);
	ht_remove(&by_key, &dn->by_key);
	list_del(&dn->all);
	if (dn->free_data)
		dn->free_data(dn->data);
	free(dn->name);
	free(dn);
	count--;
}

void dnode_get(struct dnode *dn)
{
	dn->refs++;
}

void dnode_put(struct dnode *dn)
{
	if (--dn->refs == 0 && dn->nlookup == 0)
		dnode_free(dn);
}

void dnode_lookups(struct dnode *dn, int64_t n)
{
	if (n < 0 && (uint64_t)-n >= dn->nlookup)
		dn->nlookup = 0;
	else
		dn->nlookup += (uint64_t)n;
	if (dn->nlookup == 0 && dn->refs == 0)
		dnode_free(dn);
}

unsigned dnode_count(void)
{
	return count;
}

void dnode_free_all(void)
{
	struct dnode *dn;

	while ((dn = list_first(&all, struct dnode, all)))
		dnode_free(dn);
	ht_free(&by_id);
	ht_free(&by_key);
}
