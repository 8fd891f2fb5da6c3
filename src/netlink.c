/* netlink.c: one request, its replies, through libmnl (see netlink.h). */
#include "netlink.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

void *nl_request(char *buf, int type, int flags, size_t hdrlen,
		 struct nlmsghdr **nlh)
{
	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	*nlh = mnl_nlmsg_put_header(buf);
	(*nlh)->nlmsg_type = (uint16_t)type;
	(*nlh)->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	(*nlh)->nlmsg_seq = (uint32_t)time(NULL);
	return mnl_nlmsg_put_extra_header(*nlh, hdrlen);
}

static struct mnl_socket *open_bound(int proto)
{
	struct mnl_socket *nl = mnl_socket_open2(proto, SOCK_CLOEXEC);
	/* The kernel answers at once; a bound keeps a surprise from ever
	 * freezing the loop thread, which runs this. */
	struct timeval tv = { .tv_sec = 2 };
	int e;

	if (!nl)
		return NULL;
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof(tv)) < 0 ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		e = errno;
		mnl_socket_close(nl);
		errno = e;
		return NULL;
	}
	return nl;
}

int nl_query(int proto, struct nlmsghdr *req, mnl_cb_t cb, void *arg)
{
	/* A dump's messages come in batches of up to 32 KiB (libmnl's
	 * advice, MNL_SOCKET_DUMP_SIZE in later versions). */
	static char buf[32768];
	struct mnl_socket *nl = open_bound(proto);
	unsigned portid;
	ssize_t n;
	int r = 0;
	bool dump = req->nlmsg_flags & NLM_F_DUMP;

	if (!nl)
		return -errno;
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
		r = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	/* A dump ends with NLMSG_DONE; a plain request with its one reply
	 * (or an error). */
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			r = -errno;
			goto out;
		}
		r = mnl_cb_run(buf, (size_t)n, req->nlmsg_seq, portid, cb, arg);
	} while (dump && r > MNL_CB_STOP);
	r = r < 0 ? -errno : 0;
out:
	mnl_socket_close(nl);
	return r;
}

/* Kept sockets, by protocol (NETLINK_ROUTE 0 ... NETLINK_SOCK_DIAG 4). */
static struct mnl_socket *kept[8];
static uint32_t kept_seq;

void nl_ask_close(void)
{
	size_t i;

	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (kept[i]) {
			mnl_socket_close(kept[i]);
			kept[i] = NULL;
		}
}

int nl_ask(int proto, struct nlmsghdr *req, mnl_cb_t cb, void *arg)
{
	/* One socket's reply is well under a page. */
	static char buf[8192] __attribute__((aligned(8)));
	struct mnl_socket **k;
	ssize_t n;
	int r;

	if (proto < 0 || (size_t)proto >= sizeof(kept) / sizeof(kept[0]) ||
	    (req->nlmsg_flags & NLM_F_DUMP))
		return nl_query(proto, req, cb, arg);
	k = &kept[proto];
	if (!*k && !(*k = open_bound(proto)))
		return -errno;
	/* Each request its own number: a reply to another one fails the
	 * check in mnl_cb_run instead of passing for this one's. */
	req->nlmsg_seq = ++kept_seq;
	if (mnl_socket_sendto(*k, req, req->nlmsg_len) < 0)
		goto fail;
	n = mnl_socket_recvfrom(*k, buf, sizeof(buf));
	if (n < 0)
		goto fail;
	r = mnl_cb_run(buf, (size_t)n, req->nlmsg_seq,
		       mnl_socket_get_portid(*k), cb, arg);
	if (r >= 0)
		return 0;
	r = -errno;
	/* An error that answers this request (no such socket) leaves the
	 * socket clean; anything else may leave replies behind. */
	if ((size_t)n >= sizeof(struct nlmsghdr) &&
	    ((struct nlmsghdr *)buf)->nlmsg_seq == req->nlmsg_seq &&
	    ((struct nlmsghdr *)buf)->nlmsg_type == NLMSG_ERROR)
		return r;
	mnl_socket_close(*k);
	*k = NULL;
	return r;
fail:
	r = -errno;
	mnl_socket_close(*k);
	*k = NULL;
	return r;
}
