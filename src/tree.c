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

#include "node.h"
#include "sock.h"
#include "sockopt.h"

#define RW (S_IFREG | 0600)
#define RO (S_IFREG | 0400)

/* --- the root --- */

static void root_lookup(fuse_req_t req, const struct node *dir,
			const char *name)
{
	struct sock *s = sock_by_name(name, strlen(name));

	(void)dir;
	if (!s) {
		fuse_reply_err(req, ENOENT);
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
	{ "ctl", C_ROOTCTL, S_IFREG | 0666, &rootctl_ops, NULL, NULL, NULL,
	  NULL, "write socket, connect, listen; read back one reply line each" },
	{ "constants", C_CONSTANTS, S_IFREG | 0444, NULL, text_constants,
	  NULL, NULL, NULL, "NAME VALUE lines: AF_*, SOCK_*, SO_*, MSG_*, ..." },
	{ "has_ipv6", C_HAS_IPV6, S_IFREG | 0444, NULL, text_has_ipv6, NULL,
	  NULL, NULL, "1 if an AF_INET6 socket can be made, else 0" },
	{ "defaulttimeout", C_DEFTIMEOUT, S_IFREG | 0644, NULL,
	  text_defaulttimeout, store_defaulttimeout, NULL, NULL,
	  "none or seconds: the timeout of sockets made afterwards" },
	{ "resolve", C_NS_RESOLVE, S_IFDIR | 0555, NULL, NULL, NULL,
	  &resolve_dir, NULL, "getaddrinfo(): cat resolve/QUERY" },
	{ "reverse", C_NS_REVERSE, S_IFDIR | 0555, NULL, NULL, NULL,
	  &reverse_dir, NULL, "getnameinfo(), gethostbyaddr(): cat reverse/ADDRESS" },
	{ "services", C_NS_SERVICES, S_IFDIR | 0555, NULL, NULL, NULL,
	  &services_dir, NULL, "getservbyname(), getservbyport(): cat services/NAME" },
	{ "protocols", C_NS_PROTOCOLS, S_IFDIR | 0555, NULL, NULL, NULL,
	  &protocols_dir, NULL, "getprotobyname(): cat protocols/NAME" },
	{ "hostname", C_NS_HOSTNAME, S_IFREG | 0444, NULL, text_hostname, NULL,
	  NULL, NULL, "gethostname()" },
	{ "fqdn", C_NS_FQDN, S_IFREG | 0444, &fqdn_ops, NULL, NULL, NULL, NULL,
	  "getfqdn(), as the reference defines it" },
	{ "cs", C_P9_CS, S_IFREG | 0666, &cs_ops, NULL, NULL, NULL, NULL,
	  "Plan 9's cs: write NET!HOST!SERVICE, read CLONE ADDR!PORT lines" },
	{ "dns", C_P9_DNS, S_IFREG | 0666, &dns_ops, NULL, NULL, NULL, NULL,
	  "Plan 9's dns: write NAME TYPE, read one record per line" },
	{ "ipifc", C_IPIFC, S_IFDIR | 0555, NULL, NULL, NULL, &ipifc_dir, NULL,
	  "the host's interfaces: NAME/{addr,mtu,flags,hwaddr,state,index,stats}" },
	{ "iproute", C_IPROUTE, S_IFREG | 0444, NULL, text_iproute, NULL, NULL,
	  NULL, "the main routing table, one route per line" },
	{ "arp", C_ARP, S_IFREG | 0444, NULL, text_arp, NULL, NULL, NULL,
	  "the neighbour table, one neighbour per line" },
	{ "system", C_SYSTEM, S_IFDIR | 0555, NULL, NULL, NULL, &system_dir,
	  NULL, "every socket of the host: tcp/, udp/, raw/, unix/" },
	{ "tcp", C_P9_TCP, S_IFDIR | 0555, NULL, NULL, NULL, &p9tcp_dir, NULL,
	  "Plan 9's view of the TCP sockets: clone, N/" },
	{ "udp", C_P9_UDP, S_IFDIR | 0555, NULL, NULL, NULL, &p9udp_dir, NULL,
	  "Plan 9's view of the UDP sockets: clone, N/" },
	{ "unix", C_P9_UNIX, S_IFDIR | 0555, NULL, NULL, NULL, &p9unix_dir,
	  NULL, "the same for unix stream sockets" },
	{ NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL }
};

static const struct dirdef root_dir = {
	.files = root_files,
	.lookup = root_lookup,
	.list = root_list,
};

/* --- a socket --- */

static const struct filedef sock_files[] = {
	{ "ctl", C_CTL, RW, &ctl_ops, NULL, NULL, NULL, NULL,
	  "socket, bind, connect, listen, shutdown, close, ephemeral" },
	{ "data", C_DATA, RW, &data_ops, NULL, NULL, NULL, NULL,
	  "read = recv, write = sendall; one message each on message sockets" },
	{ "accept", C_ACCEPT, RO, &accept_ops, NULL, NULL, NULL, NULL,
	  "each read accepts a connection and returns its name" },
	{ "timeout", C_TIMEOUT, RW, NULL, text_timeout, store_timeout, NULL,
	  NULL, "none (blocking), 0 (non-blocking) or seconds" },
	{ "peername", C_PEERNAME, RO, NULL, text_peername, NULL, NULL, NULL,
	  "getpeername(): HOST PORT, HOST PORT FLOWINFO SCOPEID or a path" },
	{ "sockname", C_SOCKNAME, RO, NULL, text_sockname, NULL, NULL, NULL,
	  "getsockname(), in the same forms" },
	{ "family", C_FAMILY, RO, NULL, text_family, NULL, NULL, NULL,
	  "inet, inet6, unix, ..." },
	{ "type", C_TYPE, RO, NULL, text_type, NULL, NULL, NULL,
	  "stream, dgram, raw, seqpacket, rdm" },
	{ "proto", C_PROTO, RO, NULL, text_proto, NULL, NULL, NULL,
	  "tcp, udp, ... or a number" },
	{ "status", C_STATUS, RO, NULL, text_status, NULL, NULL, NULL,
	  "state first, then counters, one 'key value' per line" },
	{ "error", C_ERROR, RO, NULL, text_error, NULL, NULL, NULL,
	  "the last error: 'ECONNREFUSED Connection refused', or empty" },
	{ "recvfrom", C_RECVFROM, RO, &recvfrom_ops, NULL, NULL, NULL, NULL,
	  "message sockets: each read is 'ADDRESS\\n' and one datagram" },
	{ "sendto", C_SENDTO, S_IFREG | 0200, &sendto_ops, NULL, NULL, NULL,
	  NULL, "message sockets: each write is 'ADDRESS\\n' and one datagram" },
	{ "opt", C_OPTDIR, S_IFDIR | 0700, NULL, NULL, NULL, &opt_dir, NULL,
	  "one file per socket option that applies, named as the constant" },
	{ "recvflags", C_RECVFLAGS, RW, NULL, text_recvflags, store_recvflags,
	  NULL, NULL, "MSG_* flags of later reads: PEEK OOB WAITALL DONTWAIT" },
	{ "sendflags", C_SENDFLAGS, RW, NULL, text_sendflags, store_sendflags,
	  NULL, NULL, "MSG_* flags of later writes: OOB DONTROUTE DONTWAIT "
	  "MORE EOR" },
	{ NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL }
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

static const struct dirdef sock_dir = {
	.files = sock_files,
	.shows = sock_shows,
};

/* The directories that no table lists: the root, and each socket (the
 * root's lookup and list name them). */
static const struct filedef base_defs[] = {
	{ "/", C_ROOT, S_IFDIR | 01777, NULL, NULL, NULL, &root_dir, NULL,
	  "the mount point" },
	{ "NAME", C_SOCKDIR, S_IFDIR | 0700, NULL, NULL, NULL, &sock_dir, NULL,
	  "one directory per socket" },
	{ NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL }
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
 * directory mode grants them. */
static mode_t file_mode(mode_t def, mode_t dirmode)
{
	return (def & S_IFMT) | (tree_file_bits(def) & (dirmode & 0666));
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
			st->st_mode = file_mode(d->mode, n->s->mode);
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

	/* Attributes only (offset < 0): the kernel takes no inode lock for
	 * that, so the loop thread may do it while it handles a request. */
	for (code = C_SOCKDIR + 1; code < C_DYN; code++)
		if (bycode[code] && !S_ISDIR(bycode[code]->mode))
			fuse_lowlevel_notify_inval_inode(nfs.se,
							 INO(s->id, code), -1, 0);
}

void tree_reply_entry(fuse_req_t req, uint64_t ino, double ttl)
{
	struct fuse_entry_param e;
	struct node n;

	if (node_get(ino, &n) < 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	memset(&e, 0, sizeof(e));
	node_stat(&n, &e.attr);
	e.ino = ino;
	e.attr_timeout = 1.0;
	e.entry_timeout = ttl;
	/* The kernel holds a reference for each entry it receives, until it
	 * sends FORGET; an entry for an interrupted lookup never arrives. */
	if (n.dn)
		dnode_lookups(n.dn, 1);
	if (fuse_reply_entry(req, &e) == -ENOENT && n.dn)
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
	dirlist_add(dl, "..", FUSE_ROOT_ID, S_IFDIR);
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

size_t dirlist_fill(fuse_req_t req, const struct dirlist *dl, off_t off,
		    char *buf, size_t size)
{
	size_t i, used = 0;

	for (i = off > 0 ? (size_t)off : 0; i < dl->n; i++) {
		struct stat st = { .st_ino = dl->e[i].ino,
				   .st_mode = dl->e[i].type };
		size_t n = fuse_add_direntry(req, buf + used, size - used,
					     dl->names.buf + dl->e[i].name,
					     &st, (off_t)(i + 1));

		if (n > size - used)
			break;
		used += n;
	}
	return used;
}

/* --- replies --- */

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

void read_replies(fuse_req_t req, struct ofile *of, size_t size, off_t off,
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

void reply_and_consume(fuse_req_t req, struct ofile *of, size_t size)
{
	size_t n = of->out.len < size ? of->out.len : size;

	fuse_reply_buf(req, of->out.buf, n);
	sb_consume(&of->out, n);
}
