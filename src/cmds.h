/* cmds.h: the grammar of the control files, one table per directory. The
 * handlers live in ctl.c; --help, the man page test and the unit tests
 * read these tables. */
#ifndef NETFS_CMDS_H
#define NETFS_CMDS_H

#include "parse.h"

enum cmd {
	/* /net/ctl */
	CMD_MKSOCKET,
	CMD_MKCONNECT,
	CMD_MKLISTEN,
	/* NAME/ctl */
	CMD_SOCKET,
	CMD_BIND,
	CMD_CONNECT,
	CMD_LISTEN,
	CMD_SHUTDOWN,
	CMD_CLOSE,
	CMD_EPHEMERAL,
	CMD_MAX
};

extern const struct cmdtab root_cmdtab[];
extern const struct cmdtab sock_cmdtab[];

#endif
