/* cmds.h: the grammar of the control files, one table per directory. The
 * handlers live in ctl.c; --help, the man page test and the unit tests
 * read these tables. */
#ifndef NETFS_CMDS_H
#define NETFS_CMDS_H

#include <stdio.h>

#include "parse.h"

enum cmd {
	/* /net/ctl */
	CMD_MKSOCKET,
	CMD_MKCONNECT,
	CMD_MKLISTEN,
	CMD_MKSOCKETPAIR,
	/* NAME/ctl */
	CMD_SOCKET,
	CMD_BIND,
	CMD_CONNECT,
	CMD_LISTEN,
	CMD_SHUTDOWN,
	CMD_CLOSE,
	CMD_EPHEMERAL,
	CMD_IDLE,
	/* Plan 9's ctl (ip(3)), in tcp/N, udp/N, unix/N */
	CMD_P9CONNECT,
	CMD_P9ANNOUNCE,
	CMD_P9BIND,
	CMD_P9HANGUP,
	CMD_P9KEEPALIVE,
	CMD_P9TTL,
	CMD_P9TOS,
	CMD_P9HEADERS,
	/* NAME/ctl: the numeric option escape hatch */
	CMD_SETSOCKOPT,
	CMD_GETSOCKOPT,
	CMD_MAX
};

extern const struct cmdtab root_cmdtab[];
extern const struct cmdtab sock_cmdtab[];
extern const struct cmdtab p9_cmdtab[];

/* Prints "command FILE USAGE" for every command of every table, FILE
 * under mnt: netfs --list. */
void cmds_list(FILE *f, const char *mnt);

#endif
