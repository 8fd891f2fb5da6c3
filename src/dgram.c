/* dgram.c: the recvfrom and sendto files of message sockets. A read of
 * recvfrom is recvfrom(): the sender's address line, then one datagram;
 * a write to sendto is "ADDRESS\n" and one datagram. Blocking, timeouts,
 * O_NONBLOCK, poll and interrupts are data's (data.c): the two files
 * share its queues, so reads and writes keep their order across files.
 *
 * A write of the address line alone sets the destination of the next
 * write on the same open file, which is then the datagram whole: that is
 * how shells write (printf and echo write at each newline). The line
 * waits in the open file's out buffer, which a write-only file has no
 * other use for. If the file closes with the line still waiting, the
 * datagram was empty: it is sent then. */
#include "dgram.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "data.h"
#include "dgramhdr.h"
#include "errors.h"
#include "list.h"
#include "pathcall.h"
#include "perm.h"
#include "resolver.h"
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
	if (of->out.len) {
		/* The address came alone: this write is the datagram. */
		r = dgram_parse_hdr(of->out.buf, of->out.len, s->family, &a,
				    &hl, &empty);
		sb_reset(&of->out);
		if (r == 0 && !empty)
			r = addr_numeric(&a, s->family, &ss, &len);
		data_write_hdr(req, of, buf, size, 0, flags, r, &a, &ss, len);
		return;
	}
	r = dgram_parse_hdr(buf, size, s->family, &a, &hl, &empty);
	if (r == 0 && !empty)
		r = addr_numeric(&a, s->family, &ss, &len);
	if (r >= 0 && hl == size) {
		/* The address line alone: checked now, kept for the next
		 * write (a name is looked up then). */
		if (sb_append(&of->out, buf, size) == 0) {
			req_written(req, size);
			return;
		}
		r = -ENOMEM;
	}
	data_write_hdr(req, of, buf, size, hl, flags, r, &a, &ss, len);
}

/* --- the empty datagram of an address line left alone --- */

/* The empty datagram, sent as the opener (on a unix socket its uid and
 * gid go with it). Never to a unix path: see send_empty_path. */
static void send_empty(struct sock *s, const struct cred *as,
		       const struct sockaddr *to, socklen_t tolen)
{
	struct ucred who = { .pid = getpid(), .uid = as->uid,
			     .gid = as->gid };
	int r = send_as(s->fd, s->family == AF_UNIX, "", 0,
			MSG_DONTWAIT | MSG_NOSIGNAL, to, tolen, &who) < 0 ?
		-errno : 0;

	if (r < 0) {
		sock_seterr(s, -r, "sending the empty datagram of an address "
			    "line written alone");
		return;
	}
	s->tx_calls++;
}

static void empty_path_sent(struct rjob *j)
{
	struct pathcall *pc = container_of(j, struct pathcall, j);
	struct sock *s = j->arg;

	if (pc->err && s->state != SS_CLOSED)
		sock_seterr(s, pc->err, "sending the empty datagram of an "
			    "address line written alone");
	sock_put(s);
	pathcall_free(pc);
}

/* A unix path is walked on a worker, as the opener (pathcall.h). */
static void send_empty_path(struct sock *s, struct ofile *of,
			    const struct sockaddr *to, socklen_t tolen)
{
	struct pathcall *pc = pathcall_new(PC_SEND, s->fd, &of->cred, "", 0);

	if (!pc)
		return;
	memcpy(&pc->to, to, tolen);
	pc->tolen = tolen;
	pc->j.done = empty_path_sent;
	pc->j.arg = s;
	sock_get(s);
	if (pathcall_submit(pc) < 0) {
		sock_put(s);
		pathcall_free(pc);
	}
}

static void empty_looked_up(struct rjob *j)
{
	struct sock *s = j->arg;

	if (s->state != SS_CLOSED && s->fd >= 0) {
		if (!j->gai && j->res)
			send_empty(s, &(struct cred){ .uid = j->uid },
				   j->res->ai_addr, j->res->ai_addrlen);
		else
			sock_seterr(s, j->gai ? gai_to_errno(j->gai,
							     j->sys_errno)
					      : ENOENT,
				    "sendto: looking up the address line "
				    "written alone");
	}
	if (j->res)
		freeaddrinfo(j->res);
	sock_put(s);
	free(j);
}

static void sendto_release(struct ofile *of)
{
	struct sock *s = of->s;
	struct sockaddr_storage ss;
	struct addrspec a;
	socklen_t len = 0;
	struct rjob *j;
	size_t hl;
	int empty, r;

	if (!of->out.len || !s || s->fd < 0)
		return;
	r = dgram_parse_hdr(of->out.buf, of->out.len, s->family, &a, &hl,
			    &empty);
	if (r == 0 && !empty)
		r = addr_numeric(&a, s->family, &ss, &len);
	if (r == 0) {
		if (len && addr_walks_path((struct sockaddr *)&ss, len))
			send_empty_path(s, of, (struct sockaddr *)&ss, len);
		else
			send_empty(s, &of->cred,
				   len ? (struct sockaddr *)&ss : NULL, len);
		return;
	}
	if (r < 0)
		return;		/* refused when it was written */
	/* A name: looked up off the loop, sent when it is known. */
	j = calloc(1, sizeof(*j));
	if (!j)
		return;
	j->work = rjob_getaddrinfo;
	j->done = empty_looked_up;
	j->arg = s;
	j->uid = of->cred.uid;
	memcpy(j->host, a.host, sizeof(j->host));
	memcpy(j->serv, a.serv, sizeof(j->serv));
	j->nohost = a.any;
	j->hints.ai_family = s->family;
	j->hints.ai_socktype = s->type;
	sock_get(s);
	if (resolver_submit(j) < 0) {
		sock_seterr(s, EAGAIN, "sendto: too many lookups in progress");
		sock_put(s);
		free(j);
	}
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
	.release = sendto_release,
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
