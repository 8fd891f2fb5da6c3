/* optval.c: socket option values as text (see optval.h). Each type has a
 * row in one table: its name, the syntax users write, a parser into the
 * bytes of setsockopt and a formatter of what getsockopt returns. */
#include "optval.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "errors.h"

/* --- parsers --- */

static int parse_int32(struct field f, void *buf, socklen_t *len)
{
	int64_t v;
	int iv, r = parse_int(f, INT_MIN, INT_MAX, &v, "value");

	if (r < 0)
		return r;
	iv = (int)v;
	memcpy(buf, &iv, sizeof(iv));
	*len = sizeof(iv);
	return 0;
}

static int parse_bool(struct field f, void *buf, socklen_t *len)
{
	char q[QUOTE_MAX];
	int v;

	if (field_eq(f, "0"))
		v = 0;
	else if (field_eq(f, "1"))
		v = 1;
	else
		return errf(EINVAL, "'%s' is not a boolean: 0 or 1",
			    err_quote(f.p, f.n, q));
	memcpy(buf, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

/* Splits text into exactly min..max fields. */
static int split(struct field f, int min, int max, struct cmdline *cl,
		 const char *syntax)
{
	char q[QUOTE_MAX];
	int r = parse_fields(f, cl);

	if (r < 0)
		return r;
	if (cl->n < min || cl->n > max)
		return errf(EINVAL, "'%s': expected %s",
			    err_quote(f.p, f.n, q), syntax);
	return 0;
}

static int parse_linger(struct field f, void *buf, socklen_t *len)
{
	struct linger l = { 0, 0 };
	struct cmdline cl;
	int64_t v;
	int r = split(f, 1, 2, &cl, "ONOFF SECONDS");

	if (r == 0)
		r = parse_bool(cl.f[0], &l.l_onoff, len);
	if (r == 0 && cl.n == 2) {
		r = parse_int(cl.f[1], 0, INT_MAX, &v, "linger seconds");
		l.l_linger = (int)v;
	} else if (r == 0 && l.l_onoff) {
		r = errf(EINVAL, "linger on needs its seconds: 1 SECONDS");
	}
	if (r < 0)
		return r;
	memcpy(buf, &l, sizeof(l));
	*len = sizeof(l);
	return 0;
}

static int parse_time(struct field f, void *buf, socklen_t *len)
{
	struct timeval tv;
	int64_t ns;
	int r = parse_seconds(f, &ns);

	if (r < 0)
		return r;
	/* Linux keeps jiffies: a timeout shorter than a microsecond would
	 * round to "none"; keep it at least 1 us. */
	tv.tv_sec = ns / 1000000000;
	tv.tv_usec = (ns % 1000000000) / 1000;
	if (ns > 0 && tv.tv_sec == 0 && tv.tv_usec == 0)
		tv.tv_usec = 1;
	memcpy(buf, &tv, sizeof(tv));
	*len = sizeof(tv);
	return 0;
}

#define NAME_MAX_LEN 255

static int parse_string(struct field f, void *buf, socklen_t *len)
{
	if (memchr(f.p, '\0', f.n))
		return errf(EINVAL, "NUL byte in the name");
	if (f.n > NAME_MAX_LEN)
		return errf(EINVAL, "a name longer than %d bytes",
			    NAME_MAX_LEN);
	memcpy(buf, f.p, f.n);
	((char *)buf)[f.n] = '\0';
	*len = (socklen_t)f.n;
	return 0;
}

/* An address literal of family af into dst. */
static int parse_inaddr(struct field f, int af, void *dst, const char *what)
{
	char tmp[INET6_ADDRSTRLEN + 1], q[QUOTE_MAX];

	if (f.n >= sizeof(tmp) || memchr(f.p, '\0', f.n))
		goto bad;
	memcpy(tmp, f.p, f.n);
	tmp[f.n] = '\0';
	if (inet_pton(af, tmp, dst) == 1)
		return 0;
bad:
	return errf(EINVAL, "%s '%s' is not an IPv%c address", what,
		    err_quote(f.p, f.n, q), af == AF_INET ? '4' : '6');
}

/* An interface: an index, or a name. */
static int parse_ifindex(struct field f, int *index)
{
	char name[IF_NAMESIZE], q[QUOTE_MAX];
	uint64_t v;
	unsigned i;

	if (f.n && f.p[0] >= '0' && f.p[0] <= '9') {
		int r = parse_uint(f, INT_MAX, &v, "interface index");

		*index = (int)v;
		return r;
	}
	if (f.n == 0 || f.n >= sizeof(name) || memchr(f.p, '\0', f.n) ||
	    memchr(f.p, '/', f.n))
		return errf(EINVAL, "'%s' is not an interface name",
			    err_quote(f.p, f.n, q));
	memcpy(name, f.p, f.n);
	name[f.n] = '\0';
	i = if_nametoindex(name);
	if (i == 0)
		return errf(ENODEV, "no interface '%s'", name);
	*index = (int)i;
	return 0;
}

static int is_multicast4(const struct in_addr *a)
{
	return IN_MULTICAST(ntohl(a->s_addr));
}

static int parse_mreq(struct field f, void *buf, socklen_t *len)
{
	struct ip_mreqn m;
	struct cmdline cl;
	char q[QUOTE_MAX];
	int r = split(f, 1, 2, &cl, "GROUP [INTERFACE]");

	memset(&m, 0, sizeof(m));
	if (r == 0)
		r = parse_inaddr(cl.f[0], AF_INET, &m.imr_multiaddr, "group");
	if (r == 0 && !is_multicast4(&m.imr_multiaddr))
		r = errf(EINVAL, "'%s' is not a multicast group (224.0.0.0/4)",
			 err_quote(cl.f[0].p, cl.f[0].n, q));
	/* The interface by its address, or by its index or name. */
	if (r == 0 && cl.n == 2) {
		if (memchr(cl.f[1].p, '.', cl.f[1].n))
			r = parse_inaddr(cl.f[1], AF_INET, &m.imr_address,
					 "interface");
		else
			r = parse_ifindex(cl.f[1], &m.imr_ifindex);
	}
	if (r < 0)
		return r;
	memcpy(buf, &m, sizeof(m));
	*len = sizeof(m);
	return 0;
}

static int parse_mreq6(struct field f, void *buf, socklen_t *len)
{
	struct ipv6_mreq m;
	struct cmdline cl;
	char q[QUOTE_MAX];
	int index = 0, r = split(f, 1, 2, &cl, "GROUP [INTERFACE]");

	memset(&m, 0, sizeof(m));
	if (r == 0)
		r = parse_inaddr(cl.f[0], AF_INET6, &m.ipv6mr_multiaddr,
				 "group");
	if (r == 0 && !IN6_IS_ADDR_MULTICAST(&m.ipv6mr_multiaddr))
		r = errf(EINVAL, "'%s' is not a multicast group (ff00::/8)",
			 err_quote(cl.f[0].p, cl.f[0].n, q));
	if (r == 0 && cl.n == 2)
		r = parse_ifindex(cl.f[1], &index);
	if (r < 0)
		return r;
	m.ipv6mr_interface = (unsigned)index;
	memcpy(buf, &m, sizeof(m));
	*len = sizeof(m);
	return 0;
}

static int parse_readonly(struct field f, void *buf, socklen_t *len)
{
	(void)f;
	(void)buf;
	(void)len;
	return errf(EACCES, "a read-only value");
}

static int parse_bytes(struct field f, void *buf, socklen_t *len)
{
	size_t n;
	int r = optval_parse_hex(f, buf, OPTVAL_MAX, &n);

	*len = (socklen_t)n;
	return r;
}

/* --- formatters --- */

static int need(socklen_t len, size_t want, const char *what)
{
	if (len < want)
		return errf(EINVAL, "%s: %u bytes, expected %zu", what,
			    (unsigned)len, want);
	return 0;
}

static int fmt_int(const void *buf, socklen_t len, struct strbuf *sb)
{
	int v = 0;

	/* A few options give a single byte (IP_MULTICAST_TTL may). */
	if (len == 1)
		return sb_printf(sb, "%u\n", *(const unsigned char *)buf);
	if (need(len, sizeof(v), "integer") < 0)
		return -EINVAL;
	memcpy(&v, buf, sizeof(v));
	return sb_printf(sb, "%d\n", v);
}

static int fmt_bool(const void *buf, socklen_t len, struct strbuf *sb)
{
	int v = 0;

	if (len == 1)
		return sb_printf(sb, "%d\n", *(const unsigned char *)buf != 0);
	if (need(len, sizeof(v), "boolean") < 0)
		return -EINVAL;
	memcpy(&v, buf, sizeof(v));
	return sb_printf(sb, "%d\n", v != 0);
}

static int fmt_linger(const void *buf, socklen_t len, struct strbuf *sb)
{
	struct linger l;

	if (need(len, sizeof(l), "linger") < 0)
		return -EINVAL;
	memcpy(&l, buf, sizeof(l));
	return sb_printf(sb, "%d %d\n", l.l_onoff != 0, l.l_linger);
}

static int fmt_time(const void *buf, socklen_t len, struct strbuf *sb)
{
	struct timeval tv;
	char t[40];

	if (need(len, sizeof(tv), "timeval") < 0)
		return -EINVAL;
	memcpy(&tv, buf, sizeof(tv));
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return errf(EINVAL, "a negative or malformed time");
	format_timeout(t, sizeof(t), (int64_t)tv.tv_sec * 1000000000 +
			  (int64_t)tv.tv_usec * 1000);
	return sb_printf(sb, "%s\n", t);
}

static int fmt_string(const void *buf, socklen_t len, struct strbuf *sb)
{
	const char *p = buf;
	size_t n = strnlen(p, len);
	int r = sb_append(sb, p, n);

	return r ? r : sb_append(sb, "\n", 1);
}

static int fmt_mreq(const void *buf, socklen_t len, struct strbuf *sb)
{
	char g[INET_ADDRSTRLEN], a[INET_ADDRSTRLEN];
	struct ip_mreqn m;

	if (need(len, sizeof(m), "ip_mreqn") < 0)
		return -EINVAL;
	memcpy(&m, buf, sizeof(m));
	inet_ntop(AF_INET, &m.imr_multiaddr, g, sizeof(g));
	if (m.imr_ifindex)
		return sb_printf(sb, "%s %d\n", g, m.imr_ifindex);
	if (m.imr_address.s_addr) {
		inet_ntop(AF_INET, &m.imr_address, a, sizeof(a));
		return sb_printf(sb, "%s %s\n", g, a);
	}
	return sb_printf(sb, "%s\n", g);
}

static int fmt_mreq6(const void *buf, socklen_t len, struct strbuf *sb)
{
	char g[INET6_ADDRSTRLEN];
	struct ipv6_mreq m;

	if (need(len, sizeof(m), "ipv6_mreq") < 0)
		return -EINVAL;
	memcpy(&m, buf, sizeof(m));
	inet_ntop(AF_INET6, &m.ipv6mr_multiaddr, g, sizeof(g));
	if (m.ipv6mr_interface)
		return sb_printf(sb, "%s %u\n", g, m.ipv6mr_interface);
	return sb_printf(sb, "%s\n", g);
}

static int fmt_ucred(const void *buf, socklen_t len, struct strbuf *sb)
{
	struct ucred u;

	if (need(len, sizeof(u), "ucred") < 0)
		return -EINVAL;
	memcpy(&u, buf, sizeof(u));
	return sb_printf(sb, "%ld %u %u\n", (long)u.pid, (unsigned)u.uid,
			 (unsigned)u.gid);
}

static int fmt_none(const void *buf, socklen_t len, struct strbuf *sb)
{
	(void)buf;
	(void)len;
	(void)sb;
	return errf(EINVAL, "formatted elsewhere");
}

static int fmt_bytes(const void *buf, socklen_t len, struct strbuf *sb)
{
	int r = optval_format_hex(buf, len, sb);

	return r ? r : sb_append(sb, "\n", 1);
}

static const struct {
	const char *name, *syntax;
	int (*parse)(struct field f, void *buf, socklen_t *len);
	int (*format)(const void *buf, socklen_t len, struct strbuf *sb);
} types[OV_NTYPES] = {
	[OV_INT] = { "int", "INTEGER", parse_int32, fmt_int },
	[OV_BOOL] = { "bool", "0|1", parse_bool, fmt_bool },
	[OV_LINGER] = { "linger", "ONOFF SECONDS", parse_linger, fmt_linger },
	[OV_TIME] = { "time", "SECONDS", parse_time, fmt_time },
	[OV_STRING] = { "name", "NAME", parse_string, fmt_string },
	[OV_MREQ] = { "mreq", "GROUP [INTERFACE]", parse_mreq, fmt_mreq },
	[OV_MREQ6] = { "mreq6", "GROUP [INTERFACE]", parse_mreq6, fmt_mreq6 },
	[OV_UCRED] = { "ucred", "PID UID GID", parse_readonly, fmt_ucred },
	[OV_TCPINFO] = { "tcp_info", "KEY VALUE lines", parse_readonly,
			 fmt_none },
	[OV_BYTES] = { "bytes", "HEX", parse_bytes, fmt_bytes },
};

const char *optval_type_name(enum optval_type t)
{
	return (unsigned)t < OV_NTYPES ? types[t].name : "?";
}

const char *optval_syntax(enum optval_type t)
{
	return (unsigned)t < OV_NTYPES ? types[t].syntax : "?";
}

int optval_parse(enum optval_type t, struct field text, void *buf,
		 socklen_t *len)
{
	if ((unsigned)t >= OV_NTYPES)
		return errf(EINVAL, "unknown value type");
	*len = 0;
	return types[t].parse(text, buf, len);
}

int optval_format(enum optval_type t, const void *buf, socklen_t len,
		  struct strbuf *sb)
{
	if ((unsigned)t >= OV_NTYPES)
		return errf(EINVAL, "unknown value type");
	return types[t].format(buf, len, sb);
}

/* --- hex --- */

int optval_parse_hex(struct field f, void *buf, size_t max, size_t *len)
{
	unsigned char *out = buf;
	char q[QUOTE_MAX];
	size_t i;

	*len = 0;
	if (f.n >= 2 && f.p[0] == '0' && (f.p[1] == 'x' || f.p[1] == 'X')) {
		f.p += 2;
		f.n -= 2;
	}
	if (f.n % 2)
		return errf(EINVAL, "'%s': hex bytes take two digits each",
			    err_quote(f.p, f.n, q));
	if (f.n / 2 > max)
		return errf(EINVAL, "more than %zu bytes", max);
	for (i = 0; i < f.n; i += 2) {
		int hi = parse_hexdigit(f.p[i]), lo = parse_hexdigit(f.p[i + 1]);

		if (hi < 0 || lo < 0)
			return errf(EINVAL, "'%s' is not hex",
				    err_quote(f.p, f.n, q));
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	*len = f.n / 2;
	return 0;
}

int optval_format_hex(const void *buf, size_t len, struct strbuf *sb)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = buf;
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < len; i++) {
		char two[2] = { digits[p[i] >> 4], digits[p[i] & 15] };

		r = sb_append(sb, two, 2);
	}
	return r;
}

/* --- MSG_* flag sets --- */

static const struct {
	const char *name;
	int flag;
} msgflags[] = {
	{ "PEEK", MSG_PEEK }, { "OOB", MSG_OOB }, { "WAITALL", MSG_WAITALL },
	{ "DONTWAIT", MSG_DONTWAIT }, { "DONTROUTE", MSG_DONTROUTE },
	{ "MORE", MSG_MORE }, { "EOR", MSG_EOR },
};

#define NFLAGS (sizeof(msgflags) / sizeof(msgflags[0]))

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == '|';
}

