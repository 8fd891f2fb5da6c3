/* sysnet.c: every socket of the host, not only netfs's, from sock_diag
 * (through libmnl), read-only:
 *
 *   system/{tcp,udp,raw,unix}/N/{local,remote,state,uid,inode,rqueue,wqueue}
 *   system/tcp/N/tcp_info
 *
 * N is the socket's inode number, as ss -e and /proc/net/tcp show it; a
 * TCP connection in TIME-WAIT has no inode and is tw-COOKIE. A listing is
 * one dump; a lookup finds the socket in a dump; each open asks the
 * kernel for that one socket again (by its cookie), so what a reader sees
 * is current. */
#include "sysnet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "addr.h"
#include "dnode.h"
#include "netlink.h"
#include "tcpinfo.h"
#include "tree.h"


enum kind { K_TCP, K_UDP, K_RAW, K_UNIX };

static const struct {
	unsigned code;
	int proto;
} kinds[] = {
	[K_TCP] = { C_SYS_TCP, IPPROTO_TCP },
	[K_UDP] = { C_SYS_UDP, IPPROTO_UDP },
	[K_RAW] = { C_SYS_RAW, IPPROTO_RAW },
	[K_UNIX] = { C_SYS_UNIX, 0 },
};

/* What a dump or a query learned of one socket. */
struct snap {
	enum kind kind;
	int family;
	unsigned state;
	struct inet_diag_sockid id;	/* inet: for the exact query */
	uint32_t cookie[2];
	struct sockaddr_storage local, remote;
	socklen_t llen, rlen;
	uint32_t uid;
	uint64_t inode;
	uint32_t peer;			/* unix: the peer's inode */
	uint32_t rq, wq;
	size_t infolen;
	struct tcp_info info;
};

struct walk {
	enum kind kind;
	struct dirlist *dl;		/* listing: names go here */
	const char *want;		/* lookup: the name to find */
	struct snap *out;		/* ... and where it goes */
	bool found;
};

static void snap_name(const struct snap *s, char *buf, size_t n)
{
	if (s->inode)
		snprintf(buf, n, "%llu", (unsigned long long)s->inode);
	else
		snprintf(buf, n, "tw-%08x%08x", s->cookie[1], s->cookie[0]);
}

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(a, 32) > 0 && mnl_attr_get_type(a) < 32)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void diag_addr(struct sockaddr_storage *ss, socklen_t *len,
		      int family, const uint32_t *a, uint16_t port,
		      uint32_t ifindex)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = port;
		memcpy(&sin->sin_addr, a, 4);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = port;
		memcpy(&sin6->sin6_addr, a, 16);
		if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
			sin6->sin6_scope_id = ifindex;
		*len = sizeof(*sin6);
	}
}

/* A message is one socket: list it, or keep it if it is the one wanted. */
static int take(struct walk *w, struct snap *s)
{
	char name[32];

	snap_name(s, name, sizeof(name));
	if (w->dl) {
		struct dnode *dn = dnode_find(INO(0, kinds[w->kind].code), name);

		dirlist_add(w->dl, name, dn ? INO(dn->id, C_SKDIR) :
			    INO_LISTED(s->inode ? s->inode : s->cookie[0],
				       C_SKDIR), S_IFDIR);
		return MNL_CB_OK;
	}
	if (w->want && strcmp(name, w->want) != 0)
		return MNL_CB_OK;
	*w->out = *s;
	w->found = true;
	return w->want ? MNL_CB_STOP : MNL_CB_OK;
}

