/* sysnet.c: every socket of the host, not only netfs's, from sock_diag
 * (through libmnl), read-only:
 *
 *   system/{tcp,udp,raw,unix}/N/{local,remote,state,uid,inode,rqueue,wqueue}
 *   system/tcp/N/tcp_info
 *
 * N is the socket's inode number, as ss -e and /proc/net/tcp show it; a
 * TCP connection in TIME-WAIT has no inode and is tw-COOKIE.
 *
 * What each request costs must not grow with the number of sockets on the
 * host (a web server has tens of thousands), or `cat system/tcp/N/remote`
 * for every N is quadratic. The kernel cannot find an inet socket by its
 * inode number, only by its address tuple and cookie, so:
 *
 *   - a listing is one dump, and it leaves an index, name -> tuple and
 *     cookie, for the lookups that follow (ls -l, a shell glob);
 *   - a lookup takes the tuple from the index (or from the object the
 *     kernel already holds) and, unless the index is a moment old, asks
 *     the kernel for that one socket; the answer is good for a second;
 *   - each open asks the kernel for that one socket again, so what a
 *     reader sees is current, and a socket gone since the listing is
 *     ENOENT;
 *   - a name the index does not know costs a new dump, but never more
 *     often than the dumps' own time allows (see miss_window), so names
 *     that are not there cannot make every request a dump;
 *   - the index is the last dump's keys only, one per kind, freed a few
 *     seconds after system/'s last use; then the kernel is also told to
 *     forget the names it looked up, and with them the objects here. */
#include "sysnet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>
#include <malloc.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "addr.h"
#include "dnode.h"
#include "hash.h"
#include "loop.h"
#include "netlink.h"
#include "resolver.h"
#include "tcpinfo.h"
#include "tree.h"


#define MS 1000000LL
/* A lookup answered from an index younger than this needs no query of
 * its own: it is as fresh as the listing the caller just read, and the
 * open asks the kernel anyway. */
#define HIT_FRESH (1000 * MS)
/* The kernel may keep the answer to a lookup as long (seconds): with 0,
 * every system call naming the path asks again, and ls -l makes three
 * (lstat and two getxattr) per entry. The open still asks the kernel,
 * so a socket gone meanwhile reads as ENOENT. */
#define TTL_SOCK 1.0
/* A name the index does not know is looked for in a new dump only when
 * the index is older than MISS_FACTOR times the time its dump took
 * (capped at MISS_MAX): however many unknown names come, dumps then take
 * at most 1/MISS_FACTOR of the time. */
#define MISS_FACTOR 10
#define MISS_MAX (1000 * MS)
/* When system/ has been idle this long, its indexes are freed, its
 * netlink socket closed, and the kernel told to forget its names. */
#define IDLE (5000 * MS)
/* Names looked up since the kernel was last told to forget them: past
 * this many, it is told at once, idle or not. */
#define SEEN_MAX 65536
/* Names per job of forgetting: the resolver's workers are shared. */
#define FORGET_BATCH 4096
/* Names of the latest lookups, kept back from a handover while busy. */
#define SEEN_TAIL 64

enum kind { K_TCP, K_UDP, K_RAW, K_UNIX, K_COUNT };

static const struct {
	unsigned code;
	int proto;
} kinds[] = {
	[K_TCP] = { C_SYS_TCP, IPPROTO_TCP },
	[K_UDP] = { C_SYS_UDP, IPPROTO_UDP },
	[K_RAW] = { C_SYS_RAW, IPPROTO_RAW },
	[K_UNIX] = { C_SYS_UNIX, 0 },
};

/* What the kernel needs to find one socket again: the tuple (inet) or
 * the inode (unix), and the cookie (in id.idiag_cookie for both). */
struct skey {
	uint8_t kind;			/* enum kind */
	uint8_t family;
	uint32_t gen;			/* a lookup's object: see seen_gen */
	uint64_t inode;			/* 0 in TIME-WAIT */
	struct inet_diag_sockid id;
};

