/* dgram.h: the recvfrom and sendto files of message sockets, and the end
 * of a write whose header names where the datagram goes (sendto's, Plan
 * 9's UDP headers in p9.c). */
#ifndef NETFS_DGRAM_H
#define NETFS_DGRAM_H

#include <stdbool.h>
#include <sys/socket.h>

#include "addr.h"
#include "netfs.h"
#include "tree.h"

extern const struct fileops recvfrom_ops, sendto_ops;
/* The filter that shows recvfrom and sendto only on message sockets. */
bool dgram_shows(const struct node *dir, const struct filedef *f);

/* Ends a write whose header (sendto's address line, Plan 9's UDP header:
 * hdrlen bytes before the payload) a parser took. r is the address step's
 * result: 1, a name in a (looked up first); a negative errno (recorded in
 * error); 0, send to `to` (tolen 0: the peer). */
void data_write_hdr(req_t req, struct ofile *of, const char *buf,
		    size_t size, size_t hdrlen, int flags, int r,
		    const struct addrspec *a,
		    const struct sockaddr_storage *to, socklen_t tolen);

#endif
