/* addr.c: parsing and formatting of socket addresses (see addr.h). */
#include "addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

/* The Plan 9 network names accepted before '!' (ndb(6), dial(2)). */
static const struct {
	const char *name;
	int family, socktype, proto;
} nets[] = {
	{ "tcp", 0, SOCK_STREAM, IPPROTO_TCP },
	{ "tcp4", AF_INET, SOCK_STREAM, IPPROTO_TCP },
	{ "tcp6", AF_INET6, SOCK_STREAM, IPPROTO_TCP },
	{ "udp", 0, SOCK_DGRAM, IPPROTO_UDP },
	{ "udp4", AF_INET, SOCK_DGRAM, IPPROTO_UDP },
	{ "udp6", AF_INET6, SOCK_DGRAM, IPPROTO_UDP },
	{ "net", 0, 0, 0 },
	{ "inet", AF_INET, 0, 0 },
	{ "inet6", AF_INET6, 0, 0 },
	{ "ip", AF_INET, 0, 0 },
	{ "ip6", AF_INET6, 0, 0 },
};

int addr_net(struct field name, int *family, int *socktype, int *proto)
{
	size_t i;

	for (i = 0; i < sizeof(nets) / sizeof(nets[0]); i++) {
		if (field_eq(name, nets[i].name)) {
			*family = nets[i].family;
			*socktype = nets[i].socktype;
			*proto = nets[i].proto;
			return 0;
		}
	}
	return -ENOENT;
}

static int bad(struct field f, const char *why)
{
	char q[QUOTE_MAX];

	return errf(EINVAL, "bad address '%s': %s", err_quote(f.p, f.n, q),
		    why);
}

static int count(const char *p, size_t n, char c)
{
	int k = 0;

	while (n--)
		k += *p++ == c;
	return k;
}

/* A host name: letters, digits, '-', '_' and dots, at most 253 bytes
 * (RFC 1035 as resolvers accept it). Literals are checked by inet_pton. */
static bool valid_name(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.')
			return false;
	}
	return true;
}

/* A service: a port number, or a services(5) name (a letter, then letters,
 * digits and "-_+./"). */
static int set_serv(struct addrspec *a, struct field whole, struct field s)
{
	uint64_t port;
	size_t i;

	if (s.n == 0)
		return bad(whole, "missing port");
	if (isdigit((unsigned char)s.p[0])) {
		int r = parse_uint(s, 65535, &port, "port");

		if (r < 0)
			return r;
		snprintf(a->serv, sizeof(a->serv), "%u", (unsigned)port);
		return 0;
	}
	if (s.n >= sizeof(a->serv) || !isalpha((unsigned char)s.p[0]))
		return bad(whole, "port is neither a number nor a service name");
	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (!isalnum(c) && !strchr("-_+./", c))
			return bad(whole, "port is neither a number nor a "
				   "service name");
	}
	memcpy(a->serv, s.p, s.n);
	a->serv[s.n] = '\0';
	return 0;
}

