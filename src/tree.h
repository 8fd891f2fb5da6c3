/* tree.h: the shape of the file system.
 *
 * An inode number is (object << 16 | code). The object says whose file it
 * is: 0 for the root level, a socket id, or a dynamic object (a looked-up
 * name, an interface...) from DNODE_BASE up. The code says which file: it
 * indexes the filedef tables. Each directory is a dirdef: a table of fixed
 * entries, optionally filtered, plus optional dynamic entries. Lookup,
 * stat, readdir, open and the documentation all read these tables. */
#ifndef NETFS_TREE_H
#define NETFS_TREE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "list.h"
#include "netfs.h"
#include "req.h"
#include "parse.h"
#include "perm.h"
#include "strbuf.h"

struct sock;
struct dnode;

#define INO(obj, code) (((uint64_t)(obj) << 16) | (code))
#define ROOT_INO 1
#define INO_OBJ(ino) ((uint64_t)(ino) >> 16)
#define INO_CODE(ino) ((unsigned)((ino) & 0xffff))

/* Objects from DNODE_BASE up are dynamic (dnode.c); below are sockets. */
#define DNODE_BASE (1ull << 40)
/* Inode numbers for readdir entries that have no object yet (a lookup
 * makes one): unique, never decoded. */
#define INO_LISTED(key, code) ((1ull << 63) | ((uint64_t)(key) << 16) | (code))

/* File codes. C_ROOT with object 0 is ROOT_INO (1, FUSE's root id). Codes of the root
 * level live below C_SOCKDIR, codes of a socket's files above it. */
enum code {
	C_ROOT = 1,
	C_ROOTCTL,
	C_CONSTANTS = 16,	/* constants, has_ipv6, defaulttimeout */
	C_HAS_IPV6,
	C_DEFTIMEOUT,
	/* 16-31: constants, has_ipv6, defaulttimeout (options)
	 * 32-63: resolve/, reverse/, services/, protocols/, hostname, fqdn
	 * 64-95: the host's network (ipifc/, iproute, arp, system/)
	 * 96-127: the Plan 9 view */
	C_NS_RESOLVE = 32,	/* name services (ns.c) */
	C_NS_REVERSE,
	C_NS_SERVICES,
	C_NS_PROTOCOLS,
	C_NS_HOSTNAME,
	C_NS_FQDN,
	C_IPIFC = 64,
	C_IPROUTE,
	C_ARP,
	C_SYSTEM,
	C_SYS_TCP,
	C_SYS_UDP,
	C_SYS_RAW,
	C_SYS_UNIX,
	C_P9_TCP = 96,		/* the Plan 9 view */
	C_P9_UDP,
	C_P9_UNIX,
	C_P9_TCPCLONE,
	C_P9_UDPCLONE,
	C_P9_UNIXCLONE,
	C_P9_CS = 102,		/* cs and dns (cs.c) */
	C_P9_DNS,

	C_SOCKDIR = 256,	/* object = socket id */
	C_CTL,
	C_DATA,
	C_ACCEPT,
	C_TIMEOUT,
	C_PEERNAME,
	C_SOCKNAME,
	C_FAMILY,
	C_TYPE,
	C_PROTO,
	C_STATUS,
	C_ERROR,
	/* 280-299: recvfrom, sendto and other per-family files */
	C_RECVFROM = 280,
	C_SENDTO,
	/* 300-319: opt/ and the message-flag files
	 * 320-383: the Plan 9 view of a socket (tcp/N/...)
	 * 512-1023: one code per socket option in opt/ */
	C_OPTDIR = 300,		/* opt/ */
	C_RECVFLAGS,
	C_SENDFLAGS,
	C_P9_CONV = 320,
	C_P9_CTL,
	C_P9_DATA,
	C_P9_LISTEN,
	C_P9_LOCAL,
	C_P9_REMOTE,
	C_P9_STATUS,
	C_P9_ERR,
	C_OPT_FIRST = 512,	/* opt/SO_..., one per option (sockopt.c) */
	C_OPT_LAST = 1023,

	C_DYN = 1024,		/* codes of dynamic objects' files:
				 * 1024-1279 name services, 1280-2047 the
				 * host's network and the Plan 9 view */
	C_NS_RESOLVED = 1024,	/* resolve/QUERY and the other answers */
	C_NS_REVERSED,
	C_NS_SERVICE,
	C_NS_PROTOCOL,
	C_IFDIR = 1280,		/* ipifc/NAME and its files */
	C_IF_ADDR,
	C_IF_MTU,
	C_IF_FLAGS,
	C_IF_HWADDR,
	C_IF_STATS,
	C_IF_INDEX,
	C_IF_STATE,
	C_SKDIR = 1312,		/* system/PROTO/N and its files */
	C_SK_LOCAL,
	C_SK_REMOTE,
	C_SK_STATE,
	C_SK_UID,
	C_SK_INODE,
	C_SK_RQUEUE,
	C_SK_WQUEUE,
	C_SK_TCPINFO,

