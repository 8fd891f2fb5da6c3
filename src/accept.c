/* accept.c: connections accepted on a listening socket (see accept.h),
 * and the accept file: each read accepts one connection, makes it a
 * socket of the tree owned like the listener, and returns its name and a
 * newline; a reader that takes fewer bytes (the shell's `read` takes one
 * at a time) gets the rest on its next reads before another connection is
 * accepted. */
#include "accept.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "netfs.h"
#include "sock.h"
#include "tree.h"

/* Accepts one connection as a socket of the tree: 0 and *c, -EAGAIN, or
 * another negative errno, recorded in the listener's error. */
static int accept_one(struct sock *s, struct sock **c)
{
	int fd, r, err, tries;

	err_clear();
	/* Before accept4(): take no connection that no socket could hold. */
	r = sock_check_room();
	if (r < 0)
		goto fail;
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
		r = errf(err, "accepting");
		goto fail;
	}
	*c = sock_new(NULL, s->uid, s->gid, &err);
	if (!*c) {
		close(fd);
		r = -err;
		goto fail;
	}
	(*c)->mode = s->mode;
	r = sock_attach_fd(*c, fd, s->family, s->type, s->proto);
	if (r < 0) {
		sock_close(*c);
		goto fail;
	}
	(*c)->state = SS_CONNECTED;
	s->accepted++;
	return 0;
fail:
	sock_seterr(s, -r, err_detail());
	return r;
}

static void apark_abort(struct park *p, int err)
{
	struct apark *ap = container_of(p, struct apark, p);

	sock_failed(p->of->s, err, "accepting");
	ap->take(ap, NULL, err);
}

int accept_wait(struct sock *s, struct apark *ap, req_t req,
		struct ofile *of, bool nonblock)
{
	struct sock *c = NULL;
	int r = -EAGAIN;

	ap->p.req = req;
	ap->p.of = of;
	if (list_empty(&s->acceptors))
		r = accept_one(s, &c);
	if (r != -EAGAIN) {
		ap->take(ap, c, -r);
		return 0;
	}
	if (nonblock)
		return -EAGAIN;
	r = park_start(&ap->p, &s->acceptors, req, of, s->timeout,
		       apark_abort);
	if (r < 0) {
		sock_failed(s, -r, "accepting");
		ap->take(ap, NULL, -r);
	}
	return 0;
}

void accept_serve(struct sock *s)
{
	struct park *p;

	while ((p = list_first(&s->acceptors, struct park, link))) {
		struct apark *ap = container_of(p, struct apark, p);
		struct sock *c = NULL;
		int r = accept_one(s, &c);

		if (r == -EAGAIN)
			break;
		park_end(p);
		ap->take(ap, c, -r);
		/* Out of descriptors: the rest wait for the next arrival. */
		if (r == -EMFILE || r == -ENFILE)
			break;
	}
}

/* --- the accept file --- */

static void read_take(struct apark *ap, struct sock *c, int err)
{
	struct ofile *of = ap->p.of;

	if (c && sb_printf(&of->out, "%s\n", c->name) < 0) {
		sock_close(c);
		c = NULL;
		err = ENOMEM;
	}
	if (c)
		reply_and_consume(ap->p.req, of, ap->size);
	else
		req_err(ap->p.req, err);
	free(ap);
}

static void accept_read(req_t req, struct ofile *of, size_t size,
			off_t off, int flags)
{
	struct sock *s = of->s;
	struct apark *ap;

	if (of->out.len) {
		reply_and_consume(req, of, size);
		return;
	}
	if (s->state != SS_LISTENING) {
		if (s->state != SS_CLOSED)
			sock_seterr(s, EINVAL, "accept: the socket is not "
				    "listening");
		req_err(req, s->state == SS_CLOSED ? EBADF : EINVAL);
		return;
	}
	ap = malloc(sizeof(*ap));
	if (!ap) {
		req_err(req, ENOMEM);
		return;
	}
	ap->take = read_take;
	ap->size = size;
	/* A later chunk of a read over max_pages (off > 0) never waits. */
	if (accept_wait(s, ap, req, of, (flags & O_NONBLOCK) ||
			s->timeout == 0 || off > 0) == -EAGAIN) {
		free(ap);
		if (off > 0) {
			req_buf(req, NULL, 0);
		} else {
			sock_failed(s, EAGAIN, "accepting");
			req_err(req, EAGAIN);
		}
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