static int set_host(struct addrspec *a, struct field whole, struct field h)
{
	const char *pct;
	unsigned char tmp[sizeof(struct in6_addr)];

	if (h.n == 0 || (h.n == 1 && h.p[0] == '*')) {
		a->any = true;
		return 0;
	}
	if (h.n == 11 && memcmp(h.p, "<broadcast>", 11) == 0) {
		a->broadcast = true;
		a->family = AF_INET;
		return 0;
	}
	if (h.n >= 2 && h.p[0] == '[' && h.p[h.n - 1] == ']') {
		h.p++;
		h.n -= 2;
		if (!memchr(h.p, ':', h.n))
			return bad(whole, "brackets hold only IPv6 addresses");
	}
	if (h.n >= sizeof(a->host))
		return errf(ENAMETOOLONG, "host name longer than %zu bytes",
			    sizeof(a->host) - 1);
	pct = memchr(h.p, '%', h.n);
	if (pct) {
		size_t sl = h.n - (size_t)(pct - h.p) - 1;

		if (sl == 0 || sl >= sizeof(a->scope))
			return bad(whole, "bad IPv6 scope after '%'");
		memcpy(a->scope, pct + 1, sl);
		a->scope[sl] = '\0';
		h.n = (size_t)(pct - h.p);
	}
	memcpy(a->host, h.p, h.n);
	a->host[h.n] = '\0';
	if (inet_pton(AF_INET6, a->host, tmp) == 1) {
		a->family = AF_INET6;
	} else if (pct) {
		return bad(whole, "a scope follows only an IPv6 address");
	} else if (inet_pton(AF_INET, a->host, tmp) == 1) {
		a->family = AF_INET;
	} else if (memchr(h.p, ':', h.n)) {
		return bad(whole, "not an IPv6 address");
	} else if (!valid_name(h.p, h.n)) {
		return bad(whole, h.n > 253 ? "host name too long"
					    : "bad character in host name");
	}
	return 0;
}

static int parse_unix(struct field path, struct field whole,
		      struct addrspec *a)
{
	a->family = AF_UNIX;
	if (path.n == 0)
		return bad(whole, "empty unix path");
	if (memchr(path.p, '\0', path.n))
		return bad(whole, "NUL byte in unix path");
	if (path.p[0] == '@') {
		/* Abstract: a leading NUL, then the name's bytes; no
		 * terminator, the length says where it ends. */
		if (path.n > UNIX_PATH_MAX)
			return errf(ENAMETOOLONG, "abstract name longer than "
				    "%zu bytes", UNIX_PATH_MAX - 1);
		a->path[0] = '\0';
		memcpy(a->path + 1, path.p + 1, path.n - 1);
		a->pathlen = path.n;
		return 0;
	}
	if (path.p[0] != '/')
		return bad(whole, "unix paths must be absolute (or @abstract)");
	if (path.n >= UNIX_PATH_MAX)
		return errf(ENAMETOOLONG, "unix path longer than %zu bytes",
			    UNIX_PATH_MAX - 1);
	memcpy(a->path, path.p, path.n);
	a->path[path.n] = '\0';
	a->pathlen = path.n;
	return 0;
}

/* Optional "FLOWINFO SCOPEID" after an IPv6 port: taken only when both
 * are there and numeric, so a lone trailing number stays for the caller
 * (a backlog). */
static int v6extra(const struct field *f, int nf, int *used,
		   struct addrspec *a, int family)
{
	uint64_t flow, scope;

	if (nf - *used < 2)
		return 0;
	if (a->family == AF_INET || (a->family == AF_UNSPEC &&
				     family != AF_INET6))
		return 0;
	err_clear();
	if (parse_uint(f[*used], 0xfffff, &flow, "flowinfo") < 0 ||
	    parse_uint(f[*used + 1], UINT32_MAX, &scope, "scope id") < 0) {
		err_clear();
		return 0;
	}
	a->has_v6extra = true;
	a->flowinfo = (unsigned)flow;
	a->scope_id = (unsigned)scope;
	*used += 2;
	return 0;
}

static int parse_dial(struct field f0, struct addrspec *a)
{
	const char *b1 = memchr(f0.p, '!', f0.n), *b2;
	struct field host, serv, net;
	int r;

	b2 = memchr(b1 + 1, '!', f0.n - (size_t)(b1 + 1 - f0.p));
	if (!b2) {
		host = (struct field){ f0.p, (size_t)(b1 - f0.p) };
		serv = (struct field){ b1 + 1, f0.n - host.n - 1 };
	} else {
		net = (struct field){ f0.p, (size_t)(b1 - f0.p) };
		host = (struct field){ b1 + 1, (size_t)(b2 - b1 - 1) };
		serv = (struct field){ b2 + 1,
				       f0.n - (size_t)(b2 + 1 - f0.p) };
		if (memchr(serv.p, '!', serv.n))
			return bad(f0, "more than three parts");
		if (addr_net(net, &a->netfamily, &a->socktype, &a->proto) < 0)
			return bad(f0, "unknown network before '!' (tcp, udp, "
				   "tcp4, tcp6, udp4, udp6, net, unix)");
	}
	r = set_host(a, f0, host);
	if (r < 0)
		return r;
	if (a->netfamily && a->family && a->family != a->netfamily)
		return bad(f0, "address does not belong to the network");
	return set_serv(a, f0, serv);
}

