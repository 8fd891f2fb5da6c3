/* ctl.c: the control files. /net/ctl makes sockets; NAME/ctl drives one.
 *
 * A write holds one or more commands, one per line, run in order; the
 * first failure stops the rest and fails the write with its errno, its
 * text going to the socket's `error`. A command that must wait (connect,
 * or a name to look up) parks the write; the dial's completion resumes
 * the remaining lines. Every command written to a /net/ctl session leaves
 * exactly one reply line, the new name(s) or "error ...", read back from
 * the same open file, so a script stays in step without races. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "cmds.h"
#include "ctl.h"
#include "dial.h"
#include "errors.h"
#include "log.h"
#include "names.h"
#include "netfs.h"
#include "p9hdr.h"
#include "park.h"
#include "perm.h"
#include "sock.h"
#include "sockopt.h"
#include "tree.h"

struct ctljob;
typedef int (*cmd_fn)(struct ctljob *j, const struct cmdline *cl);

struct ctljob {
	struct park p;		/* while a command waits for its dial */
	const struct cmdtab *table;
	struct ofile *of;
	bool root;		/* a /net/ctl session */
	bool nonblock;		/* O_NONBLOCK on the file */
	req_t req;
	const char *text;	/* the commands; a private copy once parked */
	char *copy;
	size_t len, pos, total;
	struct cred cred;	/* who the commands act for: the opener */
	struct sock *waiting;	/* whose dial the job waits for */
	struct sock *made[2];	/* /net/ctl: the sockets the command made */
};

static struct list parked = { &parked, &parked };

/* Unread replies one open file may hold; past it, or past its opener's
 * memory cap, the next command fails with ENOBUFS until they are read. */
#define REPLY_MAX (1u << 20)
/* The longest command line that may straddle two pieces of a write. */
#define CARRY_MAX (64u << 10)

static void run(struct ctljob *j);

/* The socket commands act on: the file's, or the one just made. */
static struct sock *target(struct ctljob *j)
{
	return j->root ? j->made[0] : j->of->s;
}

static int parse_addr(const struct cmdline *cl, int first, int family,
		      struct addrspec *a, int *next)
{
	int used, r;

	r = addr_parse(cl->f + first, cl->n - first, family, a, &used);
	*next = first + used;
	return r;
}

static int parse_backlog(const struct cmdline *cl, int i, int *backlog)
{
	uint64_t v;
	int r;

	*backlog = SOMAXCONN;
	if (i >= cl->n)
		return 0;
	if (i + 1 < cl->n)
		return errf(EINVAL, "unexpected text after the backlog");
	r = parse_uint(cl->f[i], 65535, &v, "backlog");
	*backlog = (int)v;
	return r;
}

static void dial_done(void *arg, int err);

static int start_dial(struct ctljob *j, struct sock *s, struct dial_req *rq)
{
	int r;

	rq->done = dial_done;
	rq->arg = j;
	rq->cred = &j->cred;
	r = dial_start(s, rq);
	if (r == DIAL_PENDING)
		j->waiting = s;
	return r;
}

/* Fields after an address of connect: timeout=SECONDS, source=ADDRESS. */
static int connect_options(const struct cmdline *cl, int i, struct sock *s,
			   struct dial_req *rq, bool allow_timeout)
{
	char q[QUOTE_MAX];
	struct field v;
	int r;

