/* fs.h: the FUSE low-level operations table, and the life of an open file
 * (struct ofile, tree.h): answering an open late and releasing one. */
#ifndef NETFS_FS_H
#define NETFS_FS_H

#include "netfs.h"
#include "tree.h"

extern const struct fuse_lowlevel_ops fs_ops;

/* Answers an open with of as its file (for opens answered late). */
void open_reply(fuse_req_t req, struct fuse_file_info *fi, struct ofile *of);
void ofile_release(struct ofile *of);
/* Makes of one of s's open files (referenced, counted in s->nopen for a
 * Plan 9 lifetime, told of s's readiness); ofile_release undoes it. */
void ofile_attach(struct ofile *of, struct sock *s);
/* At exit: releases the files the kernel will never release, after the
 * sockets closed (their parked requests still name the files). */
void fs_fini(void);

#endif
