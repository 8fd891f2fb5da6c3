/* ipifc.h: the host's interfaces (ipifc/), routes (iproute) and
 * neighbours (arp), from rtnetlink. */
#ifndef NETFS_IPIFC_H
#define NETFS_IPIFC_H

#include "strbuf.h"
#include "tree.h"

extern const struct dirdef ipifc_dir;
int text_iproute(const struct node *n, struct strbuf *sb);
int text_arp(const struct node *n, struct strbuf *sb);

#endif
