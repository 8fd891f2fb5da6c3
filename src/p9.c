/* p9.c: the Plan 9 view, after ip(3). /net/tcp, /net/udp and /net/unix
 * each hold a clone file and one directory per conversation: the sockets
 * of the main tree of that protocol, by number (a socket made in the main
 * tree appears here; a conversation made here appears there).
 *
 *   clone      opening it makes a conversation; the open file is its
 *              ctl, and reading it gives the number
 *   N/ctl      reading gives N; writing takes ip(3) commands (cmds.h)
 *   N/data     as the main tree's data
 *   N/listen   opening it waits for a call to N (announced) and gives the
 *              ctl of the new conversation
 *   N/local, N/remote   addr!port
 *   N/status   the TCP state, Plan 9 style, and some figures
 *   N/err      the last error
 *
 * Conversations made by clone or listen have Plan 9 lifetime: they close
 * when the last file open in them closes. */
#include "p9.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "accept.h"
#include "cmds.h"
#include "ctl.h"
#include "data.h"
#include "dgram.h"
#include "errors.h"
#include "vfs.h"
#include "p9hdr.h"
#include "sock.h"
#include "text.h"
#include "tree.h"


struct p9proto {
	int family;		/* AF_UNIX, or 0 for inet and inet6 */
	int type, proto;
};

static const struct p9proto tcp = { 0, SOCK_STREAM, IPPROTO_TCP };
static const struct p9proto udp = { 0, SOCK_DGRAM, IPPROTO_UDP };
static const struct p9proto unx = { AF_UNIX, SOCK_STREAM, 0 };

static bool member(const struct p9proto *p, const struct sock *s)
{
	if (s->type != p->type || s->state == SS_CLOSED)
		return false;
	if (p->family == AF_UNIX)
		return s->family == AF_UNIX;
	return (s->family == AF_INET || s->family == AF_INET6 ||
		s->family == 0) && s->proto == p->proto;
}

static int show_number(struct ofile *of)
{
	return sb_printf(&of->out, "%llu\n", (unsigned long long)of->s->id);
}

/* --- ctl, clone and listen --- */

static void p9ctl_write(req_t req, struct ofile *of, const char *buf,
			size_t size, int flags)
{
	ctl_write(req, of, buf, size, flags, p9_cmdtab);
}

static int ctl_open(req_t req, struct ofile *of)
{
	(void)req;
	return show_number(of);
}

static int clone_open(req_t req, struct ofile *of)
{
	const struct p9proto *p = of->def->arg;
	struct sock *s;
	int err;

	(void)req;
	s = sock_new(NULL, of->cred.uid, of->cred.gid, &err);
	if (!s)
		return -err;
	/* The family comes with the first address (the dial makes the
	 * descriptor), except for unix. */
	s->family = p->family;
	s->type = p->type;
	s->proto = p->proto;
	s->ephemeral = true;
	ofile_attach(of, s);
	return show_number(of);
}

static void listen_take(struct apark *ap, struct sock *c, int err)
{
	struct ofile *of = ap->p.of;
	struct sock *l = of->s;

	if (!c) {
		req_err(ap->p.req, err);
		ofile_release(of);
		free(ap);
		return;
	}
	/* The open file leaves the listener for the new conversation. */
	list_del(&of->link);
	l->nopen--;
	c->ephemeral = true;
	ofile_attach(of, c);
	if (l->nopen == 0)
		sock_unused(l);
	sock_put(l);
	if (show_number(of) < 0) {
		req_err(ap->p.req, ENOMEM);
		ofile_release(of);
	} else {
		open_reply(ap->p.req, of);
	}
	free(ap);
}

static int listen_open(req_t req, struct ofile *of)
{
	struct sock *s = of->s;
	struct apark *ap;

	if (s->state != SS_LISTENING)
		return errf(EINVAL, "listen: announce first");
	ap = malloc(sizeof(*ap));
	if (!ap)
		return -ENOMEM;
	ap->take = listen_take;
	if (accept_wait(s, ap, req, of, (of->flags & O_NONBLOCK) ||
			s->timeout == 0) == -EAGAIN) {
		free(ap);
		sock_failed(s, EAGAIN, "accepting");
		return -EAGAIN;
	}
	return OPEN_PARKED;
}

static const struct fileops p9ctl_ops = {
	.open = ctl_open,
	.read = read_replies,
	.write = p9ctl_write,
	.poll = ctl_poll,
	.seekable = true,
};

