/* cmds.h: the commands of the control files, one list per file. Each row
 * is one command:
 *
 *	X(ID, VERB, MINARGS, MAXARGS, USAGE, HANDLER)
 *
 * ID names it (CMD_ID); VERB, MINARGS, MAXARGS (fields after the verb, -1
 * no limit) and USAGE are its grammar (struct cmdtab, parse.h); HANDLER
 * is the function of ctl.c that runs it. cmds.c makes the grammar tables
 * from these lists (the core library: --list, the man page test, the unit
 * tests and fuzzers read them without ctl.c) and ctl.c its handler table
 * from the same lists, so a row whose handler does not exist, or a
 * handler without a row, does not compile. Adding a command is one row
 * here and one function in ctl.c. A list's order is the order of --list
 * and of the verbs an error message suggests. */
#ifndef NETFS_CMDS_H
#define NETFS_CMDS_H

#include <stdio.h>

#include "parse.h"

/* /net/ctl: each command makes a socket and replies its name. */
#define ROOT_CMDS(X) \
	X(MKSOCKET, "socket", 0, 3, "socket [FAMILY [TYPE [PROTO]]]", \
	  cmd_mksocket) \
	X(MKCONNECT, "connect", 1, -1, \
	  "connect ADDRESS [timeout=SECONDS] [source=ADDRESS]", cmd_mkconnect) \
	X(MKLISTEN, "listen", 1, -1, "listen ADDRESS [BACKLOG]", cmd_mklisten) \
	X(MKSOCKETPAIR, "socketpair", 0, 3, \
	  "socketpair [FAMILY [TYPE [PROTO]]]", cmd_mksocketpair)

/* NAME/ctl: drives its socket. */
#define SOCK_CMDS(X) \
	X(SOCKET, "socket", 2, 3, "socket FAMILY TYPE [PROTO]", cmd_socket) \
	X(BIND, "bind", 1, -1, "bind ADDRESS", cmd_bind) \
	X(CONNECT, "connect", 1, -1, "connect ADDRESS [source=ADDRESS]", \
	  cmd_connect) \
	X(LISTEN, "listen", 0, 1, "listen [BACKLOG]", cmd_listen) \
	X(SHUTDOWN, "shutdown", 1, 1, "shutdown rd|wr|rdwr", cmd_shutdown) \
	X(CLOSE, "close", 0, 0, "close", cmd_close) \
	X(EPHEMERAL, "ephemeral", 0, 0, "ephemeral", cmd_ephemeral) \
	X(IDLE, "idle", 1, 1, "idle none|SECONDS", cmd_idle) \
	X(SETSOCKOPT, "setsockopt", 3, 3, "setsockopt LEVEL OPTNAME VALUE", \
	  cmd_setsockopt) \
	X(GETSOCKOPT, "getsockopt", 2, 3, \
	  "getsockopt LEVEL OPTNAME [BUFLEN]", cmd_getsockopt)

/* Plan 9's ctl (ip(3)), in tcp/N, udp/N, unix/N: addresses as Plan 9
 * writes them, addr!port; a bare port (or *!port) is any address. */
#define P9_CMDS(X) \
	X(P9CONNECT, "connect", 1, 2, "connect addr!port [local]", \
	  cmd_p9connect) \
	X(P9ANNOUNCE, "announce", 1, 1, "announce [addr!]port", \
	  cmd_p9announce) \
	X(P9BIND, "bind", 1, 1, "bind [addr!]port", cmd_p9bind) \
	X(P9HANGUP, "hangup", 0, 0, "hangup", cmd_p9hangup) \
	X(P9KEEPALIVE, "keepalive", 0, 1, "keepalive [ms]", cmd_p9keepalive) \
	X(P9TTL, "ttl", 1, 1, "ttl n", cmd_p9ttl) \
	X(P9TOS, "tos", 1, 1, "tos n", cmd_p9tos) \
	X(P9HEADERS, "headers", 0, 1, "headers [text|off]", cmd_p9headers)

/* Every command of every list: the index of its cmdtab entry. */
#define CMD_ENUM(id, verb, min, max, usage, fn) CMD_##id,
enum cmd {
	ROOT_CMDS(CMD_ENUM)
	SOCK_CMDS(CMD_ENUM)
	P9_CMDS(CMD_ENUM)
	CMD_MAX
};
#undef CMD_ENUM

extern const struct cmdtab root_cmdtab[];
extern const struct cmdtab sock_cmdtab[];
extern const struct cmdtab p9_cmdtab[];

/* Prints "command FILE USAGE" for every command of every table, FILE
 * under mnt: netfs --list. */
void cmds_list(FILE *f, const char *mnt);

#endif
