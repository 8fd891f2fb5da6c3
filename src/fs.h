/* fs.h: the FUSE low-level operations table. */
#ifndef NETFS_FS_H
#define NETFS_FS_H

#include "netfs.h"

extern const struct fuse_lowlevel_ops fs_ops;

#endif
