/* tcpinfo.h: struct tcp_info as "key value" lines, for system/tcp/N and
 * the TCP_INFO option. */
#ifndef NETFS_TCPINFO_H
#define NETFS_TCPINFO_H

#include <stddef.h>

#include "strbuf.h"

struct tcp_info;

/* Formats the fields that lie within len bytes (the kernel may know fewer
 * or more than these headers). 0 or -ENOMEM. */
int tcpinfo_format(const struct tcp_info *ti, size_t len, struct strbuf *sb);

#endif