/* What a query learned of one socket. */
struct snap {
	struct skey k;
	unsigned state;
	struct sockaddr_storage local, remote;
	socklen_t llen, rlen;
	uint32_t uid;
	uint32_t peer;			/* unix: the peer's inode */
	uint32_t rq, wq;
	size_t infolen;
	struct tcp_info info;
};

/* The last dump of one kind: its sockets' keys, found by name through an
 * open-addressing table of positions (1-based; 0 is empty). */
struct ixent {
	uint64_t hash;			/* of the name */
	struct skey k;
};

struct index {
	bool valid;
	struct ixent *e;
	size_t n, cap;
	uint32_t *slot;
	size_t mask;
	int64_t made, took;		/* mono_ns() */
};

static struct index ix[K_COUNT];
static struct timer idle_timer;
static int64_t last_use;

/* The kernel keeps each name it looked up (and an object here for it)
 * until memory runs short: a lookup with entry timeout 0 still leaves
 * the dentry cached, since only virtiofs makes the kernel delete such
 * dentries at once. So the names of the objects made by lookups are
 * kept here, NUL-separated, for a later invalidation. */
static struct strbuf seen[K_COUNT];
static size_t nseen_k[K_COUNT], nseen;
/* Names handed over so far: an object whose name was handed over before
 * (its gen is older) and that the kernel looks up again is named again. */
static uint32_t seen_gen;
static unsigned inflight;		/* jobs of forgetting queued */

/* One request's work: a listing fills dl, a dump fills ix, an exact query
 * fills out. */
struct walk {
	enum kind kind;
	struct dirlist *dl;
	struct index *ix;
	struct snap *out;
	bool found;
	int err;
};

static void key_name(const struct skey *k, char *buf, size_t n)
{
	if (k->inode)
		snprintf(buf, n, "%llu", (unsigned long long)k->inode);
	else
		snprintf(buf, n, "tw-%08x%08x", k->id.idiag_cookie[1],
			 k->id.idiag_cookie[0]);
}

static uint64_t name_hash(const char *name)
{
	return hash_bytes(name, strlen(name));
}

/* --- the index --- */

static void ix_free(struct index *x)
{
	free(x->e);
	free(x->slot);
	memset(x, 0, sizeof(*x));
}

static int ix_add(struct index *x, const struct skey *k, uint64_t hash)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 256;
		struct ixent *e = realloc(x->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		x->e = e;
		x->cap = cap;
	}
	x->e[x->n].hash = hash;
	x->e[x->n].k = *k;
	x->n++;
	return 0;
}

/* Builds the table once the dump is complete: at most half full, so that
 * probes stay short. */
static int ix_seal(struct index *x)
{
	size_t size = 16, i;

	while (size < 2 * x->n)
		size *= 2;
	if (x->n > UINT32_MAX - 1)
		return -ENOMEM;
	x->slot = calloc(size, sizeof(*x->slot));
	if (!x->slot)
		return -ENOMEM;
	x->mask = size - 1;
	for (i = 0; i < x->n; i++) {
		size_t j = x->e[i].hash & x->mask;

		while (x->slot[j])
			j = (j + 1) & x->mask;
		x->slot[j] = (uint32_t)(i + 1);
	}
	x->valid = true;
	return 0;
}

static const struct skey *ix_find(const struct index *x, const char *name)
{
	uint64_t h;
	size_t j;

	if (!x->valid)
		return NULL;
	h = name_hash(name);
	for (j = h & x->mask; x->slot[j]; j = (j + 1) & x->mask) {
		const struct ixent *e = &x->e[x->slot[j] - 1];
		char buf[32];

		if (e->hash != h)
			continue;
		key_name(&e->k, buf, sizeof(buf));
		if (strcmp(buf, name) == 0)
			return &e->k;
	}
	return NULL;
}

