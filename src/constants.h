/* constants.h: the socket API's constants by name (AF_*, SOCK_*, SO_*,
 * SOL_*, MSG_*, IPPROTO_*, IP_*, IPV6_*, TCP_*, EAI_*, AI_*, NI_*, ...),
 * with the values of the system's C headers. */
#ifndef NETFS_CONSTANTS_H
#define NETFS_CONSTANTS_H

#include "parse.h"
#include "strbuf.h"

struct constant {
	const char *name;
	long long value;
};

extern const struct constant constants[];	/* ends with a NULL name */

/* 0 and *val, or -ENOENT (no detail) for a name not in the table. */
int constant_lookup(struct field f, long long *val);
/* "NAME VALUE" lines, every constant. */
int constants_format(struct strbuf *sb);

#endif
