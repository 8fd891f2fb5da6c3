/* query.c: the names of the name-service files (see query.h). Owns the
 * grammar of resolve/QUERY, reverse/ADDRESS, services/NAME, protocols/NAME
 * and the flag words after '?'; the lookups themselves are resolver.c's. */
#include "query.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "errors.h"

const struct query_flag ai_flags[] = {
	{ "canonname", AI_CANONNAME },
	{ "numerichost", AI_NUMERICHOST },
	{ "numericserv", AI_NUMERICSERV },
	{ "passive", AI_PASSIVE },
	{ "addrconfig", AI_ADDRCONFIG },
	{ "v4mapped", AI_V4MAPPED },
	{ "all", AI_ALL },
	{ "idn", AI_IDN },
	{ "canonidn", AI_CANONIDN },
	{ NULL, 0 }
};

const struct query_flag ni_flags[] = {
	{ "numerichost", NI_NUMERICHOST },
	{ "numericserv", NI_NUMERICSERV },
	{ "namereqd", NI_NAMEREQD },
	{ "nofqdn", NI_NOFQDN },
	{ "dgram", NI_DGRAM },
	{ "idn", NI_IDN },
	{ NULL, 0 }
};

static int bad(struct field whole, const char *why)
{
	char q[QUOTE_MAX];

	return errf(EINVAL, "bad name '%s': %s",
		    err_quote(whole.p, whole.n, q), why);
}

/* "canonname", "CANONNAME", "ai_canonname" or "AI_CANONNAME". */
static bool flag_is(struct field f, const char *name, const char *prefix)
{
	size_t pl = strlen(prefix);

	if (f.n > pl && strncasecmp(f.p, prefix, pl) == 0) {
		f.p += pl;
		f.n -= pl;
	}
	return field_caseeq(f, name);
}

/* FLAG[,FLAG...] after the '?'. */
static int parse_flags(struct field whole, struct field f,
		       const struct query_flag *table, const char *prefix,
		       int *flags)
{
	const struct query_flag *t;

	if (f.n == 0)
		return bad(whole, "no flag after '?'");
	while (f.n) {
		const char *comma = memchr(f.p, ',', f.n);
		struct field w = { f.p, comma ? (size_t)(comma - f.p) : f.n };
		char q[QUOTE_MAX];

		for (t = table; t->name; t++)
			if (flag_is(w, t->name, prefix))
				break;
		if (!t->name)
			return errf(EINVAL, "unknown flag '%s' (%s)",
				    err_quote(w.p, w.n, q),
				    table == ai_flags ?
				    "canonname, numerichost, numericserv, "
				    "passive, addrconfig, v4mapped, all, idn, "
				    "canonidn" :
				    "numerichost, numericserv, namereqd, "
				    "nofqdn, dgram, idn");
		*flags |= t->bit;
		if (!comma)
			break;
		f.p = comma + 1;
		f.n -= w.n + 1;
		if (f.n == 0)
			return bad(whole, "empty flag after ','");
	}
	return 0;
}

/* Splits off "?FLAGS": *body is the text before it. */
static int split_flags(struct field whole, const struct query_flag *table,
		       const char *prefix, struct field *body, int *flags)
{
	const char *qm = memchr(whole.p, '?', whole.n);

	*body = whole;
	if (!qm)
		return 0;
	body->n = (size_t)(qm - whole.p);
	return parse_flags(whole, (struct field){ qm + 1,
						  whole.n - body->n - 1 },
			   table, prefix, flags);
}

/* A host: a name (letters, digits, "-_." and the bytes of UTF-8 for
 * idn), or a literal: IPv4, IPv6 (':' and '%scope'), in brackets or not. */
static int set_host(struct field whole, struct field h, char *out,
		    size_t size)
{
	size_t i;

	if (h.n >= 2 && h.p[0] == '[' && h.p[h.n - 1] == ']') {
		h.p++;
		h.n -= 2;
		if (!memchr(h.p, ':', h.n))
			return bad(whole, "brackets hold only IPv6 addresses");
	}
	if (h.n == 0)
		return bad(whole, "empty host (write '*' for none)");
	if (h.n >= size)
		return errf(ENAMETOOLONG, "host name longer than %zu bytes",
			    size - 1);
	for (i = 0; i < h.n; i++) {
		unsigned char c = (unsigned char)h.p[i];

		if (!isalnum(c) && c < 0x80 && !strchr("-_.:%", c))
			return bad(whole, "bad character in host name");
	}
	memcpy(out, h.p, h.n);
	out[h.n] = '\0';
	return 0;
}

