/* dnode.h: dynamic objects. Things that have inodes without being sockets:
 * a name looked up in resolve/, an interface in ipifc/, a host socket in
 * system/. Each lives while the kernel remembers its inode (its lookup
 * count, ended by FORGET) or something holds a reference (an open file, a
 * job in the resolver). Loop thread only. */
#ifndef NETFS_DNODE_H
#define NETFS_DNODE_H

#include <stdint.h>

#include "hash.h"
#include "list.h"

struct dnode {
	uint64_t id;		/* object number, DNODE_BASE and up */
	struct hnode by_id, by_key;
	struct list all;
	uint64_t parent;	/* inode of its directory */
	char *name;
	uint64_t nlookup;	/* references the kernel holds */
	unsigned refs;		/* open files, jobs */
	void *data;		/* the provider's */
	void (*free_data)(void *data);
};

/* A new object named name in directory parent, with one reference for
 * the caller. NULL on ENOMEM. */
struct dnode *dnode_new(uint64_t parent, const char *name);
struct dnode *dnode_find(uint64_t parent, const char *name);
struct dnode *dnode_by_id(uint64_t id);

void dnode_get(struct dnode *dn);
/* Drops a reference; frees the object once the kernel forgot it too. */
void dnode_put(struct dnode *dn);
/* The kernel took (n > 0) or dropped (FORGET) lookup references. */
void dnode_lookups(struct dnode *dn, int64_t n);

/* Objects alive now (for tests and status). */
unsigned dnode_count(void);
/* Frees every object (unmount). */
void dnode_free_all(void);

#endif