int addr_parse(const struct field *f, int nf, int family, struct addrspec *a,
	       int *used)
{
	struct field f0, whole;
	const char *colon;
	int r;

	memset(a, 0, sizeof(*a));
	*used = 0;
	if (nf <= 0)
		return errf(EINVAL, "missing address");
	f0 = f[0];
	whole.p = f0.p;
	whole.n = (size_t)(f[nf - 1].p + f[nf - 1].n - f0.p);

	/* Unix: the rest of the line is the path, spaces and all. */
	if (f0.n > 5 && memcmp(f0.p, "unix!", 5) == 0) {
		*used = nf;
		whole.p += 5;
		whole.n -= 5;
		return parse_unix(whole, whole, a);
	}
	if (family == AF_UNIX || f0.p[0] == '/' || f0.p[0] == '@') {
		*used = nf;
		return parse_unix(whole, whole, a);
	}
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return errf(EAFNOSUPPORT, "addresses of family %d are not "
			    "written as text", family);

	*used = 1;
	if (memchr(f0.p, '!', f0.n)) {
		r = parse_dial(f0, a);
	} else if (f0.p[0] == '[' && (colon = memchr(f0.p, ']', f0.n)) &&
		   (size_t)(colon - f0.p) + 1 < f0.n) {
		/* [V6ADDR]:PORT */
		size_t hl = (size_t)(colon - f0.p) + 1;

		if (f0.p[hl] != ':')
			return bad(f0, "expected ':' after ']'");
		r = set_host(a, f0, (struct field){ f0.p, hl });
		if (r == 0)
			r = set_serv(a, f0, (struct field){ f0.p + hl + 1,
							    f0.n - hl - 1 });
	} else if (count(f0.p, f0.n, ':') == 1) {
		/* HOST:PORT */
		colon = memchr(f0.p, ':', f0.n);
		r = set_host(a, f0, (struct field){ f0.p,
						    (size_t)(colon - f0.p) });
		if (r == 0)
			r = set_serv(a, f0,
				     (struct field){ colon + 1,
						     f0.n - (size_t)(colon - f0.p) - 1 });
	} else {
		/* HOST PORT */
		if (nf < 2)
			return bad(whole, "missing port");
		r = set_host(a, whole, f0);
		if (r == 0)
			r = set_serv(a, whole, f[1]);
		*used = 2;
	}
	if (r < 0)
		return r;
	if (a->family != AF_INET && !a->broadcast)
		v6extra(f, nf, used, a, a->netfamily ? a->netfamily : family);
	return 0;
}

int addr_parse_text(const char *p, size_t n, int family, struct addrspec *a)
{
	struct cmdline cl;
	int used, r;

	r = parse_fields((struct field){ p, n }, &cl);
	if (r < 0)
		return r;
	r = addr_parse(cl.f, cl.n, family, a, &used);
	if (r < 0)
		return r;
	if (used != cl.n)
		return bad((struct field){ p, n }, "unexpected text after the "
			   "address");
	return 0;
}

static int scope_index(const char *scope, unsigned *idx)
{
	char *end;
	unsigned long v;

	if (!scope[0])
		return 0;
	v = strtoul(scope, &end, 10);
	if (*end == '\0' && end != scope && v <= UINT32_MAX) {
		*idx = (unsigned)v;
		return 0;
	}
	*idx = if_nametoindex(scope);
	if (*idx == 0)
		return errf(ENODEV, "no interface '%s' for the IPv6 scope",
			    scope);
	return 0;
}