static const struct fileops clone_ops = {
	.open = clone_open,
	.read = read_replies,
	.write = p9ctl_write,
	.poll = ctl_poll,
	.seekable = true,
};

static const struct fileops listen_ops = {
	.open = listen_open,
	.read = read_replies,
	.write = p9ctl_write,
	.poll = ctl_poll,
	.seekable = true,
};

/* --- data, with and without UDP headers --- */

static int binary_fmt(const struct sockaddr *from, socklen_t fromlen,
		      const struct sockaddr *to, socklen_t tolen,
		      struct strbuf *sb)
{
	unsigned char h[P9_UDPHDR];
	int r = p9hdr_encode(from, fromlen, to, tolen, h);

	return r ? r : sb_append(sb, h, sizeof(h));
}

static const struct data_hdr binary_hdr = { binary_fmt, true };
static const struct data_hdr text_hdr = { p9hdr_format_text, true };

/* The address a datagram came to, for laddr: asked for once. A failure
 * leaves the bound address, which is all it costs. */
static void want_pktinfo(struct sock *s)
{
	int one = 1;

	if (s->p9pktinfo || s->fd < 0)
		return;
	s->p9pktinfo = true;
	if (s->family == AF_INET6)
		setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			   sizeof(one));
	else
		setsockopt(s->fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
}

static void p9data_read(req_t req, struct ofile *of, size_t size,
			off_t off, int flags)
{
	struct sock *s = of->s;

	if (s->p9hdr == P9HDR_OFF) {
		data_ops.read(req, of, size, off, flags);
		return;
	}
	want_pktinfo(s);
	data_read_hdr(req, of, size, off, flags, s->p9hdr == P9HDR_TEXT ?
		      &text_hdr : &binary_hdr);
}

static void p9data_write(req_t req, struct ofile *of, const char *buf,
			 size_t size, int flags)
{
	struct sock *s = of->s;
	struct sockaddr_storage ss;
	struct addrspec a;
	socklen_t len = 0;
	size_t hl = P9_UDPHDR;
	int r;

	if (s->p9hdr == P9HDR_OFF || s->fd < 0) {
		data_ops.write(req, of, buf, size, flags);
		return;
	}
	err_clear();
	if (s->p9hdr == P9HDR_BINARY) {
		r = p9hdr_decode(buf, size, s->family, &ss, &len);
	} else {
		r = p9hdr_parse_text(buf, size, s->family, &a, &hl);
		if (r == 0)
			r = addr_numeric(&a, s->family, &ss, &len);
	}
	data_write_hdr(req, of, buf, size, hl, flags, r, &a, &ss, len);
}

static const struct fileops p9data_ops = {
	.read = p9data_read,
	.write = p9data_write,
	.poll = data_poll,
};

/* --- text files --- */

/* addr!port as Plan 9 writes it; a unix path as it is. */
static int name_line(const struct node *n, struct strbuf *sb,
		     int (*get)(int, struct sockaddr *, socklen_t *))
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN];

	if (n->s->fd < 0 || get(n->s->fd, (struct sockaddr *)&ss, &len) < 0)
		return sb_puts(sb, "::!0\n");
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		return sb_printf(sb, "%s!%u\n", host, ntohs(sin->sin_port));
	}
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		return sb_printf(sb, "%s!%u\n", host, ntohs(sin6->sin6_port));
	}
	return text_sockname(n, sb) == 0 ? 0 : sb_puts(sb, "\n");
}

static int p9_local(const struct node *n, struct strbuf *sb)
{
	return name_line(n, sb, getsockname);
}

static int p9_remote(const struct node *n, struct strbuf *sb)
{
	return name_line(n, sb, getpeername);
}

static int p9_status(const struct node *n, struct strbuf *sb)
{
	/* ip(3)'s names for the TCP states, indexed by Linux's. */
	static const char *const states[] = {
		"Closed", "Established", "Syn_sent", "Syn_received",
		"Finwait1", "Finwait2", "Time_wait", "Closed", "Close_wait",
		"Last_ack", "Listen", "Closing",
	};
	struct sock *s = n->s;
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (s->fd >= 0 && s->type == SOCK_STREAM && s->family != AF_UNIX &&
	    getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
	    ti.tcpi_state < sizeof(states) / sizeof(states[0]))
		return sb_printf(sb, "%s srtt %u rttvar %u cwnd %u "
				 "unacked %u\n", states[ti.tcpi_state],
				 ti.tcpi_rtt / 1000, ti.tcpi_rttvar / 1000,
				 ti.tcpi_snd_cwnd, ti.tcpi_unacked);
	switch (s->state) {
	case SS_LISTENING:
		return sb_puts(sb, "Listen\n");
	case SS_CONNECTING:
		return sb_puts(sb, "Connecting\n");
	case SS_CONNECTED:
		return sb_puts(sb, "Established\n");
	default:
		return sb_puts(sb, s->fd >= 0 ? "Open\n" : "Closed\n");
	}
}

