/* vfs.h: the file system's operations, as every front-end calls them
 * (fuse_fe.c for FUSE; 9P next). Each takes a request (req.h) and answers
 * it, now or later from the loop; the front-end turns inode numbers and
 * its own handles into these calls and the answers into its protocol.
 * Also the life of an open file (struct ofile, tree.h): answering an open
 * late and releasing one. */
#ifndef NETFS_VFS_H
#define NETFS_VFS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "netfs.h"
#include "req.h"
#include "tree.h"

/* What vfs_setattr changes (ORed). */
#define VFS_SET_MODE (1 << 0)
#define VFS_SET_UID (1 << 1)
#define VFS_SET_GID (1 << 2)

void vfs_lookup(req_t req, uint64_t parent, const char *name);
/* The front-end drops nlookup of its references to ino. */
void vfs_forget(uint64_t ino, uint64_t nlookup);
/* One more reference to ino, as a lookup's answer gives (a 9P fid cloned
 * by a walk of no names). 0, or -ENOENT when it is gone. */
int vfs_hold(uint64_t ino);
void vfs_getattr(req_t req, uint64_t ino);
/* Mode, owner and group as to_set says; other attributes (size, times)
 * are accepted and left as they are. */
void vfs_setattr(req_t req, uint64_t ino, const struct stat *attr,
		 int to_set);
void vfs_mkdir(req_t req, uint64_t parent, const char *name);
void vfs_rmdir(req_t req, uint64_t parent, const char *name);
/* unlink, create, mknod, symlink, link, rename: EPERM. */
void vfs_refuse(req_t req);
/* flags: open(2)'s. Answers with req_open (see open_reply). */
void vfs_open(req_t req, uint64_t ino, int flags);
void vfs_read(req_t req, struct ofile *of, size_t size, off_t off);
void vfs_write(req_t req, struct ofile *of, const char *buf, size_t size);
/* ph (may be NULL) replaces the file's poll handle. */
void vfs_poll(req_t req, struct ofile *of, struct pollh *ph);
/* Answers with req_opendir; the listing is read with req_dir's help
 * (dirlist_get) and freed with dirlist_free. */
void vfs_opendir(req_t req, uint64_t ino);
/* Whether the caller may look names up in directory ino (search
 * permission), as vfs_lookup asks: 0 and the directory, or ENOENT,
 * ENOTDIR, EACCES (negative). A listing read with attributes
 * (readdirplus) gives entries only to such a caller; to others its
 * entries go without attributes. */
int vfs_search_dir(req_t req, uint64_t ino, struct node *dir);
/* The entry for a name the listing of dir gave, if the kernel may have it
 * without a lookup; counted as one (vfs_forget(*ino, 1) takes it back if
 * the kernel never receives it). false: the name goes without. */
bool vfs_listed(const struct node *dir, const char *name, uint64_t *ino,
		struct stat *st, double *ttl);
void vfs_statfs(req_t req);

/* Answers an open with of as its file (for opens answered late too); a
 * caller that went away meanwhile gets no release, so of is freed. */
void open_reply(req_t req, struct ofile *of);
void ofile_release(struct ofile *of);
/* Makes of one of s's open files (referenced, counted in s->nopen for a
 * Plan 9 lifetime, told of s's readiness); ofile_release undoes it. */
void ofile_attach(struct ofile *of, struct sock *s);
/* At exit: releases the files the front-ends will never release, after
 * the sockets closed (their parked requests still name the files). */
void vfs_fini(void);

#endif
