/* strbuf.h: a growable byte buffer for rendered text files, ctl replies and
 * accept names. Functions return 0 or a negative errno. */
#ifndef NETFS_STRBUF_H
#define NETFS_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, cap;
};

int sb_append(struct strbuf *sb, const void *p, size_t n);
int sb_puts(struct strbuf *sb, const char *s);
int sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Drops the first n bytes (n <= len). */
void sb_consume(struct strbuf *sb, size_t n);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);

#endif