/* A job of forgetting: invalidating an entry makes the kernel take its
 * directory's lock, and a lookup in that directory may hold the lock while
 * it waits for the loop thread; so the loop thread never does it itself.
 * A resolver worker does, on names it owns. */
struct forget {
	struct rjob job;
	uint64_t parent;
	char *names;			/* NUL-separated */
	size_t len;
};

static void forget_work(struct rjob *j)
{
	struct forget *f = container_of(j, struct forget, job);
	size_t at, n;

	/* Each may fail (ENOENT: already forgotten); nothing to do then. */
	for (at = 0; at < f->len; at += n + 1) {
		n = strlen(f->names + at);
		frontend_inval_entry(f->parent, f->names + at, n);
	}
}

static void forget_free(struct forget *f)
{
	if (f)
		free(f->names);
	free(f);
}

static void idle_expire(struct timer *t);

/* The kernel's FORGETs for the names follow the invalidations; once the
 * last job is done, the timer comes back to trim the heap after them. */
static void forget_done(struct rjob *j)
{
	forget_free(container_of(j, struct forget, job));
	if (--inflight == 0)
		timer_set(&idle_timer, mono_ns() + 500 * MS, idle_expire);
}

/* Hands the names seen to the workers, in batches, but for the last
 * keep of each kind: a name the kernel is still instantiating (its lookup
 * reply sent, the dentry not yet in place) would be invalidated before
 * it exists, and then never again. 0 or a negative errno (what could not
 * be handed stays for the next time). */
static int forget_seen(size_t keep)
{
	int kind;

	for (kind = 0; kind < K_COUNT; kind++) {
		struct strbuf *sb = &seen[kind];

		while (nseen_k[kind] > keep) {
			size_t at = 0, count = 0;
			struct forget *f;

			while (count < FORGET_BATCH &&
			       count < nseen_k[kind] - keep) {
				at += strlen(sb->buf + at) + 1;
				count++;
			}
			f = calloc(1, sizeof(*f));
			if (f)
				f->names = malloc(at);
			if (!f || !f->names) {
				forget_free(f);
				return -ENOMEM;
			}
			memcpy(f->names, sb->buf, at);
			f->len = at;
			f->parent = INO(0, kinds[kind].code);
			f->job.work = forget_work;
			f->job.done = forget_done;
			if (resolver_submit(&f->job) < 0) {
				forget_free(f);
				return -EAGAIN;
			}
			inflight++;
			seen_gen++;
			sb_consume(sb, at);
			nseen_k[kind] -= count;
			nseen -= count;
		}
		if (!sb->len)
			sb_free(sb);
	}
	return 0;
}

/* Gives the memory back once nobody looks: after a dump of 50,000
 * sockets an index is megabytes, and so are the objects of 50,000
 * lookups. The objects go when the kernel's FORGETs come, after the
 * workers' invalidations (forget_done brings the timer back), and the
 * heap keeps freed memory unless told. */
static void idle_expire(struct timer *t)
{
	int i;

	if (mono_ns() - last_use < IDLE) {
		timer_set(t, last_use + IDLE, idle_expire);
		return;
	}
	for (i = 0; i < K_COUNT; i++)
		ix_free(&ix[i]);
	nl_ask_close();
	if (nseen && forget_seen(0) < 0 && !inflight)
		timer_set(t, mono_ns() + IDLE, idle_expire);	/* retry */
	if (!inflight)
		malloc_trim(0);
}

/* Something in system/ was asked for: the idle clock starts again (the
 * timer moves only when it fires, not on every request). */
static void touch(int64_t now)
{
	last_use = now;
	if (!timer_armed(&idle_timer))
		timer_set(&idle_timer, now + IDLE, idle_expire);
}

/* How old an index may be and still answer that a name is not there. */
static int64_t miss_window(const struct index *x)
{
	int64_t w = MISS_FACTOR * x->took;

	return w < MISS_MAX ? w : MISS_MAX;
}

