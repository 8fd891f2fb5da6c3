/* parse.c: control message fields and strict number parsing (see parse.h). */
#include "parse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "errors.h"

int parse_line(const char *buf, size_t len, size_t *pos, struct field *line)
{
	size_t i = *pos, end;
	const char *nl;

	if (i >= len)
		return 0;
	nl = memchr(buf + i, '\n', len - i);
	end = nl ? (size_t)(nl - buf) : len;
	line->p = buf + i;
	line->n = end - i;
	if (line->n && line->p[line->n - 1] == '\r')
		line->n--;
	*pos = nl ? end + 1 : len;
	return 1;
}

int parse_hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

int parse_fields(struct field line, struct cmdline *cl)
{
	size_t i = 0;

	cl->n = 0;
	cl->line = line;
	if (line.n > CMD_MAXLINE)
		return errf(E2BIG, "command longer than %d bytes", CMD_MAXLINE);
	if (memchr(line.p, '\0', line.n))
		return errf(EINVAL, "command contains a NUL byte");
	while (i < line.n) {
		size_t start;

		while (i < line.n && is_space(line.p[i]))
			i++;
		if (i == line.n)
			break;
		if (cl->n == CMD_MAXFIELDS)
			return errf(E2BIG, "more than %d fields", CMD_MAXFIELDS);
		start = i;
		while (i < line.n && !is_space(line.p[i]))
			i++;
		cl->f[cl->n].p = line.p + start;
		cl->f[cl->n].n = i - start;
		cl->n++;
	}
	return 0;
}

bool field_eq(struct field f, const char *word)
{
	size_t n = strlen(word);

	return f.n == n && memcmp(f.p, word, n) == 0;
}

bool field_caseeq(struct field f, const char *word)
{
	size_t n = strlen(word);

	return f.n == n && strncasecmp(f.p, word, n) == 0;
}

bool field_kv(struct field f, const char *key, struct field *val)
{
	size_t n = strlen(key);

	if (f.n <= n || f.p[n] != '=' || memcmp(f.p, key, n) != 0)
		return false;
	val->p = f.p + n + 1;
	val->n = f.n - n - 1;
	return true;
}

struct field field_trim(const char *p, size_t n)
{
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
		     p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	return (struct field){ p, n };
}

int field_str(struct field f, char *buf, size_t size)
{
	if (memchr(f.p, '\0', f.n))
		return errf(EINVAL, "NUL byte in argument");
	if (f.n >= size)
		return errf(ENAMETOOLONG, "argument longer than %zu bytes",
			    size - 1);
	memcpy(buf, f.p, f.n);
	buf[f.n] = '\0';
	return 0;
}

int parse_uint(struct field f, uint64_t max, uint64_t *out, const char *what)
{
	char q[QUOTE_MAX];
	uint64_t v = 0;
	size_t i;

	if (f.n == 0)
		return errf(EINVAL, "missing %s", what);
	for (i = 0; i < f.n; i++) {
		unsigned d = (unsigned char)f.p[i] - '0';

		if (d > 9)
			return errf(EINVAL, "%s '%s' is not a number", what,
				    err_quote(f.p, f.n, q));
		if (v > (UINT64_MAX - d) / 10)
			goto range;
		v = v * 10 + d;
	}
	if (v > max)
		goto range;
	*out = v;
	return 0;
range:
	return errf(EINVAL, "%s '%s' out of range 0-%llu", what,
		    err_quote(f.p, f.n, q), (unsigned long long)max);
}

int parse_int(struct field f, int64_t min, int64_t max, int64_t *out,
	      const char *what)
{
	char q[QUOTE_MAX];
	bool neg = f.n > 0 && f.p[0] == '-';
	struct field m = { f.p + neg, f.n - neg };
	uint64_t v;
	int64_t val;
	int r;

	r = parse_uint(m, (uint64_t)INT64_MAX + 1, &v, what);
	if (r < 0)
		return r;
	if (!neg && v > (uint64_t)INT64_MAX)
		goto range;
	if (neg)
		val = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		val = (int64_t)v;
	if (val < min || val > max)
		goto range;
	*out = val;
	return 0;
range:
	return errf(EINVAL, "%s '%s' out of range %lld-%lld", what,
		    err_quote(f.p, f.n, q), (long long)min, (long long)max);
}

#define SECONDS_MAX 1000000000ull

int parse_seconds(struct field f, int64_t *ns)
{
	char q[QUOTE_MAX];
	const char *dot = memchr(f.p, '.', f.n);
	struct field ip = { f.p, dot ? (size_t)(dot - f.p) : f.n };
	uint64_t sec = 0, frac = 0;
	size_t i, nfrac;

	if (f.n == 0)
		return errf(EINVAL, "missing seconds");
	if (ip.n && parse_uint(ip, SECONDS_MAX, &sec, "seconds") < 0)
		goto bad;
	if (dot) {
		nfrac = f.n - ip.n - 1;
		if ((ip.n == 0 && nfrac == 0) || nfrac > 9)
			goto bad;
		for (i = 0; i < 9; i++) {
			unsigned d = 0;

			if (i < nfrac) {
				d = (unsigned char)dot[1 + i] - '0';
				if (d > 9)
					goto bad;
			}
			frac = frac * 10 + d;
		}
	}
	if (sec == SECONDS_MAX && frac)
		goto bad;
	*ns = (int64_t)(sec * 1000000000ull + frac);
	return 0;
bad:
	return errf(EINVAL, "'%s' is not a number of seconds (0 to 1e9, "
		    "up to 9 decimals)", err_quote(f.p, f.n, q));
}

int parse_timeout(struct field f, int64_t *ns)
{
	if (field_eq(f, "none")) {
		*ns = -1;
		return 0;
	}
	return parse_seconds(f, ns);
}

void format_timeout(char *buf, size_t size, int64_t ns)
{
	int n;

	if (ns < 0) {
		snprintf(buf, size, "none");
		return;
	}
	n = snprintf(buf, size, "%lld.%09lld", (long long)(ns / 1000000000),
		     (long long)(ns % 1000000000));
	/* Trim trailing zeros of the fraction, then a bare dot. */
	while (n > 0 && (size_t)n < size && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && (size_t)n < size && buf[n - 1] == '.')
		buf[--n] = '\0';
}

const struct cmdtab *cmd_lookup(const struct cmdtab *table,
				const struct cmdline *cl)
{
	const struct cmdtab *c;
	char q[QUOTE_MAX], names[256];
	size_t n = 0;
	int nargs = cl->n - 1;

	if (cl->n == 0) {
		errf(EINVAL, "empty command");
		return NULL;
	}
	for (c = table; c->name; c++)
		if (field_eq(cl->f[0], c->name))
			break;
	if (!c->name) {
		names[0] = '\0';
		for (c = table; c->name && n < sizeof(names); c++)
			n += (size_t)snprintf(names + n, sizeof(names) - n,
					      "%s%s", c == table ? "" : ", ",
					      c->name);
		errf(EINVAL, "unknown command '%s' (%s)",
		     err_quote(cl->f[0].p, cl->f[0].n, q), names);
		return NULL;
	}
	if (nargs < c->minargs || (c->maxargs >= 0 && nargs > c->maxargs)) {
		errf(EINVAL, "usage: %s", c->usage);
		return NULL;
	}
	return c;
}
