/* addr.h: socket addresses as users write and read them (netfs(7),
 * Addresses).
 *
 * Parsing is two steps. addr_parse() turns fields of a control message into
 * an addrspec without any lookup; addr_numeric() turns a spec whose host and
 * service are numeric into a sockaddr at once, and says when a name needs
 * the resolver instead (which must never run on the event loop). */
#ifndef NETFS_ADDR_H
#define NETFS_ADDR_H

#include <netdb.h>
#include <net/if.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "parse.h"
#include "strbuf.h"

#define UNIX_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path))

struct addrspec {
	int family;		/* AF_INET/AF_INET6 for literals, AF_UNIX, or
				 * AF_UNSPEC for a name or "*" */
	int netfamily;		/* family demanded by NET! (tcp4...), or 0 */
	int socktype;		/* from NET!: SOCK_STREAM, SOCK_DGRAM or 0 */
	int proto;		/* from NET!: IPPROTO_TCP, IPPROTO_UDP or 0 */
	bool any;		/* "*" or empty host: INADDR_ANY / in6addr_any */
	bool broadcast;		/* "<broadcast>": INADDR_BROADCAST */
	char host[256];		/* name or literal, without brackets or %scope */
	char scope[IF_NAMESIZE];/* the text after '%', if any */
	char serv[32];		/* port number or services(5) name */
	bool has_v6extra;	/* FLOWINFO SCOPEID were given */
	unsigned flowinfo, scope_id;
	/* AF_UNIX: the sun_path bytes; an abstract name starts with a NUL. */
	char path[UNIX_PATH_MAX];
	size_t pathlen;
};

/* Parses an address from fields f[0..nf). family is the socket's family
 * (AF_UNSPEC if it has none yet): it decides between a unix path and an
 * inet address when the text alone cannot. *used is set to the number of
 * fields consumed, so trailing arguments (a backlog, key=value options)
 * stay for the caller. 0 or -EINVAL/-ENAMETOOLONG with a detail. */
int addr_parse(const struct field *f, int nf, int family, struct addrspec *a,
	       int *used);

/* The same for a whole text, which must be consumed entirely. */
int addr_parse_text(const char *p, size_t n, int family, struct addrspec *a);

/* A network name of the dial strings (tcp, udp6, inet, net, ...): what it
 * narrows the lookup to (0 for any). 0, or -ENOENT (no detail). */
int addr_net(struct field name, int *family, int *socktype, int *proto);

/* Builds the sockaddr for a spec without any lookup. family is the
 * socket's family or AF_UNSPEC. Returns 0, 1 when the host or service is a
 * name (use the resolver), or a negative errno (EAFNOSUPPORT when the
 * literal does not match the family). */
int addr_numeric(const struct addrspec *a, int family,
		 struct sockaddr_storage *ss, socklen_t *len);

/* Appends the read form: "HOST PORT" (inet), "HOST PORT FLOWINFO SCOPEID"
 * (inet6), the path or "@name" (unix; nothing for an unnamed socket),
 * "PID GROUPS" (netlink). */
int addr_format(const struct sockaddr *sa, socklen_t len, struct strbuf *sb);

#endif
