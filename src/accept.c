/* accept.c: the accept file of a listening socket. Each read accepts one
 * connection, makes it a socket of the tree owned like the listener, and
 * returns its name and a newline; a reader that takes fewer bytes (the
 * shell's `read` takes one at a time) gets the rest on its next reads
 * before another connection is accepted. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "netfs.h"
#include "park.h"
#include "sock.h"
#include "tree.h"

struct apark {
	struct park p;
	size_t size;
};

/* Accepts one connection and queues its name on of: 0, -EAGAIN, or
 * another negative errno with a detail. */
static int accept_one(struct sock *s, struct ofile *of)
{
	struct sock *c;
	int fd, r, err, tries;

	if (nfs.max_sockets && nfs.nsocks >= nfs.max_sockets)
		return errf(EMFILE, "the mount holds %u sockets "
			    "(-o max_sockets)", nfs.max_sockets);
	/* Connections that died in the queue are skipped, a few at most. */
	for (tries = 0;; tries++) {
		fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0)
			break;
		err = errno == EWOULDBLOCK ? EAGAIN : errno;
		if ((err == ECONNABORTED || err == EPROTO || err == EINTR) &&
		    tries < 16)
			continue;
		if (err == EAGAIN)
			return -EAGAIN;
		return errf(err, "accepting");
	}
	c = sock_new(NULL, s->uid, s->gid, &err);
	if (!c) {
		close(fd);
		return -err;
	}
	c->mode = s->mode;
	r = sock_attach_fd(c, fd, s->family, s->type, s->proto);
	if (r < 0) {
		sock_close(c);
		return r;
	}
	c->state = SS_CONNECTED;
	s->accepted++;
	r = sb_printf(&of->out, "%s\n", c->name);
	if (r < 0)
		sock_close(c);
	return r;
}

static void accept_abort(struct park *p, int err)
{
	fuse_reply_err(p->req, err);
	free(p);
}

static void accept_read(fuse_req_t req, struct ofile *of, size_t size,
			off_t off, int flags)
{
	struct sock *s = of->s;
	struct apark *ap;
	int r = -EAGAIN;

	if (of->out.len) {
		reply_and_consume(req, of, size);
		return;
	}
	if (s->state != SS_LISTENING) {
		r = s->state == SS_CLOSED ? -EBADF : -EINVAL;
		if (r == -EINVAL)
			sock_seterr(s, EINVAL, "accept: the socket is not "
				    "listening");
		fuse_reply_err(req, -r);
		return;
	}
	err_clear();
	if (list_empty(&s->acceptors))
		r = accept_one(s, of);
	if (r == 0) {
		reply_and_consume(req, of, size);
		return;
	}
	if (r != -EAGAIN) {
		sock_seterr(s, -r, err_detail());
		fuse_reply_err(req, -r);
		return;
	}
	if (off > 0) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if ((flags & O_NONBLOCK) || s->timeout == 0) {
		fuse_reply_err(req, EAGAIN);
		return;
	}
	ap = malloc(sizeof(*ap));
	if (!ap) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	ap->size = size;
	r = park_start(&ap->p, &s->acceptors, req, of, s->timeout,
		       accept_abort);
	if (r < 0)
		accept_abort(&ap->p, -r);
}

void accept_serve(struct sock *s)
{
	struct park *p;

	while ((p = list_first(&s->acceptors, struct park, link))) {
		struct apark *ap = container_of(p, struct apark, p);
		int r;

		err_clear();
		r = accept_one(s, p->of);
		if (r == -EAGAIN)
			break;
		park_end(p);
		if (r == 0) {
			reply_and_consume(p->req, p->of, ap->size);
			free(ap);
		} else {
			sock_seterr(s, -r, err_detail());
			accept_abort(p, -r);
		}
		if (r == -EMFILE || r == -ENFILE)
			break;
	}
}

static unsigned accept_poll(struct ofile *of)
{
	struct sock *s = of->s;
	struct pollfd pfd;

	if (of->out.len)
		return POLLIN;
	if (s->state != SS_LISTENING)
		return POLLHUP | (s->state == SS_CLOSED ? POLLERR : 0);
	pfd.fd = s->fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) < 0)
		return POLLERR;
	return (unsigned)pfd.revents;
}

const struct fileops accept_ops = {
	.read = accept_read,
	.poll = accept_poll,
};
