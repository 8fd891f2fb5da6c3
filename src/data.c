/* data.c: the data file. A read is one recv(): it waits for at least one
 * byte (or one message) and returns what is there, at most the size asked;
 * 0 is end of stream. A write is sendall() on streams and one message on
 * message sockets. Both try the system call first and park only when the
 * socket would block; the loop finishes them on readiness (data_serve).
 * recvfrom and sendto (dgram.c) go through the same paths and queues. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "data.h"
#include "dgramhdr.h"
#include "errors.h"
#include "limits.h"
#include "netfs.h"
#include "park.h"
#include "pathcall.h"
#include "resolver.h"
#include "sock.h"
#include "tree.h"

struct rpark {
	struct park p;
	size_t size;
	const struct data_hdr *hdr;	/* recvfrom's or Plan 9's header */
	bool all;		/* WAITALL: gathers size bytes in buf */
	size_t got;		/* WAITALL: bytes in buf so far */
	char buf[];
};

struct wpark {
	struct park p;
	size_t sent;		/* bytes of this write sent before parking */
	size_t hdrlen;		/* sendto's address line, counted as written */
	size_t len, done;	/* the rest, in buf */
	struct sockaddr_storage to;	/* sendto's destination */
	socklen_t tolen;		/* 0: the connected peer */
	struct ucred who;	/* the writer, for SCM_CREDENTIALS */
	size_t charged;		/* bytes counted to who.uid (limits.h) */
	struct rjob *rj;	/* sendto's lookup or path send, in flight */
	char buf[];
};

/* recvfrom puts the datagram this far into the scratch buffer and the
 * address line just before it, so that one reply carries both. */
#define HDR_ROOM 256

/* msgflags: the recvflags or sendflags of the socket (MSG_DONTWAIT). */
static bool nonblocking(const struct sock *s, int flags, int msgflags)
{
	return (flags & O_NONBLOCK) || s->timeout == 0 ||
	       (msgflags & MSG_DONTWAIT);
}

/* recvflags MSG_WAITALL on a stream: recv(2) with it would block the
 * loop, so the read gathers in its own buffer what arrives (waitall_pull)
 * until it has the size asked, the stream ends, or the read is cut short
 * (timeout, interrupt, close: what is there is the answer, as recv(2)
 * gives it). The buffer is the socket's receive queue moved along, so the
 * size may be larger than the queue can ever hold. */
static bool waitall(const struct sock *s)
{
	return (s->recvflags & MSG_WAITALL) && !(s->recvflags & MSG_OOB) &&
	       !sock_is_msg(s);
}

/* Whether size bytes wait in the socket's receive queue, with no reader
 * before them: a WAITALL read then needs no buffer of its own. */
static bool queued(const struct sock *s, size_t size)
{
	int n;

	return list_empty(&s->readers) && ioctl(s->fd, FIONREAD, &n) == 0 &&
	       n >= 0 && (size_t)n >= size;
}

/* -EBADF on a closed socket, -ENOTCONN on one without a descriptor. */
static int usable(const struct sock *s)
{
	if (s->fd >= 0)
		return 0;
	return s->state == SS_CLOSED ? -EBADF : -ENOTCONN;
}

static int recvfrom_fmt(const struct sockaddr *from, socklen_t fromlen,
			const struct sockaddr *to, socklen_t tolen,
			struct strbuf *sb)
{
	(void)to;
	(void)tolen;
	return dgram_format_hdr(from, fromlen, sb);
}

static const struct data_hdr recvfrom_hdr = { recvfrom_fmt, false };

/* recvmsg() with the address the datagram came to (IP_PKTINFO or
 * IPV6_PKTINFO when the socket asked for it) in *ls, the bound address
 * otherwise. */
