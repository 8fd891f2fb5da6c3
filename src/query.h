/* query.h: the names looked up in the name-service directories and
 * written to /net/cs, parsed without any lookup ((pointer, length), no NUL
 * needed): resolve/QUERY, reverse/ADDRESS, services/NAME, protocols/NAME.
 * Functions return 0 or a negative errno with a detail (errors.h). */
#ifndef NETFS_QUERY_H
#define NETFS_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"

/* A flag word after '?' and the bit it sets (AI_* or NI_*). */
struct query_flag {
	const char *name;
	int bit;
};

/* The words of resolve/QUERY?FLAGS (AI_*) and reverse/ADDRESS?FLAGS
 * (NI_*), lower case; the C spellings (AI_CANONNAME) are accepted too. */
extern const struct query_flag ai_flags[], ni_flags[];

struct query {
	int family, socktype, proto;	/* from NET! (tcp4...), or 0 */
	char host[256];			/* a name or literal; "" for '*' */
	char serv[32];			/* a port number or name; "" if none */
	char proto_name[32];		/* services/NAME!PROTO; "" if none */
	int number;			/* protocols/NUMBER; -1 for a name */
	int flags;			/* AI_* or NI_* from '?' */
};

/* [NET!]HOST[!SERVICE][?FLAG[,FLAG...]]: NET is a network of the dial
 * strings (tcp, udp4, inet6, net, ...), HOST a name, a literal (IPv6 in
 * brackets or not, %scope allowed) or '*' (no host: with passive the
 * wildcard address, else loopback), SERVICE a port or a services(5) name.
 * Two parts are HOST!SERVICE. */
int query_resolve(const char *p, size_t n, struct query *q);

/* ADDRESS[!PORT][?FLAG,...]: the address (or a name, looked up first) and
 * an optional port number, for getnameinfo. */
int query_reverse(const char *p, size_t n, struct query *q);

/* NAME[!PROTO] or PORT[!PROTO]: a services(5) entry; PROTO narrows it to
 * one protocol (tcp, udp, ...). serv gets NAME or PORT. */
int query_service(const char *p, size_t n, struct query *q);

/* NAME or NUMBER (0-255): a protocols(5) entry. */
int query_protocol(const char *p, size_t n, struct query *q);

/* NAME TYPE, a query of /net/dns: TYPE is ip, ipv6, mx, ns, cname, ptr,
 * txt, srv or soa (or a, aaaa); number gets the RR type (ns_t_*) and host
 * the name, an address of a ptr query turned into its in-addr.arpa or
 * ip6.arpa name. */
int query_dns(const char *p, size_t n, struct query *q);
/* The word of an RR type for the read form ("ip", "mx"...); NULL if none. */
const char *query_dns_type(int type);

#endif
