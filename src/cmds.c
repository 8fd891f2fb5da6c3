/* cmds.c: the control file grammar (see cmds.h). */
#include "cmds.h"

const struct cmdtab root_cmdtab[] = {
	{ CMD_MKSOCKET, "socket", 0, 3, "socket [FAMILY [TYPE [PROTO]]]" },
	{ CMD_MKCONNECT, "connect", 1, -1,
	  "connect ADDRESS [timeout=SECONDS] [source=ADDRESS]" },
	{ CMD_MKLISTEN, "listen", 1, -1, "listen ADDRESS [BACKLOG]" },
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
	{ 0, NULL, 0, 0, NULL }
};
