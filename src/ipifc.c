/* ipifc.c: the host's interfaces, routes and neighbours, read-only and
 * asked of the kernel afresh on each open (rtnetlink through libmnl):
 *
 *   ipifc/NAME/addr     ADDR/PREFIX per line        (ip addr)
 *   ipifc/NAME/mtu, flags, hwaddr, state, index
 *   ipifc/NAME/stats    counters, "key value"       (ip -s link)
 *   iproute             one route per line          (ip route)
 *   arp                 one neighbour per line      (ip neigh)
 */
#include "ipifc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dnode.h"
#include "netlink.h"
#include "strbuf.h"
#include "tree.h"

/* From <linux/if.h>, which cannot be included beside <net/if.h>. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#define IFF_DORMANT 0x20000
#endif


/* --- links --- */

struct link {
	int index;
	unsigned flags;
	unsigned mtu;
	unsigned char operstate;
	char name[IF_NAMESIZE];
	unsigned char hw[32];
	int hwlen;
	bool has_stats;
	struct rtnl_link_stats64 st;
	struct dirlist *dl;	/* listing: every link's name goes here */
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	/* Keep only what fits the tables: the callers' max is the size. */
	if (mnl_attr_type_valid(a, 64) > 0 && type < 64)
		tb[type] = a;
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = { 0 };
	struct link *l = arg;

	mnl_attr_parse(nlh, sizeof(*ifi), attr_cb, tb);
	if (!tb[IFLA_IFNAME])
		return MNL_CB_OK;
	if (l->dl) {
		const char *name = mnl_attr_get_str(tb[IFLA_IFNAME]);
		struct dnode *dn = dnode_find(INO(0, C_IPIFC), name);

		dirlist_add(l->dl, name, dn ? INO(dn->id, C_IFDIR) :
			    INO_LISTED(ifi->ifi_index, C_IFDIR), S_IFDIR);
		return MNL_CB_OK;
	}
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	snprintf(l->name, sizeof(l->name), "%s",
		 mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_MTU])
		l->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_OPERSTATE])
		l->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_ADDRESS]) {
		l->hwlen = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
		if (l->hwlen > (int)sizeof(l->hw))
			l->hwlen = sizeof(l->hw);
		memcpy(l->hw, mnl_attr_get_payload(tb[IFLA_ADDRESS]),
		       (size_t)l->hwlen);
	}
	if (tb[IFLA_STATS64] &&
	    mnl_attr_get_payload_len(tb[IFLA_STATS64]) >= sizeof(l->st)) {
		memcpy(&l->st, mnl_attr_get_payload(tb[IFLA_STATS64]),
		       sizeof(l->st));
		l->has_stats = true;
	}
	return MNL_CB_OK;
}

/* The link named by the interface directory n belongs to, now. */
static int get_link(const struct node *n, struct link *l)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int index = (int)if_nametoindex(n->dn->name), r;

	if (!index)
		return -ENOENT;	/* gone since the lookup */
	memset(l, 0, sizeof(*l));
	ifi = nl_request(buf, RTM_GETLINK, 0, sizeof(*ifi), &nlh);
	ifi->ifi_index = index;
	r = nl_query(NETLINK_ROUTE, nlh, link_cb, l);
	return r < 0 ? r : l->index ? 0 : -ENOENT;
}

static int if_mtu(const struct node *n, struct strbuf *sb)
{
	struct link l;
	int r = get_link(n, &l);

	return r < 0 ? r : sb_printf(sb, "%u\n", l.mtu);
}

static int if_index(const struct node *n, struct strbuf *sb)
{
	struct link l;
	int r = get_link(n, &l);

	return r < 0 ? r : sb_printf(sb, "%d\n", l.index);
}

