/* parse.h: control messages and numbers. A message is split once into
 * fields (pointer, length) that point into the caller's buffer, never
 * assuming a NUL terminator, as FUSE write buffers have none. Functions
 * return 0 or a negative errno with a detail (errors.h). */
#ifndef NETFS_PARSE_H
#define NETFS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct field {
	const char *p;
	size_t n;
};

#define CMD_MAXFIELDS 16
#define CMD_MAXLINE 4096

struct cmdline {
	struct field f[CMD_MAXFIELDS];
	int n;
	struct field line;	/* the whole line, for error messages */
};

#define FIELD(s) ((struct field){ (s), sizeof(s) - 1 })

/* Takes the next line of buf[*pos..len): *line gets the text before the
 * next '\n' (or the end) without a trailing '\r'; *pos moves past it.
 * Returns 1 if a line was taken, 0 at the end. */
int parse_line(const char *buf, size_t len, size_t *pos, struct field *line);

/* Splits one line at spaces and tabs. EINVAL for NUL bytes, E2BIG for
 * more than CMD_MAXFIELDS fields or a line over CMD_MAXLINE bytes. */
int parse_fields(struct field line, struct cmdline *cl);

bool field_eq(struct field f, const char *word);
bool field_caseeq(struct field f, const char *word);
/* If f is "key=value", sets *val and returns true. */
bool field_kv(struct field f, const char *key, struct field *val);
/* One written value: without surrounding blanks and the newline of echo
 * (a file that takes one value per write). */
struct field field_trim(const char *p, size_t n);
/* Copies f into buf as a C string; ENAMETOOLONG if it does not fit, EINVAL
 * for NUL bytes. */
int field_str(struct field f, char *buf, size_t size);

/* The value of a hex digit, either case; -1 for anything else. */
int parse_hexdigit(char c);

/* Strict unsigned decimal: digits only, at most max. "what" names the value
 * in the error detail ("port '65536' out of range 0-65535"). */
int parse_uint(struct field f, uint64_t max, uint64_t *out, const char *what);
/* Signed decimal in [min, max]. */
int parse_int(struct field f, int64_t min, int64_t max, int64_t *out,
	      const char *what);
/* Non-negative decimal seconds with up to 9 fraction digits ("0.5", "2",
 * ".25"), at most 1e9, as nanoseconds. */
int parse_seconds(struct field f, int64_t *ns);
/* "none" (-1), or seconds as above: the socket's timeout mode. */
int parse_timeout(struct field f, int64_t *ns);
/* "none", "0", "0.5", "2"... the inverse of parse_timeout. */
void format_timeout(char *buf, size_t size, int64_t ns);

/* A command table entry, as Plan 9's Cmdtab: the grammar only. The
 * handler is looked up by index by whoever runs the command (cmds.h
 * lists both). */
struct cmdtab {
	int index;
	const char *name;
	int minargs, maxargs;	/* fields after the verb; -1: no limit */
	const char *usage;
};

/* Finds the verb of cl in table (ended by a NULL name) and checks its
 * number of arguments: the entry, or NULL with EINVAL and a detail that
 * quotes the unknown verb and lists the known ones, or gives the usage. */
const struct cmdtab *cmd_lookup(const struct cmdtab *table,
				const struct cmdline *cl);

#endif
