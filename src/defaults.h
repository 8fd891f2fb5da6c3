/* defaults.h: the root's constants, has_ipv6 and defaulttimeout files
 * (the reference module's module-level functions), for tree.c's root
 * table. */
#ifndef NETFS_DEFAULTS_H
#define NETFS_DEFAULTS_H

#include "parse.h"
#include "strbuf.h"
#include "tree.h"

int text_constants(const struct node *n, struct strbuf *sb);
int text_has_ipv6(const struct node *n, struct strbuf *sb);
int text_defaulttimeout(const struct node *n, struct strbuf *sb);
int store_defaulttimeout(const struct node *n, struct field v);

#endif
