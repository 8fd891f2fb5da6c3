/* cs.c: Plan 9's connection server and DNS query files at the root.
 * /net/cs: write NET!HOST!SERVICE, read back "CLONE ADDR!PORT" lines
 * (cs(8)); /net/dns: write "NAME TYPE", read back one record a line
 * (dns(8)), asked with res_nquery and the system's resolv.conf. Each
 * write waits parked while a worker of the resolver pool looks it up;
 * its answer replaces what the open file had left to read. */
#include "cs.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "log.h"
#include "park.h"
#include "query.h"
#include "resolver.h"
#include "tree.h"

struct csjob {
	struct rjob j;
	struct park p;
	size_t size;		/* the write's, replied on success */
	bool dns;
	char mnt[4096];		/* cs: where the clone files are */
};

static struct list parked = { &parked, &parked };

static void job_free(struct csjob *cj)
{
	sb_free(&cj->j.text);
	if (cj->j.res)
		freeaddrinfo(cj->j.res);
	free(cj);
}

/* --- the work, on a worker --- */

static const char *net_of(int socktype)
{
	switch (socktype) {
	case SOCK_STREAM: return "tcp";
	case SOCK_DGRAM: return "udp";
	default: return NULL;
	}
}

/* Whether text already holds line (cs: tcp and udp may repeat). */
static bool has_line(const struct strbuf *sb, const char *line, size_t n)
{
	size_t i = 0;

	while (i < sb->len) {
		const char *nl = memchr(sb->buf + i, '\n', sb->len - i);
		size_t len = nl ? (size_t)(nl - (sb->buf + i)) + 1 : sb->len - i;

		if (len == n && memcmp(sb->buf + i, line, n) == 0)
			return true;
		i += len;
	}
	return false;
}

static void cs_work(struct rjob *j)
{
	struct csjob *cj = container_of(j, struct csjob, j);
	struct addrinfo *ai;
	char host[NI_MAXHOST], serv[NI_MAXSERV], line[8192];
	int n;

	rjob_getaddrinfo(j);
	if (j->gai) {
		j->err = -gai_to_errno(j->gai, j->sys_errno);
		snprintf(j->detail, sizeof(j->detail), "%s",
			 j->gai == EAI_SYSTEM ? strerror(j->sys_errno)
					      : gai_strerror(j->gai));
		return;
	}
	for (ai = j->res; ai && !j->err; ai = ai->ai_next) {
		const char *net = net_of(ai->ai_socktype);

		if (!net || getnameinfo(ai->ai_addr, ai->ai_addrlen, host,
					sizeof(host), serv, sizeof(serv),
					NI_NUMERICHOST | NI_NUMERICSERV) != 0)
			continue;
		n = snprintf(line, sizeof(line), "%s/%s/clone %s!%s\n", cj->mnt,
			     net, j->nohost ? "*" : host, serv);
		if (n > 0 && (size_t)n < sizeof(line) &&
		    !has_line(&j->text, line, (size_t)n))
			j->err = sb_append(&j->text, line, (size_t)n);
	}
	freeaddrinfo(j->res);
	j->res = NULL;
	if (!j->err && j->text.len == 0) {
		j->err = -ENOENT;
		snprintf(j->detail, sizeof(j->detail),
			 "no tcp or udp address");
	}
}

/* A domain name inside the message at p. */
static int put_name(struct strbuf *sb, const ns_msg *m, const unsigned char *p)
{
	char name[NS_MAXDNAME];

	if (ns_name_uncompress(ns_msg_base(*m), ns_msg_end(*m), p, name,
			       sizeof(name)) < 0)
		return sb_puts(sb, " ?");
	return sb_printf(sb, " %s", name[0] ? name : ".");
}