	C_MAX = 65536
};

/* What an inode names, decoded. */
struct node {
	uint64_t ino;
	const struct filedef *def;
	struct sock *s;		/* the socket that owns it, or NULL */
	struct dnode *dn;	/* the dynamic object that owns it, or NULL */
};

struct ofile;
struct dirlist;

/* Stream files answer each read and write themselves and may park them;
 * they are opened FOPEN_STREAM unless seekable. */
struct fileops {
	/* 0: vfs.c answers the open; OPEN_PARKED: the hook keeps req and
	 * answers later with open_reply() (or replies an error and releases
	 * of with ofile_release(); both vfs.h); < 0: the open fails. The
	 * open(2) flags are in of->flags. */
	int (*open)(req_t req, struct ofile *of);
	void (*read)(req_t req, struct ofile *of, size_t size, off_t off,
		     int flags);
	void (*write)(req_t req, struct ofile *of, const char *buf,
		      size_t size, int flags);
	unsigned (*poll)(struct ofile *of);	/* POLLIN | POLLOUT | ... */
	void (*release)(struct ofile *of);
	/* A request/reply file (ctl, cs, clone...): opened as a plain
	 * direct-I/O file that can seek, not FOPEN_STREAM, so that buffered
	 * read-write file objects (Python's open(path, 'r+')) take it. Its
	 * reads never wait long, so the kernel's file position lock, which
	 * a shared stream would deadlock on, costs nothing. Offsets are
	 * ignored either way. */
	bool seekable;
};

/* A directory: fixed entries, optionally filtered by shows(), then names
 * that lookup() resolves (it replies itself, and may park the request) and
 * entries that list() adds. The kernel keeps a fixed entry's name for
 * TTL_FIXED unless shows() may change its mind about it for a directory:
 * then the name is asked for every time. shows_fixed says it never does;
 * settled(), that it no longer does for this directory (a socket whose
 * type is known). A listing read with attributes (readdirplus) gives the
 * fixed entries the kernel keeps, and, through listed(), the names list()
 * added that the directory can answer from what its listing learned,
 * without asking anyone: listed() makes the entry as lookup() would and
 * counts a lookup of it (vfs_forget gives it back), or says < 0 and the
 * name goes without attributes. */
struct dirdef {
	const struct filedef *files;
	bool (*shows)(const struct node *dir, const struct filedef *f);
	bool shows_fixed;
	bool (*settled)(const struct node *dir);
	void (*lookup)(req_t req, const struct node *dir, const char *name);
	int (*list)(const struct node *dir, struct dirlist *dl);
	int (*listed)(const struct node *dir, const char *name, uint64_t *ino,
		      double *ttl);
	const struct filedef *dyn;	/* what lookup() and list() name */
};

/* The modes of table entries, defined here only. A socket's files (and
 * its Plan 9 twin's) carry their owner's bits alone: tree.c gives group
 * and others what the socket directory's mode grants, within those bits,
 * so MODE_OWNER_RO stays read-only for everyone. The root's files and the
 * host's views are the same for every user and say so. */
#define MODE_OWNER_RW	(S_IFREG | 0600)	/* NAME/ctl, data, timeout */
#define MODE_OWNER_RO	(S_IFREG | 0400)	/* NAME/peername, status */
#define MODE_OWNER_WO	(S_IFREG | 0200)	/* NAME/sendto */
#define MODE_OWNER_DIR	(S_IFDIR | 0700)	/* NAME/, NAME/opt/, tcp/N/ */
#define MODE_ALL_RW	(S_IFREG | 0666)	/* /net/ctl, cs, dns, clone */
#define MODE_ALL_RO	(S_IFREG | 0444)	/* constants, ipifc/NAME/mtu */
#define MODE_OWNER_RW_ALL_RO (S_IFREG | 0644)	/* defaulttimeout */
#define MODE_ALL_DIR	(S_IFDIR | 0555)	/* resolve/, ipifc/, system/ */
#define MODE_ROOT_DIR	(S_IFDIR | 01777)	/* the mount point: sticky */

/* One file or directory. A file is a stream (ops) or a text file: render
 * fills a snapshot at open, read back by offset; store takes one written
 * value. A directory has dir. */
