/* errors.h: the one errno convention. Internal functions return 0 (or a
 * count) on success and a negative errno on failure. A failing function may
 * leave a human-readable detail with errf(); the caller that records the
 * error (a socket's `error` file, a ctl session reply, the log) reads it
 * with err_detail(). The detail is per thread, so parsers stay usable from
 * unit tests and fuzzers without any netfs state. */
#ifndef NETFS_ERRORS_H
#define NETFS_ERRORS_H

#include <stddef.h>

#include "strbuf.h"

/* Sets the detail text and returns -err. */
int errf(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(void);
/* "" when no detail was left. */
const char *err_detail(void);

/* "ECONNREFUSED" for ECONNREFUSED; "E123" for numbers without a name. */
const char *err_name(int err);

/* Appends "NAME strerror" and, when detail is non-empty, ": detail". */
int err_format(struct strbuf *sb, int err, const char *detail);

/* Quotes at most 64 bytes of untrusted input for an error text: printable
 * ASCII is kept, everything else becomes \xNN, and a cut is marked "...".
 * Returns out, which must hold at least 64*4+4 bytes. */
#define QUOTE_MAX (64 * 4 + 4)
const char *err_quote(const char *p, size_t n, char *out);

#endif
