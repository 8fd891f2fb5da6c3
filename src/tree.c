/* tree.c: the directory tables, inode decoding and attributes (see
 * tree.h). A socket's files take their owner from the socket and their
 * permission bits from its directory mode: group and others get on each
 * file what the directory mode gives them, within what the file allows.
 * Everything else belongs to the daemon's user. */
#include "tree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accept.h"
#include "cs.h"
#include "ctl.h"
#include "data.h"
#include "defaults.h"
#include "dgram.h"
#include "dnode.h"
#include "ipifc.h"
#include "limits.h"
#include "ns.h"
#include "p9.h"
#include "sock.h"
#include "sockopt.h"
#include "sysnet.h"
#include "text.h"


/* --- the root --- */

static void root_lookup(req_t req, const struct node *dir,
			const char *name)
{
	struct sock *s = sock_by_name(name, strlen(name));

	(void)dir;
	if (!s) {
		req_err(req, ENOENT);
		return;
	}
	tree_reply_entry(req, INO(s->id, C_SOCKDIR), TTL_NONE);
}

static void list_sock(struct sock *s, void *arg)
{
	struct dirlist *dl = arg;

	dirlist_add(dl, s->name, INO(s->id, C_SOCKDIR), S_IFDIR);
}

static int root_list(const struct node *dir, struct dirlist *dl)
{
	(void)dir;
	sock_foreach(list_sock, dl);
	return 0;
}

static const struct filedef root_files[] = {
	{ .name = "ctl", .code = C_ROOTCTL, .mode = MODE_ALL_RW,
	  .ops = &rootctl_ops,
	  .doc = "write socket, connect, listen; read back one reply line "
		 "each" },
	{ .name = "constants", .code = C_CONSTANTS, .mode = MODE_ALL_RO,
	  .render = text_constants,
	  .doc = "NAME VALUE lines: AF_*, SOCK_*, SO_*, MSG_*, ..." },
	{ .name = "has_ipv6", .code = C_HAS_IPV6, .mode = MODE_ALL_RO,
	  .render = text_has_ipv6,
	  .doc = "1 if an AF_INET6 socket can be made, else 0" },
	{ .name = "defaulttimeout", .code = C_DEFTIMEOUT,
	  .mode = MODE_OWNER_RW_ALL_RO,
	  .render = text_defaulttimeout, .store = store_defaulttimeout,
	  .doc = "none or seconds: the timeout of sockets made afterwards" },
	{ .name = "resolve", .code = C_NS_RESOLVE, .mode = MODE_ALL_DIR,
	  .dir = &resolve_dir,
	  .doc = "getaddrinfo(): cat resolve/QUERY" },
	{ .name = "reverse", .code = C_NS_REVERSE, .mode = MODE_ALL_DIR,
	  .dir = &reverse_dir,
	  .doc = "getnameinfo(), gethostbyaddr(): cat reverse/ADDRESS" },
	{ .name = "services", .code = C_NS_SERVICES, .mode = MODE_ALL_DIR,
	  .dir = &services_dir,
	  .doc = "getservbyname(), getservbyport(): cat services/NAME" },
	{ .name = "protocols", .code = C_NS_PROTOCOLS, .mode = MODE_ALL_DIR,
	  .dir = &protocols_dir,
	  .doc = "getprotobyname(): cat protocols/NAME" },
	{ .name = "hostname", .code = C_NS_HOSTNAME, .mode = MODE_ALL_RO,
	  .render = text_hostname,
	  .doc = "gethostname()" },
	{ .name = "fqdn", .code = C_NS_FQDN, .mode = MODE_ALL_RO,
	  .ops = &fqdn_ops,
	  .doc = "getfqdn(), as the reference defines it" },
	{ .name = "cs", .code = C_P9_CS, .mode = MODE_ALL_RW,
	  .ops = &cs_ops,
	  .doc = "Plan 9's cs: write NET!HOST!SERVICE, read CLONE ADDR!PORT "
		 "lines" },
	{ .name = "dns", .code = C_P9_DNS, .mode = MODE_ALL_RW,
	  .ops = &dns_ops,
	  .doc = "Plan 9's dns: write NAME TYPE, read one record per line" },
	{ .name = "ipifc", .code = C_IPIFC, .mode = MODE_ALL_DIR,
	  .dir = &ipifc_dir,
	  .doc = "the host's interfaces: "
		 "NAME/{addr,mtu,flags,hwaddr,state,index,stats}" },
	{ .name = "iproute", .code = C_IPROUTE, .mode = MODE_ALL_RO,
	  .render = text_iproute,
	  .doc = "the main routing table, one route per line" },
	{ .name = "arp", .code = C_ARP, .mode = MODE_ALL_RO,
	  .render = text_arp,
	  .doc = "the neighbour table, one neighbour per line" },
	{ .name = "system", .code = C_SYSTEM, .mode = MODE_ALL_DIR,
	  .dir = &system_dir,
	  .doc = "every socket of the host: tcp/, udp/, raw/, unix/" },
	{ .name = "tcp", .code = C_P9_TCP, .mode = MODE_ALL_DIR,
	  .dir = &p9tcp_dir,
	  .doc = "Plan 9's view of the TCP sockets: clone, N/" },
	{ .name = "udp", .code = C_P9_UDP, .mode = MODE_ALL_DIR,
	  .dir = &p9udp_dir,
	  .doc = "Plan 9's view of the UDP sockets: clone, N/" },
	{ .name = "unix", .code = C_P9_UNIX, .mode = MODE_ALL_DIR,
	  .dir = &p9unix_dir,
	  .doc = "the same for unix stream sockets" },
	{ .name = NULL }
};