static int inet_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[32] = { 0 };
	struct walk *w = arg;
	struct snap s;

	memset(&s, 0, sizeof(s));
	mnl_attr_parse(nlh, sizeof(*m), attr_cb, tb);
	s.kind = w->kind;
	s.family = m->idiag_family;
	s.state = m->idiag_state;
	s.id = m->id;
	memcpy(s.cookie, m->id.idiag_cookie, sizeof(s.cookie));
	diag_addr(&s.local, &s.llen, s.family, m->id.idiag_src,
		  m->id.idiag_sport, m->id.idiag_if);
	diag_addr(&s.remote, &s.rlen, s.family, m->id.idiag_dst,
		  m->id.idiag_dport, m->id.idiag_if);
	s.uid = m->idiag_uid;
	s.inode = m->idiag_inode;
	s.rq = m->idiag_rqueue;
	s.wq = m->idiag_wqueue;
	if (tb[INET_DIAG_INFO]) {
		s.infolen = mnl_attr_get_payload_len(tb[INET_DIAG_INFO]);
		if (s.infolen > sizeof(s.info))
			s.infolen = sizeof(s.info);
		memcpy(&s.info, mnl_attr_get_payload(tb[INET_DIAG_INFO]),
		       s.infolen);
	}
	return take(w, &s);
}

static int unix_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct unix_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[32] = { 0 };
	struct walk *w = arg;
	struct snap s;

	memset(&s, 0, sizeof(s));
	mnl_attr_parse(nlh, sizeof(*m), attr_cb, tb);
	s.kind = K_UNIX;
	s.family = AF_UNIX;
	s.state = m->udiag_state;
	s.inode = m->udiag_ino;
	memcpy(s.cookie, m->udiag_cookie, sizeof(s.cookie));
	s.llen = sizeof(sa_family_t);
	s.local.ss_family = AF_UNIX;
	if (tb[UNIX_DIAG_NAME]) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&s.local;
		size_t n = mnl_attr_get_payload_len(tb[UNIX_DIAG_NAME]);

		if (n > sizeof(sun->sun_path))
			n = sizeof(sun->sun_path);
		memcpy(sun->sun_path, mnl_attr_get_payload(tb[UNIX_DIAG_NAME]),
		       n);
		s.llen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	if (tb[UNIX_DIAG_PEER])
		s.peer = mnl_attr_get_u32(tb[UNIX_DIAG_PEER]);
	if (tb[UNIX_DIAG_UID])
		s.uid = mnl_attr_get_u32(tb[UNIX_DIAG_UID]);
	if (tb[UNIX_DIAG_RQLEN] &&
	    mnl_attr_get_payload_len(tb[UNIX_DIAG_RQLEN]) >=
	    sizeof(struct unix_diag_rqlen)) {
		const struct unix_diag_rqlen *q =
			mnl_attr_get_payload(tb[UNIX_DIAG_RQLEN]);

		s.rq = q->udiag_rqueue;
		s.wq = q->udiag_wqueue;
	}
	return take(w, &s);
}

/* One request: a dump of a kind (exact NULL), or one socket again. */
static int query(struct walk *w, int family, const struct snap *exact)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int flags = exact ? 0 : NLM_F_DUMP;

	if (w->kind == K_UNIX) {
		struct unix_diag_req *r = nl_request(buf, SOCK_DIAG_BY_FAMILY,
						     flags, sizeof(*r), &nlh);

		r->sdiag_family = AF_UNIX;
		r->udiag_states = ~0u;
		r->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER |
				UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
		if (exact) {
			r->udiag_ino = (uint32_t)exact->inode;
			memcpy(r->udiag_cookie, exact->cookie,
			       sizeof(r->udiag_cookie));
		}
		return nl_query(NETLINK_SOCK_DIAG, nlh, unix_cb, w);
	} else {
		struct inet_diag_req_v2 *r = nl_request(buf,
			SOCK_DIAG_BY_FAMILY, flags, sizeof(*r), &nlh);

		r->sdiag_family = (uint8_t)family;
		r->sdiag_protocol = (uint8_t)kinds[w->kind].proto;
		/* raw_diag reads pad as the protocol; IPPROTO_RAW is all. */
		if (w->kind == K_RAW)
			r->pad = IPPROTO_RAW;
		r->idiag_states = ~0u;
		if (w->kind == K_TCP)
			r->idiag_ext = 1 << (INET_DIAG_INFO - 1);
		if (exact)
			r->id = exact->id;
		return nl_query(NETLINK_SOCK_DIAG, nlh, inet_cb, w);
	}
}

