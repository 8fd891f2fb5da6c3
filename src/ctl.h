/* ctl.h: the control files (/net/ctl, NAME/ctl), and running control
 * commands for control files defined elsewhere (the Plan 9 view in
 * p9.c). */
#ifndef NETFS_CTL_H
#define NETFS_CTL_H

#include "parse.h"
#include "tree.h"

extern const struct fileops rootctl_ops, ctl_ops;

/* Runs the commands in buf against table, as a write of a ctl file. */
void ctl_write(req_t req, struct ofile *of, const char *buf,
	       size_t size, int flags, const struct cmdtab *table);
unsigned ctl_poll(struct ofile *of);

#endif
