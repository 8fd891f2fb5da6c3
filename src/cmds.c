/* cmds.c: the control file grammar (see cmds.h). */
#include "cmds.h"

const struct cmdtab root_cmdtab[] = {
	{ CMD_MKSOCKET, "socket", 0, 3, "socket [FAMILY [TYPE [PROTO]]]" },
	{ CMD_MKCONNECT, "connect", 1, -1,
	  "connect ADDRESS [timeout=SECONDS] [source=ADDRESS]" },
	{ CMD_MKLISTEN, "listen", 1, -1, "listen ADDRESS [BACKLOG]" },
	{ CMD_MKSOCKETPAIR, "socketpair", 0, 3,
	  "socketpair [FAMILY [TYPE [PROTO]]]" },
	{ 0, NULL, 0, 0, NULL }
};

const struct cmdtab sock_cmdtab[] = {
	{ CMD_SOCKET, "socket", 2, 3, "socket FAMILY TYPE [PROTO]" },
	{ CMD_BIND, "bind", 1, -1, "bind ADDRESS" },
	{ CMD_CONNECT, "connect", 1, -1, "connect ADDRESS [source=ADDRESS]" },
	{ CMD_LISTEN, "listen", 0, 1, "listen [BACKLOG]" },
	{ CMD_SHUTDOWN, "shutdown", 1, 1, "shutdown rd|wr|rdwr" },
	{ CMD_CLOSE, "close", 0, 0, "close" },
	{ CMD_EPHEMERAL, "ephemeral", 0, 0, "ephemeral" },
	{ CMD_IDLE, "idle", 1, 1, "idle none|SECONDS" },
	{ CMD_SETSOCKOPT, "setsockopt", 3, 3, "setsockopt LEVEL OPTNAME VALUE" },
	{ CMD_GETSOCKOPT, "getsockopt", 2, 3,
	  "getsockopt LEVEL OPTNAME [BUFLEN]" },
	{ 0, NULL, 0, 0, NULL }
};

/* ip(3): addresses as Plan 9 writes them, addr!port; a bare port (or
 * *!port) is any address. */
const struct cmdtab p9_cmdtab[] = {
	{ CMD_P9CONNECT, "connect", 1, 2, "connect addr!port [local]" },
	{ CMD_P9ANNOUNCE, "announce", 1, 1, "announce [addr!]port" },
	{ CMD_P9BIND, "bind", 1, 1, "bind [addr!]port" },
	{ CMD_P9HANGUP, "hangup", 0, 0, "hangup" },
	{ CMD_P9KEEPALIVE, "keepalive", 0, 1, "keepalive [ms]" },
	{ CMD_P9TTL, "ttl", 1, 1, "ttl n" },
	{ CMD_P9TOS, "tos", 1, 1, "tos n" },
	{ CMD_P9HEADERS, "headers", 0, 1, "headers [text|off]" },
	{ 0, NULL, 0, 0, NULL }
};

void cmds_list(FILE *f, const char *mnt)
{
	static const struct {
		const char *file;
		const struct cmdtab *t;
	} tables[] = {
		{ "ctl", root_cmdtab },
		{ "NAME/ctl", sock_cmdtab },
		{ "tcp/N/ctl", p9_cmdtab },
	};
	const struct cmdtab *c;
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		for (c = tables[i].t; c->name; c++)
			fprintf(f, "command %s/%s\t%s\n", mnt, tables[i].file,
				c->usage);
}