/* --- sock_diag --- */

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(a, 32) > 0 && mnl_attr_get_type(a) < 32)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void diag_addr(struct sockaddr_storage *ss, socklen_t *len,
		      int family, const uint32_t *a, uint16_t port,
		      uint32_t ifindex)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = port;
		memcpy(&sin->sin_addr, a, 4);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = port;
		memcpy(&sin6->sin6_addr, a, 16);
		if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
			sin6->sin6_scope_id = ifindex;
		*len = sizeof(*sin6);
	}
}

/* A message is one socket: list it, index it, or keep it. */
static int take(struct walk *w, const struct skey *k, struct snap *s)
{
	char name[32];
	uint64_t h;

	if (w->out) {
		*w->out = *s;
		w->found = true;
		return MNL_CB_OK;
	}
	key_name(k, name, sizeof(name));
	h = name_hash(name);
	if (w->dl) {
		struct dnode *dn = dnode_find(INO(0, kinds[w->kind].code), name);

		dirlist_add(w->dl, name, dn ? INO(dn->id, C_SKDIR) :
			    INO_LISTED(k->inode ? k->inode :
				       k->id.idiag_cookie[0], C_SKDIR), S_IFDIR);
	}
	if (w->ix && ix_add(w->ix, k, h) < 0) {
		w->err = -ENOMEM;
		return MNL_CB_STOP;
	}
	return MNL_CB_OK;
}

static int inet_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[32] = { 0 };
	struct walk *w = arg;
	struct snap s;

	if (!w->out) {
		/* A dump keeps only what finds the socket again. */
		struct skey k = { .kind = (uint8_t)w->kind,
				  .family = m->idiag_family,
				  .inode = m->idiag_inode, .id = m->id };

		return take(w, &k, NULL);
	}
	memset(&s, 0, sizeof(s));
	mnl_attr_parse(nlh, sizeof(*m), attr_cb, tb);
	s.k.kind = (uint8_t)w->kind;
	s.k.family = m->idiag_family;
	s.k.inode = m->idiag_inode;
	s.k.id = m->id;
	s.state = m->idiag_state;
	diag_addr(&s.local, &s.llen, m->idiag_family, m->id.idiag_src,
		  m->id.idiag_sport, m->id.idiag_if);
	diag_addr(&s.remote, &s.rlen, m->idiag_family, m->id.idiag_dst,
		  m->id.idiag_dport, m->id.idiag_if);
	s.uid = m->idiag_uid;
	s.rq = m->idiag_rqueue;
	s.wq = m->idiag_wqueue;
	if (tb[INET_DIAG_INFO]) {
		s.infolen = mnl_attr_get_payload_len(tb[INET_DIAG_INFO]);
		if (s.infolen > sizeof(s.info))
			s.infolen = sizeof(s.info);
		memcpy(&s.info, mnl_attr_get_payload(tb[INET_DIAG_INFO]),
		       s.infolen);
	}
	return take(w, &s.k, &s);
}

