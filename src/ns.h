/* ns.h: the name-service files of the root: resolve/, reverse/,
 * services/, protocols/, hostname and fqdn. */
#ifndef NETFS_NS_H
#define NETFS_NS_H

#include "strbuf.h"
#include "tree.h"

extern const struct dirdef resolve_dir, reverse_dir, services_dir,
	protocols_dir;
extern const struct fileops fqdn_ops;
int text_hostname(const struct node *n, struct strbuf *sb);
/* At exit: answers the lookups still waiting for the resolver. */
void ns_fini(void);

#endif
