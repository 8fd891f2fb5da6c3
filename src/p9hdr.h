/* p9hdr.h: the headers of a Plan 9 UDP conversation (ip(3), `headers`).
 * Binary: 52 bytes, raddr[16] laddr[16] ifcaddr[16] rport[2] lport[2],
 * addresses in IPv6 form (IPv4 as v4-mapped), ports big-endian. Text:
 * "raddr!rport laddr!lport\n" on reads, "raddr!rport\n" on writes.
 * Plain code: unit tests and fuzzers link it. */
#ifndef NETFS_P9HDR_H
#define NETFS_P9HDR_H

#include <stddef.h>
#include <sys/socket.h>

#include "addr.h"
#include "strbuf.h"

/* What `headers` set on a conversation. */
enum p9hdr { P9HDR_OFF, P9HDR_BINARY, P9HDR_TEXT };

#define P9_UDPHDR 52
/* The longest text header line a write may start with, newline included. */
#define P9_TEXTHDR_MAX 512

/* The header of a datagram from `from` to the local address `to` (its
 * port too; NULL or tolen 0: unknown, the any address and port 0).
 * ifcaddr is to's address. 0, or -EAFNOSUPPORT for a non-inet address. */
int p9hdr_encode(const struct sockaddr *from, socklen_t fromlen,
		 const struct sockaddr *to, socklen_t tolen,
		 unsigned char h[P9_UDPHDR]);

/* The destination a write names in its first P9_UDPHDR bytes of p[0..n),
 * as a sockaddr for a socket of family: AF_INET takes only v4-mapped
 * addresses, AF_INET6 takes any (v4-mapped as it is), AF_UNSPEC makes a
 * v4-mapped one AF_INET. laddr, ifcaddr and lport are not used. 0, or
 * -EINVAL (short, unspecified address, port 0) / -EAFNOSUPPORT with a
 * detail. */
int p9hdr_decode(const void *p, size_t n, int family,
		 struct sockaddr_storage *ss, socklen_t *len);

/* Appends "raddr!rport laddr!lport\n", addresses as Plan 9 writes them
 * (v4-mapped ones in dotted form; unknown laddr is "::!0"). */
int p9hdr_format_text(const struct sockaddr *from, socklen_t fromlen,
		      const struct sockaddr *to, socklen_t tolen,
		      struct strbuf *sb);

/* "addr \n" text: "addr[ laddr]\n" ahead of the payload, which starts at
 * p + *hdrlen. The first field is the destination, in any address form
 * (addr.c); a second one (the laddr!lport of a read's header, so a read
 * header may be written back) is ignored. For an AF_INET6 socket an IPv4
 * literal becomes v4-mapped. 0 or -EINVAL/-ENAMETOOLONG with a detail. */
int p9hdr_parse_text(const char *p, size_t n, int family, struct addrspec *a,
		     size_t *hdrlen);

#endif
