/* perm.h: who may do what. netfs may run as root with -o allow_other, and
 * then every user's socket calls pass through it: each open, lookup and
 * removal is checked here against the caller's credentials, the way the
 * kernel checks a file's mode, and an open file keeps its opener's. */
#ifndef NETFS_PERM_H
#define NETFS_PERM_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "netfs.h"

#define CRED_GROUPS 64

struct cred {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	int ngroups;		/* -1: not read yet */
	gid_t groups[CRED_GROUPS];
	req_t req;		/* while the request lives: whence groups */
};

/* The credentials of a request's caller. Supplementary groups are read
 * from /proc only when a check needs them, and only while req is alive;
 * clear c->req before keeping c beyond the handler. */
void cred_of_req(req_t req, struct cred *c);
/* Reads the supplementary groups, once. On any failure, or without a
 * live request, c has none: a racy read never grants access. */
void cred_load_groups(struct cred *c);
bool cred_in_group(struct cred *c, gid_t gid);

/* May c access a file of mode/uid/gid for want (R_OK, W_OK, X_OK, ORed)?
 * 0 or -EACCES. Root may do anything but execute what nobody may. */
int perm_check(struct cred *c, const struct stat *st, int want);

/* Makes this thread act as c for the socket calls that follow (socket,
 * bind, connect, setsockopt, sendto), so that the kernel refuses c what
 * it would refuse c directly: ports below ip_unprivileged_port_start, raw
 * and packet sockets, privileged options, unix paths c cannot reach; and
 * a socket made meanwhile carries c's credentials. Only a root daemon
 * acting for another user switches; c's groups must be loaded. 0 or a
 * negative errno (then nothing changed). */
int act_as(const struct cred *c);
/* Back to the daemon's own credentials. */
void act_as_daemon(void);
/* Saves the daemon's groups; call once at start. */
int perm_init(void);

#endif
