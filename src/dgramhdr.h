/* dgramhdr.h: the header line of the sendto and recvfrom files. A write
 * to sendto is "ADDRESS\n" and then the datagram's bytes; a read of
 * recvfrom gives the sender's address in its read form, "\n", and then
 * the datagram. Plain code: unit tests and fuzzers link it. */
#ifndef NETFS_DGRAMHDR_H
#define NETFS_DGRAMHDR_H

#include <stddef.h>
#include <sys/socket.h>

#include "addr.h"
#include "strbuf.h"

/* The longest header line sendto takes, newline included: a unix path
 * (108 bytes), or a 253-byte host name with a service and the IPv6
 * extras, fit with room to spare. */
#define DGRAM_HDR_MAX 512

/* Splits p[0..n) into the address line and the payload, which starts at
 * p + *hdrlen. An empty line (just "\n") means no address: the datagram
 * goes to the connected peer (*empty is set, a is zeroed). family is the
 * socket's. 0, or -EINVAL (no newline within DGRAM_HDR_MAX bytes, NUL
 * bytes, a malformed address) / -ENAMETOOLONG with a detail. */
int dgram_parse_hdr(const char *p, size_t n, int family, struct addrspec *a,
		    size_t *hdrlen, int *empty);

/* Appends the read form of sa and "\n": the header recvfrom gives. An
 * unnamed sender (a unix socket that never bound) is an empty line. */
int dgram_format_hdr(const struct sockaddr *sa, socklen_t len,
		     struct strbuf *sb);

#endif