/* A word of services(5) or protocols(5): letters, digits and "-_+./". */
static bool valid_word(struct field w)
{
	size_t i;

	if (w.n == 0)
		return false;
	for (i = 0; i < w.n; i++) {
		unsigned char c = (unsigned char)w.p[i];

		if (!isalnum(c) && !strchr("-_+./", c))
			return false;
	}
	return true;
}

static bool all_digits(struct field w)
{
	size_t i;

	for (i = 0; i < w.n; i++)
		if (!isdigit((unsigned char)w.p[i]))
			return false;
	return w.n > 0;
}

/* A port number (0-65535) or a service name. */
static int set_serv(struct field whole, struct field s, char *out,
		    size_t size, bool names)
{
	uint64_t port;

	if (s.n == 0)
		return bad(whole, "empty service after '!'");
	if (all_digits(s)) {
		int r = parse_uint(s, 65535, &port, "port");

		if (r < 0)
			return r;
		snprintf(out, size, "%u", (unsigned)port);
		return 0;
	}
	if (!names)
		return bad(whole, "the port must be a number");
	if (s.n >= size || !valid_word(s))
		return bad(whole, "service is neither a port nor a name");
	memcpy(out, s.p, s.n);
	out[s.n] = '\0';
	return 0;
}

static void init(struct query *q)
{
	memset(q, 0, sizeof(*q));
	q->number = -1;
}

/* Cuts f at each '!': at most max parts, 0 on too many. */
static int split_bang(struct field f, struct field *part, int max)
{
	int k = 0;

	for (;;) {
		const char *b = memchr(f.p, '!', f.n);

		if (k == max)
			return 0;
		part[k].p = f.p;
		part[k].n = b ? (size_t)(b - f.p) : f.n;
		k++;
		if (!b)
			return k;
		f.n -= part[k - 1].n + 1;
		f.p = b + 1;
	}
}

int query_resolve(const char *p, size_t n, struct query *q)
{
	struct field whole = { p, n }, body, part[3], host, serv = { NULL, 0 };
	int k, r;

	init(q);
	if (memchr(p, '\0', n))
		return bad(whole, "NUL byte");
	r = split_flags(whole, ai_flags, "ai_", &body, &q->flags);
	if (r < 0)
		return r;
	k = split_bang(body, part, 3);
	if (k == 0)
		return bad(whole, "more than three parts");
	host = part[k == 3];
	if (k == 3 && addr_net(part[0], &q->family, &q->socktype,
			       &q->proto) < 0)
		return bad(whole, "unknown network before '!' (tcp, udp, "
			   "tcp4, tcp6, udp4, udp6, inet, inet6, net)");
	if (k >= 2)
		serv = part[k - 1];
	if (!(host.n == 1 && host.p[0] == '*')) {
		r = set_host(whole, host, q->host, sizeof(q->host));
		if (r < 0)
			return r;
	} else if (k == 1) {
		return bad(whole, "'*' needs a service");
	}
	if (k >= 2)
		return set_serv(whole, serv, q->serv, sizeof(q->serv), true);
	return 0;
}

int query_reverse(const char *p, size_t n, struct query *q)
{
	struct field whole = { p, n }, body, part[2];
	int k, r;

	init(q);
	if (memchr(p, '\0', n))
		return bad(whole, "NUL byte");
	r = split_flags(whole, ni_flags, "ni_", &body, &q->flags);
	if (r < 0)
		return r;
	k = split_bang(body, part, 2);
	if (k == 0)
		return bad(whole, "expected ADDRESS or ADDRESS!PORT");
	r = set_host(whole, part[0], q->host, sizeof(q->host));
	if (r == 0 && k == 2)
		r = set_serv(whole, part[1], q->serv, sizeof(q->serv), false);
	return r;
}