static int unix_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct unix_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[32] = { 0 };
	struct walk *w = arg;
	struct snap s;

	memset(&s, 0, sizeof(s));
	s.k.kind = K_UNIX;
	s.k.family = AF_UNIX;
	s.k.inode = m->udiag_ino;
	memcpy(s.k.id.idiag_cookie, m->udiag_cookie,
	       sizeof(s.k.id.idiag_cookie));
	if (!w->out)
		return take(w, &s.k, NULL);
	mnl_attr_parse(nlh, sizeof(*m), attr_cb, tb);
	s.state = m->udiag_state;
	s.llen = sizeof(sa_family_t);
	s.local.ss_family = AF_UNIX;
	if (tb[UNIX_DIAG_NAME]) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&s.local;
		size_t n = mnl_attr_get_payload_len(tb[UNIX_DIAG_NAME]);

		if (n > sizeof(sun->sun_path))
			n = sizeof(sun->sun_path);
		memcpy(sun->sun_path, mnl_attr_get_payload(tb[UNIX_DIAG_NAME]),
		       n);
		s.llen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	if (tb[UNIX_DIAG_PEER])
		s.peer = mnl_attr_get_u32(tb[UNIX_DIAG_PEER]);
	if (tb[UNIX_DIAG_UID])
		s.uid = mnl_attr_get_u32(tb[UNIX_DIAG_UID]);
	if (tb[UNIX_DIAG_RQLEN] &&
	    mnl_attr_get_payload_len(tb[UNIX_DIAG_RQLEN]) >=
	    sizeof(struct unix_diag_rqlen)) {
		const struct unix_diag_rqlen *q =
			mnl_attr_get_payload(tb[UNIX_DIAG_RQLEN]);

		s.rq = q->udiag_rqueue;
		s.wq = q->udiag_wqueue;
	}
	return take(w, &s.k, &s);
}

/* One request: a dump of a kind and family (exact NULL), or one socket.
 * A dump asks for nothing beyond the message itself (a listing needs only
 * names, an index only keys); one socket comes with everything. */
static int query(struct walk *w, int family, const struct skey *exact)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int flags = exact ? 0 : NLM_F_DUMP;

	if (w->kind == K_UNIX) {
		struct unix_diag_req *r = nl_request(buf, SOCK_DIAG_BY_FAMILY,
						     flags, sizeof(*r), &nlh);

		r->sdiag_family = AF_UNIX;
		r->udiag_states = ~0u;
		if (exact) {
			r->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER |
					UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
			r->udiag_ino = (uint32_t)exact->inode;
			memcpy(r->udiag_cookie, exact->id.idiag_cookie,
			       sizeof(r->udiag_cookie));
		}
		return (exact ? nl_ask : nl_query)(NETLINK_SOCK_DIAG, nlh,
						   unix_cb, w);
	} else {
		struct inet_diag_req_v2 *r = nl_request(buf,
			SOCK_DIAG_BY_FAMILY, flags, sizeof(*r), &nlh);

		r->sdiag_family = (uint8_t)family;
		r->sdiag_protocol = (uint8_t)kinds[w->kind].proto;
		/* raw_diag reads pad as the protocol; IPPROTO_RAW is all. */
		if (w->kind == K_RAW)
			r->pad = IPPROTO_RAW;
		r->idiag_states = ~0u;
		if (exact) {
			if (w->kind == K_TCP)
				r->idiag_ext = 1 << (INET_DIAG_INFO - 1);
			r->id = exact->id;
			/* udp_dump_one looks the socket up as an arriving
			 * datagram would find it: source = the peer. */
			if (w->kind == K_UDP) {
				memcpy(r->id.idiag_src, exact->id.idiag_dst,
				       sizeof(r->id.idiag_src));
				memcpy(r->id.idiag_dst, exact->id.idiag_src,
				       sizeof(r->id.idiag_dst));
				r->id.idiag_sport = exact->id.idiag_dport;
				r->id.idiag_dport = exact->id.idiag_sport;
			}
		}
		return (exact ? nl_ask : nl_query)(NETLINK_SOCK_DIAG, nlh,
						   inet_cb, w);
	}
}

/* A dump of both families of a kind, into a new index that replaces the
 * old one, and into dl when listing. A kind the kernel cannot dump (no
 * raw_diag module) is simply empty. */