static int if_flags(const struct node *n, struct strbuf *sb)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ IFF_UP, "UP" }, { IFF_BROADCAST, "BROADCAST" },
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_POINTOPOINT, "POINTOPOINT" },
		{ IFF_RUNNING, "RUNNING" }, { IFF_NOARP, "NOARP" },
		{ IFF_PROMISC, "PROMISC" }, { IFF_ALLMULTI, "ALLMULTI" },
		{ IFF_MULTICAST, "MULTICAST" }, { IFF_DYNAMIC, "DYNAMIC" },
		{ IFF_LOWER_UP, "LOWER_UP" }, { IFF_DORMANT, "DORMANT" },
	};
	struct link l;
	size_t i;
	int r = get_link(n, &l), first = 1;

	for (i = 0; r == 0 && i < sizeof(names) / sizeof(names[0]); i++) {
		if (l.flags & names[i].bit) {
			r = sb_printf(sb, "%s%s", first ? "" : " ",
				      names[i].name);
			first = 0;
		}
	}
	return r < 0 ? r : sb_puts(sb, "\n");
}

static int if_hwaddr(const struct node *n, struct strbuf *sb)
{
	struct link l;
	int i, r = get_link(n, &l);

	for (i = 0; r == 0 && i < l.hwlen; i++)
		r = sb_printf(sb, "%s%02x", i ? ":" : "", l.hw[i]);
	return r < 0 ? r : sb_puts(sb, "\n");
}

static int if_state(const struct node *n, struct strbuf *sb)
{
	static const char *const states[] = {
		"unknown", "notpresent", "down", "lowerlayerdown",
		"testing", "dormant", "up",
	};
	struct link l;
	int r = get_link(n, &l);

	if (r < 0)
		return r;
	return sb_printf(sb, "%s\n", l.operstate < 7 ? states[l.operstate]
						    : "unknown");
}

static int if_stats(const struct node *n, struct strbuf *sb)
{
	struct link l;
	int r = get_link(n, &l);

	if (r < 0 || !l.has_stats)
		return r;
	return sb_printf(sb,
		"rx_bytes %llu\nrx_packets %llu\nrx_errors %llu\n"
		"rx_dropped %llu\ntx_bytes %llu\ntx_packets %llu\n"
		"tx_errors %llu\ntx_dropped %llu\nmulticast %llu\n"
		"collisions %llu\n",
		l.st.rx_bytes, l.st.rx_packets, l.st.rx_errors,
		l.st.rx_dropped, l.st.tx_bytes, l.st.tx_packets,
		l.st.tx_errors, l.st.tx_dropped, l.st.multicast,
		l.st.collisions);
}

/* --- addresses --- */

struct addrs {
	int index;
	struct strbuf *sb;
	int err;
};

static const char *ntop(int family, const void *p, char *buf)
{
	return inet_ntop(family, p, buf, INET6_ADDRSTRLEN);
}

static int addr_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = { 0 }, *a;
	struct addrs *x = arg;
	char buf[INET6_ADDRSTRLEN];

	if ((int)ifa->ifa_index != x->index)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, tb);
	/* IFA_LOCAL is the interface's own address on point-to-point
	 * links, where IFA_ADDRESS is the peer's. */
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a)
		return MNL_CB_OK;
	if (!x->err)
		x->err = sb_printf(x->sb, "%s/%u\n",
				   ntop(ifa->ifa_family,
					mnl_attr_get_payload(a), buf),
				   ifa->ifa_prefixlen);
	return MNL_CB_OK;
}

static int if_addr(const struct node *n, struct strbuf *sb)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct addrs x = { .sb = sb };
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int r;

	x.index = (int)if_nametoindex(n->dn->name);
	if (!x.index)
		return -ENOENT;
	ifa = nl_request(buf, RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa), &nlh);
	ifa->ifa_family = AF_UNSPEC;
	r = nl_query(NETLINK_ROUTE, nlh, addr_cb, &x);
	return r < 0 ? r : x.err;
}

/* --- routes --- */

static const char *proto_word(unsigned p)
{
	switch (p) {
	case RTPROT_KERNEL: return "kernel";
	case RTPROT_BOOT: return "boot";
	case RTPROT_STATIC: return "static";
	case RTPROT_DHCP: return "dhcp";
	case RTPROT_RA: return "ra";
	default: return NULL;
	}
}

static const char *scope_word(unsigned s)
{
	switch (s) {
	case RT_SCOPE_UNIVERSE: return "global";
	case RT_SCOPE_LINK: return "link";
	case RT_SCOPE_HOST: return "host";
	case RT_SCOPE_SITE: return "site";
	default: return "nowhere";
	}
}

