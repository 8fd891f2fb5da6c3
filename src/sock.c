/* sock.c: socket objects, their registry and their readiness events (see
 * sock.h). */
#include "sock.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accept.h"
#include "data.h"
#include "dial.h"
#include "errors.h"
#include "limits.h"
#include "log.h"
#include "names.h"
#include "netfs.h"
#include "park.h"
#include "perm.h"
#include "tree.h"

static void idle_arm(struct sock *s);

static struct htab by_id, by_name;
static struct list all = { &all, &all };
static uint64_t next_id = 1;	/* object 0 is the root level */

static bool all_digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

static int check_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > SOCK_NAME_MAX)
		return errf(ENAMETOOLONG, "socket names have 1 to %d bytes",
			    SOCK_NAME_MAX);
	if (all_digits(name, n))
		return errf(EINVAL, "numeric names are kept for sockets "
			    "netfs numbers itself");
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    strchr(name, '/'))
		return errf(EINVAL, "bad socket name");
	if (tree_root_has(name))
		return errf(EEXIST, "'%s' is a file of the root", name);
	return 0;
}

int sock_check_room(void)
{
	if (nfs.max_sockets && nfs.nsocks >= nfs.max_sockets)
		return errf(EMFILE, "the mount holds %u sockets "
			    "(-o max_sockets)", nfs.max_sockets);
	return 0;
}

struct sock *sock_new(const char *name, uid_t uid, gid_t gid, int *err)
{
	struct sock *s;
	int r;

	r = sock_check_room();
	if (r < 0) {
		*err = -r;
		return NULL;
	}
	err_clear();
	r = limit_take(uid, L_SOCKETS);
	if (r < 0) {
		*err = -r;
		return NULL;
	}
	if (name) {
		r = check_name(name);
		if (r == 0 && sock_by_name(name, strlen(name)))
			r = errf(EEXIST, "a socket named '%s' exists", name);
		if (r < 0) {
			limit_release(uid, L_SOCKETS);
			*err = -r;
			return NULL;
		}
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		limit_release(uid, L_SOCKETS);
		*err = ENOMEM;
		return NULL;
	}
	s->charged = uid;
	s->id = next_id;
	if (name)
		snprintf(s->name, sizeof(s->name), "%s", name);
	else
		snprintf(s->name, sizeof(s->name), "%llu",
			 (unsigned long long)s->id);
	if (ht_insert(&by_id, &s->by_id, hash_u64(s->id)) < 0)
		goto nomem;
	if (ht_insert(&by_name, &s->by_name,
		      hash_bytes(s->name, strlen(s->name))) < 0) {
		ht_remove(&by_id, &s->by_id);
		goto nomem;
	}
	next_id++;
	s->refs = 1;
	s->fd = -1;
	s->w.fd = -1;
	s->uid = uid;
	s->gid = gid;
	s->mode = 0700;
	s->timeout = nfs.default_timeout;
	s->idle = nfs.default_idle;
	clock_gettime(CLOCK_REALTIME, &s->ctime);
	list_init(&s->ofiles);
	list_init(&s->readers);
	list_init(&s->writers);
	list_init(&s->unsent);
	list_init(&s->acceptors);
	list_add_tail(&all, &s->all);
	nfs.nsocks++;
	/* No file is open yet: a socket nobody ever opens is idle too. */
	idle_arm(s);
	return s;
nomem:
	limit_release(uid, L_SOCKETS);
	free(s);
	*err = ENOMEM;
	return NULL;
}

struct sock *sock_by_id(uint64_t id)
{
	uint64_t h = hash_u64(id);
	struct hnode *n;

	for (n = ht_chain(&by_id, h); n; n = n->next) {
		struct sock *s = container_of(n, struct sock, by_id);

		if (n->hash == h && s->id == id)
			return s;
	}
	return NULL;
}

struct sock *sock_by_name(const char *name, size_t len)
{
	uint64_t h = hash_bytes(name, len);
	struct hnode *n;