static int dump(enum kind kind, struct dirlist *dl)
{
	struct index nx = { 0 };
	struct walk w = { .kind = kind, .dl = dl, .ix = &nx };
	int64_t t0 = mono_ns();
	int r;

	if (kind == K_UNIX) {
		r = query(&w, AF_UNIX, NULL);
	} else {
		r = query(&w, AF_INET, NULL);
		if (r == 0 && !w.err)
			r = query(&w, AF_INET6, NULL);
	}
	if (r == -ENOENT || r == -EOPNOTSUPP)
		r = 0;
	if (r == 0)
		r = w.err;
	if (r == 0)
		r = ix_seal(&nx);
	if (r < 0) {
		ix_free(&nx);
		return r;
	}
	nx.made = t0;
	nx.took = mono_ns() - t0;
	ix_free(&ix[kind]);
	ix[kind] = nx;
	touch(t0 + nx.took);
	return 0;
}

/* One socket, asked for again now. */
static int exact(const struct skey *k, struct snap *s)
{
	struct walk w = { .kind = (enum kind)k->kind, .out = s };
	int r = query(&w, k->family, k);

	/* A socket whose file was closed lives on as an orphan, then in
	 * TIME-WAIT, with the same tuple and cookie but no inode: it is not
	 * the N any more (a listing now names it tw-COOKIE). */
	if (r == 0 && (!w.found || s->k.inode != k->inode))
		r = -ENOENT;
	/* The kernel says ENOENT or EINVAL for a tuple that matches
	 * nothing any more, ESTALE when a newer socket has it. */
	return r == -ENOENT || r == -EINVAL || r == -ESTALE ? -ENOENT : r;
}

/* The socket named name of a kind. With fresh, *s is the kernel's answer
 * now; without, only s->k is set, maybe from a recent listing. hint is
 * the key the name had before (the kernel still holds its inode). */
static int locate(enum kind kind, const char *name, const struct skey *hint,
		  struct snap *s, bool fresh)
{
	struct index *x = &ix[kind];
	const struct skey *k = ix_find(x, name);
	int64_t now = mono_ns();
	int r;

	touch(now);
	if (k && !fresh && now - x->made < HIT_FRESH) {
		s->k = *k;
		return 0;
	}
	if (!k)
		k = hint;
	if (k) {
		r = exact(k, s);
		if (r != -ENOENT)
			return r;
	}
	/* Unknown, gone, or moved (a socket bound or connected since has
	 * a new tuple): a new dump says which, unless the index is so
	 * recent that it would say the same. */
	if (x->valid && now - x->made < miss_window(x))
		return -ENOENT;
	r = dump(kind, NULL);
	if (r < 0)
		return r;
	k = ix_find(x, name);
	if (!k)
		return -ENOENT;
	if (!fresh) {
		s->k = *k;
		return 0;
	}
	return exact(k, s);
}

/* What key_name() can make: a decimal inode number, or tw- and 16 hex
 * digits. Anything else is not there, without asking the kernel. */
static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n > 4 && memcmp(name, "tw-", 3) == 0)
		return n == 19 && strspn(name + 3, "0123456789abcdef") == 16;
	return n > 0 && n < 21 && name[0] != '0' &&
	       strspn(name, "0123456789") == n;
}

static enum kind kind_of(unsigned code)
{
	return (enum kind)(code - C_SYS_TCP);
}

/* The socket a file of system/KIND/N is about, asked for again now. */
static int fresh(const struct node *n, struct snap *s)
{
	struct skey *k = n->dn->data;
	int r = locate((enum kind)k->kind, n->dn->name, k, s, true);

	if (r == 0) {
		uint32_t gen = k->gen;

		*k = s->k;	/* where the socket is now */
		k->gen = gen;
	}
	return r;
}

static int sk_local(const struct node *n, struct strbuf *sb)
{
	struct snap s;
	int r = fresh(n, &s);

	if (r == 0)
		r = addr_format((struct sockaddr *)&s.local, s.llen, sb);
	return r < 0 ? r : sb_puts(sb, "\n");
}

static int sk_remote(const struct node *n, struct strbuf *sb)
{
	struct snap s;
	int r = fresh(n, &s);

	if (r < 0)
		return r;
	if (s.k.kind == K_UNIX)
		return s.peer ? sb_printf(sb, "%u\n", s.peer) : sb_puts(sb, "\n");
	r = addr_format((struct sockaddr *)&s.remote, s.rlen, sb);
	return r < 0 ? r : sb_puts(sb, "\n");
}

