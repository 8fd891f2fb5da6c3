/* perm.c: mode checks with the caller's credentials (see perm.h). */
#include "perm.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

/* The daemon's own groups, restored after acting for a caller. */
static gid_t own_groups[CRED_GROUPS];
static int own_ngroups;
static _Thread_local bool acting;	/* per thread: workers act too */

void cred_of_req(req_t req, struct cred *c)
{
	const struct req_ctx *ctx = req_ctx(req);

	c->uid = ctx->uid;
	c->gid = ctx->gid;
	c->pid = ctx->pid;
	c->ngroups = -1;
	c->req = req;
}

void cred_load_groups(struct cred *c)
{
	int n;

	if (c->ngroups >= 0)
		return;
	/* FUSE's front-end reads /proc/PID/task/PID/status of the caller;
	 * a remote caller's come with its identity. */
	n = c->req ? req_groups(c->req, CRED_GROUPS, c->groups) : -1;
	c->ngroups = n < 0 ? 0 : n > CRED_GROUPS ? CRED_GROUPS : n;
}

bool cred_in_group(struct cred *c, gid_t gid)
{
	int i;

	if (c->gid == gid)
		return true;
	cred_load_groups(c);
	for (i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

int perm_check(struct cred *c, const struct stat *st, int want)
{
	mode_t m = st->st_mode;
	mode_t bits;

	if (c->uid == 0) {
		/* Root reads and writes anything; executes only what some
		 * class may execute (directories are always searchable). */
		if ((want & X_OK) && !S_ISDIR(m) && !(m & 0111))
			return -EACCES;
		return 0;
	}
	if (c->uid == st->st_uid)
		bits = (m >> 6) & 7;
	else if (cred_in_group(c, st->st_gid))
		bits = (m >> 3) & 7;
	else
		bits = m & 7;
	return ((unsigned)want & ~bits) ? -EACCES : 0;
}

int perm_init(void)
{
	int n = getgroups(CRED_GROUPS, own_groups);

	if (n < 0)
		return -errno;
	own_ngroups = n;
	return 0;
}

/* Credentials are per thread in Linux, but glibc's set*id() change every
 * thread of the process; the raw system calls change only this one, so
 * the resolver threads keep theirs. The real and saved uid stay 0, so the
 * permitted capabilities survive and come back with the effective uid. */
int act_as(const struct cred *c)
{
	if (nfs.uid != 0 || c->uid == 0 || acting)
		return 0;
	if (syscall(SYS_setgroups, c->ngroups > 0 ? c->ngroups : 0,
		    c->groups) < 0)
		return -errno;
	if (syscall(SYS_setresgid, -1, c->gid, -1) < 0 ||
	    syscall(SYS_setresuid, -1, c->uid, -1) < 0) {
		int err = errno;

		syscall(SYS_setresgid, -1, nfs.gid, -1);
		syscall(SYS_setgroups, own_ngroups, own_groups);
		return -err;
	}
	acting = true;
	return 0;
}

void act_as_daemon(void)
{
	if (!acting)
		return;
	/* Failing to get back would leave the daemon without its rights:
	 * nothing sensible can go on. */
	if (syscall(SYS_setresuid, -1, 0, -1) < 0 ||
	    syscall(SYS_setresgid, -1, nfs.gid, -1) < 0 ||
	    syscall(SYS_setgroups, own_ngroups, own_groups) < 0) {
		log_err("cannot restore the daemon's credentials: %m");
		abort();
	}
	acting = false;
}