/* Both families of an inet kind; a kind the kernel cannot dump (no
 * raw_diag module) is simply empty. */
static int dump(struct walk *w)
{
	int r;

	if (w->kind == K_UNIX)
		r = query(w, AF_UNIX, NULL);
	else if ((r = query(w, AF_INET, NULL)) == 0 && !(w->want && w->found))
		r = query(w, AF_INET6, NULL);
	return r == -ENOENT || r == -EOPNOTSUPP ? 0 : r;
}

static enum kind kind_of(unsigned code)
{
	return (enum kind)(code - C_SYS_TCP);
}

/* The socket a file of system/KIND/N is about, asked for again now. */
static int fresh(const struct node *n, struct snap *s)
{
	const struct snap *old = n->dn->data;
	struct walk w = { .kind = old->kind, .out = s };
	int r = query(&w, old->family, old);

	if (r == 0 && !w.found)
		r = -ENOENT;
	return r == -ENOENT || r == -EINVAL ? -ENOENT : r;
}

static int sk_local(const struct node *n, struct strbuf *sb)
{
	struct snap s;
	int r = fresh(n, &s);

	if (r == 0)
		r = addr_format((struct sockaddr *)&s.local, s.llen, sb);
	return r < 0 ? r : sb_puts(sb, "\n");
}

static int sk_remote(const struct node *n, struct strbuf *sb)
{
	struct snap s;
	int r = fresh(n, &s);

	if (r < 0)
		return r;
	if (s.kind == K_UNIX)
		return s.peer ? sb_printf(sb, "%u\n", s.peer) : sb_puts(sb, "\n");
	r = addr_format((struct sockaddr *)&s.remote, s.rlen, sb);
	return r < 0 ? r : sb_puts(sb, "\n");
}

static int sk_state(const struct node *n, struct strbuf *sb)
{
	/* The kernel's TCP states; UDP and raw reuse them (established when
	 * connected, close when not), unix ones too. */
	static const char *const tcp[] = {
		"?", "established", "syn-sent", "syn-recv", "fin-wait-1",
		"fin-wait-2", "time-wait", "close", "close-wait", "last-ack",
		"listen", "closing", "new-syn-recv",
	};
	struct snap s;
	int r = fresh(n, &s);

	if (r < 0)
		return r;
	if (s.kind == K_UNIX && s.state == 7)
		return sb_puts(sb, "unconnected\n");
	return sb_printf(sb, "%s\n", s.state < 13 ? tcp[s.state] : "?");
}

#define NUMBER_FILE(fn, field) \
	static int fn(const struct node *n, struct strbuf *sb) \
	{ \
		struct snap s; \
		int r = fresh(n, &s); \
		return r < 0 ? r : sb_printf(sb, "%llu\n", \
					     (unsigned long long)s.field); \
	}
NUMBER_FILE(sk_uid, uid)
NUMBER_FILE(sk_inode, inode)
NUMBER_FILE(sk_rqueue, rq)
NUMBER_FILE(sk_wqueue, wq)

static int sk_tcpinfo(const struct node *n, struct strbuf *sb)
{
	struct snap s;
	int r = fresh(n, &s);

	return r < 0 ? r : tcpinfo_format(&s.info, s.infolen, sb);
}