struct text {
	struct strbuf *sb;
	int err;
};

/* Appends a, then b. */
static void put(struct text *t, const char *a, const char *b)
{
	if (!t->err)
		t->err = sb_printf(t->sb, "%s%s", a, b);
}

static int route_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct rtmsg *rt = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = { 0 };
	struct text *t = arg;
	char buf[INET6_ADDRSTRLEN], ifname[IF_NAMESIZE], num[16];
	unsigned table;

	mnl_attr_parse(nlh, sizeof(*rt), attr_cb, tb);
	table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rt->rtm_table;
	/* The main table, as `ip route` shows it; cached clones are not
	 * routes. */
	if (table != RT_TABLE_MAIN || (rt->rtm_flags & RTM_F_CLONED) ||
	    (rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6))
		return MNL_CB_OK;
	if (rt->rtm_type == RTN_UNREACHABLE)
		put(t, "", "unreachable ");
	if (tb[RTA_DST]) {
		put(t, "", ntop(rt->rtm_family,
				  mnl_attr_get_payload(tb[RTA_DST]), buf));
		snprintf(num, sizeof(num), "/%u", rt->rtm_dst_len);
		put(t, "", num);
	} else {
		put(t, "", "default");
	}
	if (tb[RTA_GATEWAY])
		put(t, " via ", ntop(rt->rtm_family,
				       mnl_attr_get_payload(tb[RTA_GATEWAY]),
				       buf));
	if (tb[RTA_OIF] &&
	    if_indextoname(mnl_attr_get_u32(tb[RTA_OIF]), ifname))
		put(t, " dev ", ifname);
	if (proto_word(rt->rtm_protocol))
		put(t, " proto ", proto_word(rt->rtm_protocol));
	put(t, " scope ", scope_word(rt->rtm_scope));
	if (tb[RTA_PREFSRC])
		put(t, " src ", ntop(rt->rtm_family,
				       mnl_attr_get_payload(tb[RTA_PREFSRC]),
				       buf));
	if (tb[RTA_PRIORITY]) {
		snprintf(num, sizeof(num), "%u",
			 mnl_attr_get_u32(tb[RTA_PRIORITY]));
		put(t, " metric ", num);
	}
	put(t, "", "\n");
	return MNL_CB_OK;
}

int text_iproute(const struct node *n, struct strbuf *sb)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct text t = { sb, 0 };
	struct nlmsghdr *nlh;
	struct rtmsg *rt;
	int r;

	(void)n;
	rt = nl_request(buf, RTM_GETROUTE, NLM_F_DUMP, sizeof(*rt), &nlh);
	rt->rtm_family = AF_UNSPEC;
	r = nl_query(NETLINK_ROUTE, nlh, route_cb, &t);
	return r < 0 ? r : t.err;
}

/* --- neighbours --- */

static const char *nud_word(unsigned s)
{
	switch (s) {
	case NUD_INCOMPLETE: return "INCOMPLETE";
	case NUD_REACHABLE: return "REACHABLE";
	case NUD_STALE: return "STALE";
	case NUD_DELAY: return "DELAY";
	case NUD_PROBE: return "PROBE";
	case NUD_FAILED: return "FAILED";
	case NUD_PERMANENT: return "PERMANENT";
	default: return "NONE";
	}
}

static int neigh_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = { 0 };
	struct text *t = arg;
	char buf[INET6_ADDRSTRLEN], ifname[IF_NAMESIZE], mac[3 * 32];
	const unsigned char *ll;
	int i, len, o = 0;

	mnl_attr_parse(nlh, sizeof(*nd), attr_cb, tb);
	if (!tb[NDA_DST] || (nd->ndm_state & NUD_NOARP) ||
	    (nd->ndm_family != AF_INET && nd->ndm_family != AF_INET6))
		return MNL_CB_OK;
	put(t, "", ntop(nd->ndm_family, mnl_attr_get_payload(tb[NDA_DST]),
			  buf));
	if (if_indextoname((unsigned)nd->ndm_ifindex, ifname))
		put(t, " dev ", ifname);
	if (tb[NDA_LLADDR]) {
		ll = mnl_attr_get_payload(tb[NDA_LLADDR]);
		len = mnl_attr_get_payload_len(tb[NDA_LLADDR]);
		for (i = 0; i < len && i < 32; i++)
			o += snprintf(mac + o, sizeof(mac) - (size_t)o,
				      "%s%02x", i ? ":" : "", ll[i]);
		mac[o] = '\0';
		put(t, " lladdr ", mac);
	}
	put(t, " ", nud_word(nd->ndm_state));
	put(t, "", "\n");
	return MNL_CB_OK;
}

