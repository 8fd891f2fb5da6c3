/* cs.h: Plan 9's cs and dns files of the root. */
#ifndef NETFS_CS_H
#define NETFS_CS_H

#include "tree.h"

extern const struct fileops cs_ops, dns_ops;
/* At exit: answers the writes still waiting for the resolver. */
void cs_fini(void);

#endif
