/* optval.h: socket option values as text, both ways. One parser and one
 * formatter per value type (integers, booleans, linger, times, names,
 * multicast memberships, credentials, raw bytes), plus the MSG_* flag
 * sets of recvflags/sendflags. Pure code: no sockets, no netfs state, so
 * unit tests and the fuzzer drive every type. */
#ifndef NETFS_OPTVAL_H
#define NETFS_OPTVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "parse.h"
#include "strbuf.h"

enum optval_type {
	OV_INT,		/* int: decimal */
	OV_BOOL,	/* int: 0 or 1 */
	OV_LINGER,	/* struct linger: "ONOFF SECONDS" */
	OV_TIME,	/* struct timeval: seconds, "0.5" */
	OV_STRING,	/* a name: "cubic", "lo"; no NUL */
	OV_MREQ,	/* struct ip_mreqn: "GROUP [INTERFACE]" */
	OV_MREQ6,	/* struct ipv6_mreq: "GROUP [INTERFACE]" */
	OV_UCRED,	/* struct ucred: "PID UID GID", read only */
	OV_TCPINFO,	/* struct tcp_info: formatted by tcpinfo.c */
	OV_BYTES,	/* anything: hex bytes */
	OV_NTYPES
};

/* The largest value any parser writes, and the buffer getsockopt reads
 * into (struct tcp_info fits with room to grow). */
#define OPTVAL_MAX 1024

/* "int", "bool", "linger"...: the type's name in --list and netfs(7). */
const char *optval_type_name(enum optval_type t);
/* The syntax of a written value: "0|1", "ONOFF SECONDS"... */
const char *optval_syntax(enum optval_type t);

/* Parses text (no terminator needed) into the bytes setsockopt takes: buf
 * holds OPTVAL_MAX bytes, *len gets the length. 0, or -EINVAL with a
 * detail naming the rejected text (-EACCES for the read-only types). An
 * INTERFACE of a membership is an address, an index or a name; names are
 * looked up with if_nametoindex (-ENODEV). */
int optval_parse(enum optval_type t, struct field text, void *buf,
		 socklen_t *len);
/* Formats len bytes that getsockopt returned, ending with a newline (not
 * OV_TCPINFO). 0, -EINVAL for a length the type cannot hold, -ENOMEM. */
int optval_format(enum optval_type t, const void *buf, socklen_t len,
		  struct strbuf *sb);

/* Hex bytes, "0x" prefix optional, two digits per byte: at most max
 * bytes into buf. */
int optval_parse_hex(struct field text, void *buf, size_t max, size_t *len);
int optval_format_hex(const void *buf, size_t len, struct strbuf *sb);

/* MSG_* flag sets: names with or without MSG_, any case, separated by
 * spaces, commas or '|'; "none", "0" or nothing is the empty set. Only
 * the flags in `allowed` (MSGF_RECV, MSGF_SEND) are accepted. */
#define MSGF_RECV (MSG_PEEK | MSG_OOB | MSG_WAITALL | MSG_DONTWAIT)
#define MSGF_SEND (MSG_OOB | MSG_DONTROUTE | MSG_DONTWAIT | MSG_MORE | \
		   MSG_EOR)
int msgflags_parse(struct field text, int allowed, int *flags);
/* "MSG_PEEK MSG_WAITALL\n", or "none\n". */
int msgflags_format(int flags, struct strbuf *sb);

#endif