static ssize_t recv_local(int fd, char *buf, size_t size, int flags,
			  struct sockaddr_storage *ss, socklen_t *sl,
			  struct sockaddr_storage *ls, socklen_t *ll)
{
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { buf, size };
	struct msghdr m = { .msg_name = ss, .msg_namelen = *sl,
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf.b,
			    .msg_controllen = sizeof(cbuf.b) };
	struct cmsghdr *c;
	ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT | flags);

	if (n < 0)
		return n;
	*sl = m.msg_namelen;
	*ll = sizeof(*ls);
	if (getsockname(fd, (struct sockaddr *)ls, ll) < 0)
		*ll = 0;
	for (c = CMSG_FIRSTHDR(&m); c && *ll; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    ls->ss_family == AF_INET) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			((struct sockaddr_in *)ls)->sin_addr = pi.ipi_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO &&
			   ls->ss_family == AF_INET6) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			((struct sockaddr_in6 *)ls)->sin6_addr = pi.ipi6_addr;
		}
	}
	return n;
}

/* One recv() into the scratch buffer: the count, or a negative errno;
 * *out is where the bytes start. With a header (recvfrom's, Plan 9's),
 * recvfrom() and the header before the datagram, the whole cut to size
 * as recv cuts a datagram. */
static ssize_t recv_some(struct sock *s, size_t size,
			 const struct data_hdr *from, const char **out)
{
	struct sockaddr_storage ss, ls;
	socklen_t sl = sizeof(ss), ll = 0;
	char *buf = nfs.scratch + (from ? HDR_ROOM : 0);
	size_t cap = nfs.scratch_size - (from ? HDR_ROOM : 0);
	static struct strbuf hdr;
	ssize_t n;

	if (size > cap)
		size = cap;
	do
		n = from && from->local ?
			recv_local(s->fd, buf, size,
				   s->recvflags & ~MSG_WAITALL,
				   &ss, &sl, &ls, &ll) :
			recvfrom(s->fd, buf, size, MSG_DONTWAIT |
				 (s->recvflags & ~MSG_WAITALL),
				 from ? (struct sockaddr *)&ss : NULL,
				 from ? &sl : NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	s->rx_bytes += (uint64_t)n;
	s->rx_calls++;
	*out = buf;
	if (!from)
		return n;
	sb_reset(&hdr);
	if (sl > sizeof(ss))
		sl = sizeof(ss);
	if (from->format((struct sockaddr *)&ss, sl, (struct sockaddr *)&ls,
			 ll, &hdr) < 0 || hdr.len > HDR_ROOM)
		return -ENOMEM;	/* a datagram is lost: only when out of
				 * memory, no read form is that long */
	*out = buf - hdr.len;
	memcpy(buf - hdr.len, hdr.buf, hdr.len);
	n += (ssize_t)hdr.len;
	return (size_t)n > size ? (ssize_t)size : n;
}

static void reply_recv(struct sock *s, req_t req, ssize_t n,
		       const char *buf)
{
	if (n < 0) {
		sock_seterr(s, (int)-n, "receiving");
		req_err(req, (int)-n);
		return;
	}
	req_buf(req, buf, (size_t)n);
}

/* Stream reads of 32 KiB or more are answered from the socket by the
 * front-end where it can move the bytes without a copy through netfs
 * (FUSE: socket -> pipe -> /dev/fuse by splice(2), fuse_fe.c): the
 * socket's pages are copied once, into the reader's buffer, instead of
 * twice through the scratch buffer. Measured against recv on loopback,
 * 1 GiB: 10% faster at 32 KiB reads, 18% at 128 KiB, 11% at 1 MiB, even
 * at 16 KiB; so below 32 KiB recv stays. Never for message sockets, where
 * a read is one message. */
#define SPLICE_MIN (32u << 10)

static bool splice_ok(const struct sock *s, size_t size)
{
	/* recvflags (PEEK, OOB, WAITALL) need recv. */
	return size >= SPLICE_MIN && !sock_is_msg(s) && !s->recvflags;
}

/* Receives into the reply to req, after the header hdr asks for, if any:
 * 0 when answered, -EAGAIN when the socket has nothing yet and req is
 * still open. */
static int recv_reply(struct sock *s, req_t req, size_t size,
		      const struct data_hdr *hdr)
{
	const char *buf = NULL;
	ssize_t n;

	if (!hdr && splice_ok(s, size)) {
		n = req_from_fd(req, s->fd, size);
		if (n > 0) {
			s->rx_bytes += (uint64_t)n;
			s->rx_calls++;
			return 0;
		}
		if (n == -EAGAIN)
			return -EAGAIN;
		if (n != -EOPNOTSUPP) {
			reply_recv(s, req, n, NULL);
			return 0;
		}
		/* Not offered, or a socket without splice: recv it is. */
	}
	n = recv_some(s, size, hdr, &buf);
	if (n == -EAGAIN)
		return -EAGAIN;
	reply_recv(s, req, n, buf);
	return 0;
}

/* A blocked write's copy counts against its writer's memory cap. */
static int wpark_charge(struct wpark *wp, size_t n)
{
	return limit_bytes(wp->who.uid, &wp->charged, n);
}

static void wpark_free(struct wpark *wp)
{
	if (wp) {
		wpark_charge(wp, 0);
		free(wp);
	}
}

/* The daemon's pid, asked once: getpid(2) is a system call (glibc does
 * not cache it), and every write named its writer with it, a system call
 * more per request. netfs does not fork once the loop runs. */
static pid_t self_pid(void)
{
	static pid_t pid;

	if (!pid)
		pid = getpid();
	return pid;
}

/* The writer of req, as a unix send names it (pathcall.h send_as). */
static struct ucred writer(req_t req)
{
	const struct req_ctx *ctx = req_ctx(req);

	return (struct ucred){ .pid = self_pid(), .uid = ctx->uid,
			       .gid = ctx->gid };
}

/* Answers a write that sent done bytes before err stopped it: the count,
 * as write(2) reports bytes already on their way, or the error. */
static void reply_sent(req_t req, size_t hdrlen, size_t done, int err)
{
	if (done)
		req_written(req, hdrlen + done);
	else
		req_err(req, err);
}

/* Sends buf[*done..len) as far as the socket takes it: 0 when all is sent
 * (one message on message sockets), -EAGAIN when the socket is full, or
 * another negative errno. On a unix socket the message carries who. */
static int send_some(struct sock *s, const char *buf, size_t len,
		     size_t *done, const struct sockaddr *to, socklen_t tolen,
		     const struct ucred *who)
{
	bool msg = sock_is_msg(s);

	while (*done < len || (msg && len == 0)) {
		ssize_t n = send_as(s->fd, s->family == AF_UNIX, buf + *done,
				    len - *done,
				    MSG_DONTWAIT | MSG_NOSIGNAL | s->sendflags,
				    to, tolen, who);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		}
		*done += (size_t)n;
		s->tx_bytes += (uint64_t)n;
		s->tx_calls++;
		if (msg)
			break;
	}
	return 0;
}

