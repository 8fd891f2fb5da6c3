/* dial.c: resolving and trying addresses for connect, bind and listen (see
 * dial.h). */
#include "dial.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "log.h"
#include "loop.h"
#include "pathcall.h"
#include "resolver.h"
#include "sock.h"

#define TARGETS_MAX 64

struct target {
	struct sockaddr_storage ss;
	socklen_t len;
};

struct dial {
	struct sock *s;
	enum dial_op op;
	int backlog;
	bool reuseaddr;
	bool has_source;
	bool nonblock;		/* EINPROGRESS is the answer, not a wait */
	struct sockaddr_storage src;
	socklen_t srclen;
	int type, proto;	/* for a socket the dial creates */
	struct target *tv;	/* addresses to try, in order */
	size_t n, i;
	struct rjob *rj;	/* lookup in flight */
	struct pathcall *pc;	/* unix path bind or connect in flight */
	struct timer timer;	/* deadline of the current connect */
	int err;		/* the last attempt's failure */
	char detail[300];
	void (*done)(void *arg, int err);
	void *arg;
	struct cred cred;	/* socket, bind and connect act as this */
};

static void note(struct dial *d, int err, const struct target *t,
		 const char *what)
{
	struct strbuf sb = { 0 };

	d->err = err;
	if (t && addr_format((const struct sockaddr *)&t->ss, t->len, &sb) == 0)
		snprintf(d->detail, sizeof(d->detail), "%s %s", what, sb.buf);
	else
		snprintf(d->detail, sizeof(d->detail), "%s", what);
	sb_free(&sb);
}

static void finish(struct dial *d, int err)
{
	struct sock *s = d->s;
	void (*done)(void *, int) = d->done;
	void *arg = d->arg;

	s->dial = NULL;
	timer_stop(&d->timer);
	if (d->rj)
		rjob_cancel(d->rj);	/* its done() frees it */
	if (d->pc)
		rjob_cancel(&d->pc->j);
	if (s->state == SS_CONNECTING)
		s->state = s->fd >= 0 ? SS_OPEN : SS_IDLE;
	/* Once bound or connected, the descriptor is the user's: a later
	 * address of another family is an error, not a new socket. */
	if (err == 0)
		s->fd_implicit = false;
	if (s->state != SS_CLOSED)
		sock_seterr(s, err < 0 ? -err : 0, err < 0 ? d->detail : NULL);
	free(d->tv);
	free(d);
	if (done)
		done(arg, err);
	if (s->state != SS_CLOSED)
		sock_kick(s);
	sock_put(s);
}

/* Makes sure s has a descriptor of the family; an implicit one of
 * another family is replaced. */
static int prepare_fd(struct dial *d, int family)
{
	struct sock *s = d->s;
	int r;

	if (s->fd >= 0 && s->family != family) {
		if (!s->fd_implicit)
			return errf(EAFNOSUPPORT, "address family does not "
				    "match the socket");
		sock_drop_fd(s);
	}
	if (s->fd >= 0)
		return 0;
	r = sock_create_fd(s, family, d->type, family == AF_UNIX ? 0 : d->proto,
			   &d->cred);
	if (r == 0)
		s->fd_implicit = true;
	return r;
}

/* bind(2) or connect(2) as the caller: -1 and errno as the calls give. */
static int call_as(struct dial *d,
		   int (*fn)(int, const struct sockaddr *, socklen_t),
		   const void *sa, socklen_t len)
{
	int r = act_as(&d->cred), rc, err;

	if (r < 0) {
		errno = -r;
		return -1;
	}
	rc = fn(d->s->fd, sa, len);
	err = errno;
	act_as_daemon();
	errno = err;
	return rc;
}

static void failed_attempt(struct dial *d)
{
	struct sock *s = d->s;
	struct sockaddr sa = { .sa_family = AF_UNSPEC };

	if (s->fd_implicit) {
		sock_drop_fd(s);
	} else if (s->fd >= 0) {
		/* Undo a connect still in progress on the user's socket. */
		if (s->state == SS_CONNECTING)
			(void)!connect(s->fd, &sa, sizeof(sa));
		s->state = SS_OPEN;
	}
}

