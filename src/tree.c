/* tree.c: the directory tables and the attributes of every inode (see
 * tree.h). A socket's files take their owner from the socket and their
 * permission bits from its directory mode: group and others get on each
 * file what the directory mode gives them, within what the file allows. */
#include "tree.h"

#include <errno.h>
#include <string.h>

#include "sock.h"

#define RW (S_IFREG | 0600)
#define RO (S_IFREG | 0400)

const struct filedef root_files[] = {
	{ "ctl", C_ROOTCTL, S_IFREG | 0666, &rootctl_ops, NULL, NULL,
	  "write socket, connect, listen; read back one reply line each" },
	{ NULL, 0, 0, NULL, NULL, NULL, NULL }
};

const struct filedef sock_files[] = {
	{ "ctl", C_CTL, RW, &ctl_ops, NULL, NULL,
	  "socket, bind, connect, listen, shutdown, close, ephemeral" },
	{ "data", C_DATA, RW, &data_ops, NULL, NULL,
	  "read = recv, write = sendall" },
	{ "accept", C_ACCEPT, RO, &accept_ops, NULL, NULL,
	  "each read accepts a connection and returns its name" },
	{ "timeout", C_TIMEOUT, RW, NULL, text_timeout, store_timeout,
	  "none (blocking), 0 (non-blocking) or seconds" },
	{ "peername", C_PEERNAME, RO, NULL, text_peername, NULL,
	  "getpeername(): HOST PORT, HOST PORT FLOWINFO SCOPEID or a path" },
	{ "sockname", C_SOCKNAME, RO, NULL, text_sockname, NULL,
	  "getsockname(), in the same forms" },
	{ "family", C_FAMILY, RO, NULL, text_family, NULL,
	  "inet, inet6, unix, ..." },
	{ "type", C_TYPE, RO, NULL, text_type, NULL,
	  "stream, dgram, raw, seqpacket, rdm" },
	{ "proto", C_PROTO, RO, NULL, text_proto, NULL,
	  "tcp, udp, ... or a number" },
	{ "status", C_STATUS, RO, NULL, text_status, NULL,
	  "state first, then counters, one 'key value' per line" },
	{ "error", C_ERROR, RO, NULL, text_error, NULL,
	  "the last error: 'ECONNREFUSED Connection refused', or empty" },
	{ NULL, 0, 0, NULL, NULL, NULL, NULL }
};

static const struct filedef *const tables[] = { root_files, sock_files };

const struct filedef *tree_def(unsigned code)
{
	static const struct filedef *bycode[C_MAX];
	static bool indexed;
	size_t t;

	if (!indexed) {
		for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
			const struct filedef *d;

			for (d = tables[t]; d->name; d++)
				bycode[d->code] = d;
		}
		indexed = true;
	}
	return code < C_MAX ? bycode[code] : NULL;
}

const struct filedef *tree_find(const struct filedef *table, const char *name)
{
	for (; table->name; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

bool tree_is_stream(uint64_t ino)
{
	const struct filedef *d = tree_def(INO_CODE(ino));

	return d && d->ops;
}

/* The file's owner bits, granted to group and others as far as the
 * directory mode grants them. */
static mode_t file_mode(mode_t def, mode_t dirmode)
{
	mode_t own = def & 0600;

	return (def & S_IFMT) | ((own | own >> 3 | own >> 6) & (dirmode & 0666));
}

int tree_stat(uint64_t ino, struct stat *st)
{
	uint64_t obj = INO_OBJ(ino);
	unsigned code = INO_CODE(ino);
	const struct filedef *d = tree_def(code);
	struct sock *s = NULL;

	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_blksize = 4096;
	st->st_nlink = 1;
	if (obj == 0) {
		st->st_uid = nfs.uid;
		st->st_gid = nfs.gid;
		st->st_atim = st->st_mtim = st->st_ctim = nfs.mount_time;
		if (code == C_ROOT) {
			st->st_mode = S_IFDIR | 01777;
			st->st_nlink = 2;
			return 0;
		}
		if (!d || d->code >= C_SOCKDIR)
			return -ENOENT;
		st->st_mode = d->mode;
		return 0;
	}
	s = sock_by_id(obj);
	if (!s)
		return -ENOENT;
	st->st_uid = s->uid;
	st->st_gid = s->gid;
	st->st_atim = st->st_mtim = st->st_ctim = s->ctime;
	if (code == C_SOCKDIR) {
		st->st_mode = S_IFDIR | s->mode;
		st->st_nlink = 2;
		return 0;
	}
	if (!d || d->code < C_SOCKDIR)
		return -ENOENT;
	st->st_mode = file_mode(d->mode, s->mode);
	return 0;
}

void reply_from_snapshot(fuse_req_t req, struct ofile *of, size_t size,
			 off_t off)
{
	size_t n = 0;

	if (off >= 0 && (size_t)off < of->out.len) {
		n = of->out.len - (size_t)off;
		if (n > size)
			n = size;
	}
	fuse_reply_buf(req, n ? of->out.buf + off : NULL, n);
}

void reply_and_consume(fuse_req_t req, struct ofile *of, size_t size)
{
	size_t n = of->out.len < size ? of->out.len : size;

	fuse_reply_buf(req, of->out.buf, n);
	sb_consume(&of->out, n);
}
