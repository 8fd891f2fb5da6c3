/* fuseio.h: makes libfuse 3.14 open stream files with FOPEN_STREAM. */
#ifndef NETFS_FUSEIO_H
#define NETFS_FUSEIO_H

#include "netfs.h"

int fuseio_install(struct fuse_session *se);

#endif
