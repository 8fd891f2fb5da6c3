/* passthru.h: snapshot files handed to the kernel (FUSE passthrough).
 *
 * A read-only open of a file whose text is made at open (peername,
 * system/tcp/N/remote...) can be answered with a backing file holding
 * that text: the kernel then serves read, seek, mmap and splice from it
 * without asking the daemon, so reading such a file costs an OPEN and a
 * RELEASE instead of an OPEN, two READs and a RELEASE, and the reader's
 * buffer is not pinned for direct I/O. Kernels from 6.9 offer it; it
 * needs CAP_SYS_ADMIN. When anything says no, files are opened as before.
 *
 * The kernel allows one backing file per inode while any open of it uses
 * one, and refuses (EIO to the opener) an open of such an inode whose
 * reply names no backing file or another one. So every open of an inode
 * that holds one names it: an open whose text is the same reads it, any
 * other open names it too but keeps direct I/O (which the kernel puts
 * before passthrough), so its READs still come to the daemon and it reads
 * its own snapshot. */
#ifndef NETFS_PASSTHRU_H
#define NETFS_PASSTHRU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel agreed to passthrough at INIT on /dev/fuse fd. */
void passthru_enable(int fd);
/* The backing id an open of inode ino must name, or 0 for none. snap is
 * the open's whole text when it may be read from a backing file, NULL
 * when not. *direct says whether the open must still read through the
 * daemon. Each open given an id is passed to passthru_close once. */
int passthru_open(uint64_t ino, const void *snap, size_t len, bool *direct);
/* An open of ino given an id has been released (or its reply not sent). */
void passthru_close(uint64_t ino);
void passthru_fini(void);

#endif