/* --- directories --- */

static const struct filedef conv_files[] = {
	{ .name = "ctl", .code = C_P9_CTL, .mode = MODE_OWNER_RW,
	  .ops = &p9ctl_ops,
	  .doc = "reading gives N; connect, announce, bind, hangup, "
		 "keepalive, ttl, tos, headers" },
	{ .name = "data", .code = C_P9_DATA, .consumes = true, .mode = MODE_OWNER_RW,
	  .ops = &p9data_ops,
	  .doc = "read = recv, write = send, as NAME/data; after UDP's "
		 "headers, each datagram with its header" },
	{ .name = "listen", .code = C_P9_LISTEN, .consumes = true, .mode = MODE_OWNER_RW,
	  .ops = &listen_ops,
	  .doc = "opening waits for a call and gives the new conversation's "
		 "ctl" },
	{ .name = "local", .code = C_P9_LOCAL, .mode = MODE_OWNER_RO,
	  .render = p9_local,
	  .doc = "addr!port" },
	{ .name = "remote", .code = C_P9_REMOTE, .mode = MODE_OWNER_RO,
	  .render = p9_remote,
	  .doc = "addr!port" },
	{ .name = "status", .code = C_P9_STATUS, .mode = MODE_OWNER_RO,
	  .render = p9_status,
	  .doc = "Established, Listen, ... and figures" },
	{ .name = "err", .code = C_P9_ERR, .mode = MODE_OWNER_RO,
	  .render = text_error,
	  .doc = "the last error" },
	{ .name = NULL }
};

static const struct dirdef conv_dir = { .files = conv_files };

static const struct filedef conv_dyn[] = {
	{ .name = "N", .code = C_P9_CONV, .mode = MODE_OWNER_DIR,
	  .dir = &conv_dir,
	  .doc = "a conversation: the socket numbered N" },
	{ .name = NULL }
};

static const struct p9proto *proto_of(const struct node *dir)
{
	switch (INO_CODE(dir->ino)) {
	case C_P9_TCP:
		return &tcp;
	case C_P9_UDP:
		return &udp;
	default:
		return &unx;
	}
}

static void p9_lookup(req_t req, const struct node *dir,
		      const char *name)
{
	uint64_t id;
	struct sock *s;

	if (parse_uint((struct field){ name, strlen(name) }, UINT32_MAX, &id,
		       "conversation") < 0 ||
	    !(s = sock_by_id(id)) || !member(proto_of(dir), s)) {
		req_err(req, ENOENT);
		return;
	}
	tree_reply_entry(req, INO(s->id, C_P9_CONV), TTL_NONE);
}

struct listing {
	const struct p9proto *p;
	struct dirlist *dl;
};

static void list_one(struct sock *s, void *arg)
{
	struct listing *l = arg;
	char name[24];

	if (!member(l->p, s))
		return;
	snprintf(name, sizeof(name), "%llu", (unsigned long long)s->id);
	dirlist_add(l->dl, name, INO(s->id, C_P9_CONV), S_IFDIR);
}

static int p9_list(const struct node *dir, struct dirlist *dl)
{
	struct listing l = { proto_of(dir), dl };

	sock_foreach(list_one, &l);
	return 0;
}

#define PROTO_DIR(var, clonecode, p, what) \
	static const struct filedef var##_files[] = { \
		{ .name = "clone", .code = clonecode, .mode = MODE_ALL_RW, \
		  .ops = &clone_ops, .arg = &p, \
		  .doc = "opening makes a " what " conversation" }, \
		{ .name = NULL } \
	}; \
	const struct dirdef var##_dir = { \
		.files = var##_files, \
		.lookup = p9_lookup, \
		.list = p9_list, \
		.dyn = conv_dyn, \
	}

PROTO_DIR(p9tcp, C_P9_TCPCLONE, tcp, "TCP");
PROTO_DIR(p9udp, C_P9_UDPCLONE, udp, "UDP");
PROTO_DIR(p9unix, C_P9_UNIXCLONE, unx, "unix stream");
