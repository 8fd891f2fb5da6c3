/* netfs.h: the daemon's global state. Everything here belongs to the loop
 * thread; resolver workers never touch it (see resolver.c). */
#ifndef NETFS_NETFS_H
#define NETFS_NETFS_H

#define FUSE_USE_VERSION 314

#include <fuse_lowlevel.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define NETFS_VERSION "0.1.0"

struct netfs {
	struct fuse_session *se;
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

#endif
