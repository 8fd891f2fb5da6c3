/* tree.h: the shape of the file system. Inode numbers encode (object,
 * code): the object is 0 for the root level or a socket id, the code says
 * which file it is. One table per directory lists its files; lookup, stat,
 * readdir, open and the documentation all read those tables. */
#ifndef NETFS_TREE_H
#define NETFS_TREE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "list.h"
#include "netfs.h"
#include "parse.h"
#include "strbuf.h"

struct sock;

#define INO(obj, code) (((uint64_t)(obj) << 16) | (code))
#define INO_OBJ(ino) ((uint64_t)(ino) >> 16)
#define INO_CODE(ino) ((unsigned)((ino) & 0xffff))

/* File codes. C_ROOT with object 0 is FUSE_ROOT_ID (1). */
enum code {
	C_ROOT = 1,
	C_ROOTCTL,

	C_SOCKDIR = 64,		/* per-socket codes, object = socket id */
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

	C_MAX = 4096
};

struct ofile;

/* Stream files (ctl, data, accept) answer each read and write themselves
 * and may park them; they are opened FOPEN_STREAM. */
struct fileops {
	int (*open)(struct ofile *of);
	void (*read)(fuse_req_t req, struct ofile *of, size_t size, off_t off,
		     int flags);
	void (*write)(fuse_req_t req, struct ofile *of, const char *buf,
		      size_t size, int flags);
	unsigned (*poll)(struct ofile *of);	/* POLLIN | POLLOUT | ... */
	void (*release)(struct ofile *of);
};

/* One entry of a directory table. A file is a stream file (ops) or a text
 * file: render fills a snapshot at open, read back by offset; store takes
 * one written value. */
struct filedef {
	const char *name;
	uint16_t code;
	uint16_t mode;		/* S_IFDIR or S_IFREG plus owner bits */
	const struct fileops *ops;
	int (*render)(struct sock *s, struct strbuf *sb);
	int (*store)(struct sock *s, struct field value);
	const char *doc;	/* one line for --help and the tests */
};

/* Per open file; fi->fh points here. */
struct ofile {
	struct sock *s;		/* NULL at the root; holds a reference */
	const struct filedef *def;
	int flags;		/* open(2) flags */
	uid_t uid;		/* the opener */
	gid_t gid;
	pid_t pid;
	struct fuse_pollhandle *ph;
	struct list link;	/* in s->ofiles */
	struct strbuf out;	/* text snapshot, or unread replies/names */
};

extern const struct filedef root_files[];
extern const struct filedef sock_files[];

const struct filedef *tree_def(unsigned code);
const struct filedef *tree_find(const struct filedef *table, const char *name);
bool tree_is_stream(uint64_t ino);

/* Attributes of ino, 0 or -ENOENT. */
int tree_stat(uint64_t ino, struct stat *st);

/* Replies with up to size bytes of of->out from offset off (text files). */
void reply_from_snapshot(fuse_req_t req, struct ofile *of, size_t size,
			 off_t off);
/* Replies with up to size bytes of of->out and drops them (streams). */
void reply_and_consume(fuse_req_t req, struct ofile *of, size_t size);

/* The file operations and text renderers that the tables name. */
extern const struct fileops rootctl_ops, ctl_ops, data_ops, accept_ops;
int text_peername(struct sock *s, struct strbuf *sb);
int text_sockname(struct sock *s, struct strbuf *sb);
int text_family(struct sock *s, struct strbuf *sb);
int text_type(struct sock *s, struct strbuf *sb);
int text_proto(struct sock *s, struct strbuf *sb);
int text_status(struct sock *s, struct strbuf *sb);
int text_error(struct sock *s, struct strbuf *sb);
int text_timeout(struct sock *s, struct strbuf *sb);
int store_timeout(struct sock *s, struct field v);

#endif
