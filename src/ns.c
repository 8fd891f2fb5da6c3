/* ns.c: the name-service files of the root. A name looked up in resolve/,
 * reverse/, services/ or protocols/ is asked of the resolver pool while
 * the FUSE LOOKUP waits parked; the answer becomes a file (a dnode holding
 * the text) or the lookup's errno. Also hostname and fqdn (whose open
 * waits for its lookup the same way). */
#include "ns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dnode.h"
#include "errors.h"
#include "vfs.h"
#include "log.h"
#include "park.h"
#include "query.h"
#include "resolver.h"
#include "tree.h"


/* What a directory asks: how its names parse and which job answers. */
struct nskind {
	const char *dir;
	unsigned code;		/* of the answer files */
	int (*parse)(const char *p, size_t n, struct query *q);
	void (*work)(struct rjob *j);
};

/* A lookup (or fqdn's open) in flight: parked on `parked` until the job
 * is done, or until an interrupt answers it and marks the job cancelled
 * (the job, still with a worker, is freed by its done()). */
struct nsjob {
	struct rjob j;
	struct park p;
	const struct nskind *kind;	/* NULL: fqdn's open */
	uint64_t dir;			/* the directory's inode */
	char *name;
	/* A lookup has no open file: this one's cred says whose share of
	 * -o max_user_blocked the parked lookup takes. */
	struct ofile charge;
};

static struct list parked = { &parked, &parked };

static void job_free(struct nsjob *nj)
{
	sb_free(&nj->j.text);
	if (nj->j.res)
		freeaddrinfo(nj->j.res);
	free(nj->name);
	free(nj);
}

static void ns_abort(struct park *p, int err)
{
	struct nsjob *nj = container_of(p, struct nsjob, p);

	req_err(p->req, err);
	if (!nj->kind)
		ofile_release(p->of);
	rjob_cancel(&nj->j);		/* done() frees it */
}

static void free_answer(void *data)
{
	struct strbuf *sb = data;

	sb_free(sb);
	free(sb);
}

/* The lookup's answer becomes the file's content, fresh for this lookup
 * and the opens that follow it. */
static void reply_answer(struct nsjob *nj)
{
	req_t req = nj->p.req;
	struct dnode *dn = dnode_find(nj->dir, nj->name);
	struct strbuf *sb = malloc(sizeof(*sb));
	bool fresh = !dn;

	if (fresh)
		dn = dnode_new(nj->dir, nj->name);
	if (!dn || !sb) {
		free(sb);
		req_err(req, ENOMEM);
		return;
	}
	*sb = nj->j.text;
	memset(&nj->j.text, 0, sizeof(nj->j.text));
	if (dn->free_data)
		dn->free_data(dn->data);
	dn->data = sb;
	dn->free_data = free_answer;
	tree_reply_entry(req, INO(dn->id, nj->kind->code), TTL_NONE);
	if (fresh)
		dnode_put(dn);	/* the kernel's lookup keeps it now */
}

static void ns_done(struct rjob *j)
{
	struct nsjob *nj = container_of(j, struct nsjob, j);
	struct ofile *of = nj->p.of;

	if (j->cancelled) {
		job_free(nj);
		return;
	}
	park_end(&nj->p);
	if (j->err) {
		log_info("%s%s%s: %s", nj->kind ? nj->kind->dir : "fqdn",
			 nj->kind ? "/" : "", nj->kind ? nj->name : "",
			 j->detail[0] ? j->detail : strerror(-j->err));
		req_err(nj->p.req, -j->err);
		if (!nj->kind)
			ofile_release(of);
	} else if (!nj->kind) {
		sb_free(&of->out);
		of->out = j->text;
		memset(&j->text, 0, sizeof(j->text));
		open_reply(nj->p.req, of);
	} else {
		reply_answer(nj);
	}
	job_free(nj);
}

/* Parks req (and of, for an open) and queues the job: 0, or a negative
 * errno with nj freed and req not answered. */
static int start(struct nsjob *nj, req_t req, struct ofile *of)
{
	int r;

	nj->j.done = ns_done;
	nj->j.uid = req_ctx(req)->uid;
	r = park_start(&nj->p, &parked, req, of, -1, ns_abort);
	if (r == 0) {
		r = resolver_submit(&nj->j);
		if (r < 0)
			park_end(&nj->p);
	}
	if (r < 0)
		job_free(nj);
	return r;
}

