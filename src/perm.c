/* perm.c: mode checks with the caller's credentials (see perm.h). */
#include "perm.h"

#include <errno.h>
#include <unistd.h>

void cred_of_req(fuse_req_t req, struct cred *c)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);

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
	/* libfuse reads /proc/PID/task/PID/status of the caller. */
	n = c->req ? fuse_req_getgroups(c->req, CRED_GROUPS, c->groups) : -1;
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