static void on_deadline(struct timer *t);

/* Where a connect in progress stands: 0 when connected, EINPROGRESS while
 * it goes on, or the errno it failed with (reading SO_ERROR clears it).
 * Edge-triggered readiness may be left over from before the connect (an
 * unconnected socket polls writable): only a peer name says the
 * connection is there. */
static int connect_outcome(int fd)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	if (err)
		return err;
	len = sizeof(peer);
	if (getpeername(fd, (void *)&peer, &len) < 0)
		return errno == ENOTCONN ? EINPROGRESS : errno;
	return 0;
}

/* The socket is bound to t: listens when asked to. 0 or a negative errno. */
static int bound(struct dial *d, const struct target *t)
{
	struct sock *s = d->s;
	int r;

	s->state = SS_BOUND;
	if (d->op != DIAL_LISTEN)
		return 0;
	r = sock_listen(s, d->backlog, &d->cred);
	if (r < 0) {
		note(d, -r, t, "listening on");
		return r;
	}
	s->state = SS_LISTENING;
	return 0;
}

static void next(struct dial *d);
static void on_deadline(struct timer *t);

/* A unix path bind or connect made on a worker (pathcall.h) is done. */
static void path_done(struct rjob *j)
{
	struct pathcall *pc = container_of(j, struct pathcall, j);
	struct dial *d = j->arg;
	const struct target *t;
	int r;

	if (j->cancelled) {
		pathcall_free(pc);
		return;
	}
	d->pc = NULL;
	timer_stop(&d->timer);
	t = &d->tv[d->i - 1];
	if (pc->op == PC_CONNECT && pc->src_failed) {
		note(d, pc->err, NULL, "binding the source address");
	} else if (pc->err) {
		note(d, pc->err, t, pc->op == PC_CONNECT ? "connecting to" :
		     "binding to");
	} else if (pc->op == PC_CONNECT) {
		pathcall_free(pc);
		d->s->state = SS_CONNECTED;
		finish(d, 0);
		return;
	} else {
		pathcall_free(pc);
		r = bound(d, t);
		finish(d, r);
		return;
	}
	pathcall_free(pc);
	failed_attempt(d);
	next(d);
}

/* Hands a bind or connect that walks a path to a worker: DIAL_PENDING,
 * or a negative errno with a note. */
static int start_path_call(struct dial *d, const struct target *t)
{
	struct pathcall *pc;
	int r;

	pc = pathcall_new(d->op == DIAL_CONNECT ? PC_CONNECT : PC_BIND,
			  d->s->fd, &d->cred, NULL, 0);
	if (!pc) {
		note(d, errno ? errno : ENOMEM, t, "preparing");
		return -d->err;
	}
	memcpy(&pc->to, &t->ss, t->len);
	pc->tolen = t->len;
	if (d->op == DIAL_CONNECT && d->has_source) {
		memcpy(&pc->src, &d->src, d->srclen);
		pc->srclen = d->srclen;
	}
	pc->j.done = path_done;
	pc->j.arg = d;
	r = pathcall_submit(pc);
	if (r < 0) {
		pathcall_free(pc);
		note(d, -r, t, "too many path calls in progress for");
		return r;
	}
	d->pc = pc;
	if (d->op == DIAL_CONNECT)
		d->s->state = SS_CONNECTING;
	note(d, ETIMEDOUT, t, d->op == DIAL_CONNECT ? "connecting to" :
	     "binding to");
	if (d->s->timeout > 0)
		timer_set(&d->timer, mono_ns() + d->s->timeout, on_deadline);
	return DIAL_PENDING;
}