/* Receives into a WAITALL read's buffer: 1 when it is complete (full, or
 * the stream ended), 0 while more is to come, or a negative errno. */
static int waitall_pull(struct sock *s, struct rpark *rp)
{
	while (rp->got < rp->size) {
		ssize_t n = recv(s->fd, rp->buf + rp->got, rp->size - rp->got,
				 MSG_DONTWAIT | (s->recvflags & ~MSG_WAITALL));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EWOULDBLOCK ? 0 : -errno;
		if (n == 0)
			return 1;
		rp->got += (size_t)n;
		s->rx_bytes += (uint64_t)n;
		s->rx_calls++;
	}
	return 1;
}

/* Answers a WAITALL read that waitall_pull() found done (r > 0) or
 * failed (r < 0): with what it has, or the error when it has nothing. */
static void waitall_answer(struct sock *s, struct rpark *rp, int r)
{
	reply_recv(s, rp->p.req, r < 0 && !rp->got ? r : (ssize_t)rp->got,
		   rp->buf);
	free(rp);
}

/* A read cut short (timeout, interrupt, close) fails, but a WAITALL read
 * that has bytes returns them, as recv(2) does. */
static void read_abort(struct park *p, int err)
{
	struct rpark *rp = container_of(p, struct rpark, p);

	if (rp->all && rp->got) {
		req_buf(p->req, rp->buf, rp->got);
	} else {
		sock_failed(p->of->s, err, "receiving");
		req_err(p->req, err);
	}
	free(rp);
}