int msgflags_parse(struct field f, int allowed, int *flags)
{
	char q[QUOTE_MAX];
	size_t i = 0, k;
	int set = 0;

	while (i < f.n) {
		struct field w;

		while (i < f.n && is_sep(f.p[i]))
			i++;
		if (i == f.n)
			break;
		w.p = f.p + i;
		while (i < f.n && !is_sep(f.p[i]))
			i++;
		w.n = (size_t)(f.p + i - w.p);
		if (field_caseeq(w, "none") || field_eq(w, "0"))
			continue;
		if (w.n > 4 && strncasecmp(w.p, "MSG_", 4) == 0) {
			w.p += 4;
			w.n -= 4;
		}
		for (k = 0; k < NFLAGS; k++)
			if ((msgflags[k].flag & allowed) &&
			    field_caseeq(w, msgflags[k].name))
				break;
		if (k == NFLAGS)
			return errf(EINVAL, "'%s' is not one of these flags: %s",
				    err_quote(w.p, w.n, q),
				    allowed == MSGF_RECV ?
				    "PEEK OOB WAITALL DONTWAIT" :
				    "OOB DONTROUTE DONTWAIT MORE EOR");
		set |= msgflags[k].flag;
	}
	*flags = set;
	return 0;
}

int msgflags_format(int flags, struct strbuf *sb)
{
	const char *sep = "";
	size_t k;
	int r = 0;

	if (!flags)
		return sb_puts(sb, "none\n");
	for (k = 0; r == 0 && k < NFLAGS; k++) {
		if (flags & msgflags[k].flag) {
			r = sb_printf(sb, "%sMSG_%s", sep, msgflags[k].name);
			sep = " ";
		}
	}
	return r ? r : sb_puts(sb, "\n");
}