	for (n = ht_chain(&by_name, h); n; n = n->next) {
		struct sock *s = container_of(n, struct sock, by_name);

		if (n->hash == h && strlen(s->name) == len &&
		    memcmp(s->name, name, len) == 0)
			return s;
	}
	return NULL;
}

void sock_foreach(void (*fn)(struct sock *s, void *arg), void *arg)
{
	struct list *pos, *tmp;

	list_for_each_safe(pos, tmp, &all)
		fn(container_of(pos, struct sock, all), arg);
}

void sock_get(struct sock *s)
{
	s->refs++;
}

void sock_put(struct sock *s)
{
	if (--s->refs)
		return;
	free(s->errtext);
	free(s->fmodes);
	free(s);
}

static void sock_event(struct watch *w, uint32_t events)
{
	struct sock *s = container_of(w, struct sock, w);

	sock_get(s);		/* a reply below may close it */
	if (s->dial)
		dial_event(s, events);
	sock_kick(s);
	sock_notify_pollers(s);
	sock_put(s);
}

int sock_attach_fd(struct sock *s, int fd, int family, int type, int proto)
{
	int r;

	r = watch_add(&s->w, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
		      sock_event);
	if (r < 0) {
		close(fd);
		return errf(-r, "epoll");
	}
	/* What the kernel chose for protocol 0, asked only where the family
	 * does not say: inet's stream is TCP and its dgram UDP. */
	if (proto == 0 && (family == AF_INET || family == AF_INET6) &&
	    (type == SOCK_STREAM || type == SOCK_DGRAM))
		proto = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
	if (proto == 0 && family != AF_UNIX) {
		socklen_t len = sizeof(proto);

		if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) < 0)
			proto = 0;
	}
	/* The kernel's word on the type: a unix raw socket is made dgram.
	 * Inet sockets keep the type they were made with. */
	if (family != AF_INET && family != AF_INET6) {
		socklen_t len = sizeof(int);
		int t;

		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &t, &len) == 0)
			type = t;
	}
	s->fd = fd;
	s->family = family;
	s->type = type;
	s->proto = proto;
	s->state = SS_OPEN;
	return 0;
}

int sock_create_fd(struct sock *s, int family, int type, int proto,
		   const struct cred *as)
{
	int fd, r = act_as(as);

	if (r < 0)
		return errf(-r, "acting as uid %u", as->uid);
	fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		r = -errno;
	act_as_daemon();
	if (fd < 0)
		return socket_errf(-r, "socket", family, type, proto);
	return sock_attach_fd(s, fd, family, type, proto);
}

/* One system call as `as`: begin_as() switches (0, or a negative errno
 * with a detail), end_as() takes the call's result and switches back,
 * giving 0 or -errno. */
static int begin_as(const struct cred *as)
{
	int r = act_as(as);

	return r < 0 ? errf(-r, "acting as uid %u", as->uid) : 0;
}

static int end_as(int rc)
{
	int r = rc < 0 ? -errno : 0;

	act_as_daemon();
	return r;
}

int sock_setopt(struct sock *s, int level, int name, const void *val,
		socklen_t len, const struct cred *as)
{
	int r = begin_as(as);

	if (r == 0)
		r = end_as(setsockopt(s->fd, level, name, val, len));
	return r < 0 ? errf(-r, "setsockopt level %d option %d", level,
			    name) : 0;
}

int sock_listen(struct sock *s, int backlog, const struct cred *as)
{
	int r = begin_as(as);

	if (r == 0)
		r = end_as(listen(s->fd, backlog));
	return r < 0 ? errf(-r, "listen in state %s",
			    sock_state_name(s->state)) : 0;
}

/* Options that put a descriptor in the caller's table: through netfs the
 * table is the daemon's, where nobody would ever close it. */
static bool returns_fd(int level, int name)
{
#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif
	return level == SOL_SOCKET && name == SO_PEERPIDFD;
}