static void write_abort(struct park *p, int err)
{
	struct wpark *wp = container_of(p, struct wpark, p);
	size_t sent = wp->sent + wp->done;

	if (wp->rj)
		rjob_cancel(wp->rj);	/* its done() frees it */
	/* Other errors were recorded where they happened. */
	if (!sent && (err == ETIMEDOUT || err == EINTR))
		sock_failed(p->of->s, err, "sending");
	reply_sent(p->req, wp->hdrlen, sent, err);
	wpark_free(wp);
}

/* What a failed send leaves in `error`. */
static void send_failed(struct sock *s, int err, size_t len)
{
	char d[96];

	if (err == EMSGSIZE)
		snprintf(d, sizeof(d), "sending a %zu-byte message: one write "
			 "is one message, and this one is too big", len);
	else if (err == EDESTADDRREQ)
		snprintf(d, sizeof(d), "sending: not connected (use sendto, "
			 "or connect first)");
	else
		snprintf(d, sizeof(d), "sending");
	sock_seterr(s, err, d);
}

/* A small write to a TCP socket is answered first and sent after
 * (early_write): send(2) on loopback runs the peer's receive and wakes
 * it, inside the call, and the writer need not wait for that: its next
 * request overlaps the send (64-byte writes to a sink: 34.0 -> 29.0 us
 * beside nullfs's 23.2, docs/BENCH.md). Only where the answer cannot
 * differ from the one a send would give: a plain write, nothing queued
 * before it, and a socket that poll(2) finds writable with no error, no
 * hangup and no shutdown of our side (where TCP's poll says writable so
 * that writers learn of it). A writable TCP socket takes a write of up to
 * EARLY_MAX bytes whole, into one buffer, unless the kernel is short of
 * memory for it (see early_write). */
#define EARLY_MAX 4096u

static bool early_ok(const struct sock *s, size_t size, size_t hdrlen,
		     socklen_t tolen)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };

	if (!size || size > EARLY_MAX || hdrlen || tolen || s->sendflags ||
	    s->type != SOCK_STREAM || s->proto != IPPROTO_TCP ||
	    s->wr_shut || !list_empty(&s->writers) ||
	    !list_empty(&s->unsent))
		return false;
	return poll(&pfd, 1, 0) == 1 && pfd.revents == POLLOUT;
}

/* An answered write's bytes that the socket did not take: nobody to tell
 * when the socket closes. */
static void unsent_abort(struct park *p, int err)
{
	(void)err;
	wpark_free(container_of(p, struct wpark, p));
}

/* Answers a write that early_ok() allowed, then sends it: true when
 * done, false (nothing answered) without the memory to keep the bytes.
 * Should the socket take less after all (the kernel short of memory), the
 * rest waits answered in s->unsent, ahead of later writes, as bytes in a
 * send buffer do; its copy is made and charged before the answer, so that
 * no answered byte is lost for want of memory. A send that fails after
 * the answer is one whose error the peer sent meanwhile: it is the
 * socket's, for the next call, as when the kernel's own send buffer holds
 * the bytes. */
