/* sysnet.h: system/, every socket of the host from sock_diag. */
#ifndef NETFS_SYSNET_H
#define NETFS_SYSNET_H

#include "tree.h"

extern const struct dirdef system_dir;

#endif