struct filedef {
	const char *name;
	uint16_t code;
	uint16_t mode;		/* S_IFDIR or S_IFREG, and permission bits */
	const struct fileops *ops;
	int (*render)(const struct node *n, struct strbuf *sb);
	int (*store)(const struct node *n, struct field value);
	const struct dirdef *dir;
	const void *arg;	/* for renderers shared by many entries */
	/* Reading takes something away (data, a connection): the
	 * directory's mode grants others no read of it; only a chmod of
	 * the file itself does (netfs(7) SECURITY). */
	bool consumes;
	const char *doc;	/* one line for --list, the man page test */
};

/* Per open file; fi->fh points here. */
struct ofile {
	struct sock *s;		/* the owning socket, referenced, or NULL */
	struct dnode *dn;	/* the owning dynamic object, referenced */
	const struct filedef *def;
	uint64_t ino;
	int flags;		/* open(2) flags */
	struct cred cred;	/* the opener's, kept for the file's life */
	struct pollh *ph;
	struct list link;	/* in s->ofiles */
	struct list all;	/* every open file, for unmount (fs.c) */
	struct strbuf out;	/* text snapshot, or unread replies/names */
	size_t charged;		/* of out, to the opener (limits.h) */
	struct strbuf carry;	/* ctl: a line cut where FUSE split a write */
	bool backing;		/* the front-end named a kernel-held copy
				 * of its inode's text (FUSE passthrough) */
};

/* Counts of->out against its opener's memory cap (limits.h): 0, or
 * -ENOBUFS with a detail when it has grown past it. */
int ofile_charge(struct ofile *of);

/* Registers a table of filedefs so that their codes decode (tree.c lists
 * the tables; runtime-built tables such as the options register at start). */
void tree_register(const struct filedef *table);
const struct filedef *tree_def(unsigned code);
const struct filedef *tree_find(const struct filedef *table, const char *name);
/* Opened FOPEN_STREAM and non-seekable: fileops that are not seekable. */
bool tree_is_stream(uint64_t ino);
/* A name the root's own table uses (ctl, resolve...): no socket may
 * take it. */
bool tree_root_has(const char *name);

/* Decodes ino: 0, or -ENOENT when its socket or object is gone. Takes no
 * references. */
int node_get(uint64_t ino, struct node *n);
/* Attributes of a decoded node. */
void node_stat(const struct node *n, struct stat *st);
/* Prints every path of the tree, with the dynamic names as patterns
 * (NAME, N, IFACE...), and its one-line description: netfs --list. */
void tree_list(FILE *f, const char *mnt);
/* Tells the front-ends that the attributes of a socket's files changed
 * (its directory was chmod'ed or chown'ed: the files follow). */
void tree_inval_files(const struct sock *s);
/* The kernel keeps the name of socket file CODE (TTL_FIXED); when the
 * socket closes, tree_inval_kept makes it ask about those files again, so
 * that a stat from within the directory finds them gone. Files still
 * open keep their attributes until they expire (TTL_ATTR), for fstat(2),
 * as an unlinked file does. */
void tree_keep_file(struct sock *s, unsigned code);
void tree_inval_kept(struct sock *s);
/* What a file may ever allow: its owner bits for every class (a read-only
 * file stays read-only whatever chmod asks). */
mode_t tree_file_bits(mode_t def);

/* Replies to a lookup with the entry for ino (counting the kernel's
 * reference on dynamic objects); ttl is the entry timeout. */
void tree_reply_entry(req_t req, uint64_t ino, double ttl);
#define TTL_ATTR 1.0		/* attributes */
#define TTL_FIXED 60.0		/* names that never change */
#define TTL_NONE 0.0		/* names that come and go */

/* Entries added by a dirdef's list(). 0 or -ENOMEM. */
int dirlist_add(struct dirlist *dl, const char *name, uint64_t ino,
		mode_t type);
/* A directory's listing, taken at opendir so that a reader paging through
 * thousands of entries sees one list; NULL on ENOMEM. */
struct dirlist *dirlist_make(const struct node *dir);
void dirlist_free(struct dirlist *dl);
void dirlist_free_all(void);
/* Entry i (0 is "."): its name, inode and type; false past the end. A
 * listing's offsets are entry numbers: the entry after i is at i + 1. */
bool dirlist_get(const struct dirlist *dl, size_t i, const char **name,
		 uint64_t *ino, mode_t *type);

#define OPEN_PARKED 1

/* Replies with up to size bytes of of->out from offset off (text files). */
void reply_from_snapshot(req_t req, struct ofile *of, size_t size,
			 off_t off);
/* Replies with up to size bytes of of->out and drops them (streams). */
void reply_and_consume(req_t req, struct ofile *of, size_t size);
/* The read of a file whose answers wait in of->out (ctl replies, an
 * option's value, fqdn): the next line; nothing pending is end of file,
 * so `cat` and `read` never hang on it. */
void read_replies(req_t req, struct ofile *of, size_t size, off_t off,
		  int flags);

#endif