static const struct dirdef root_dir = {
	.files = root_files,
	.lookup = root_lookup,
	.list = root_list,
};

/* --- a socket --- */

static const struct filedef sock_files[] = {
	{ .name = "ctl", .code = C_CTL, .mode = MODE_OWNER_RW,
	  .ops = &ctl_ops,
	  .doc = "socket, bind, connect, listen, shutdown, close, ephemeral" },
	{ .name = "data", .code = C_DATA, .consumes = true, .mode = MODE_OWNER_RW,
	  .ops = &data_ops,
	  .doc = "read = recv, write = sendall; one message each on message "
		 "sockets" },
	{ .name = "accept", .code = C_ACCEPT, .consumes = true, .mode = MODE_OWNER_RO,
	  .ops = &accept_ops,
	  .doc = "each read accepts a connection and returns its name" },
	{ .name = "timeout", .code = C_TIMEOUT, .mode = MODE_OWNER_RW,
	  .render = text_timeout, .store = store_timeout,
	  .doc = "none (blocking), 0 (non-blocking) or seconds" },
	{ .name = "peername", .code = C_PEERNAME, .mode = MODE_OWNER_RO,
	  .render = text_peername,
	  .doc = "getpeername(): HOST PORT, HOST PORT FLOWINFO SCOPEID or a "
		 "path" },
	{ .name = "sockname", .code = C_SOCKNAME, .mode = MODE_OWNER_RO,
	  .render = text_sockname,
	  .doc = "getsockname(), in the same forms" },
	{ .name = "family", .code = C_FAMILY, .mode = MODE_OWNER_RO,
	  .render = text_family,
	  .doc = "inet, inet6, unix, ..." },
	{ .name = "type", .code = C_TYPE, .mode = MODE_OWNER_RO,
	  .render = text_type,
	  .doc = "stream, dgram, raw, seqpacket, rdm" },
	{ .name = "proto", .code = C_PROTO, .mode = MODE_OWNER_RO,
	  .render = text_proto,
	  .doc = "tcp, udp, ... or a number" },
	{ .name = "status", .code = C_STATUS, .mode = MODE_OWNER_RO,
	  .render = text_status,
	  .doc = "state first, then counters, one 'key value' per line" },
	{ .name = "error", .code = C_ERROR, .mode = MODE_OWNER_RO,
	  .render = text_error,
	  .doc = "the last error: 'ECONNREFUSED Connection refused', or "
		 "empty" },
	{ .name = "recvfrom", .code = C_RECVFROM, .consumes = true, .mode = MODE_OWNER_RO,
	  .ops = &recvfrom_ops,
	  .doc = "message sockets: each read is 'ADDRESS\\n' and one "
		 "datagram" },
	{ .name = "sendto", .code = C_SENDTO, .mode = MODE_OWNER_WO,
	  .ops = &sendto_ops,
	  .doc = "message sockets: each write is 'ADDRESS\\n' and one "
		 "datagram" },
	{ .name = "opt", .code = C_OPTDIR, .mode = MODE_OWNER_DIR,
	  .dir = &opt_dir,
	  .doc = "one file per socket option that applies, named as the "
		 "constant" },
	{ .name = "recvflags", .code = C_RECVFLAGS, .mode = MODE_OWNER_RW,
	  .render = text_recvflags, .store = store_recvflags,
	  .doc = "MSG_* flags of later reads: PEEK OOB WAITALL DONTWAIT" },
	{ .name = "sendflags", .code = C_SENDFLAGS, .mode = MODE_OWNER_RW,
	  .render = text_sendflags, .store = store_sendflags,
	  .doc = "MSG_* flags of later writes: OOB DONTROUTE DONTWAIT "
		 "MORE EOR" },
	{ .name = NULL }
};