int sock_getopt(struct sock *s, int level, int name, void *val,
		socklen_t *len, const struct cred *as)
{
	int r;

	if (returns_fd(level, name))
		return errf(EOPNOTSUPP, "getsockopt level %d option %d returns "
			    "a descriptor, which would stay in netfs", level,
			    name);
	r = begin_as(as);
	if (r == 0)
		r = end_as(getsockopt(s->fd, level, name, val, len));
	return r < 0 ? errf(-r, "getsockopt level %d option %d", level,
			    name) : 0;
}

/* close(2) of a socket with SO_LINGER on and a time waits, in the call,
 * until its data is gone or the time is up: on the loop thread that would
 * stop every other socket and request. Lingering is turned off first; the
 * kernel still sends what is left after the close, as it does without the
 * option. SO_LINGER 1 0 (close with a reset) never waits and is kept. */
static void no_lingering(int fd)
{
	struct linger lg;
	socklen_t len = sizeof(lg);

	if (getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len) == 0 &&
	    lg.l_onoff && lg.l_linger > 0) {
		lg.l_onoff = 0;
		lg.l_linger = 0;
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
}

void sock_drop_fd(struct sock *s)
{
	if (s->fd < 0)
		return;
	watch_del(&s->w);
	/* Bytes answered but not sent belong to this connection. */
	park_abort_all(&s->unsent, EBADF);
	if (s->family != AF_UNIX)
		no_lingering(s->fd);
	loop_close_later(s->fd);
	s->fd = -1;
	s->state = SS_IDLE;
	s->fd_implicit = false;
	s->rd_shut = s->wr_shut = false;
}

void sock_close(struct sock *s)
{
	if (s->state == SS_CLOSED)
		return;
	sock_get(s);
	ht_remove(&by_id, &s->by_id);
	ht_remove(&by_name, &s->by_name);
	list_del(&s->all);
	nfs.nsocks--;
	limit_release(s->charged, L_SOCKETS);
	sock_drop_fd(s);
	tree_inval_kept(s);
	/* Closed before anyone is told, so that a waiter reacting to the
	 * failures below finds the socket gone and does not close it again. */
	s->state = SS_CLOSED;
	timer_stop(&s->idle_timer);
	dial_cancel(s);
	park_abort_all(&s->readers, EBADF);
	park_abort_all(&s->writers, EBADF);
	park_abort_all(&s->acceptors, EBADF);
	sock_notify_pollers(s);
	s->refs--;		/* the tree's; ours keeps s alive to here */
	sock_put(s);
}

void sock_close_all(void)
{
	struct sock *s;

	while ((s = list_first(&all, struct sock, all)))
		sock_close(s);
	ht_free(&by_id);
	ht_free(&by_name);
}

/* --- lifetimes: ephemeral and idle --- */

static void idle_expired(struct timer *t)
{
	struct sock *s = container_of(t, struct sock, idle_timer);
	char d[32];

	if (s->nopen || s->state == SS_CLOSED || s->state == SS_LISTENING)
		return;		/* armed again at the next last close */
	if (s->dial) {
		idle_arm(s);	/* a connect or lookup still going on */
		return;
	}
	format_timeout(d, sizeof(d), s->idle);
	log_debug("%s: closed after %s s with no file open", s->name, d);
	sock_close(s);
}

/* Not for listeners: a server loop that serves one connection at a time
 * has no file open in its listener meanwhile. */
static void idle_arm(struct sock *s)
{
	if (s->idle > 0 && s->state != SS_LISTENING)
		timer_set(&s->idle_timer, mono_ns() + s->idle, idle_expired);
}

void sock_unused(struct sock *s)
{
	if (s->state == SS_CLOSED)
		return;
	/* Plan 9 lifetime: gone with its last open file. */
	if (s->ephemeral && !s->ephemeral_wait) {
		sock_close(s);
		return;
	}
	idle_arm(s);
}