/* Tries the remaining addresses. 0, DIAL_PENDING or a negative errno. */
static int attempt(struct dial *d)
{
	struct sock *s = d->s;

	while (d->i < d->n) {
		struct target *t = &d->tv[d->i++];
		const struct sockaddr *sa = (const void *)&t->ss;
		int r, one = 1, err;

		r = prepare_fd(d, sa->sa_family);
		if (r < 0) {
			note(d, -r, t, err_detail());
			continue;
		}
		if (d->reuseaddr && d->op != DIAL_CONNECT)
			setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one,
				   sizeof(one));
		/* Nothing a user names may block the loop thread. */
		if (addr_walks_path(sa, t->len) ||
		    (d->op == DIAL_CONNECT && d->has_source &&
		     addr_walks_path((const void *)&d->src, d->srclen))) {
			r = start_path_call(d, t);
			if (r == DIAL_PENDING)
				return r;
			failed_attempt(d);
			continue;
		}
		if (d->op == DIAL_CONNECT) {
			if (d->has_source &&
			    call_as(d, bind, &d->src, d->srclen) < 0) {
				note(d, errno, NULL, "binding the source "
				     "address");
				failed_attempt(d);
				continue;
			}
			err = call_as(d, connect, sa, t->len) == 0 ? 0 : errno;
			/* On loopback the handshake often ran inside the
			 * call: asking once saves the trip through epoll. A
			 * non-blocking connect answers EINPROGRESS, as the
			 * kernel does. */
			if (err == EINPROGRESS && !d->nonblock)
				err = connect_outcome(s->fd);
			if (err == 0) {
				s->state = SS_CONNECTED;
				return 0;
			}
			if (err == EINPROGRESS) {
				s->state = SS_CONNECTING;
				note(d, ETIMEDOUT, t, "connecting to");
				if (s->timeout > 0)
					timer_set(&d->timer,
						  mono_ns() + s->timeout,
						  on_deadline);
				return DIAL_PENDING;
			}
			note(d, err, t, "connecting to");
			failed_attempt(d);
			continue;
		}
		if (call_as(d, bind, sa, t->len) < 0) {
			note(d, errno, t, "binding to");
			failed_attempt(d);
			continue;
		}
		return bound(d, t);
	}
	return -d->err;
}

static void next(struct dial *d)
{
	int r = attempt(d);

	if (r != DIAL_PENDING)
		finish(d, r);
}

static void on_deadline(struct timer *t)
{
	struct dial *d = container_of(t, struct dial, timer);

	/* d->err is ETIMEDOUT since the connect started. */
	if (d->pc) {
		/* A path that does not answer: the worker is left to it. */
		rjob_cancel(&d->pc->j);
		d->pc = NULL;
	}
	failed_attempt(d);
	next(d);
}

