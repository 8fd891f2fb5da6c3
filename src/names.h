/* names.h: the words users write and read for families, socket types and
 * protocols ("inet6", "dgram", "tcp"), in one table each. Lookups also take
 * the C constant spellings (AF_INET6, SOCK_DGRAM, IPPROTO_TCP) and numbers. */
#ifndef NETFS_NAMES_H
#define NETFS_NAMES_H

#include "parse.h"

struct name_val {
	const char *name;
	int val;
};

extern const struct name_val family_names[];
extern const struct name_val socktype_names[];
extern const struct name_val proto_names[];

/* 0 and *val, or -EAFNOSUPPORT/-ESOCKTNOSUPPORT/-EPROTONOSUPPORT with a
 * detail naming the rejected word. */
int family_parse(struct field f, int *val);
int socktype_parse(struct field f, int *val);
/* Protocol names depend on the family (netlink has its own). */
int proto_parse(struct field f, int family, int *val);

/* Names for display; NULL when the value has none (callers print numbers). */
const char *family_name(int family);
const char *socktype_name(int type);
const char *proto_name(int family, int proto);

/* Words on why socket(2) or socketpair(2) refused family/type with err
 * (what the kernel offers instead), or NULL. */
const char *socket_hint(int family, int type, int err);
/* Returns -err with the detail "CALL FAMILY TYPE PROTO: hint" (errors.h),
 * for socket(2) or socketpair(2) (call) refusing the combination. */
int socket_errf(int err, const char *call, int family, int type, int proto);

#endif