/* The data of one record, after its name and type word. */
static int put_rdata(struct strbuf *sb, const ns_msg *m, const ns_rr *rr)
{
	const unsigned char *d = ns_rr_rdata(*rr);
	unsigned len = ns_rr_rdlen(*rr), i;
	char a[INET6_ADDRSTRLEN];
	int r = 0;

	switch (ns_rr_type(*rr)) {
	case ns_t_a:
		if (len != 4)
			break;
		return sb_printf(sb, " %s", inet_ntop(AF_INET, d, a, sizeof(a)));
	case ns_t_aaaa:
		if (len != 16)
			break;
		return sb_printf(sb, " %s", inet_ntop(AF_INET6, d, a, sizeof(a)));
	case ns_t_ns:
	case ns_t_cname:
	case ns_t_ptr:
		return put_name(sb, m, d);
	case ns_t_mx:
		if (len < 3)
			break;
		r = sb_printf(sb, " %u", ns_get16(d));
		return r ? r : put_name(sb, m, d + 2);
	case ns_t_srv:
		if (len < 7)
			break;
		r = sb_printf(sb, " %u %u %u", ns_get16(d), ns_get16(d + 2),
			      ns_get16(d + 4));
		return r ? r : put_name(sb, m, d + 6);
	case ns_t_txt:
		/* Each character-string, one space between them. */
		for (i = 0; r == 0 && i < len; i += 1u + d[i]) {
			unsigned n = d[i];

			if (i + 1 + n > len)
				break;
			r = sb_printf(sb, " %.*s", (int)n, (const char *)d + i + 1);
		}
		return r;
	case ns_t_soa: {
		char mname[NS_MAXDNAME], rname[NS_MAXDNAME];
		const unsigned char *end = ns_msg_end(*m), *p = d;
		int k;

		k = dn_expand(ns_msg_base(*m), end, p, mname, sizeof(mname));
		if (k < 0)
			break;
		p += k;
		k = dn_expand(ns_msg_base(*m), end, p, rname, sizeof(rname));
		if (k < 0 || p + k + 20 > d + len)
			break;
		p += k;
		return sb_printf(sb, " %s %s %lu %lu %lu %lu %lu", mname, rname,
				 (unsigned long)ns_get32(p),
				 (unsigned long)ns_get32(p + 4),
				 (unsigned long)ns_get32(p + 8),
				 (unsigned long)ns_get32(p + 12),
				 (unsigned long)ns_get32(p + 16));
	}
	default:
		break;
	}
	/* Anything else (or malformed): the bytes in hex. */
	r = sb_puts(sb, " \\#");
	for (i = 0; r == 0 && i < len; i++)
		r = sb_printf(sb, "%s%02x", i ? "" : " ", d[i]);
	return r;
}

static void dns_work(struct rjob *j)
{
	unsigned char answer[65536];
	struct __res_state st;
	ns_msg m;
	ns_rr rr;
	int len, i, n, r = 0;

	memset(&st, 0, sizeof(st));
	if (res_ninit(&st) < 0) {
		j->err = -EIO;
		snprintf(j->detail, sizeof(j->detail), "res_ninit failed");
		return;
	}
	len = res_nquery(&st, j->host, ns_c_in, j->number, answer,
			 sizeof(answer));
	if (len < 0) {
		switch (st.res_h_errno) {
		case HOST_NOT_FOUND:
		case NO_DATA:
			j->err = -ENOENT;
			break;
		case TRY_AGAIN:
			j->err = -EAGAIN;
			break;
		default:
			j->err = -EIO;
		}
		snprintf(j->detail, sizeof(j->detail), "%s",
			 hstrerror(st.res_h_errno));
		res_nclose(&st);
		return;
	}
	res_nclose(&st);
	if (ns_initparse(answer, len, &m) < 0) {
		j->err = -EIO;
		snprintf(j->detail, sizeof(j->detail), "a malformed answer");
		return;
	}
	n = ns_msg_count(m, ns_s_an);
	for (i = 0; i < n && r == 0; i++) {
		const char *word;

		if (ns_parserr(&m, ns_s_an, i, &rr) < 0)
			continue;
		word = query_dns_type(ns_rr_type(rr));
		r = word ? sb_printf(&j->text, "%s %s", ns_rr_name(rr), word)
			 : sb_printf(&j->text, "%s type%d", ns_rr_name(rr),
				     ns_rr_type(rr));
		if (r == 0)
			r = put_rdata(&j->text, &m, &rr);
		if (r == 0)
			r = sb_puts(&j->text, "\n");
	}
	if (r < 0) {
		j->err = r;
	} else if (j->text.len == 0) {
		j->err = -ENOENT;
		snprintf(j->detail, sizeof(j->detail), "no %s record",
			 query_dns_type(j->number));
	}
}