int addr_numeric(const struct addrspec *a, int family,
		 struct sockaddr_storage *ss, socklen_t *len)
{
	int want = a->family;
	uint64_t port;
	int r;

	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_UNIX) {
		struct sockaddr_un *sun = (struct sockaddr_un *)ss;

		if (family != AF_UNSPEC && family != AF_UNIX)
			return errf(EAFNOSUPPORT, "a unix path for a socket "
				    "of another family");
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, a->path, a->pathlen);
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				   a->pathlen + (a->path[0] != '\0'));
		return 0;
	}
	if (a->netfamily && family && a->netfamily != family)
		return errf(EAFNOSUPPORT, "the network does not match the "
			    "socket's family");
	if (want == AF_UNSPEC && (a->any || a->broadcast))
		want = family ? family : a->netfamily ? a->netfamily : AF_INET;
	if (want == AF_UNSPEC)
		return 1;
	if (family != AF_UNSPEC && want != family)
		return errf(EAFNOSUPPORT, "an %s address for an %s socket",
			    want == AF_INET ? "IPv4" : "IPv6",
			    family == AF_INET ? "inet" : family == AF_INET6 ?
			    "inet6" : "other");
	if (!isdigit((unsigned char)a->serv[0]))
		return 1;
	err_clear();
	r = parse_uint((struct field){ a->serv, strlen(a->serv) }, 65535,
		       &port, "port");
	if (r < 0)
		return r;
	if (want == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		if (a->broadcast && family == AF_INET6)
			return errf(EAFNOSUPPORT, "<broadcast> is IPv4 only");
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		if (a->any)
			sin->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (a->broadcast)
			sin->sin_addr.s_addr = htonl(INADDR_BROADCAST);
		else
			inet_pton(AF_INET, a->host, &sin->sin_addr);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		unsigned idx = a->scope_id;

		if (a->broadcast)
			return errf(EAFNOSUPPORT, "<broadcast> is IPv4 only");
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		if (a->any)
			sin6->sin6_addr = in6addr_any;
		else
			inet_pton(AF_INET6, a->host, &sin6->sin6_addr);
		r = scope_index(a->scope, &idx);
		if (r < 0)
			return r;
		sin6->sin6_flowinfo = htonl(a->flowinfo);
		sin6->sin6_scope_id = idx;
		*len = sizeof(*sin6);
	}
	return 0;
}

int addr_format(const struct sockaddr *sa, socklen_t len, struct strbuf *sb)
{
	char host[INET6_ADDRSTRLEN];

	if (len < (socklen_t)sizeof(sa_family_t))
		return 0;
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *sin = (const void *)sa;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		return sb_printf(sb, "%s %u", host, ntohs(sin->sin_port));
	}
	case AF_INET6: {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		return sb_printf(sb, "%s %u %u %u", host,
				 ntohs(sin6->sin6_port),
				 ntohl(sin6->sin6_flowinfo),
				 sin6->sin6_scope_id);
	}
	case AF_UNIX: {
		const struct sockaddr_un *sun = (const void *)sa;
		size_t n = (size_t)len - offsetof(struct sockaddr_un, sun_path);

		if ((size_t)len <= offsetof(struct sockaddr_un, sun_path))
			return 0;	/* unnamed */
		if (sun->sun_path[0] == '\0') {
			int r = sb_append(sb, "@", 1);

			return r ? r : sb_append(sb, sun->sun_path + 1, n - 1);
		}
		return sb_append(sb, sun->sun_path,
				 strnlen(sun->sun_path, n));
	}
	case AF_NETLINK: {
		const struct sockaddr_nl *nl = (const void *)sa;

		return sb_printf(sb, "%u %u", nl->nl_pid, nl->nl_groups);
	}
	default:
		return sb_printf(sb, "family %d", sa->sa_family);
	}
}
