/* procsig.c: the signal masks of /proc/TID/status (see procsig.h). */
#include "procsig.h"

#include <errno.h>
#include <string.h>

#include "errors.h"
#include "parse.h"

static const struct {
	const char *name;
	size_t off;
} masks[] = {
	{ "SigPnd", offsetof(struct procsig, pending) },
	{ "ShdPnd", offsetof(struct procsig, shared) },
	{ "SigBlk", offsetof(struct procsig, blocked) },
};
#define NMASKS (sizeof(masks) / sizeof(masks[0]))

/* The value of one mask line after its colon: blanks, then 1-16 hex
 * digits and nothing else. */
static int parse_mask(struct field f, const char *name, uint64_t *out)
{
	char q[QUOTE_MAX];
	uint64_t v = 0;
	size_t i;

	while (f.n && (*f.p == ' ' || *f.p == '\t')) {
		f.p++;
		f.n--;
	}
	for (i = 0; i < f.n; i++) {
		int d = parse_hexdigit(f.p[i]);

		if (d < 0 || i == 16)
			break;
		v = v << 4 | (uint64_t)d;
	}
	if (i == 0 || i != f.n)
		return errf(EINVAL, "%s: '%s' is not a mask of 64 signals",
			    name, err_quote(f.p, f.n, q));
	*out = v;
	return 0;
}

int procsig_parse(const char *p, size_t n, struct procsig *ps)
{
	struct field line;
	size_t pos = 0, i;
	unsigned seen = 0;

	*ps = (struct procsig){ 0 };
	while (parse_line(p, n, &pos, &line)) {
		for (i = 0; i < NMASKS; i++) {
			size_t k = strlen(masks[i].name);
			int r;

			if (line.n <= k || line.p[k] != ':' ||
			    memcmp(line.p, masks[i].name, k) != 0)
				continue;
			if (seen & 1u << i)
				return errf(EINVAL, "%s given twice",
					    masks[i].name);
			r = parse_mask((struct field){ line.p + k + 1,
						       line.n - k - 1 },
				       masks[i].name,
				       (uint64_t *)((char *)ps + masks[i].off));
			if (r < 0)
				return r;
			seen |= 1u << i;
		}
	}
	for (i = 0; i < NMASKS; i++)
		if (!(seen & 1u << i))
			return errf(EINVAL, "no %s line", masks[i].name);
	return 0;
}

bool procsig_waiting(const struct procsig *ps)
{
	return ((ps->pending | ps->shared) & ~ps->blocked) != 0;
}
