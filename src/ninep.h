/* ninep.h: the 9P2000.L front-end. netfs serves its tree, the same one
 * the FUSE mount shows, to 9P clients (Linux's v9fs, 9front, plan9port)
 * over a unix socket, TCP, or one connection on stdin/stdout. Requests go
 * through vfs.h like FUSE's; a caller's identity comes from the transport,
 * never from Tattach's names (netfs(7), "Importing /net over 9P"). */
#ifndef NETFS_NINEP_H
#define NETFS_NINEP_H

/* Serves at addr: "unix!PATH", "tcp!HOST!PORT" or "-" (stdin/stdout,
 * as the user running netfs). TCP callers act as user (a name; NULL:
 * nobody). 0, or a negative errno with a message printed. */
int ninep_start(const char *addr, const char *user);
/* Closes every connection (their open files are released) and the
 * listener. */
void ninep_fini(void);

#endif
