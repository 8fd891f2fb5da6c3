/* ctl.h: running control commands, for control files defined elsewhere
 * (the Plan 9 view in p9.c). */
#ifndef NETFS_CTL_H
#define NETFS_CTL_H

#include "parse.h"
#include "tree.h"

/* Runs the commands in buf against table, as a write of a ctl file. */
void ctl_write(fuse_req_t req, struct ofile *of, const char *buf,
	       size_t size, int flags, const struct cmdtab *table);
/* Reads replies queued on of->out; nothing pending is end of file. */
void ctl_read(fuse_req_t req, struct ofile *of, size_t size, off_t off,
	      int flags);
unsigned ctl_poll(struct ofile *of);

#endif