/* What a socket's type rules out: accept where nothing can listen
 * (datagram and raw sockets), recvfrom and sendto (dgram.c) where a
 * stream has one peer. Until the type is known, everything shows. */
static bool sock_shows(const struct node *dir, const struct filedef *f)
{
	const struct sock *s = dir->s;

	if (f->code == C_ACCEPT)
		return !s || !s->type || s->type == SOCK_STREAM ||
		       s->type == SOCK_SEQPACKET;
	return dgram_shows(dir, f);
}

/* A socket's type, once known, never changes, nor then what shows. The
 * kernel may keep these names as long as the socket's own: a lookup of
 * the socket's name, never kept (TTL_NONE), drops them with it when the
 * socket is gone. */
static bool sock_settled(const struct node *dir)
{
	return dir->s && dir->s->type;
}

static const struct dirdef sock_dir = {
	.files = sock_files,
	.shows = sock_shows,
	.settled = sock_settled,
};

/* The directories that no table lists: the root, and each socket (the
 * root's lookup and list name them). */
static const struct filedef base_defs[] = {
	{ .name = "/", .code = C_ROOT, .mode = MODE_ROOT_DIR,
	  .dir = &root_dir,
	  .doc = "the mount point" },
	{ .name = "NAME", .code = C_SOCKDIR, .mode = MODE_OWNER_DIR,
	  .dir = &sock_dir,
	  .doc = "one directory per socket" },
	{ .name = NULL }
};

/* --- the whole tree, for --list and the man page test --- */

static void list_dir(FILE *f, const char *path, const struct dirdef *dd,
		     int depth)
{
	const struct filedef *t;
	char sub[512];
	int pass;

	/* Fixed entries, then what lookup names (NAME, N, IFACE...). */
	for (pass = 0; pass < 2 && depth < 8; pass++) {
		for (t = pass ? dd->dyn : dd->files; t && t->name; t++) {
			snprintf(sub, sizeof(sub), "%s/%s", path, t->name);
			fprintf(f, "%s%s\t%s\n", sub, t->dir ? "/" : "",
				t->doc ? t->doc : "");
			if (t->dir)
				list_dir(f, sub, t->dir, depth + 1);
		}
	}
}

void tree_list(FILE *f, const char *mnt)
{
	list_dir(f, mnt, &root_dir, 0);
	/* The root's lookup names the sockets. */
	list_dir(f, mnt, &(struct dirdef){ .dyn = base_defs + 1 }, 0);
}

/* --- decoding --- */

static const struct filedef *bycode[C_MAX];

void tree_register(const struct filedef *t)
{
	for (; t->name; t++) {
		if (bycode[t->code] == t)
			continue;
		bycode[t->code] = t;
		if (t->dir && t->dir->files)
			tree_register(t->dir->files);
		if (t->dir && t->dir->dyn)
			tree_register(t->dir->dyn);
	}
}

const struct filedef *tree_def(unsigned code)
{
	if (!bycode[C_ROOT])
		tree_register(base_defs);
	return code < C_MAX ? bycode[code] : NULL;
}