int text_arp(const struct node *n, struct strbuf *sb)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct text t = { sb, 0 };
	struct nlmsghdr *nlh;
	struct ndmsg *nd;
	int r;

	(void)n;
	nd = nl_request(buf, RTM_GETNEIGH, NLM_F_DUMP, sizeof(*nd), &nlh);
	nd->ndm_family = AF_UNSPEC;
	r = nl_query(NETLINK_ROUTE, nlh, neigh_cb, &t);
	return r < 0 ? r : t.err;
}

/* --- the directories --- */

static const struct filedef if_files[] = {
	{ .name = "addr", .code = C_IF_ADDR, .mode = MODE_ALL_RO,
	  .render = if_addr,
	  .doc = "ADDR/PREFIX, one per line" },
	{ .name = "mtu", .code = C_IF_MTU, .mode = MODE_ALL_RO,
	  .render = if_mtu,
	  .doc = "the MTU" },
	{ .name = "flags", .code = C_IF_FLAGS, .mode = MODE_ALL_RO,
	  .render = if_flags,
	  .doc = "UP BROADCAST LOOPBACK RUNNING MULTICAST LOWER_UP ..." },
	{ .name = "hwaddr", .code = C_IF_HWADDR, .mode = MODE_ALL_RO,
	  .render = if_hwaddr,
	  .doc = "the link-layer address" },
	{ .name = "state", .code = C_IF_STATE, .mode = MODE_ALL_RO,
	  .render = if_state,
	  .doc = "the operational state: up, down, unknown, ..." },
	{ .name = "index", .code = C_IF_INDEX, .mode = MODE_ALL_RO,
	  .render = if_index,
	  .doc = "the interface index" },
	{ .name = "stats", .code = C_IF_STATS, .mode = MODE_ALL_RO,
	  .render = if_stats,
	  .doc = "rx_bytes, tx_bytes and other counters, 'key value'" },
	{ .name = NULL }
};

static const struct dirdef if_dir = { .files = if_files };

static const struct filedef if_dyn[] = {
	{ .name = "NAME", .code = C_IFDIR, .mode = MODE_ALL_DIR,
	  .dir = &if_dir,
	  .doc = "one directory per interface" },
	{ .name = NULL }
};

static void ipifc_lookup(req_t req, const struct node *dir,
			 const char *name)
{
	struct dnode *dn;

	if (strlen(name) >= IF_NAMESIZE || !if_nametoindex(name)) {
		req_err(req, ENOENT);
		return;
	}
	dn = dnode_find(dir->ino, name);
	if (dn) {
		tree_reply_entry(req, INO(dn->id, C_IFDIR), TTL_NONE);
		return;
	}
	dn = dnode_new(dir->ino, name);
	if (!dn) {
		req_err(req, ENOMEM);
		return;
	}
	tree_reply_entry(req, INO(dn->id, C_IFDIR), TTL_NONE);
	dnode_put(dn);	/* the kernel's lookup keeps it now */
}

static int ipifc_list(const struct node *dir, struct dirlist *dl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct link l = { .dl = dl };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	(void)dir;
	ifi = nl_request(buf, RTM_GETLINK, NLM_F_DUMP, sizeof(*ifi), &nlh);
	ifi->ifi_family = AF_UNSPEC;
	return nl_query(NETLINK_ROUTE, nlh, link_cb, &l);
}

const struct dirdef ipifc_dir = {
	.lookup = ipifc_lookup,
	.list = ipifc_list,
	.dyn = if_dyn,
};