	for (; i < cl->n; i++) {
		if (allow_timeout && field_kv(cl->f[i], "timeout", &v)) {
			r = parse_timeout(v, &s->timeout);
		} else if (field_kv(cl->f[i], "source", &v)) {
			r = addr_parse_text(v.p, v.n, AF_UNSPEC, &rq->source);
			rq->has_source = true;
		} else {
			r = errf(EINVAL, "unexpected '%s' after the address "
				 "(timeout=SECONDS, source=ADDRESS)",
				 err_quote(cl->f[i].p, cl->f[i].n, q));
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* --- /net/ctl --- */

static int make(struct ctljob *j, struct sock **s)
{
	int err;

	*s = sock_new(NULL, j->cred.uid, j->cred.gid, &err);
	if (!*s)
		return -err;
	j->made[0] = *s;
	return 0;
}

/* [FAMILY [TYPE [PROTO]]] after the verb: what is not written keeps the
 * value the caller set. */
static int socket_args(const struct cmdline *cl, int *family, int *type,
		       int *proto)
{
	int r = 0;

	if (cl->n > 1)
		r = family_parse(cl->f[1], family);
	if (r == 0 && cl->n > 2)
		r = socktype_parse(cl->f[2], type);
	if (r == 0 && cl->n > 3)
		r = proto_parse(cl->f[3], *family, proto);
	return r;
}

static int cmd_mksocket(struct ctljob *j, const struct cmdline *cl)
{
	int family = AF_INET, type = SOCK_STREAM, proto = 0, r;
	struct sock *s;

	r = socket_args(cl, &family, &type, &proto);
	if (r == 0)
		r = make(j, &s);
	if (r == 0)
		r = sock_create_fd(s, family, type, proto, &j->cred);
	return r;
}

/* socketpair [FAMILY [TYPE [PROTO]]]: two connected sockets, named on
 * one reply line ("5 6"). */
static int cmd_mksocketpair(struct ctljob *j, const struct cmdline *cl)
{
	int family = AF_UNIX, type = SOCK_STREAM, proto = 0, r, fds[2];
	int err;

	r = socket_args(cl, &family, &type, &proto);
	if (r < 0)
		return r;
	r = act_as(&j->cred);
	if (r < 0)
		return errf(-r, "acting as uid %u", j->cred.uid);
	r = socketpair(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto,
		       fds) < 0 ? -errno : 0;
	act_as_daemon();
	if (r < 0)
		return socket_errf(-r, "socketpair", family, type, proto);
	j->made[0] = sock_new(NULL, j->cred.uid, j->cred.gid, &err);
	j->made[1] = j->made[0] ? sock_new(NULL, j->cred.uid, j->cred.gid,
					   &err) : NULL;
	if (!j->made[1]) {
		close(fds[0]);
		close(fds[1]);
		return -err;
	}
	r = sock_attach_fd(j->made[0], fds[0], family, type, proto);
	if (r < 0) {
		close(fds[1]);
		return r;
	}
	r = sock_attach_fd(j->made[1], fds[1], family, type, proto);
	if (r < 0)
		return r;
	j->made[0]->state = j->made[1]->state = SS_CONNECTED;
	return 0;
}

static int cmd_mkconnect(struct ctljob *j, const struct cmdline *cl)
{
	struct dial_req rq = { .op = DIAL_CONNECT };
	struct sock *s;
	int i, r;

	r = parse_addr(cl, 1, AF_UNSPEC, &rq.addr, &i);
	if (r == 0)
		r = make(j, &s);
	if (r == 0)
		r = connect_options(cl, i, s, &rq, true);
	if (r == 0)
		r = start_dial(j, s, &rq);
	return r;
}

static int cmd_mklisten(struct ctljob *j, const struct cmdline *cl)
{
	struct dial_req rq = { .op = DIAL_LISTEN, .reuseaddr = true };
	struct sock *s;
	int i, r;

	r = parse_addr(cl, 1, AF_UNSPEC, &rq.addr, &i);
	if (r == 0)
		r = parse_backlog(cl, i, &rq.backlog);
	if (r == 0)
		r = make(j, &s);
	if (r == 0)
		r = start_dial(j, s, &rq);
	return r;
}

/* --- NAME/ctl --- */

static int cmd_socket(struct ctljob *j, const struct cmdline *cl)
{
	struct sock *s = target(j);
	int family = AF_UNSPEC, type = 0, proto = 0, r;

	if (s->fd >= 0)
		return errf(EEXIST, "the socket exists already (family %s)",
			    family_name(s->family) ? family_name(s->family)
						   : "other");
	r = socket_args(cl, &family, &type, &proto);
	if (r == 0)
		r = sock_create_fd(s, family, type, proto, &j->cred);
	return r;
}

static int cmd_bind(struct ctljob *j, const struct cmdline *cl)
{
	struct dial_req rq = { .op = DIAL_BIND };
	struct sock *s = target(j);
	int i, r;

	r = parse_addr(cl, 1, s->fd >= 0 ? s->family : AF_UNSPEC, &rq.addr,
		       &i);
	if (r == 0 && i < cl->n)
		r = errf(EINVAL, "unexpected text after the address");
	if (r == 0)
		r = start_dial(j, s, &rq);
	return r;
}

static int cmd_connect(struct ctljob *j, const struct cmdline *cl)
{
	struct dial_req rq = { .op = DIAL_CONNECT };
	struct sock *s = target(j);
	int i, r;

	r = parse_addr(cl, 1, s->fd >= 0 ? s->family : AF_UNSPEC, &rq.addr,
		       &i);
	if (r == 0)
		r = connect_options(cl, i, s, &rq, false);
	rq.nonblock = j->nonblock || s->timeout == 0;
	if (r == 0)
		r = start_dial(j, s, &rq);
	return r;
}

static int cmd_listen(struct ctljob *j, const struct cmdline *cl)
{
	struct sock *s = target(j);
	int backlog, r;

	r = parse_backlog(cl, 1, &backlog);
	if (r < 0)
		return r;
	if (s->dial)
		return errf(EALREADY, "a connect or bind is in progress");
	if (s->fd < 0) {
		r = sock_create_fd(s, AF_INET, SOCK_STREAM, 0, &j->cred);
		if (r < 0)
			return r;
	}
	r = sock_listen(s, backlog, &j->cred);
	if (r < 0)
		return r;
	s->state = SS_LISTENING;
	s->fd_implicit = false;
	sock_kick(s);
	return 0;
}

static int cmd_shutdown(struct ctljob *j, const struct cmdline *cl)
{
	static const struct name_val hows[] = {
		{ "rd", SHUT_RD }, { "wr", SHUT_WR }, { "rdwr", SHUT_RDWR },
		{ "read", SHUT_RD }, { "write", SHUT_WR }, { "both", SHUT_RDWR },
		{ "SHUT_RD", SHUT_RD }, { "SHUT_WR", SHUT_WR },
		{ "SHUT_RDWR", SHUT_RDWR }, { "0", SHUT_RD }, { "1", SHUT_WR },
		{ "2", SHUT_RDWR }, { NULL, 0 }
	};
	struct sock *s = target(j);
	const struct name_val *h;
	char q[QUOTE_MAX];

	for (h = hows; h->name; h++)
		if (field_eq(cl->f[1], h->name))
			break;
	if (!h->name)
		return errf(EINVAL, "shutdown '%s': rd, wr or rdwr",
			    err_quote(cl->f[1].p, cl->f[1].n, q));
	if (s->fd < 0)
		return errf(ENOTCONN, "the socket has no descriptor");
	if (shutdown(s->fd, h->val) < 0)
		return errf(errno, "shutdown in state %s",
			    sock_state_name(s->state));
	s->rd_shut |= h->val != SHUT_WR;
	s->wr_shut |= h->val != SHUT_RD;
	sock_kick(s);
	sock_notify_pollers(s);
	return 0;
}

static int cmd_close(struct ctljob *j, const struct cmdline *cl)
{
	(void)cl;
	sock_close(target(j));
	return 0;
}

static int cmd_ephemeral(struct ctljob *j, const struct cmdline *cl)
{
	(void)cl;
	/* Takes effect at the last close (fs.c release) once data, accept,
	 * recvfrom or sendto has been open: not at this ctl's close. */
	sock_set_ephemeral(target(j));
	return 0;
}

/* idle none|SECONDS: how long the socket lives with no file open. */
static int cmd_idle(struct ctljob *j, const struct cmdline *cl)
{
	struct sock *s = target(j);
	int64_t ns;
	int r = sock_parse_idle(cl->f[1], &ns);

	if (r < 0)
		return r;
	s->idle = ns;
	/* Counted again from the last close. */
	timer_stop(&s->idle_timer);
	if (s->nopen == 0)
		sock_unused(s);
	return 0;
}

/* --- Plan 9's ctl (p9.c) --- */

/* addr!port, or a bare port (any address): a field as Plan 9 writes it. */
static int p9_addr(struct field f, int family, struct addrspec *a)
{
	char buf[CMD_MAXLINE + 3];
	size_t i;

	for (i = 0; i < f.n && f.p[i] >= '0' && f.p[i] <= '9'; i++)
		;
	if (i == f.n && f.n < sizeof(buf) - 2) {
		buf[0] = '*';
		buf[1] = '!';
		memcpy(buf + 2, f.p, f.n);
		return addr_parse_text(buf, f.n + 2, family, a);
	}
	return addr_parse_text(f.p, f.n, family, a);
}

static int p9_dial(struct ctljob *j, const struct cmdline *cl,
		   enum dial_op op)
{
	struct dial_req rq = { .op = op, .reuseaddr = op == DIAL_LISTEN,
			       .backlog = SOMAXCONN };
	struct sock *s = target(j);
	int family = s->fd >= 0 ? s->family : AF_UNSPEC, r;

	r = p9_addr(cl->f[1], family, &rq.addr);
	if (r == 0 && cl->n > 2) {
		r = p9_addr(cl->f[2], family, &rq.source);
		rq.has_source = true;
	}
	rq.nonblock = op == DIAL_CONNECT && (j->nonblock || s->timeout == 0);
	return r ? r : start_dial(j, s, &rq);
}

static int cmd_p9connect(struct ctljob *j, const struct cmdline *cl)
{
	return p9_dial(j, cl, DIAL_CONNECT);
}

static int cmd_p9announce(struct ctljob *j, const struct cmdline *cl)
{
	/* A UDP announcement is a bind: it then hears from anyone. */
	return p9_dial(j, cl, target(j)->type == SOCK_DGRAM ? DIAL_BIND :
			      DIAL_LISTEN);
}

static int cmd_p9bind(struct ctljob *j, const struct cmdline *cl)
{
	return p9_dial(j, cl, DIAL_BIND);
}

static int cmd_p9hangup(struct ctljob *j, const struct cmdline *cl)
{
	struct sock *s = target(j);

	(void)cl;
	if (s->fd >= 0 && shutdown(s->fd, SHUT_RDWR) < 0 && errno != ENOTCONN)
		return errf(errno, "hangup");
	s->rd_shut = s->wr_shut = true;
	sock_kick(s);
	sock_notify_pollers(s);
	return 0;
}

/* An integer option for the conversation's socket, set as the caller. */
static int p9_setopt(struct ctljob *j, int level, int name, int v,
		     const char *what)
{
	struct sock *s = target(j);

	if (s->fd < 0)
		return errf(ENOTCONN, "%s: connect or announce first", what);
	return sock_setopt(s, level, name, &v, sizeof(v), &j->cred);
}

static int p9_number(const struct cmdline *cl, int64_t max, int *v)
{
	int64_t n;
	int r = parse_int(cl->f[1], 0, max, &n, cl->f[0].p[0] == 'k' ?
			  "milliseconds" : "value");

	*v = (int)n;
	return r;
}

static int cmd_p9keepalive(struct ctljob *j, const struct cmdline *cl)
{
	int ms = 0, r = cl->n > 1 ? p9_number(cl, INT32_MAX, &ms) : 0;

	if (r == 0)
		r = p9_setopt(j, SOL_SOCKET, SO_KEEPALIVE, 1, "keepalive");
	/* Plan 9 gives milliseconds; Linux counts idle time in seconds. */
	if (r == 0 && ms)
		r = p9_setopt(j, IPPROTO_TCP, TCP_KEEPIDLE,
			      ms < 1000 ? 1 : ms / 1000, "keepalive");
	return r;
}

static int cmd_p9ttl(struct ctljob *j, const struct cmdline *cl)
{
	int v, r = p9_number(cl, 255, &v);
	bool v6 = target(j)->family == AF_INET6;

	return r ? r : p9_setopt(j, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
				 v6 ? IPV6_UNICAST_HOPS : IP_TTL, v, "ttl");
}

static int cmd_p9tos(struct ctljob *j, const struct cmdline *cl)
{
	int v, r = p9_number(cl, 255, &v);
	bool v6 = target(j)->family == AF_INET6;

	return r ? r : p9_setopt(j, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
				 v6 ? IPV6_TCLASS : IP_TOS, v, "tos");
}

/* UDP only: reads and writes of data carry a header (p9.c). */
static int cmd_p9headers(struct ctljob *j, const struct cmdline *cl)
{
	static const struct {
		const char *name;
		enum p9hdr mode;
	} modes[] = {
		{ "binary", P9HDR_BINARY },
		{ "text", P9HDR_TEXT },
		{ "off", P9HDR_OFF },
	};
	struct sock *s = target(j);
	char q[QUOTE_MAX];
	size_t i;

	if (s->type != SOCK_DGRAM || s->family == AF_UNIX)
		return errf(EINVAL, "headers: UDP conversations only");
	if (cl->n == 1) {
		s->p9hdr = P9HDR_BINARY;
		return 0;
	}
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (field_eq(cl->f[1], modes[i].name)) {
			s->p9hdr = (uint8_t)modes[i].mode;
			return 0;
		}
	return errf(EINVAL, "headers: '%s' is not text or off",
		    err_quote(cl->f[1].p, cl->f[1].n, q));
}

/* --- the option escape hatch --- */

static int opt_words(struct ctljob *j, const struct cmdline *cl, int *level,
		     int *name)
{
	int r = sockopt_word(cl->f[1], level, "level");

	if (r == 0)
		r = sockopt_word(cl->f[2], name, "option");
	if (r == 0 && target(j)->fd < 0)
		r = errf(ENOTCONN, "the socket has no descriptor yet");
	return r;
}

/* VALUE: a decimal integer is an int; 0x and hex digits are the bytes in
 * the order written. */
static int cmd_setsockopt(struct ctljob *j, const struct cmdline *cl)
{
	unsigned char val[OPTVAL_MAX];
	struct field v = cl->f[3];
	int level, name, iv, r;
	size_t len = sizeof(iv);
	int64_t n;

	r = opt_words(j, cl, &level, &name);
	if (r < 0)
		return r;
	if (v.n > 2 && v.p[0] == '0' && (v.p[1] == 'x' || v.p[1] == 'X')) {
		r = optval_parse_hex(v, val, sizeof(val), &len);
	} else {
		r = parse_int(v, INT32_MIN, INT32_MAX, &n, "value (an "
			      "integer, or 0x and hex bytes)");
		iv = (int)n;
		memcpy(val, &iv, sizeof(iv));
	}
	if (r < 0)
		return r;
	return sock_setopt(target(j), level, name, val, (socklen_t)len,
			   &j->cred);
}

/* The reply, read back on the same open file: the int as a decimal
 * number without BUFLEN, the bytes the kernel gave in hex with it. */
static int cmd_getsockopt(struct ctljob *j, const struct cmdline *cl)
{
	unsigned char val[OPTVAL_MAX];
	struct strbuf *out = &j->of->out;
	int level, name, iv = 0, r;
	socklen_t len = sizeof(iv);
	uint64_t n;

	r = opt_words(j, cl, &level, &name);
	if (r == 0 && cl->n > 3) {
		r = parse_uint(cl->f[3], OPTVAL_MAX, &n, "buffer length");
		len = (socklen_t)n;
	}
	if (r < 0)
		return r;
	memset(val, 0, sizeof(val));
	r = sock_getopt(target(j), level, name, val, &len, &j->cred);
	if (r < 0)
		return r;
	if (cl->n > 3) {
		r = optval_format_hex(val, len, out);
	} else {
		memcpy(&iv, val, sizeof(iv));
		r = len == sizeof(iv) ? sb_printf(out, "%d", iv) :
		    optval_format_hex(val, len, out);
	}
	return r ? r : sb_puts(out, "\n");
}

/* Every row of cmds.h names its handler above: one without it, or a
 * handler without a row (unused), does not compile. */
#define HANDLER(id, verb, min, max, usage, fn) [CMD_##id] = fn,
static const cmd_fn handlers[CMD_MAX] = {
	ROOT_CMDS(HANDLER)
	SOCK_CMDS(HANDLER)
	P9_CMDS(HANDLER)
};
#undef HANDLER

/* --- running commands --- */

static int exec_line(struct ctljob *j, const struct cmdline *cl)
{
	const struct cmdtab *c = cmd_lookup(j->table, cl);

	if (!c)
		return -EINVAL;
	if (!j->root && target(j)->state == SS_CLOSED)
		return errf(EBADF, "the socket is closed");
	return handlers[c->index](j, cl);
}

/* Records a command's failure: the socket's `error`, or the session's
 * reply line. text is the full error text when the failure came from a
 * dial that recorded it already. */
static void failed(struct ctljob *j, int err, const char *text)
{
	struct strbuf *out = &j->of->out;
	struct sock *s = j->root ? j->made[0] : j->of->s;

	if (!j->root) {
		if (!text && s->state != SS_CLOSED)
			sock_seterr(s, err, err_detail());
		return;
	}
	sb_puts(out, "error ");
	if (text)
		sb_puts(out, text);
	else
		err_format(out, err, err_detail());
	sb_puts(out, "\n");
	/* A /net/ctl command that fails leaves no socket behind. */
	if (s)
		sock_close(s);
	if (j->made[1])
		sock_close(j->made[1]);
	j->made[0] = j->made[1] = NULL;
}

static void succeeded(struct ctljob *j)
{
	if (!j->root)
		return;
	if (j->made[1])
		sb_printf(&j->of->out, "%s %s\n", j->made[0]->name,
			  j->made[1]->name);
	else if (j->made[0])
		sb_printf(&j->of->out, "%s\n", j->made[0]->name);
	j->made[0] = j->made[1] = NULL;
}

static void end(struct ctljob *j, int r)
{
	if (r < 0)
		req_err(j->req, -r);
	else
		req_written(j->req, j->total);
	/* Replies wait on either control file (getsockopt on NAME/ctl). */
	if (j->of->ph && j->of->out.len)
		pollh_notify(j->of->ph);
	free(j->copy);
	free(j);
}

static void ctl_abort(struct park *p, int err)
{
	struct ctljob *j = container_of(p, struct ctljob, p);

	/* An interrupted connect goes on, as connect(2) does; one that
	 * /net/ctl started is given up with its socket, as
	 * create_connection() gives up. */
	if (j->waiting)
		dial_detach(j->waiting);
	j->waiting = NULL;
	errf(err, "interrupted while waiting");
	failed(j, err, NULL);
	end(j, -err);
}

static void dial_done(void *arg, int err)
{
	struct ctljob *j = arg;
	struct sock *s = j->waiting;

	park_end(&j->p);
	j->waiting = NULL;
	if (err < 0) {
		failed(j, -err, s->errtext ? s->errtext : "");
		end(j, err);
		return;
	}
	succeeded(j);
	run(j);
}

/* Whether of may take another command's reply: 0 or -ENOBUFS. A file
 * opened write-only keeps none: nobody could ever read them. */
static int replies_room(struct ofile *of)
{
	if ((of->flags & O_ACCMODE) == O_WRONLY) {
		sb_reset(&of->out);
		return ofile_charge(of);
	}
	if (of->out.len >= REPLY_MAX)
		return errf(ENOBUFS, "%zu bytes of replies unread on this "
			    "file: read them first", of->out.len);
	return ofile_charge(of);
}

/* FUSE hands a write over max_write in pieces cut anywhere, a line too:
 * a piece that big that does not end a line keeps its last, partial line
 * for the next piece on the same file. 0 or a negative errno. */
static int carry_over(struct ctljob *j, const char *buf, size_t size)
{
	struct ofile *of = j->of;
	size_t keep;
	int r;

	j->text = buf;
	j->len = size;
	if (of->carry.len) {
		r = sb_append(&of->carry, buf, size);
		if (r < 0)
			return r;
		j->copy = of->carry.buf;	/* end() frees it */
		j->text = j->copy;
		j->len = of->carry.len;
		memset(&of->carry, 0, sizeof(of->carry));
	}
	if (size <= write_whole_max() || j->len == 0 ||
	    j->text[j->len - 1] == '\n')
		return 0;
	for (keep = j->len; keep > 0 && j->text[keep - 1] != '\n'; keep--)
		;
	if (j->len - keep > CARRY_MAX)
		return errf(E2BIG, "a command line over %u bytes", CARRY_MAX);
	r = sb_append(&of->carry, j->text + keep, j->len - keep);
	j->len = keep;
	return r;
}

static void run(struct ctljob *j)
{
	struct field line;
	struct cmdline cl;
	int r;

	while (parse_line(j->text, j->len, &j->pos, &line)) {
		err_clear();
		r = replies_room(j->of);
		if (r < 0) {
			end(j, r);
			return;
		}
		r = parse_fields(line, &cl);
		if (r == 0 && cl.n == 0)
			continue;	/* blank line */
		if (r == 0)
			r = exec_line(j, &cl);
		if (r == DIAL_PENDING) {
			if (!j->copy) {
				j->copy = malloc(j->len - j->pos + 1);
				if (!j->copy) {
					/* The dial goes on without us. */
					dial_detach(j->waiting);
					j->waiting = NULL;
					errf(ENOMEM, "no memory to wait");
					failed(j, ENOMEM, NULL);
					end(j, -ENOMEM);
					return;
				}
				memcpy(j->copy, j->text + j->pos, j->len - j->pos);
				j->text = j->copy;
				j->len -= j->pos;
				j->pos = 0;
			}
			r = park_start(&j->p, &parked, j->req, j->of, -1,
				       ctl_abort);
			if (r < 0)
				ctl_abort(&j->p, -r);
			return;
		}
		if (r < 0) {
			log_debug("ctl: %.*s: %s", (int)line.n, line.p,
				  err_detail());
			failed(j, -r, NULL);
			end(j, r);
			return;
		}
		succeeded(j);
	}
	end(j, 0);
}

void ctl_write(req_t req, struct ofile *of, const char *buf,
	       size_t size, int flags, const struct cmdtab *table)
{
	struct ctljob *j = calloc(1, sizeof(*j));
	int r;

	if (!j) {
		req_err(req, ENOMEM);
		return;
	}
	j->table = table;
	j->of = of;
	j->root = !of->s;
	j->nonblock = flags & O_NONBLOCK;
	j->req = req;
	/* Commands act for whoever opened the file. Its groups are read
	 * from this request only if the writer is the same user (a file
	 * passed to someone else gets no groups: fail closed), and only
	 * when a root daemon will act for another user. */
	j->cred = of->cred;
	if (nfs.uid == 0 && j->cred.uid != 0 &&
	    req_ctx(req)->uid == j->cred.uid) {
		j->cred.req = req;
		cred_load_groups(&j->cred);
	} else {
		j->cred.ngroups = 0;
	}
	j->cred.req = NULL;
	j->total = size;
	r = carry_over(j, buf, size);
	if (r < 0) {
		end(j, r);
		return;
	}
	run(j);
}

static void rootctl_write(req_t req, struct ofile *of, const char *buf,
			  size_t size, int flags)
{
	ctl_write(req, of, buf, size, flags, root_cmdtab);
}

static void sockctl_write(req_t req, struct ofile *of, const char *buf,
			  size_t size, int flags)
{
	ctl_write(req, of, buf, size, flags, sock_cmdtab);
}

unsigned ctl_poll(struct ofile *of)
{
	return POLLOUT | (of->out.len ? POLLIN : 0);
}

const struct fileops rootctl_ops = {
	.read = read_replies,
	.write = rootctl_write,
	.poll = ctl_poll,
	.seekable = true,
};

const struct fileops ctl_ops = {
	.read = read_replies,
	.write = sockctl_write,
	.poll = ctl_poll,
	.seekable = true,
};