/* --- the files, on the loop --- */

static void cs_abort(struct park *p, int err)
{
	struct csjob *cj = container_of(p, struct csjob, p);

	req_err(p->req, err);
	rjob_cancel(&cj->j);		/* done() frees it */
}

static void cs_done(struct rjob *j)
{
	struct csjob *cj = container_of(j, struct csjob, j);
	struct ofile *of = cj->p.of;

	if (j->cancelled) {
		job_free(cj);
		return;
	}
	park_end(&cj->p);
	if (j->err) {
		log_info("%s %s: %s", cj->dns ? "dns" : "cs", j->host,
			 j->detail[0] ? j->detail : strerror(-j->err));
		req_err(cj->p.req, -j->err);
	} else {
		/* This answer replaces what the last one left unread. */
		sb_free(&of->out);
		of->out = j->text;
		memset(&j->text, 0, sizeof(j->text));
		req_written(cj->p.req, cj->size);
	}
	job_free(cj);
}

static void query_write(req_t req, struct ofile *of, const char *buf,
			size_t size, bool dns)
{
	struct field line;
	struct csjob *cj;
	struct query q;
	size_t pos = 0;
	int r;

	err_clear();
	if (!parse_line(buf, size, &pos, &line))
		line.n = 0;
	while (line.n && strchr(" \t", line.p[line.n - 1]))
		line.n--;
	while (line.n && strchr(" \t", line.p[0])) {
		line.p++;
		line.n--;
	}
	r = dns ? query_dns(line.p, line.n, &q)
		: query_resolve(line.p, line.n, &q);
	if (r < 0) {
		log_info("%s: %s", dns ? "dns" : "cs", err_detail());
		req_err(req, -r);
		return;
	}
	cj = calloc(1, sizeof(*cj));
	if (!cj) {
		req_err(req, ENOMEM);
		return;
	}
	cj->size = size;
	cj->dns = dns;
	cj->j.work = dns ? dns_work : cs_work;
	cj->j.done = cs_done;
	cj->j.uid = req_ctx(req)->uid;
	snprintf(cj->j.host, sizeof(cj->j.host), "%s", q.host);
	snprintf(cj->j.serv, sizeof(cj->j.serv), "%s", q.serv);
	cj->j.number = q.number;
	if (!dns) {
		snprintf(cj->mnt, sizeof(cj->mnt), "%s",
			 nfs.mountpoint ? nfs.mountpoint : "/net");
		cj->j.nohost = !q.host[0];
		cj->j.hints.ai_family = q.family;
		cj->j.hints.ai_socktype = q.socktype;
		cj->j.hints.ai_protocol = q.proto;
		cj->j.hints.ai_flags = q.flags | (q.host[0] ? 0 : AI_PASSIVE);
	}
	r = park_start(&cj->p, &parked, req, of, -1, cs_abort);
	if (r == 0) {
		r = resolver_submit(&cj->j);
		if (r < 0)
			park_end(&cj->p);
	}
	if (r < 0) {
		job_free(cj);
		req_err(req, -r);
	}
}

static void cs_write(req_t req, struct ofile *of, const char *buf,
		     size_t size, int flags)
{
	(void)flags;
	query_write(req, of, buf, size, false);
}

static void dns_write(req_t req, struct ofile *of, const char *buf,
		      size_t size, int flags)
{
	(void)flags;
	query_write(req, of, buf, size, true);
}

/* One answer per read, as Plan 9's cs and dns give them; end of file
 * once all are read. */
static void answer_read(req_t req, struct ofile *of, size_t size,
			off_t off, int flags)
{
	const char *nl = memchr(of->out.buf ? of->out.buf : "", '\n',
				of->out.len);
	size_t n = nl ? (size_t)(nl - of->out.buf) + 1 : of->out.len;

	(void)off;
	(void)flags;
	reply_and_consume(req, of, n < size ? n : size);
}

const struct fileops cs_ops = {
	.read = answer_read,
	.write = cs_write,
	.seekable = true,
};

const struct fileops dns_ops = {
	.read = answer_read,
	.write = dns_write,
	.seekable = true,
};

void cs_fini(void)
{
	park_abort_all(&parked, EINTR);
}
