/* netfs.h: the daemon's global state. Everything here belongs to the loop
 * thread; resolver workers never touch it (see resolver.c). */
#ifndef NETFS_NETFS_H
#define NETFS_NETFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "req.h"

struct netfs {
	const char *mountpoint;
	struct timespec mount_time;
	uid_t uid;			/* the daemon's: owner of the root */
	gid_t gid;
	int64_t default_timeout;	/* ns, -1 none: for new sockets */
	int64_t default_idle;		/* ns, -1 none: -o idle */
	char *scratch;			/* recv buffer for read replies */
	size_t scratch_size;
	unsigned nsocks;		/* sockets in the tree */
	unsigned max_sockets;		/* -o max_sockets=N */
	unsigned resolvers;		/* -o resolvers=N worker threads */
};

extern struct netfs nfs;

/* The largest write a front-end never hands over in pieces (FUSE cuts a
 * bigger one at page boundaries of the writer's buffer into pieces of up
 * to max_write, the scratch size), so only a piece can be this big. */
size_t write_whole_max(void);

#endif
