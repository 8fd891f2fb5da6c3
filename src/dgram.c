/* dgram.c: the recvfrom and sendto files of message sockets. A read of
 * recvfrom is recvfrom(): the sender's address line, then one datagram;
 * a write to sendto is "ADDRESS\n" and one datagram. Blocking, timeouts,
 * O_NONBLOCK, poll and interrupts are data's (data.c): the two files
 * share its queues, so reads and writes keep their order across files. */
#include "dgram.h"

#include <errno.h>
#include <sys/socket.h>

#include "addr.h"
#include "data.h"
#include "dgramhdr.h"
#include "errors.h"
#include "sock.h"
#include "tree.h"

static void recvfrom_read(req_t req, struct ofile *of, size_t size,
			  off_t off, int flags)
{
	data_read_msg(req, of, size, off, flags, true);
}

static void sendto_write(req_t req, struct ofile *of, const char *buf,
			 size_t size, int flags)
{
	struct sock *s = of->s;
	struct sockaddr_storage ss;
	struct addrspec a;
	socklen_t len = 0;
	size_t hl = 0;
	int empty, r;

	err_clear();
	if (s->fd < 0) {
		req_err(req, s->state == SS_CLOSED ? EBADF : ENOTCONN);
		return;
	}
	r = dgram_parse_hdr(buf, size, s->family, &a, &hl, &empty);
	if (r == 0 && !empty)
		r = addr_numeric(&a, s->family, &ss, &len);
	data_write_hdr(req, of, buf, size, hl, flags, r, &a, &ss, len);
}

void data_write_hdr(req_t req, struct ofile *of, const char *buf,
		    size_t size, size_t hdrlen, int flags, int r,
		    const struct addrspec *a,
		    const struct sockaddr_storage *to, socklen_t tolen)
{
	if (r == 1) {
		data_write_named(req, of, buf + hdrlen, size - hdrlen, hdrlen,
				 a);
		return;
	}
	if (r < 0) {
		sock_seterr(of->s, -r, err_detail());
		req_err(req, -r);
		return;
	}
	/* The header counts among the bytes written: a short count would
	 * make the writer send the rest as another datagram. */
	data_write_to(req, of, buf + hdrlen, size - hdrlen, hdrlen, flags,
		      tolen ? (const struct sockaddr *)to : NULL, tolen);
}

const struct fileops recvfrom_ops = {
	.read = recvfrom_read,
	.poll = data_poll,
};

const struct fileops sendto_ops = {
	.write = sendto_write,
	.poll = data_poll,
};

/* recvfrom and sendto show only on message sockets: a stream has one
 * peer, and its data file says all. */
bool dgram_shows(const struct node *dir, const struct filedef *f)
{
	const struct sock *s = dir->s;

	if (f->code != C_RECVFROM && f->code != C_SENDTO)
		return true;
	return s && s->type && s->type != SOCK_STREAM;
}
