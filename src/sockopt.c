/* sockopt.c: the socket option table and the NAME/opt/ files (see
 * sockopt.h). Reading a file is getsockopt as the daemon; writing is
 * setsockopt as the file's opener (sock_setopt), so that a daemon running
 * as root refuses what the kernel would refuse the caller. Values are
 * text, parsed and formatted by optval.c. */
#include "sockopt.h"

#include <errno.h>
#include <limits.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "constants.h"
#include "errors.h"
#include "sock.h"
#include "tcpinfo.h"

/* Which sockets an option applies to. */
#define OF_IN4 1u
#define OF_IN6 2u
#define OF_UNIX 4u
#define OF_INET (OF_IN4 | OF_IN6)
#define OF_ALL (~0u)
#define OT_STREAM 1u
#define OT_DGRAM 2u
#define OT_SEQ 4u
#define OT_RAW 8u
#define OT_CONN (OT_STREAM | OT_SEQ)
#define OT_MSG (OT_DGRAM | OT_RAW)
#define OT_ALL (~0u)

#define TCP IPPROTO_TCP
#define UDP IPPROTO_UDP

#define SO(n, t, a, f, ty, doc) \
	{ #n, SOL_SOCKET, n, t, a, f, ty, 0, doc }
#define TC(n, t, a, doc) \
	{ #n, IPPROTO_TCP, n, t, a, OF_INET, OT_STREAM, TCP, doc }
#define IP4(n, t, a, ty, doc) \
	{ #n, IPPROTO_IP, n, t, a, OF_IN4, ty, 0, doc }
#define IP6(n, t, a, ty, doc) \
	{ #n, IPPROTO_IPV6, n, t, a, OF_IN6, ty, 0, doc }

static const struct sockopt opts[] = {
	SO(SO_ACCEPTCONN, OV_BOOL, OA_RO, OF_ALL, OT_CONN,
	   "1 once the socket listens"),
	SO(SO_BINDTODEVICE, OV_STRING, OA_RW, OF_INET, OT_ALL,
	   "the interface the socket is bound to; empty for none"),
	SO(SO_BROADCAST, OV_BOOL, OA_RW, OF_IN4, OT_MSG,
	   "may send to broadcast addresses"),
	SO(SO_DOMAIN, OV_INT, OA_RO, OF_ALL, OT_ALL,
	   "the address family, as the AF_ constant's value"),
	SO(SO_DONTROUTE, OV_BOOL, OA_RW, OF_INET, OT_ALL,
	   "send to directly connected hosts only"),
	SO(SO_ERROR, OV_INT, OA_RO, OF_ALL, OT_ALL,
	   "the pending socket error as an errno number; reading clears it"),
	SO(SO_KEEPALIVE, OV_BOOL, OA_RW, OF_INET, OT_STREAM,
	   "send keepalive probes on an idle connection"),
	SO(SO_LINGER, OV_LINGER, OA_RW, OF_ALL, OT_CONN,
	   "ONOFF 1 and 0 SECONDS: close with a reset; netfs's close never waits (BUGS)"),
	SO(SO_MARK, OV_INT, OA_RW, OF_INET, OT_ALL,
	   "the packet mark for routing and filtering (CAP_NET_ADMIN)"),
	SO(SO_OOBINLINE, OV_BOOL, OA_RW, OF_INET, OT_STREAM,
	   "urgent data stays in the data stream"),
	SO(SO_PASSCRED, OV_BOOL, OA_RW, OF_UNIX, OT_ALL,
	   "receive the sender's credentials"),
	SO(SO_PEERCRED, OV_UCRED, OA_RO, OF_UNIX, OT_CONN,
	   "the peer's PID UID GID"),
	SO(SO_PRIORITY, OV_INT, OA_RW, OF_ALL, OT_ALL,
	   "the queueing priority of sent packets (0-6; more with "
	   "CAP_NET_ADMIN)"),
	SO(SO_PROTOCOL, OV_INT, OA_RO, OF_ALL, OT_ALL,
	   "the protocol number, as the IPPROTO_ constant's value"),
	SO(SO_RCVBUF, OV_INT, OA_RW, OF_ALL, OT_ALL,
	   "the receive buffer size; the kernel doubles what is written"),
	SO(SO_RCVLOWAT, OV_INT, OA_RW, OF_ALL, OT_ALL,
	   "the bytes a read waits for at least"),
	SO(SO_RCVTIMEO, OV_TIME, OA_RW, OF_ALL, OT_ALL,
	   "the kernel's receive timeout in seconds, 0 for none (netfs "
	   "waits by timeout instead)"),
	SO(SO_REUSEADDR, OV_BOOL, OA_RW, OF_ALL, OT_ALL,
	   "bind a local address still in TIME_WAIT at once"),
	SO(SO_REUSEPORT, OV_BOOL, OA_RW, OF_INET, OT_ALL,
	   "several sockets may bind the same address and port"),
	SO(SO_SNDBUF, OV_INT, OA_RW, OF_ALL, OT_ALL,
	   "the send buffer size; the kernel doubles what is written"),
	SO(SO_SNDLOWAT, OV_INT, OA_RO, OF_ALL, OT_ALL,
	   "the send low-water mark (fixed at 1 on Linux)"),
	SO(SO_SNDTIMEO, OV_TIME, OA_RW, OF_ALL, OT_ALL,
	   "the kernel's send timeout in seconds, 0 for none (netfs waits "
	   "by timeout instead)"),
	SO(SO_TYPE, OV_INT, OA_RO, OF_ALL, OT_ALL,
	   "the socket type, as the SOCK_ constant's value"),

	TC(TCP_CONGESTION, OV_STRING, OA_RW,
	   "the congestion control algorithm: cubic, reno, ..."),
	TC(TCP_CORK, OV_BOOL, OA_RW, "hold partial segments until uncorked"),
	TC(TCP_DEFER_ACCEPT, OV_INT, OA_RW,
	   "a listener wakes accept only when data came, within SECONDS"),
	TC(TCP_FASTOPEN, OV_INT, OA_RW,
	   "a listener's queue of TCP Fast Open requests"),
	TC(TCP_FASTOPEN_CONNECT, OV_BOOL, OA_RW,
	   "connect with TCP Fast Open"),
	TC(TCP_INFO, OV_TCPINFO, OA_RO,
	   "the connection's state and counters, 'key value' lines"),
	TC(TCP_KEEPCNT, OV_INT, OA_RW,
	   "keepalive probes before the connection is dropped"),
	TC(TCP_KEEPIDLE, OV_INT, OA_RW,
	   "idle seconds before the first keepalive probe"),
	TC(TCP_KEEPINTVL, OV_INT, OA_RW, "seconds between keepalive probes"),
	TC(TCP_LINGER2, OV_INT, OA_RW,
	   "seconds an orphaned connection stays in FIN_WAIT2"),
	TC(TCP_MAXSEG, OV_INT, OA_RW, "the maximum segment size"),
	TC(TCP_NODELAY, OV_BOOL, OA_RW,
	   "send small segments at once (no Nagle)"),
	TC(TCP_NOTSENT_LOWAT, OV_INT, OA_RW,
	   "unsent bytes above which the socket is not writable"),
	TC(TCP_QUICKACK, OV_BOOL, OA_RW,
	   "acknowledge at once (the kernel may clear it again)"),
	TC(TCP_SYNCNT, OV_INT, OA_RW, "SYN retransmits before connect fails"),
	TC(TCP_USER_TIMEOUT, OV_INT, OA_RW,
	   "milliseconds sent data may stay unacknowledged; 0 for the "
	   "system's"),
	TC(TCP_WINDOW_CLAMP, OV_INT, OA_RW,
	   "the largest receive window advertised"),

	{ "UDP_CORK", IPPROTO_UDP, UDP_CORK, OV_BOOL, OA_RW, OF_INET,
	  OT_DGRAM, UDP, "gather writes into one datagram until uncorked" },

	IP4(IP_ADD_MEMBERSHIP, OV_MREQ, OA_WO, OT_MSG,
	    "join a multicast GROUP, on an INTERFACE address, index or name"),
	IP4(IP_BIND_ADDRESS_NO_PORT, OV_BOOL, OA_RW, OT_ALL,
	    "bind to an address without a port until connect"),
	IP4(IP_DROP_MEMBERSHIP, OV_MREQ, OA_WO, OT_MSG,
	    "leave a multicast GROUP"),
	IP4(IP_FREEBIND, OV_BOOL, OA_RW, OT_ALL,
	    "bind to an address not (yet) on the host"),
	IP4(IP_HDRINCL, OV_BOOL, OA_RW, OT_RAW,
	    "written packets include their IP header"),
	IP4(IP_MTU, OV_INT, OA_RO, OT_ALL,
	    "the path MTU of a connected socket"),
	IP4(IP_MTU_DISCOVER, OV_INT, OA_RW, OT_ALL,
	    "path MTU discovery: IP_PMTUDISC_DONT 0, WANT 1, DO 2, PROBE 3"),
	IP4(IP_MULTICAST_ALL, OV_BOOL, OA_RW, OT_MSG,
	    "receive the groups of every socket, not only this one's"),
	IP4(IP_MULTICAST_LOOP, OV_BOOL, OA_RW, OT_MSG,
	    "multicast sent is looped back to the host"),
	IP4(IP_MULTICAST_TTL, OV_INT, OA_RW, OT_MSG,
	    "the TTL of multicast sent"),
	IP4(IP_PKTINFO, OV_BOOL, OA_RW, OT_MSG,
	    "receive the destination address and interface"),
	IP4(IP_RECVERR, OV_BOOL, OA_RW, OT_ALL,
	    "queue extended errors (ICMP) for the error queue"),
	IP4(IP_RECVTOS, OV_BOOL, OA_RW, OT_MSG, "receive the TOS field"),
	IP4(IP_RECVTTL, OV_BOOL, OA_RW, OT_MSG, "receive the TTL field"),
	IP4(IP_TOS, OV_INT, OA_RW, OT_ALL,
	    "the type of service (DSCP and ECN) of sent packets"),
	IP4(IP_TRANSPARENT, OV_BOOL, OA_RW, OT_ALL,
	    "transparent proxying (CAP_NET_ADMIN)"),
	IP4(IP_TTL, OV_INT, OA_RW, OT_ALL, "the time to live of sent packets"),

	IP6(IPV6_FREEBIND, OV_BOOL, OA_RW, OT_ALL,
	    "bind to an address not (yet) on the host"),
	IP6(IPV6_JOIN_GROUP, OV_MREQ6, OA_WO, OT_MSG,
	    "join a multicast GROUP, on an INTERFACE index or name"),
	IP6(IPV6_LEAVE_GROUP, OV_MREQ6, OA_WO, OT_MSG,
	    "leave a multicast GROUP"),
	IP6(IPV6_MTU, OV_INT, OA_RO, OT_ALL,
	    "the path MTU of a connected socket"),
	IP6(IPV6_MTU_DISCOVER, OV_INT, OA_RW, OT_ALL,
	    "path MTU discovery: IPV6_PMTUDISC_DONT 0, WANT 1, DO 2, "
	    "PROBE 3"),
	IP6(IPV6_MULTICAST_HOPS, OV_INT, OA_RW, OT_MSG,
	    "the hop limit of multicast sent; -1 for the route's"),
	IP6(IPV6_MULTICAST_LOOP, OV_BOOL, OA_RW, OT_MSG,
	    "multicast sent is looped back to the host"),
	IP6(IPV6_RECVERR, OV_BOOL, OA_RW, OT_ALL,
	    "queue extended errors (ICMPv6) for the error queue"),
	IP6(IPV6_RECVPKTINFO, OV_BOOL, OA_RW, OT_MSG,
	    "receive the destination address and interface"),
	IP6(IPV6_TCLASS, OV_INT, OA_RW, OT_ALL,
	    "the traffic class of sent packets; -1 for the default"),
	IP6(IPV6_TRANSPARENT, OV_BOOL, OA_RW, OT_ALL,
	    "transparent proxying (CAP_NET_ADMIN)"),
	IP6(IPV6_UNICAST_HOPS, OV_INT, OA_RW, OT_ALL,
	    "the hop limit of sent packets; -1 for the route's"),
	IP6(IPV6_V6ONLY, OV_BOOL, OA_RW, OT_ALL,
	    "IPv6 only: no IPv4-mapped addresses (before bind)"),
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* The files of opt/, built from opts before main runs (tree_register
 * reads them on the first lookup): codes C_OPT_FIRST up, one per
 * option. */
#define DOC_MAX 200

static struct filedef opt_files[NOPTS + 1];
static char opt_docs[NOPTS][DOC_MAX];

static bool opt_shows(const struct node *dir, const struct filedef *f);

const struct dirdef opt_dir = {
	.files = opt_files,
	.shows = opt_shows,
};

static unsigned family_bit(int family)
{
	switch (family) {
	case AF_INET:
		return OF_IN4;
	case AF_INET6:
		return OF_IN6;
	case AF_UNIX:
		return OF_UNIX;
	default:
		return 1u << 8;
	}
}

static unsigned type_bit(int type)
{
	switch (type) {
	case SOCK_STREAM:
		return OT_STREAM;
	case SOCK_DGRAM:
		return OT_DGRAM;
	case SOCK_SEQPACKET:
		return OT_SEQ;
	case SOCK_RAW:
		return OT_RAW;
	default:
		return 1u << 8;
	}
}

static bool applies(const struct sockopt *o, const struct sock *s)
{
	return (o->families & family_bit(s->family)) &&
	       (o->types & type_bit(s->type)) &&
	       (!o->proto || o->proto == s->proto);
}

static bool opt_shows(const struct node *dir, const struct filedef *f)
{
	const struct sock *s = dir->s;

	return s && s->fd >= 0 && applies(f->arg, s);
}

static const char *level_name(int level)
{
	switch (level) {
	case SOL_SOCKET:
		return "SOL_SOCKET";
	case IPPROTO_TCP:
		return "IPPROTO_TCP";
	case IPPROTO_UDP:
		return "IPPROTO_UDP";
	case IPPROTO_IP:
		return "IPPROTO_IP";
	case IPPROTO_IPV6:
		return "IPPROTO_IPV6";
	default:
		return "?";
	}
}

static int usable(const struct sock *s)
{
	if (s->fd >= 0)
		return 0;
	return s->state == SS_CLOSED ? -EBADF : -ENOTCONN;
}

/* At open: getsockopt, as text. */
static int opt_render(const struct node *n, struct strbuf *sb)
{
	const struct sockopt *o = n->def->arg;
	unsigned char buf[OPTVAL_MAX];
	socklen_t len = sizeof(buf);
	struct sock *s = n->s;
	int r = usable(s);

	if (r < 0 || o->access == OA_WO)
		return r;
	memset(buf, 0, sizeof(buf));
	if (getsockopt(s->fd, o->level, o->optname, buf, &len) < 0) {
		r = -errno;
		sock_seterr(s, -r, o->name);
		return r;
	}
	if (o->type == OV_TCPINFO)
		return tcpinfo_format((const struct tcp_info *)buf, len, sb);
	err_clear();
	r = optval_format(o->type, buf, len, sb);
	if (r < 0)
		sock_seterr(s, -r, err_detail());
	return r;
}

static void opt_write(req_t req, struct ofile *of, const char *buf,
		      size_t size, int flags)
{
	const struct sockopt *o = of->def->arg;
	unsigned char val[OPTVAL_MAX + 1];
	struct sock *s = of->s;
	socklen_t len;
	int r;

	(void)flags;
	err_clear();
	r = usable(s);
	if (r == 0 && o->access == OA_RO)
		r = errf(EACCES, "%s is read-only", o->name);
	if (r == 0)
		r = optval_parse(o->type, field_trim(buf, size), val, &len);
	if (r == 0)
		r = sock_setopt(s, o->level, o->optname, val, len, &of->cred);
	if (r < 0) {
		if (s->state != SS_CLOSED) {
			char d[DOC_MAX + 64];

			snprintf(d, sizeof(d), "%s: %s", o->name, err_detail());
			sock_seterr(s, -r, d);
		}
		req_err(req, -r);
		return;
	}
	req_written(req, size);
}

static const struct fileops opt_ops = {
	.read = read_replies,
	.write = opt_write,
};

__attribute__((constructor)) static void opt_build(void)
{
	static const uint16_t modes[] = {
		[OA_RW] = MODE_OWNER_RW,
		[OA_RO] = MODE_OWNER_RO,
		[OA_WO] = MODE_OWNER_WO,
	};
	static const char *const access[] = {
		[OA_RW] = "", [OA_RO] = ", read-only",
		[OA_WO] = ", write-only",
	};
	size_t i;

	_Static_assert(NOPTS <= C_OPT_LAST - C_OPT_FIRST + 1,
		       "option codes 512-1023");
	for (i = 0; i < NOPTS; i++) {
		const struct sockopt *o = &opts[i];

		snprintf(opt_docs[i], DOC_MAX, "%s %s%s: %s",
			 level_name(o->level), optval_type_name(o->type),
			 access[o->access], o->doc);
		opt_files[i] = (struct filedef){
			.name = o->name,
			.code = (uint16_t)(C_OPT_FIRST + i),
			.mode = modes[o->access],
			.ops = &opt_ops,
			.render = opt_render,
			.arg = o,
			.doc = opt_docs[i],
		};
	}
}

/* --- recvflags, sendflags --- */

int text_recvflags(const struct node *n, struct strbuf *sb)
{
	return msgflags_format(n->s->recvflags, sb);
}

int store_recvflags(const struct node *n, struct field v)
{
	return msgflags_parse(v, MSGF_RECV, &n->s->recvflags);
}

int text_sendflags(const struct node *n, struct strbuf *sb)
{
	return msgflags_format(n->s->sendflags, sb);
}

int store_sendflags(const struct node *n, struct field v)
{
	return msgflags_parse(v, MSGF_SEND, &n->s->sendflags);
}

/* --- ctl words --- */

int sockopt_word(struct field f, int *val, const char *what)
{
	char q[QUOTE_MAX];
	long long c;
	int64_t v;

	if (constant_lookup(f, &c) == 0 && c >= INT_MIN && c <= INT_MAX) {
		*val = (int)c;
		return 0;
	}
	if (f.n && ((f.p[0] >= '0' && f.p[0] <= '9') || f.p[0] == '-')) {
		int r = parse_int(f, INT_MIN, INT_MAX, &v, what);

		*val = (int)v;
		return r;
	}
	return errf(EINVAL, "%s '%s': a number or a constant's name", what,
		    err_quote(f.p, f.n, q));
}
