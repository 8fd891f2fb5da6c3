/* p9hdr.c: encoding and decoding the headers of Plan 9 UDP conversations
 * (see p9hdr.h). Addresses in the text form are addr.c's grammar; this
 * file only lays out the bytes and finds the line. */
#include "p9hdr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"

/* sa as 16 bytes of IPv6 address and a port in network order; unknown is
 * the v4-mapped any address (as Plan 9 gives it), port 0. */
static int to_v6(const struct sockaddr *sa, socklen_t len,
		 unsigned char a[16], uint16_t *port)
{
	memset(a, 0, 16);
	a[10] = a[11] = 0xff;
	*port = 0;
	if (!sa || len < sizeof(sa_family_t))
		return 0;
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const void *)sa;

		memcpy(a + 12, &sin->sin_addr, 4);
		*port = sin->sin_port;
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		memcpy(a, &sin6->sin6_addr, 16);
		*port = sin6->sin6_port;
		return 0;
	}
	return errf(EAFNOSUPPORT, "headers: address family %d is not IP",
		    sa->sa_family);
}

int p9hdr_encode(const struct sockaddr *from, socklen_t fromlen,
		 const struct sockaddr *to, socklen_t tolen,
		 unsigned char h[P9_UDPHDR])
{
	uint16_t rport, lport;
	int r = to_v6(from, fromlen, h, &rport);

	if (r == 0)
		r = to_v6(to, tolen, h + 16, &lport);
	if (r < 0)
		return r;
	memcpy(h + 32, h + 16, 16);
	memcpy(h + 48, &rport, 2);
	memcpy(h + 50, &lport, 2);
	return 0;
}

int p9hdr_decode(const void *p, size_t n, int family,
		 struct sockaddr_storage *ss, socklen_t *len)
{
	const unsigned char *h = p;
	struct sockaddr_in6 *sin6;
	struct in6_addr a;
	uint16_t port;

	memset(ss, 0, sizeof(*ss));
	*len = 0;
	if (n < P9_UDPHDR)
		return errf(EINVAL, "headers: a write starts with the %d-byte "
			    "header (raddr laddr ifcaddr rport lport) and "
			    "this one has %zu bytes", P9_UDPHDR, n);
	memcpy(&a, h, 16);
	memcpy(&port, h + 48, 2);
	if (IN6_IS_ADDR_UNSPECIFIED(&a) ||
	    (IN6_IS_ADDR_V4MAPPED(&a) && !memcmp(h + 12, "\0\0\0\0", 4)))
		return errf(EINVAL, "headers: the header's raddr is the "
			    "unspecified address");
	if (port == 0)
		return errf(EINVAL, "headers: the header's rport is 0");
	if (IN6_IS_ADDR_V4MAPPED(&a) && family != AF_INET6) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, h + 12, 4);
		sin->sin_port = port;
		*len = sizeof(*sin);
		return 0;
	}
	if (family == AF_INET)
		return errf(EAFNOSUPPORT, "headers: an IPv6 raddr for an IPv4 "
			    "conversation");
	sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = a;
	sin6->sin6_port = port;
	*len = sizeof(*sin6);
	return 0;
}

/* addr!port, Plan 9 style. */
static int put_addr(const struct sockaddr *sa, socklen_t len,
		    struct strbuf *sb)
{
	unsigned char a[16];
	char host[INET6_ADDRSTRLEN];
	uint16_t port;
	int r = to_v6(sa, len, a, &port);

	if (r < 0)
		return r;
	if (!sa || len == 0)
		return sb_puts(sb, "::!0");
	if (IN6_IS_ADDR_V4MAPPED((struct in6_addr *)a))
		inet_ntop(AF_INET, a + 12, host, sizeof(host));
	else
		inet_ntop(AF_INET6, a, host, sizeof(host));
	return sb_printf(sb, "%s!%u", host, ntohs(port));
}

int p9hdr_format_text(const struct sockaddr *from, socklen_t fromlen,
		      const struct sockaddr *to, socklen_t tolen,
		      struct strbuf *sb)
{
	int r = put_addr(from, fromlen, sb);

	if (r == 0)
		r = sb_puts(sb, " ");
	if (r == 0)
		r = put_addr(to, tolen, sb);
	return r ? r : sb_puts(sb, "\n");
}

int p9hdr_parse_text(const char *p, size_t n, int family, struct addrspec *a,
		     size_t *hdrlen)
{
	size_t look = n < P9_TEXTHDR_MAX ? n : P9_TEXTHDR_MAX, ln, an;
	const char *nl = memchr(p, '\n', look), *sp;
	char q[QUOTE_MAX];
	int r;

	memset(a, 0, sizeof(*a));
	*hdrlen = 0;
	if (!nl)
		return errf(EINVAL, "headers text: a write is 'addr!port\\n' "
			    "then the datagram, and '%s' has no newline in its "
			    "first %d bytes", err_quote(p, look, q),
			    P9_TEXTHDR_MAX);
	*hdrlen = (size_t)(nl - p) + 1;
	ln = (size_t)(nl - p);
	if (ln && p[ln - 1] == '\r')
		ln--;
	if (memchr(p, '\0', ln))
		return errf(EINVAL, "headers text: NUL byte in the header "
			    "line '%s'", err_quote(p, ln, q));
	sp = memchr(p, ' ', ln);
	an = sp ? (size_t)(sp - p) : ln;
	if (an == 0)
		return errf(EINVAL, "headers text: the header line '%s' has "
			    "no address", err_quote(p, ln, q));
	if (sp && memchr(sp + 1, ' ', ln - an - 1))
		return errf(EINVAL, "headers text: the header line '%s' is "
			    "'raddr!rport [laddr!lport]'", err_quote(p, ln, q));
	r = addr_parse_text(p, an, family, a);
	if (r < 0)
		return r;
	if (a->family == AF_UNIX)
		return errf(EINVAL, "headers text: '%s' is not an IP address",
			    err_quote(p, an, q));
	if (family == AF_INET6 && a->family == AF_INET) {
		char mapped[sizeof(a->host)];

		snprintf(mapped, sizeof(mapped), "::ffff:%.64s", a->host);
		memcpy(a->host, mapped, sizeof(a->host));
		a->family = AF_INET6;
	}
	return 0;
}