static int sk_state(const struct node *n, struct strbuf *sb)
{
	/* The kernel's TCP states; UDP and raw reuse them (established when
	 * connected, close when not), unix ones too. */
	static const char *const tcp[] = {
		"?", "established", "syn-sent", "syn-recv", "fin-wait-1",
		"fin-wait-2", "time-wait", "close", "close-wait", "last-ack",
		"listen", "closing", "new-syn-recv",
	};
	struct snap s;
	int r = fresh(n, &s);

	if (r < 0)
		return r;
	if (s.k.kind == K_UNIX && s.state == 7)
		return sb_puts(sb, "unconnected\n");
	return sb_printf(sb, "%s\n", s.state < 13 ? tcp[s.state] : "?");
}

#define NUMBER_FILE(fn, field) \
	static int fn(const struct node *n, struct strbuf *sb) \
	{ \
		struct snap s; \
		int r = fresh(n, &s); \
		return r < 0 ? r : sb_printf(sb, "%llu\n", \
					     (unsigned long long)(field)); \
	}
NUMBER_FILE(sk_uid, s.uid)
NUMBER_FILE(sk_inode, s.k.inode)
NUMBER_FILE(sk_rqueue, s.rq)
NUMBER_FILE(sk_wqueue, s.wq)

static int sk_tcpinfo(const struct node *n, struct strbuf *sb)
{
	struct snap s;
	int r = fresh(n, &s);

	return r < 0 ? r : tcpinfo_format(&s.info, s.infolen, sb);
}

static const struct filedef sk_files[] = {
	{ .name = "local", .code = C_SK_LOCAL, .mode = MODE_ALL_RO,
	  .render = sk_local,
	  .doc = "the local address, in the read forms of peername" },
	{ .name = "remote", .code = C_SK_REMOTE, .mode = MODE_ALL_RO,
	  .render = sk_remote,
	  .doc = "the peer's address; for unix sockets the peer's inode" },
	{ .name = "state", .code = C_SK_STATE, .mode = MODE_ALL_RO,
	  .render = sk_state,
	  .doc = "listen, established, time-wait, ... (unix: unconnected)" },
	{ .name = "uid", .code = C_SK_UID, .mode = MODE_ALL_RO,
	  .render = sk_uid,
	  .doc = "the owner's uid" },
	{ .name = "inode", .code = C_SK_INODE, .mode = MODE_ALL_RO,
	  .render = sk_inode,
	  .doc = "the socket's inode number (0 in TIME-WAIT)" },
	{ .name = "rqueue", .code = C_SK_RQUEUE, .mode = MODE_ALL_RO,
	  .render = sk_rqueue,
	  .doc = "bytes waiting to be read (listeners: connections waiting)" },
	{ .name = "wqueue", .code = C_SK_WQUEUE, .mode = MODE_ALL_RO,
	  .render = sk_wqueue,
	  .doc = "bytes waiting to be sent or acknowledged" },
	{ .name = "tcp_info", .code = C_SK_TCPINFO, .mode = MODE_ALL_RO,
	  .render = sk_tcpinfo,
	  .doc = "TCP: struct tcp_info, 'key value' per line" },
	{ .name = NULL }
};

static bool sk_shows(const struct node *dir, const struct filedef *f)
{
	const struct skey *k = dir->dn->data;

	return f->code != C_SK_TCPINFO || k->kind == K_TCP;
}

/* A socket's kind is its directory's: what shows never changes. */
static const struct dirdef sk_dir = {
	.files = sk_files,
	.shows = sk_shows,
	.shows_fixed = true,
};

static const struct filedef sk_dyn[] = {
	{ .name = "N", .code = C_SKDIR, .mode = MODE_ALL_DIR,
	  .dir = &sk_dir,
	  .doc = "one directory per socket, named by its inode number" },
	{ .name = NULL }
};