static bool early_write(req_t req, struct sock *s, const char *buf,
			size_t size, const struct ucred *who)
{
	struct wpark *wp = malloc(sizeof(*wp) + size);
	size_t done = 0;
	int r;

	if (!wp)
		return false;
	wp->who = *who;
	wp->charged = 0;
	if (wpark_charge(wp, size) < 0) {
		free(wp);
		return false;
	}
	req_written(req, size);
	r = send_some(s, buf, size, &done, NULL, 0, who);
	if (r != -EAGAIN) {
		if (r < 0)
			send_failed(s, -r, size);
		wpark_free(wp);
		return true;
	}
	wp->sent = done;
	wp->hdrlen = 0;
	wp->len = size - done;
	wp->done = 0;
	wp->tolen = 0;
	wp->rj = NULL;
	memcpy(wp->buf, buf + done, wp->len);
	wpark_charge(wp, wp->len);	/* less: cannot fail */
	wp->p.req = NULL;
	wp->p.of = NULL;
	wp->p.abort = unsent_abort;
	wp->p.timer.slot = 0;
	wp->p.counted = false;
	list_add_tail(&s->unsent, &wp->p.link);
	return true;
}

/* A parked read of size bytes; a WAITALL one (all) has a buffer of that
 * size. NULL when out of memory. */
static struct rpark *rpark_new(req_t req, size_t size,
			       const struct data_hdr *hdr, bool all)
{
	struct rpark *rp = malloc(sizeof(*rp) + (all ? size : 0));

	if (!rp)
		return NULL;
	rp->p.req = req;
	rp->size = size;
	rp->hdr = hdr;
	rp->all = all;
	rp->got = 0;
	return rp;
}

/* A WAITALL read: its own buffer, filled as data comes (see waitall). */
static void read_all(req_t req, struct ofile *of, size_t size)
{
	struct sock *s = of->s;
	struct rpark *rp;
	int r;

	if (size > nfs.scratch_size)
		size = nfs.scratch_size;	/* FUSE's largest read */
	rp = rpark_new(req, size, NULL, true);
	if (!rp) {
		req_err(req, ENOMEM);
		return;
	}
	/* Readers are served in order: only the first takes data now. */
	if (list_empty(&s->readers)) {
		r = waitall_pull(s, rp);
		if (r != 0) {
			waitall_answer(s, rp, r);
			return;
		}
	}
	r = park_start(&rp->p, &s->readers, req, of, s->timeout, read_abort);
	if (r < 0)
		read_abort(&rp->p, -r);
}

void data_read_msg(req_t req, struct ofile *of, size_t size, off_t off,
		   int flags, bool from)
{
	data_read_hdr(req, of, size, off, flags, from ? &recvfrom_hdr : NULL);
}

void data_read_hdr(req_t req, struct ofile *of, size_t size, off_t off,
		   int flags, const struct data_hdr *from)
{
	struct sock *s = of->s;
	struct rpark *rp;
	int r;

	r = usable(s);
	if (r < 0) {
		sock_failed(s, -r, "receiving");
		req_err(req, -r);
		return;
	}
	/* A read over max_pages comes in chunks, and the kernel stops only
	 * at a short one. On a message socket a later chunk (off > 0) is
	 * the same read(2), which has had its one message: it ends there,
	 * never taking the next message. */
	if (off > 0 && (from || sock_is_msg(s))) {
		req_buf(req, NULL, 0);
		return;
	}
	if (!from && off == 0 && waitall(s) &&
	    !nonblocking(s, flags, s->recvflags) && !queued(s, size)) {
		read_all(req, of, size);
		return;
	}
	if (list_empty(&s->readers) &&
	    recv_reply(s, req, size, from) == 0)
		return;
	/* On a stream, a later chunk with nothing there ends the read with
	 * what it has. */
	if (off > 0) {
		req_buf(req, NULL, 0);
		return;
	}
	if (nonblocking(s, flags, s->recvflags)) {
		sock_failed(s, EAGAIN, "receiving");
		req_err(req, EAGAIN);
		return;
	}
	rp = rpark_new(req, size, from, false);
	if (!rp) {
		req_err(req, ENOMEM);
		return;
	}
	r = park_start(&rp->p, &s->readers, req, of, s->timeout, read_abort);
	if (r < 0)
		read_abort(&rp->p, -r);
}