int query_service(const char *p, size_t n, struct query *q)
{
	struct field whole = { p, n }, part[2];
	int k, r;

	init(q);
	if (memchr(p, '\0', n))
		return bad(whole, "NUL byte");
	k = split_bang(whole, part, 2);
	if (k == 0)
		return bad(whole, "expected NAME, PORT, NAME!PROTO or PORT!PROTO");
	r = set_serv(whole, part[0], q->serv, sizeof(q->serv), true);
	if (r < 0)
		return r;
	if (k == 2) {
		if (part[1].n >= sizeof(q->proto_name) || !valid_word(part[1]))
			return bad(whole, "bad protocol after '!'");
		memcpy(q->proto_name, part[1].p, part[1].n);
		q->proto_name[part[1].n] = '\0';
	}
	return 0;
}

int query_protocol(const char *p, size_t n, struct query *q)
{
	struct field whole = { p, n };
	uint64_t v;
	int r;

	init(q);
	if (memchr(p, '\0', n))
		return bad(whole, "NUL byte");
	if (all_digits(whole)) {
		r = parse_uint(whole, 255, &v, "protocol number");
		if (r < 0)
			return r;
		q->number = (int)v;
		return 0;
	}
	if (n >= sizeof(q->proto_name) || !valid_word(whole))
		return bad(whole, "expected a protocol name or number");
	memcpy(q->proto_name, p, n);
	q->proto_name[n] = '\0';
	return 0;
}

/* --- /net/dns --- */

static const struct query_flag dns_types[] = {
	{ "ip", ns_t_a },
	{ "ipv6", ns_t_aaaa },
	{ "mx", ns_t_mx },
	{ "ns", ns_t_ns },
	{ "cname", ns_t_cname },
	{ "ptr", ns_t_ptr },
	{ "txt", ns_t_txt },
	{ "srv", ns_t_srv },
	{ "soa", ns_t_soa },
	{ "a", ns_t_a },
	{ "aaaa", ns_t_aaaa },
	{ NULL, 0 }
};

const char *query_dns_type(int type)
{
	const struct query_flag *t;

	for (t = dns_types; t->name; t++)
		if (t->bit == type)
			return t->name;
	return NULL;
}

/* 1.2.3.4 -> 4.3.2.1.in-addr.arpa; an IPv6 address -> its nibbles in
 * ip6.arpa. Names stay as they are. */
static void arpa_name(char *host, size_t size)
{
	unsigned char a[16];
	char out[80];
	int i, o = 0;

	if (inet_pton(AF_INET, host, a) == 1) {
		snprintf(host, size, "%u.%u.%u.%u.in-addr.arpa", a[3], a[2],
			 a[1], a[0]);
	} else if (inet_pton(AF_INET6, host, a) == 1) {
		for (i = 15; i >= 0; i--)
			o += snprintf(out + o, sizeof(out) - (size_t)o,
				      "%x.%x.", a[i] & 15, a[i] >> 4);
		snprintf(host, size, "%sip6.arpa", out);
	}
}

int query_dns(const char *p, size_t n, struct query *q)
{
	struct field whole = { p, n };
	const struct query_flag *t;
	struct cmdline cl;
	char w[QUOTE_MAX];
	int r;

	init(q);
	r = parse_fields(whole, &cl);
	if (r < 0)
		return r;
	if (cl.n != 2)
		return errf(EINVAL, "expected NAME TYPE (ip, ipv6, mx, ns, "
			    "cname, ptr, txt, srv, soa)");
	r = set_host(whole, cl.f[0], q->host, sizeof(q->host));
	if (r < 0)
		return r;
	if (strlen(q->host) > 253)
		return errf(ENAMETOOLONG, "a domain name has at most 253 bytes");
	for (t = dns_types; t->name; t++)
		if (field_caseeq(cl.f[1], t->name))
			break;
	if (!t->name)
		return errf(EINVAL, "unknown type '%s' (ip, ipv6, mx, ns, cname, "
			    "ptr, txt, srv, soa)",
			    err_quote(cl.f[1].p, cl.f[1].n, w));
	q->number = t->bit;
	if (t->bit == ns_t_ptr)
		arpa_name(q->host, sizeof(q->host));
	return 0;
}
