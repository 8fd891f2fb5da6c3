/* text.h: the small text files of a socket directory (peername, family,
 * status, error, timeout...), rendered at open for the tables of tree.c
 * and p9.c. */
#ifndef NETFS_TEXT_H
#define NETFS_TEXT_H

#include "parse.h"
#include "strbuf.h"
#include "tree.h"

int text_peername(const struct node *n, struct strbuf *sb);
int text_sockname(const struct node *n, struct strbuf *sb);
int text_family(const struct node *n, struct strbuf *sb);
int text_type(const struct node *n, struct strbuf *sb);
int text_proto(const struct node *n, struct strbuf *sb);
int text_status(const struct node *n, struct strbuf *sb);
int text_error(const struct node *n, struct strbuf *sb);
int text_timeout(const struct node *n, struct strbuf *sb);
int store_timeout(const struct node *n, struct field v);

#endif
