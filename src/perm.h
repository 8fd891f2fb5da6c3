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
	fuse_req_t req;		/* while the request lives: whence groups */
};

/* The credentials of a request's caller. Supplementary groups are read
 * from /proc only when a check needs them, and only while req is alive;
 * clear c->req before keeping c beyond the handler. */
void cred_of_req(fuse_req_t req, struct cred *c);
/* Reads the supplementary groups, once. On any failure, or without a
 * live request, c has none: a racy read never grants access. */
void cred_load_groups(struct cred *c);
bool cred_in_group(struct cred *c, gid_t gid);

/* May c access a file of mode/uid/gid for want (R_OK, W_OK, X_OK, ORed)?
 * 0 or -EACCES. Root may do anything but execute what nobody may. */
int perm_check(struct cred *c, const struct stat *st, int want);

#endif