/* The object for socket name of a kind, with key k, held: the one the
 * kernel has, or a new one. Its name is noted for a later invalidation
 * unless it was already since the last handover. NULL: ENOMEM. */
static struct dnode *kind_entry(const struct node *dir, enum kind kind,
				const char *name, const struct skey *key)
{
	struct dnode *dn = dnode_find(dir->ino, name);
	struct skey *k = malloc(sizeof(*k));

	if (!k)
		return NULL;
	*k = *key;
	k->gen = seen_gen + 1;		/* not named yet */
	if (dn) {
		dnode_get(dn);
		k->gen = ((struct skey *)dn->data)->gen;
		free(dn->data);		/* the newer key replaces it */
	} else if (!(dn = dnode_new(dir->ino, name))) {
		free(k);
		return NULL;
	}
	dn->data = k;
	dn->free_data = free;
	if (k->gen != seen_gen &&
	    sb_append(&seen[kind], name, strlen(name) + 1) == 0) {
		k->gen = seen_gen;
		nseen_k[kind]++;
		if (++nseen >= SEEN_MAX)
			forget_seen(SEEN_TAIL);
	}
	return dn;
}

static void kind_lookup(req_t req, const struct node *dir,
			const char *name)
{
	enum kind kind = kind_of(INO_CODE(dir->ino));
	struct dnode *dn = dnode_find(dir->ino, name);
	struct snap s;
	int r = !name_ok(name) ? -ENOENT :
		locate(kind, name, dn ? dn->data : NULL, &s, false);

	if (r == 0 && !(dn = kind_entry(dir, kind, name, &s.k)))
		r = -ENOMEM;
	if (r < 0) {
		req_err(req, -r);
		return;
	}
	tree_reply_entry(req, INO(dn->id, C_SKDIR), TTL_SOCK);
	dnode_put(dn);
}

/* A listing read with attributes: each name's key is in the index its
 * dump just left, so its entry costs no query, as a lookup's within
 * HIT_FRESH of the listing does not. */
static int kind_listed(const struct node *dir, const char *name,
		       uint64_t *ino, double *ttl)
{
	enum kind kind = kind_of(INO_CODE(dir->ino));
	const struct skey *k = ix_find(&ix[kind], name);
	struct dnode *dn;

	touch(mono_ns());
	if (!k || !(dn = kind_entry(dir, kind, name, k)))
		return -ENOENT;
	dnode_lookups(dn, 1);
	*ino = INO(dn->id, C_SKDIR);
	*ttl = TTL_SOCK;
	dnode_put(dn);
	return 0;
}

static int kind_list(const struct node *dir, struct dirlist *dl)
{
	return dump(kind_of(INO_CODE(dir->ino)), dl);
}

static const struct dirdef kind_dir = {
	.lookup = kind_lookup,
	.list = kind_list,
	.listed = kind_listed,
	.dyn = sk_dyn,
};

static const struct filedef system_files[] = {
	{ .name = "tcp", .code = C_SYS_TCP, .mode = MODE_ALL_DIR,
	  .dir = &kind_dir,
	  .doc = "every TCP socket of the host" },
	{ .name = "udp", .code = C_SYS_UDP, .mode = MODE_ALL_DIR,
	  .dir = &kind_dir,
	  .doc = "every UDP socket" },
	{ .name = "raw", .code = C_SYS_RAW, .mode = MODE_ALL_DIR,
	  .dir = &kind_dir,
	  .doc = "every raw socket (empty without the kernel's raw_diag)" },
	{ .name = "unix", .code = C_SYS_UNIX, .mode = MODE_ALL_DIR,
	  .dir = &kind_dir,
	  .doc = "every unix socket" },
	{ .name = NULL }
};

const struct dirdef system_dir = { .files = system_files };
