/* netlink.h: kernel queries through libmnl: rtnetlink (links, addresses,
 * routes, neighbours) and sock_diag (every socket of the host). These are
 * local to the kernel and quick, so they run on the loop thread; nothing
 * here touches the network. */
#ifndef NETFS_NETLINK_H
#define NETFS_NETLINK_H

#include <libmnl/libmnl.h>
#include <stddef.h>

/* Sends the request in buf (a full message built with mnl_nlmsg_*) on a
 * fresh socket of protocol proto and calls cb for each reply message,
 * until the kernel says done. 0 or a negative errno. */
int nl_query(int proto, struct nlmsghdr *req, mnl_cb_t cb, void *arg);

/* The same for a request that is not a dump (one reply, or an error), on
 * a socket of protocol proto kept open between calls: a caller that asks
 * for one socket per file opened saves the socket's creation and binding
 * each time. Any failure closes the kept socket, so a late or unexpected
 * reply never meets a later request. */
int nl_ask(int proto, struct nlmsghdr *req, mnl_cb_t cb, void *arg);
/* Closes the kept sockets (idle, or exit). */
void nl_ask_close(void);

/* A new request of type with flags (NLM_F_REQUEST is added) and a family
 * header of size hdrlen, zeroed, in buf (MNL_SOCKET_BUFFER_SIZE bytes).
 * Returns the family header. */
void *nl_request(char *buf, int type, int flags, size_t hdrlen,
		 struct nlmsghdr **nlh);

#endif