static void data_read(req_t req, struct ofile *of, size_t size,
		      off_t off, int flags)
{
	data_read_msg(req, of, size, off, flags, false);
}

/* A sendto to a unix path, made by a worker (pathcall.h), is done. */
static void path_sent(struct rjob *j)
{
	struct pathcall *pc = container_of(j, struct pathcall, j);
	struct wpark *wp = j->arg;
	struct sock *s;
	int err = pc->err;

	if (j->cancelled) {
		pathcall_free(pc);
		return;
	}
	s = wp->p.of->s;
	wp->rj = NULL;
	park_end(&wp->p);
	if (err) {
		/* The worker gave up at the socket's deadline. */
		if (err == EAGAIN && pc->deadline > 0)
			err = ETIMEDOUT;
		send_failed(s, err, pc->size);
		req_err(wp->p.req, err);
	} else {
		s->tx_bytes += pc->sent;
		s->tx_calls++;
		req_written(wp->p.req, wp->hdrlen + pc->sent);
	}
	wpark_free(wp);
	pathcall_free(pc);
	data_serve(s);
}

/* A datagram to a unix path: the path is walked on a worker, as the
 * writer, never on the loop thread. */
static void write_to_path(req_t req, struct ofile *of, const char *buf,
			  size_t size, size_t hdrlen, int flags,
			  const struct sockaddr *to, socklen_t tolen)
{
	struct sock *s = of->s;
	struct pathcall *pc;
	struct wpark *wp;
	struct cred c;
	int r;

	cred_of_req(req, &c);
	wp = calloc(1, sizeof(*wp));
	if (!wp) {
		req_err(req, ENOMEM);
		return;
	}
	wp->who = writer(req);
	r = wpark_charge(wp, size);
	pc = r == 0 ? pathcall_new(PC_SEND, s->fd, &c, buf, size) : NULL;
	if (!pc) {
		wpark_free(wp);
		req_err(req, r < 0 ? -r : ENOMEM);
		return;
	}
	memcpy(&pc->to, to, tolen);
	pc->tolen = tolen;
	pc->flags = s->sendflags;
	pc->deadline = nonblocking(s, flags, s->sendflags) ? 0 :
		       s->timeout > 0 ? mono_ns() + s->timeout : -1;
	pc->j.done = path_sent;
	pc->j.arg = wp;
	wp->hdrlen = hdrlen;
	wp->len = size;
	wp->rj = &pc->j;
	r = park_start(&wp->p, &s->writers, req, of,
		       s->timeout > 0 ? s->timeout : -1, write_abort);
	if (r < 0) {
		wp->rj = NULL;
		pathcall_free(pc);
		write_abort(&wp->p, -r);
		return;
	}
	r = pathcall_submit(pc);
	if (r < 0) {
		wp->rj = NULL;
		pathcall_free(pc);
		park_end(&wp->p);
		sock_seterr(s, EAGAIN, "sendto: too many path calls in "
			    "progress");
		write_abort(&wp->p, EAGAIN);
	}
}

