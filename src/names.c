/* names.c: family, socket type and protocol names (see names.h). */
#include "names.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <strings.h>
#include <sys/socket.h>

#include "errors.h"

const struct name_val family_names[] = {
	{ "inet", AF_INET },
	{ "inet6", AF_INET6 },
	{ "unix", AF_UNIX },
	{ "local", AF_UNIX },
	{ "netlink", AF_NETLINK },
	{ "tipc", AF_TIPC },
	{ "packet", AF_PACKET },
	{ NULL, 0 }
};

const struct name_val socktype_names[] = {
	{ "stream", SOCK_STREAM },
	{ "dgram", SOCK_DGRAM },
	{ "raw", SOCK_RAW },
	{ "seqpacket", SOCK_SEQPACKET },
	{ "rdm", SOCK_RDM },
	{ NULL, 0 }
};

const struct name_val proto_names[] = {
	{ "ip", IPPROTO_IP },
	{ "icmp", IPPROTO_ICMP },
	{ "igmp", IPPROTO_IGMP },
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "ipv6", IPPROTO_IPV6 },
	{ "gre", IPPROTO_GRE },
	{ "esp", IPPROTO_ESP },
	{ "ah", IPPROTO_AH },
	{ "icmpv6", IPPROTO_ICMPV6 },
	{ "sctp", IPPROTO_SCTP },
	{ "udplite", IPPROTO_UDPLITE },
	{ "mptcp", IPPROTO_MPTCP },
	{ "raw", IPPROTO_RAW },
	{ NULL, 0 }
};

/* Netlink protocols by the names of <linux/netlink.h> without NETLINK_. */
static const struct name_val netlink_names[] = {
	{ "route", 0 },
	{ "usersock", 2 },
	{ "firewall", 3 },
	{ "sock_diag", 4 },
	{ "nflog", 5 },
	{ "xfrm", 6 },
	{ "selinux", 7 },
	{ "iscsi", 8 },
	{ "audit", 9 },
	{ "fib_lookup", 10 },
	{ "connector", 11 },
	{ "netfilter", 12 },
	{ "ip6_fw", 13 },
	{ "dnrtmsg", 14 },
	{ "kobject_uevent", 15 },
	{ "generic", 16 },
	{ "scsitransport", 18 },
	{ "ecryptfs", 19 },
	{ "rdma", 20 },
	{ "crypto", 21 },
	{ "smc", 22 },
	{ NULL, 0 }
};

/* Finds f in t, ignoring case and an optional C prefix ("AF_"), or takes a
 * decimal number up to max. */
static int lookup(const struct name_val *t, const char *prefix,
		  struct field f, int max, int *val)
{
	size_t pl = 0;
	uint64_t v;

	while (prefix[pl])
		pl++;
	if (f.n > pl && strncasecmp(f.p, prefix, pl) == 0) {
		f.p += pl;
		f.n -= pl;
	}
	for (; t->name; t++) {
		if (field_caseeq(f, t->name)) {
			*val = t->val;
			return 0;
		}
	}
	if (f.n && parse_uint(f, (uint64_t)max, &v, "number") == 0) {
		*val = (int)v;
		return 0;
	}
	return -1;
}

int family_parse(struct field f, int *val)
{
	char q[QUOTE_MAX];

	if (lookup(family_names, "AF_", f, AF_MAX - 1, val) == 0)
		return 0;
	return errf(EAFNOSUPPORT, "unknown family '%s' (inet, inet6, unix, "
		    "netlink, tipc, packet)", err_quote(f.p, f.n, q));
}

int socktype_parse(struct field f, int *val)
{
	char q[QUOTE_MAX];

	if (lookup(socktype_names, "SOCK_", f, 15, val) == 0)
		return 0;
	return errf(ESOCKTNOSUPPORT, "unknown socket type '%s' (stream, "
		    "dgram, raw, seqpacket, rdm)", err_quote(f.p, f.n, q));
}

int proto_parse(struct field f, int family, int *val)
{
	char q[QUOTE_MAX];

	if (family == AF_NETLINK) {
		if (lookup(netlink_names, "NETLINK_", f, 31, val) == 0)
			return 0;
	} else if (lookup(proto_names, "IPPROTO_", f, 65535, val) == 0) {
		return 0;
	}
	return errf(EPROTONOSUPPORT, "unknown protocol '%s'",
		    err_quote(f.p, f.n, q));
}

static const char *name_of(const struct name_val *t, int val)
{
	for (; t->name; t++)
		if (t->val == val)
			return t->name;
	return NULL;
}

const char *family_name(int family)
{
	return name_of(family_names, family);
}

const char *socktype_name(int type)
{
	return name_of(socktype_names, type);
}

const char *proto_name(int family, int proto)
{
	if (family == AF_NETLINK)
		return name_of(netlink_names, proto);
	if (family == AF_UNIX || family == AF_PACKET || family == AF_TIPC)
		return NULL;
	return name_of(proto_names, proto);
}

/* Why socket(2) refused a combination, in words: the kernel's errno alone
 * does not say what to write instead. */
static const struct {
	int err, family, type;	/* family/type -1: any */
	const char *why;
} hints[] = {
	{ EAFNOSUPPORT, -1, -1, "the kernel has no such family here (for "
	  "tipc: the module is not loaded)" },
	{ ESOCKTNOSUPPORT, AF_INET, -1, "inet offers stream, dgram and raw" },
	{ ESOCKTNOSUPPORT, AF_INET6, -1, "inet6 offers stream, dgram and raw" },
	{ ESOCKTNOSUPPORT, AF_UNIX, -1, "unix offers stream, dgram, raw "
	  "(as dgram) and seqpacket" },
	{ ESOCKTNOSUPPORT, AF_NETLINK, -1, "netlink offers dgram and raw" },
	{ EPROTONOSUPPORT, AF_INET, SOCK_RAW, "a raw socket needs a protocol: "
	  "icmp, udp, tcp, raw or a number" },
	{ EPROTONOSUPPORT, AF_INET6, SOCK_RAW, "a raw socket needs a protocol: "
	  "icmpv6, udp, tcp, raw or a number" },
	{ EPROTONOSUPPORT, -1, -1, "the protocol does not go with this family "
	  "and type (or its module is not loaded)" },
	{ EACCES, AF_INET, SOCK_DGRAM, "unprivileged ICMP sockets need the "
	  "caller's group in net.ipv4.ping_group_range" },
	{ EACCES, AF_INET6, SOCK_DGRAM, "unprivileged ICMP sockets need the "
	  "caller's group in net.ipv4.ping_group_range" },
	{ EPERM, -1, SOCK_RAW, "raw sockets need CAP_NET_RAW" },
	{ EACCES, -1, SOCK_RAW, "raw sockets need CAP_NET_RAW" },
	{ EOPNOTSUPP, -1, -1, "only unix sockets come in pairs" },
};

const char *socket_hint(int family, int type, int err)
{
	size_t i;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (hints[i].err == err &&
		    (hints[i].family < 0 || hints[i].family == family) &&
		    (hints[i].type < 0 || hints[i].type == type))
			return hints[i].why;
	return NULL;
}

int socket_errf(int err, const char *call, int family, int type, int proto)
{
	const char *fn = family_name(family), *tn = socktype_name(type);
	const char *why = socket_hint(family, type, err);

	return errf(err, "%s %s %s %d%s%s", call, fn ? fn : "?",
		    tn ? tn : "?", proto, why ? ": " : "", why ? why : "");
}