const struct filedef *tree_find(const struct filedef *table, const char *name)
{
	for (; table && table->name; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

bool tree_root_has(const char *name)
{
	return tree_find(root_files, name) != NULL;
}

bool tree_is_stream(uint64_t ino)
{
	const struct filedef *d = tree_def(INO_CODE(ino));

	return d && d->ops && !d->ops->seekable;
}

int node_get(uint64_t ino, struct node *n)
{
	uint64_t obj = INO_OBJ(ino);
	unsigned code = INO_CODE(ino);

	n->ino = ino;
	n->s = NULL;
	n->dn = NULL;
	n->def = tree_def(code);
	if (!n->def)
		return -ENOENT;
	/* The code's range says whose it is. */
	if (obj == 0)
		return code < C_SOCKDIR ? 0 : -ENOENT;
	if (obj < DNODE_BASE) {
		if (code < C_SOCKDIR || code >= C_DYN)
			return -ENOENT;
		n->s = sock_by_id(obj);
		return n->s ? 0 : -ENOENT;
	}
	if (code < C_DYN)
		return -ENOENT;
	n->dn = dnode_by_id(obj);
	return n->dn ? 0 : -ENOENT;
}

mode_t tree_file_bits(mode_t def)
{
	mode_t own = def & 0600;

	return own | own >> 3 | own >> 6;
}

/* The file's owner bits, granted to group and others as far as the
 * directory mode grants them; but reading a file that consumes (data,
 * accept) is never granted by the directory's read bits, only writing. */
static mode_t file_mode(const struct filedef *d, mode_t dirmode)
{
	mode_t grant = dirmode & 0666;

	if (d->consumes)
		grant &= ~(mode_t)0044;
	return (d->mode & S_IFMT) | (tree_file_bits(d->mode) & grant);
}

void node_stat(const struct node *n, struct stat *st)
{
	const struct filedef *d = n->def;

	memset(st, 0, sizeof(*st));
	st->st_ino = n->ino;
	/* The preferred I/O size: for the stream files (data, ctl, accept,
	 * ...) FUSE's largest request, since each request costs far more
	 * than its bytes (docs/BENCH.md); cat, cp and stdio size their
	 * buffers by it. Snapshots stay at a page. */
	st->st_blksize = d->ops ? (blksize_t)nfs.scratch_size : 4096;
	st->st_nlink = S_ISDIR(d->mode) ? 2 : 1;
	if (n->s) {
		mode_t own = S_ISDIR(d->mode) ? 0 : sock_file_mode(n->s, d->code);

		st->st_uid = n->s->uid;
		st->st_gid = n->s->gid;
		st->st_atim = st->st_mtim = st->st_ctim = n->s->ctime;
		if (S_ISDIR(d->mode))
			st->st_mode = S_IFDIR | n->s->mode;
		else if (own)
			st->st_mode = S_IFREG | own;
		else
			st->st_mode = file_mode(d, n->s->mode);
		return;
	}
	st->st_uid = nfs.uid;
	st->st_gid = nfs.gid;
	st->st_atim = st->st_mtim = st->st_ctim = nfs.mount_time;
	st->st_mode = d->mode;
}

void tree_inval_files(const struct sock *s)
{
	unsigned code;

	for (code = C_SOCKDIR + 1; code < C_DYN; code++)
		if (bycode[code] && !S_ISDIR(bycode[code]->mode))
			frontend_inval_inode(INO(s->id, code));
}

static uint64_t kept_bit(unsigned code)
{
	return code > C_SOCKDIR && code - C_SOCKDIR < 64 ?
	       1ull << (code - C_SOCKDIR) : 0;
}

void tree_keep_file(struct sock *s, unsigned code)
{
	s->kept |= kept_bit(code);
}

static void tree_keep_file_done(struct sock *s, unsigned code)
{
	s->kept &= ~kept_bit(code);
}

void tree_inval_kept(struct sock *s)
{
	struct list *pos, *tmp;

	/* An open file keeps its attributes as an unlinked file does, for
	 * fstat(2), until they expire (TTL_ATTR). */
	list_for_each_safe(pos, tmp, &s->ofiles)
		tree_keep_file_done(s, container_of(pos, struct ofile,
						    link)->def->code);
	while (s->kept) {
		unsigned bit = (unsigned)__builtin_ctzll(s->kept);

		frontend_inval_inode(INO(s->id, C_SOCKDIR + bit));
		s->kept &= s->kept - 1;
	}
}

void tree_reply_entry(req_t req, uint64_t ino, double ttl)
{
	struct stat st;
	struct node n;

	if (node_get(ino, &n) < 0) {
		req_err(req, ENOENT);
		return;
	}
	node_stat(&n, &st);
	/* The front-end holds a reference for each entry it receives, until
	 * it forgets it; an entry for an interrupted lookup never arrives. */
	if (n.dn)
		dnode_lookups(n.dn, 1);
	if (req_entry(req, ino, &st, ttl, TTL_ATTR) == -ENOENT && n.dn)
		dnode_lookups(n.dn, -1);
}

/* --- listings --- */

struct dirent_rec {
	uint64_t ino;
	mode_t type;
	size_t name;		/* offset in names */
};

struct dirlist {
	struct list all;	/* live listings, freed at exit */
	struct dirent_rec *e;
	size_t n, cap;
	struct strbuf names;
	int err;
};

static struct list listings = { &listings, &listings };

int dirlist_add(struct dirlist *dl, const char *name, uint64_t ino,
		mode_t type)
{
	if (dl->err)
		return dl->err;
	if (dl->n == dl->cap) {
		size_t cap = dl->cap ? dl->cap * 2 : 32;
		struct dirent_rec *e = realloc(dl->e, cap * sizeof(*e));

		if (!e)
			return dl->err = -ENOMEM;
		dl->e = e;
		dl->cap = cap;
	}
	dl->e[dl->n].ino = ino;
	dl->e[dl->n].type = type;
	dl->e[dl->n].name = dl->names.len;
	if (sb_append(&dl->names, name, strlen(name) + 1) < 0)
		return dl->err = -ENOMEM;
	dl->n++;
	return 0;
}

struct dirlist *dirlist_make(const struct node *dir)
{
	const struct dirdef *dd = dir->def->dir;
	uint64_t obj = INO_OBJ(dir->ino);
	const struct filedef *f;
	struct dirlist *dl = calloc(1, sizeof(*dl));
	int r;

	if (!dl)
		return NULL;
	list_add_tail(&listings, &dl->all);
	dirlist_add(dl, ".", dir->ino, S_IFDIR);
	dirlist_add(dl, "..", ROOT_INO, S_IFDIR);
	for (f = dd->files; f && f->name; f++)
		if (!dd->shows || dd->shows(dir, f))
			dirlist_add(dl, f->name, INO(obj, f->code),
				    f->mode & S_IFMT);
	r = dd->list ? dd->list(dir, dl) : 0;
	if (r < 0 || dl->err) {
		dirlist_free(dl);
		return NULL;
	}
	return dl;
}

void dirlist_free_all(void)
{
	struct dirlist *dl;

	while ((dl = list_first(&listings, struct dirlist, all)))
		dirlist_free(dl);
}

void dirlist_free(struct dirlist *dl)
{
	list_del(&dl->all);
	free(dl->e);
	sb_free(&dl->names);
	free(dl);
}

bool dirlist_get(const struct dirlist *dl, size_t i, const char **name,
		 uint64_t *ino, mode_t *type)
{
	if (i >= dl->n)
		return false;
	*name = dl->names.buf + dl->e[i].name;
	*ino = dl->e[i].ino;
	*type = dl->e[i].type;
	return true;
}

/* --- replies --- */

void reply_from_snapshot(req_t req, struct ofile *of, size_t size,
			 off_t off)
{
	size_t n = 0;

	if (off >= 0 && (size_t)off < of->out.len) {
		n = of->out.len - (size_t)off;
		if (n > size)
			n = size;
	}
	req_buf(req, n ? of->out.buf + off : NULL, n);
}

void read_replies(req_t req, struct ofile *of, size_t size, off_t off,
		  int flags)
{
	const char *nl = of->out.len ? memchr(of->out.buf, '\n', of->out.len)
				     : NULL;
	size_t n = nl ? (size_t)(nl - of->out.buf) + 1 : of->out.len;

	(void)off;
	(void)flags;
	/* One line per read. These files can seek, and a reader that reads
	 * ahead and seeks back over what it did not use (bash's read, head,
	 * Python's buffers) would lose the replies after its line. */
	reply_and_consume(req, of, n < size ? n : size);
}

void reply_and_consume(req_t req, struct ofile *of, size_t size)
{
	size_t n = of->out.len < size ? of->out.len : size;

	req_buf(req, of->out.buf, n);
	sb_consume(&of->out, n);
	ofile_charge(of);
}

int ofile_charge(struct ofile *of)
{
	return limit_bytes(of->cred.uid, &of->charged, of->out.len);
}