bool sock_io_file(unsigned code)
{
	switch (code) {
	case C_DATA:
	case C_ACCEPT:
	case C_RECVFROM:
	case C_SENDTO:
	case C_P9_DATA:
	case C_P9_LISTEN:
		return true;
	default:
		return false;
	}
}

void sock_set_ephemeral(struct sock *s)
{
	struct list *pos, *tmp;

	s->ephemeral = true;
	s->ephemeral_wait = true;
	list_for_each_safe(pos, tmp, &s->ofiles) {
		const struct ofile *of = container_of(pos, struct ofile, link);

		if (sock_io_file(of->def->code))
			s->ephemeral_wait = false;
	}
}

int sock_parse_idle(struct field f, int64_t *ns)
{
	int r = parse_timeout(f, ns);

	if (r == 0 && *ns == 0)
		r = errf(EINVAL, "an idle time is none or seconds above 0");
	return r;
}

void sock_seterr(struct sock *s, int err, const char *detail)
{
	struct strbuf sb = { 0 };

	free(s->errtext);
	s->errtext = NULL;
	s->err = err;
	if (!err)
		return;
	if (err_format(&sb, err, detail) == 0)
		s->errtext = sb.buf;
	log_debug("%s: %s", s->name, sb.buf ? sb.buf : "out of memory");
}

void sock_failed(struct sock *s, int err, const char *what)
{
	char d[96], t[32];

	if (s->state == SS_CLOSED)
		return;
	switch (err) {
	case ETIMEDOUT:
		format_timeout(t, sizeof(t), s->timeout);
		snprintf(d, sizeof(d), "%s: timed out after %s s", what, t);
		break;
	case EINTR:
		snprintf(d, sizeof(d), "%s: interrupted", what);
		break;
	case EAGAIN:
		snprintf(d, sizeof(d), "%s: would block", what);
		break;
	case ENOTCONN:
		snprintf(d, sizeof(d), "%s: the socket has no descriptor yet",
			 what);
		break;
	default:
		snprintf(d, sizeof(d), "%s", what);
	}
	sock_seterr(s, err, d);
}

void sock_kick(struct sock *s)
{
	if (s->fd < 0)
		return;
	if (!list_empty(&s->readers) || !list_empty(&s->writers) ||
	    !list_empty(&s->unsent))
		data_serve(s);
	if (!list_empty(&s->acceptors) && s->fd >= 0)
		accept_serve(s);
}

void sock_notify_pollers(struct sock *s)
{
	struct list *pos, *tmp;

	list_for_each_safe(pos, tmp, &s->ofiles) {
		struct ofile *of = container_of(pos, struct ofile, link);

		if (of->ph)
			pollh_notify(of->ph);
	}
}

mode_t sock_file_mode(const struct sock *s, unsigned code)
{
	unsigned i;

	for (i = 0; i < s->nfmodes; i++)
		if (s->fmodes[i].code == code)
			return s->fmodes[i].mode;
	return 0;
}

int sock_set_file_mode(struct sock *s, unsigned code, mode_t mode)
{
	struct fmode *f;
	unsigned i;

	for (i = 0; i < s->nfmodes; i++) {
		if (s->fmodes[i].code == code) {
			s->fmodes[i].mode = (uint16_t)mode;
			return 0;
		}
	}
	f = realloc(s->fmodes, (s->nfmodes + 1) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	s->fmodes = f;
	f[s->nfmodes].code = (uint16_t)code;
	f[s->nfmodes].mode = (uint16_t)mode;
	s->nfmodes++;
	return 0;
}

bool sock_is_msg(const struct sock *s)
{
	return s->type != SOCK_STREAM;
}

const char *sock_state_name(enum sstate st)
{
	static const char *const names[] = {
		[SS_IDLE] = "idle",
		[SS_OPEN] = "open",
		[SS_BOUND] = "bound",
		[SS_LISTENING] = "listening",
		[SS_CONNECTING] = "connecting",
		[SS_CONNECTED] = "connected",
		[SS_CLOSED] = "closed",
	};

	return names[st];
}
