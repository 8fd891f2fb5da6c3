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

int nl_query(int proto, struct nlmsghdr *req, mnl_cb_t cb, void *arg)
{
	/* A dump's messages come in batches of up to 32 KiB (libmnl's
	 * advice, MNL_SOCKET_DUMP_SIZE in later versions). */
	static char buf[32768];
	struct mnl_socket *nl = mnl_socket_open2(proto, SOCK_CLOEXEC);
	unsigned portid;
	ssize_t n;
	int r = 0;

	/* The kernel answers at once; a bound keeps a surprise from ever
	 * freezing the loop thread, which runs this. */
	struct timeval tv = { .tv_sec = 2 };
	bool dump = req->nlmsg_flags & NLM_F_DUMP;

	if (!nl)
		return -errno;
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof(tv)) < 0 ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
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
