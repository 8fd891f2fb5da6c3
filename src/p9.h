/* p9.h: the Plan 9 view of the sockets, /net/tcp, /net/udp and /net/unix
 * after ip(3). */
#ifndef NETFS_P9_H
#define NETFS_P9_H

#include "tree.h"

extern const struct dirdef p9tcp_dir, p9udp_dir, p9unix_dir;

#endif