void data_write_to(req_t req, struct ofile *of, const char *buf,
		   size_t size, size_t hdrlen, int flags,
		   const struct sockaddr *to, socklen_t tolen)
{
	struct sock *s = of->s;
	struct ucred who = writer(req);
	struct wpark *wp;
	size_t done = 0;
	int r;

	r = usable(s);
	if (r < 0) {
		sock_failed(s, -r, "sending");
		req_err(req, -r);
		return;
	}
	if (tolen > sizeof(wp->to)) {
		req_err(req, EINVAL);
		return;
	}
	/* The kernel hands a big write to FUSE in pieces of up to max_pages
	 * (1 MiB, the scratch size), cut at page boundaries of the
	 * writer's buffer, so the first piece of a split write has more
	 * than 1 MiB less a page. netfs cannot tell pieces from writes of
	 * their own: it refuses such a piece rather than send a message
	 * in parts. A smaller write is always whole. */
	if (sock_is_msg(s) && hdrlen + size > write_whole_max()) {
		char d[128];

		snprintf(d, sizeof(d), "a message over %zu bytes may come "
			 "in pieces through FUSE and cannot be sent whole",
			 write_whole_max());
		sock_seterr(s, EMSGSIZE, d);
		req_err(req, EMSGSIZE);
		return;
	}
	if (tolen && addr_walks_path(to, tolen)) {
		write_to_path(req, of, buf, size, hdrlen, flags, to, tolen);
		return;
	}
	if (early_ok(s, size, hdrlen, tolen) &&
	    early_write(req, s, buf, size, &who))
		return;
	r = list_empty(&s->writers) && list_empty(&s->unsent) ?
	    send_some(s, buf, size, &done, to, tolen, &who) : -EAGAIN;
	if (r == 0) {
		req_written(req, hdrlen + done);
		return;
	}
	if (r != -EAGAIN) {
		send_failed(s, -r, size);
		reply_sent(req, hdrlen, done, -r);
		return;
	}
	if (nonblocking(s, flags, s->sendflags)) {
		if (!done)
			sock_failed(s, EAGAIN, "sending");
		reply_sent(req, hdrlen, done, EAGAIN);
		return;
	}
	/* The request buffer is the front-end's and is reused for the next
	 * request: keep a copy of what is left. */
	wp = malloc(sizeof(*wp) + size - done);
	if (!wp) {
		reply_sent(req, hdrlen, done, ENOMEM);
		return;
	}
	wp->who = who;
	wp->charged = 0;
	r = wpark_charge(wp, size - done);
	if (r < 0) {
		sock_seterr(s, -r, err_detail());
		reply_sent(req, hdrlen, done, -r);
		free(wp);
		return;
	}
	wp->sent = done;
	wp->hdrlen = hdrlen;
	wp->len = size - done;
	wp->done = 0;
	wp->tolen = tolen;
	wp->rj = NULL;
	if (tolen)
		memcpy(&wp->to, to, tolen);
	memcpy(wp->buf, buf + done, wp->len);
	r = park_start(&wp->p, &s->writers, req, of, s->timeout, write_abort);
	if (r < 0) {
		if (!done)
			sock_failed(s, -r, "sending");
		write_abort(&wp->p, -r);
	}
}

static void data_write(req_t req, struct ofile *of, const char *buf,
		       size_t size, int flags)
{
	data_write_to(req, of, buf, size, 0, flags, NULL, 0);
}

/* The lookup of a sendto address is done: the write takes its place in
 * the queue, or fails with the lookup's error. */
static void looked_up(struct rjob *j)
{
	struct wpark *wp = j->arg;
	struct sock *s;
	char d[320];

	if (j->cancelled) {
		if (j->res)
			freeaddrinfo(j->res);
		free(j);
		return;
	}
	s = wp->p.of->s;
	wp->rj = NULL;
	if (!j->gai && j->res && j->res->ai_addrlen <= sizeof(wp->to)) {
		memcpy(&wp->to, j->res->ai_addr, j->res->ai_addrlen);
		wp->tolen = j->res->ai_addrlen;
	} else {
		int err = j->gai ? gai_to_errno(j->gai, j->sys_errno) : ENOENT;

		snprintf(d, sizeof(d), "sendto: lookup of '%s': %s", j->host,
			 j->gai ? gai_strerror(j->gai) : "no address");
		park_end(&wp->p);
		sock_seterr(s, err, d);
		req_err(wp->p.req, err);
		wpark_free(wp);
	}
	if (j->res)
		freeaddrinfo(j->res);
	free(j);
	data_serve(s);
}

