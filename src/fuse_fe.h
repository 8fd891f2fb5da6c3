/* fuse_fe.h: the FUSE front-end (fuse_fe.c): libfuse's session, its
 * low-level operations table, and its place among the front-ends. */
#ifndef NETFS_FUSE_FE_H
#define NETFS_FUSE_FE_H

#define FUSE_USE_VERSION 314

#include <fuse_lowlevel.h>

extern struct fuse_session *fuse_se;
extern const struct fuse_lowlevel_ops fuse_fe_ops;

/* Registers for the core's invalidations (req.h); once, at start. */
void fuse_fe_register(void);
/* Frees the spare request wrappers, at exit. */
void fuse_fe_fini(void);

#endif