static void ns_lookup(req_t req, const struct node *dir,
		      const char *name, const struct nskind *k)
{
	struct nsjob *nj;
	struct query q;
	int r;

	err_clear();
	r = k->parse(name, strlen(name), &q);
	if (r < 0) {
		log_info("%s/%s: %s", k->dir, name, err_detail());
		req_err(req, -r);
		return;
	}
	nj = calloc(1, sizeof(*nj));
	if (nj)
		nj->name = strdup(name);
	if (!nj || !nj->name) {
		free(nj);
		req_err(req, ENOMEM);
		return;
	}
	nj->kind = k;
	nj->dir = dir->ino;
	nj->j.work = k->work;
	snprintf(nj->j.host, sizeof(nj->j.host), "%s", q.host);
	nj->j.nohost = !q.host[0];
	snprintf(nj->j.serv, sizeof(nj->j.serv), "%s", q.serv);
	snprintf(nj->j.proto_name, sizeof(nj->j.proto_name), "%s",
		 q.proto_name);
	nj->j.number = q.number;
	nj->j.hints.ai_family = q.family;
	nj->j.hints.ai_socktype = q.socktype;
	nj->j.hints.ai_protocol = q.proto;
	nj->j.hints.ai_flags = q.flags;
	nj->j.niflags = q.flags;
	nj->charge.cred.uid = req_ctx(req)->uid;
	r = start(nj, req, &nj->charge);
	if (r < 0)
		req_err(req, -r);
}

static const struct nskind kinds[] = {
	{ "resolve", C_NS_RESOLVED, query_resolve, rjob_resolve },
	{ "reverse", C_NS_REVERSED, query_reverse, rjob_reverse },
	{ "services", C_NS_SERVICE, query_service, rjob_service },
	{ "protocols", C_NS_PROTOCOL, query_protocol, rjob_protocol },
};

static void resolve_lookup(req_t req, const struct node *dir,
			   const char *name)
{
	ns_lookup(req, dir, name, &kinds[0]);
}

static void reverse_lookup(req_t req, const struct node *dir,
			   const char *name)
{
	ns_lookup(req, dir, name, &kinds[1]);
}

static void services_lookup(req_t req, const struct node *dir,
			    const char *name)
{
	ns_lookup(req, dir, name, &kinds[2]);
}

static void protocols_lookup(req_t req, const struct node *dir,
			     const char *name)
{
	ns_lookup(req, dir, name, &kinds[3]);
}

/* An answer file: the text its lookup left. */
static int text_answer(const struct node *n, struct strbuf *sb)
{
	const struct strbuf *a = n->dn->data;

	if (!a)
		return -ENOENT;
	return sb_append(sb, a->buf, a->len);
}

static const struct filedef resolve_dyn[] = {
	{ .name = "QUERY", .code = C_NS_RESOLVED, .mode = MODE_ALL_RO,
	  .render = text_answer,
	  .doc = "getaddrinfo: [NET!]HOST[!SERVICE][?FLAG,...]; "
		 "FAMILY TYPE PROTO ADDRESS per line" },
	{ .name = NULL }
};

static const struct filedef reverse_dyn[] = {
	{ .name = "ADDRESS", .code = C_NS_REVERSED, .mode = MODE_ALL_RO,
	  .render = text_answer,
	  .doc = "getnameinfo, gethostbyaddr: ADDRESS[!PORT][?FLAG,...]; "
		 "name, alias, address, service lines" },
	{ .name = NULL }
};

static const struct filedef services_dyn[] = {
	{ .name = "NAME", .code = C_NS_SERVICE, .mode = MODE_ALL_RO,
	  .render = text_answer,
	  .doc = "getservbyname, getservbyport: NAME or PORT [!PROTO]; "
		 "NAME PORT PROTO ALIASES per line" },
	{ .name = NULL }
};

static const struct filedef protocols_dyn[] = {
	{ .name = "NAME", .code = C_NS_PROTOCOL, .mode = MODE_ALL_RO,
	  .render = text_answer,
	  .doc = "getprotobyname, getprotobynumber: NAME or NUMBER; "
		 "NAME NUMBER ALIASES" },
	{ .name = NULL }
};

const struct dirdef resolve_dir = {
	.lookup = resolve_lookup, .dyn = resolve_dyn,
};
const struct dirdef reverse_dir = {
	.lookup = reverse_lookup, .dyn = reverse_dyn,
};
const struct dirdef services_dir = {
	.lookup = services_lookup, .dyn = services_dyn,
};
const struct dirdef protocols_dir = {
	.lookup = protocols_lookup, .dyn = protocols_dyn,
};

/* --- hostname, fqdn --- */

int text_hostname(const struct node *n, struct strbuf *sb)
{
	char name[256];

	(void)n;
	if (gethostname(name, sizeof(name)) < 0)
		return -errno;
	name[sizeof(name) - 1] = '\0';
	return sb_printf(sb, "%s\n", name);
}

static int fqdn_open(req_t req, struct ofile *of)
{
	struct nsjob *nj;
	int r;

	if ((of->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	nj = calloc(1, sizeof(*nj));
	if (!nj)
		return -ENOMEM;
	nj->j.work = rjob_fqdn;
	r = start(nj, req, of);
	return r < 0 ? r : OPEN_PARKED;
}

static void fqdn_write(req_t req, struct ofile *of, const char *buf,
		       size_t size, int flags)
{
	(void)of;
	(void)buf;
	(void)size;
	(void)flags;
	req_err(req, EBADF);
}

const struct fileops fqdn_ops = {
	.open = fqdn_open,
	.read = read_replies,
	.write = fqdn_write,
	.seekable = true,
};

void ns_fini(void)
{
	park_abort_all(&parked, EINTR);
}