static const struct filedef sk_files[] = {
	{ .name = "local", .code = C_SK_LOCAL, .mode = MODE_ALL_RO,
	  .render = sk_local,
	  .doc = "the local address, in the read forms of peername" },
	{ .name = "remote", .code = C_SK_REMOTE, .mode = MODE_ALL_RO,
	  .render = sk_remote,
	  .doc = "the peer's address; for unix sockets the peer's inode" },
	{ .name = "state", .code = C_SK_STATE, .mode = MODE_ALL_RO,
	  .render = sk_state,
	  .doc = "listen, established, time-wait, ... (unix: unconnected)" },
	{ .name = "uid", .code = C_SK_UID, .mode = MODE_ALL_RO,
	  .render = sk_uid,
	  .doc = "the owner's uid" },
	{ .name = "inode", .code = C_SK_INODE, .mode = MODE_ALL_RO,
	  .render = sk_inode,
	  .doc = "the socket's inode number (0 in TIME-WAIT)" },
	{ .name = "rqueue", .code = C_SK_RQUEUE, .mode = MODE_ALL_RO,
	  .render = sk_rqueue,
	  .doc = "bytes waiting to be read (listeners: connections waiting)" },
	{ .name = "wqueue", .code = C_SK_WQUEUE, .mode = MODE_ALL_RO,
	  .render = sk_wqueue,
	  .doc = "bytes waiting to be sent or acknowledged" },
	{ .name = "tcp_info", .code = C_SK_TCPINFO, .mode = MODE_ALL_RO,
	  .render = sk_tcpinfo,
	  .doc = "TCP: struct tcp_info, 'key value' per line" },
	{ .name = NULL }
};

static bool sk_shows(const struct node *dir, const struct filedef *f)
{
	const struct snap *s = dir->dn->data;

	return f->code != C_SK_TCPINFO || s->kind == K_TCP;
}

static const struct dirdef sk_dir = { .files = sk_files, .shows = sk_shows };

static const struct filedef sk_dyn[] = {
	{ .name = "N", .code = C_SKDIR, .mode = MODE_ALL_DIR,
	  .dir = &sk_dir,
	  .doc = "one directory per socket, named by its inode number" },
	{ .name = NULL }
};

static void kind_lookup(req_t req, const struct node *dir,
			const char *name)
{
	struct snap *s = malloc(sizeof(*s));
	struct walk w = { .kind = kind_of(INO_CODE(dir->ino)), .want = name,
			  .out = s };
	struct dnode *dn;
	int r = s ? dump(&w) : -ENOMEM;

	if (r == 0 && !w.found)
		r = -ENOENT;
	if (r < 0) {
		free(s);
		req_err(req, -r);
		return;
	}
	dn = dnode_find(dir->ino, name);
	if (dn) {
		dnode_get(dn);
		free(dn->data);		/* the newer snapshot replaces it */
	} else if (!(dn = dnode_new(dir->ino, name))) {
		free(s);
		req_err(req, ENOMEM);
		return;
	}
	dn->data = s;
	dn->free_data = free;
	tree_reply_entry(req, INO(dn->id, C_SKDIR), TTL_NONE);
	dnode_put(dn);
}

static int kind_list(const struct node *dir, struct dirlist *dl)
{
	struct walk w = { .kind = kind_of(INO_CODE(dir->ino)), .dl = dl };

	return dump(&w);
}

static const struct dirdef kind_dir = {
	.lookup = kind_lookup,
	.list = kind_list,
	.dyn = sk_dyn,
};

static const struct filedef system_files[] = {
	{ .name = "tcp", .code = C_SYS_TCP, .mode = MODE_ALL_DIR,
	  .dir = &kind_dir,
	  .doc = "every TCP socket of the host" },
	{ .name = "udp", .code = C_SYS_UDP, .mode = MODE_ALL_DIR,
	  .dir = &kind_dir,
	  .doc = "every UDP socket" },
	{ .name = "raw", .code = C_SYS_RAW, .mode = MODE_ALL_DIR,
	  .dir = &kind_dir,
	  .doc = "every raw socket (empty without the kernel's raw_diag)" },
	{ .name = "unix", .code = C_SYS_UNIX, .mode = MODE_ALL_DIR,
	  .dir = &kind_dir,
	  .doc = "every unix socket" },
	{ .name = NULL }
};

const struct dirdef system_dir = { .files = system_files };
