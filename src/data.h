/* data.h: the data file, and the receive and send paths of data.c that
 * the datagram files (dgram.c, p9.c) share: one queue of parked readers
 * and one of parked writers per socket, served in order whichever file
 * parked them. */
#ifndef NETFS_DATA_H
#define NETFS_DATA_H

#include <stdbool.h>
#include <sys/socket.h>

#include "addr.h"
#include "netfs.h"
#include "tree.h"

struct sock;

extern const struct fileops data_ops;

/* A read of data (from false) or recvfrom (from true: the sender's
 * address line comes first). */
void data_read_msg(req_t req, struct ofile *of, size_t size, off_t off,
		   int flags, bool from);
/* The header a read gives before each datagram (recvfrom's, Plan 9's):
 * format appends it for a datagram from `from` to the local address `to`
 * (tolen 0 if unknown), which is looked up only with local: the address
 * of IP_PKTINFO/IPV6_PKTINFO when the socket asked for them, else the
 * bound one. */
struct data_hdr {
	int (*format)(const struct sockaddr *from, socklen_t fromlen,
		      const struct sockaddr *to, socklen_t tolen,
		      struct strbuf *sb);
	bool local;
};
/* A read of one datagram and its header, as recvfrom's. */
void data_read_hdr(req_t req, struct ofile *of, size_t size, off_t off,
		   int flags, const struct data_hdr *hdr);
/* A write of one message to `to` (sendto), or to the connected peer when
 * tolen is 0. Blocks, times out and parks as data does. hdrlen bytes the
 * caller took before buf (sendto's address line) count in the reply. */
void data_write_to(req_t req, struct ofile *of, const char *buf,
		   size_t size, size_t hdrlen, int flags,
		   const struct sockaddr *to, socklen_t tolen);
/* The same when the address is a name: it is looked up off the loop
 * first, the write waiting in the queue meanwhile (in every mode: a
 * lookup is not the socket blocking). */
void data_write_named(req_t req, struct ofile *of, const char *buf,
		      size_t size, size_t hdrlen, const struct addrspec *a);
unsigned data_poll(struct ofile *of);
/* Answers the parked reads and writes that can be answered now (the
 * readiness dispatch of sock.c calls it). */
void data_serve(struct sock *s);

#endif