void data_write_named(req_t req, struct ofile *of, const char *buf,
		      size_t size, size_t hdrlen, const struct addrspec *a)
{
	struct sock *s = of->s;
	struct wpark *wp;
	struct rjob *j;
	int r = usable(s);

	if (r < 0) {
		req_err(req, -r);
		return;
	}
	wp = calloc(1, sizeof(*wp) + size);
	j = calloc(1, sizeof(*j));
	if (wp)
		wp->who = writer(req);
	r = wp && j ? wpark_charge(wp, size) : -ENOMEM;
	if (r < 0) {
		wpark_free(wp);
		free(j);
		req_err(req, -r);
		return;
	}
	wp->sent = wp->done = 0;
	wp->hdrlen = hdrlen;
	wp->len = size;
	wp->tolen = 0;
	wp->rj = j;
	memcpy(wp->buf, buf, size);
	j->work = rjob_getaddrinfo;
	j->done = looked_up;
	j->arg = wp;
	j->uid = req_ctx(req)->uid;
	memcpy(j->host, a->host, sizeof(j->host));
	memcpy(j->serv, a->serv, sizeof(j->serv));
	j->nohost = a->any;
	j->hints.ai_family = s->family;
	j->hints.ai_socktype = s->type;
	/* Non-blocking mode does not fail a lookup: it waits unbounded. */
	r = park_start(&wp->p, &s->writers, req, of,
		       s->timeout > 0 ? s->timeout : -1, write_abort);
	if (r < 0) {
		wp->rj = NULL;
		free(j);
		write_abort(&wp->p, -r);
		return;
	}
	r = resolver_submit(j);
	if (r < 0) {
		wp->rj = NULL;
		free(j);
		park_end(&wp->p);
		sock_seterr(s, EAGAIN, "sendto: too many lookups in progress");
		write_abort(&wp->p, EAGAIN);
	}
}

void data_serve(struct sock *s)
{
	struct park *p;

	while ((p = list_first(&s->readers, struct park, link))) {
		struct rpark *rp = container_of(p, struct rpark, p);

		if (rp->all) {
			int r = waitall_pull(s, rp);

			if (r == 0)
				break;
			park_end(p);
			waitall_answer(s, rp, r);
			continue;
		}
		if (recv_reply(s, p->req, rp->size, rp->hdr) ==
		    -EAGAIN)
			break;
		park_end(p);
		free(rp);
	}
	/* Answered bytes go first: every later write follows them. */
	while ((p = list_first(&s->unsent, struct park, link))) {
		struct wpark *wp = container_of(p, struct wpark, p);
		int r = send_some(s, wp->buf, wp->len, &wp->done, NULL, 0,
				  &wp->who);

		if (r == -EAGAIN)
			return;
		park_end(p);
		if (r < 0)
			send_failed(s, -r, wp->len);
		wpark_free(wp);
	}
	while ((p = list_first(&s->writers, struct park, link))) {
		struct wpark *wp = container_of(p, struct wpark, p);
		int r;

		if (wp->rj)
			break;	/* its address is still being looked up */
		r = send_some(s, wp->buf, wp->len, &wp->done,
			      wp->tolen ? (struct sockaddr *)&wp->to : NULL,
			      wp->tolen, &wp->who);
		if (r == -EAGAIN)
			break;
		park_end(p);
		if (r < 0) {
			send_failed(s, -r, wp->len);
			write_abort(p, -r);
			continue;
		}
		req_written(p->req, wp->hdrlen + wp->sent + wp->done);
		wpark_free(wp);
	}
}

unsigned data_poll(struct ofile *of)
{
	struct sock *s = of->s;
	struct pollfd pfd;

	if (s->fd < 0)
		return POLLHUP | (s->state == SS_CLOSED ? POLLERR : 0);
	pfd.fd = s->fd;
	pfd.events = POLLIN | POLLOUT | POLLRDHUP | POLLPRI;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) < 0)
		return POLLERR;
	return (unsigned)pfd.revents;
}

const struct fileops data_ops = {
	.read = data_read,
	.write = data_write,
	.poll = data_poll,
};
