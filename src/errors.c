/* errors.c: error names, texts and the per-thread detail (see errors.h). */
#include "errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char detail[256];

int errf(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return -err;
}

void err_clear(void)
{
	detail[0] = '\0';
}

const char *err_detail(void)
{
	return detail;
}

const char *err_name(int err)
{
	static _Thread_local char num[16];
	const char *n = strerrorname_np(err);

	if (n)
		return n;
	snprintf(num, sizeof(num), "E%d", err);
	return num;
}

int err_format(struct strbuf *sb, int err, const char *d)
{
	if (d && *d)
		return sb_printf(sb, "%s %s: %s", err_name(err), strerror(err), d);
	return sb_printf(sb, "%s %s", err_name(err), strerror(err));
}

const char *err_quote(const char *p, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0, lim = n > 64 ? 64 : n;

	for (i = 0; i < lim; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (n > lim) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}
