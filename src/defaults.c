/* defaults.c: the root's module-level files of the reference's socket
 * module: constants (the C headers' values), has_ipv6 (can this host make
 * an AF_INET6 socket now) and defaulttimeout (getdefaulttimeout and
 * setdefaulttimeout: the timeout sockets made afterwards start with). */
#include "defaults.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "constants.h"
#include "netfs.h"
#include "parse.h"
#include "tree.h"

int text_constants(const struct node *n, struct strbuf *sb)
{
	(void)n;
	return constants_format(sb);
}

int text_has_ipv6(const struct node *n, struct strbuf *sb)
{
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	(void)n;
	if (fd >= 0)
		close(fd);
	return sb_puts(sb, fd >= 0 ? "1\n" : "0\n");
}

int text_defaulttimeout(const struct node *n, struct strbuf *sb)
{
	char t[32];

	(void)n;
	format_timeout(t, sizeof(t), nfs.default_timeout);
	return sb_printf(sb, "%s\n", t);
}

int store_defaulttimeout(const struct node *n, struct field v)
{
	(void)n;
	return parse_timeout(v, &nfs.default_timeout);
}