void dial_event(struct sock *s, uint32_t events)
{
	struct dial *d = s->dial;
	int err;

	if (!d || s->state != SS_CONNECTING ||
	    !(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
		return;
	err = connect_outcome(s->fd);
	if (err == EINPROGRESS)
		return;
	timer_stop(&d->timer);
	if (err == 0) {
		s->state = SS_CONNECTED;
		finish(d, 0);
		return;
	}
	d->err = err;
	failed_attempt(d);
	next(d);
}

static int add_target(struct dial *d, const struct sockaddr *sa,
		      socklen_t len)
{
	struct target *tv;

	if (d->n == TARGETS_MAX || len > sizeof(struct sockaddr_storage))
		return 0;
	tv = realloc(d->tv, (d->n + 1) * sizeof(*tv));
	if (!tv)
		return -ENOMEM;
	d->tv = tv;
	memset(&tv[d->n], 0, sizeof(tv[d->n]));
	memcpy(&tv[d->n].ss, sa, len);
	tv[d->n].len = len;
	d->n++;
	return 0;
}

static void resolved(struct rjob *j)
{
	struct dial *d = j->arg;
	struct addrinfo *ai;
	int r = 0, gai = j->gai;

	if (j->cancelled) {
		if (j->res)
			freeaddrinfo(j->res);
		free(j);
		return;
	}
	d->rj = NULL;
	if (j->gai) {
		d->err = gai_to_errno(j->gai, j->sys_errno);
		snprintf(d->detail, sizeof(d->detail), "%s: %s", j->host,
			 gai_strerror(j->gai));
		log_info("lookup of '%s': %s", j->host, gai_strerror(j->gai));
	}
	for (ai = j->res; ai && r == 0; ai = ai->ai_next)
		r = add_target(d, ai->ai_addr, ai->ai_addrlen);
	if (j->res)
		freeaddrinfo(j->res);
	free(j);
	if (r < 0) {
		finish(d, r);
		return;
	}
	if (!gai && d->n == 0) {
		d->err = ENOENT;
		snprintf(d->detail, sizeof(d->detail), "no address");
	}
	next(d);
}

static int start_lookup(struct dial *d, const struct addrspec *a, int family)
{
	struct rjob *j = calloc(1, sizeof(*j));
	int r;

	if (!j)
		return -ENOMEM;
	j->work = rjob_getaddrinfo;
	j->done = resolved;
	j->arg = d;
	j->uid = d->cred.uid;
	memcpy(j->host, a->host, sizeof(j->host));
	j->nohost = a->any;
	memcpy(j->serv, a->serv, sizeof(j->serv));
	j->hints.ai_family = family ? family : a->netfamily;
	j->hints.ai_socktype = d->type;
	j->hints.ai_flags = d->op == DIAL_CONNECT ? 0 : AI_PASSIVE;
	r = resolver_submit(j);
	if (r < 0) {
		free(j);
		return errf(EAGAIN, "too many lookups in progress");
	}
	d->rj = j;
	return 0;
}

int dial_start(struct sock *s, const struct dial_req *rq)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct dial *d;
	int family = s->fd >= 0 ? s->family : AF_UNSPEC;
	int r;

	if (s->dial)
		return errf(EALREADY, "a connect or bind is in progress");
	if (rq->op == DIAL_CONNECT && s->state == SS_CONNECTED)
		return errf(EISCONN, "the socket is connected");
	if (s->state == SS_LISTENING)
		return errf(EINVAL, "the socket is listening");
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->s = s;
	d->op = rq->op;
	d->backlog = rq->backlog;
	d->reuseaddr = rq->reuseaddr;
	d->nonblock = rq->op == DIAL_CONNECT && rq->nonblock;
	d->cred = *rq->cred;
	d->type = s->fd >= 0 ? s->type : s->type ? s->type :
		  rq->addr.socktype ? rq->addr.socktype : SOCK_STREAM;
	d->proto = s->fd >= 0 ? s->proto : s->proto ? s->proto : rq->addr.proto;
	d->err = EINVAL;
	if (rq->has_source) {
		r = addr_numeric(&rq->source, family, &d->src, &d->srclen);
		if (r > 0)
			r = errf(EINVAL, "the source address must be numeric");
		if (r < 0)
			goto fail;
		d->has_source = true;
	}
	r = addr_numeric(&rq->addr, family, &ss, &len);
	if (r < 0)
		goto fail;
	sock_get(s);
	s->dial = d;
	if (r == 0) {
		r = add_target(d, (void *)&ss, len);
		if (r == 0)
			r = attempt(d);
	} else {
		r = start_lookup(d, &rq->addr, family);
		if (r == 0)
			r = DIAL_PENDING;
	}
	if (r != DIAL_PENDING) {
		/* finish() records the error text but returns nothing:
		 * keep the detail for the caller's reply too. */
		if (r < 0)
			errf(-r, "%s", d->detail);
		finish(d, r);
		return r;
	}
	if (rq->op == DIAL_CONNECT && rq->nonblock)
		return errf(EINPROGRESS, "the outcome will be in status and "
			    "error");
	d->done = rq->done;
	d->arg = rq->arg;
	return DIAL_PENDING;
fail:
	free(d);
	return r;
}

void dial_cancel(struct sock *s)
{
	struct dial *d = s->dial;

	if (!d)
		return;
	snprintf(d->detail, sizeof(d->detail), "the socket was closed");
	finish(d, -EBADF);
}

void dial_detach(struct sock *s)
{
	if (s->dial) {
		s->dial->done = NULL;
		s->dial->arg = NULL;
	}
}
