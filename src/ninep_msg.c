/* ninep_msg.c: the 9P2000.L message codec (see ninep_msg.h). Reading and
 * writing go through two small cursors whose errors are sticky: a message
 * is read field by field without a bounds test at each call site, and the
 * first failure (with its reason) is what the caller gets. Every length
 * comes from the peer, so every comparison is written so that it cannot
 * overflow: remaining = len - off, never off + n > len. */
#include "ninep_msg.h"

#include <errno.h>
#include <string.h>

/* --- reading ------------------------------------------------------------ */

struct rd {
	const uint8_t *p;
	size_t len, off;
	int err;
	const char *why;
};

static void rd_fail(struct rd *r, int err, const char *why)
{
	if (!r->err) {
		r->err = err;
		r->why = why;
	}
}

/* n bytes at the cursor, or NULL (and the error) when fewer are left. */
static const uint8_t *rd_take(struct rd *r, size_t n, const char *why)
{
	const uint8_t *q;

	if (r->err)
		return NULL;
	if (r->len - r->off < n) {
		rd_fail(r, -EPROTO, why);
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

static uint8_t rd8(struct rd *r)
{
	const uint8_t *q = rd_take(r, 1, "a field runs past the end");

	return q ? q[0] : 0;
}

static uint16_t rd16(struct rd *r)
{
	const uint8_t *q = rd_take(r, 2, "a field runs past the end");

	return q ? (uint16_t)(q[0] | q[1] << 8) : 0;
}

static uint32_t rd32(struct rd *r)
{
	const uint8_t *q = rd_take(r, 4, "a field runs past the end");

	return q ? (uint32_t)q[0] | (uint32_t)q[1] << 8 |
			   (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24
		 : 0;
}

static uint64_t rd64(struct rd *r)
{
	uint64_t lo = rd32(r);

	return lo | (uint64_t)rd32(r) << 32;
}

/* A string: a view into the message. A NUL inside would let a server
 * that makes C strings of names see a shorter name than the client sent,
 * so it is refused here, once for every message. */
static struct ninep_str rdstr(struct rd *r)
{
	struct ninep_str s = { "", 0 };
	uint16_t n = rd16(r);
	const uint8_t *q = rd_take(r, n, "a string runs past the end");

	if (!q)
		return s;
	if (memchr(q, 0, n)) {
		rd_fail(r, -EPROTO, "a string holds a NUL byte");
		return s;
	}
	s.s = (const char *)q;
	s.len = n;
	return s;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* --- names -------------------------------------------------------------- */

const char *ninep_type_name(uint8_t type)
{
	switch (type) {
	case NINEP_TLERROR: return "Tlerror";
	case NINEP_RLERROR: return "Rlerror";
	case NINEP_TSTATFS: return "Tstatfs";
	case NINEP_RSTATFS: return "Rstatfs";
	case NINEP_TLOPEN: return "Tlopen";
	case NINEP_RLOPEN: return "Rlopen";
	case NINEP_TLCREATE: return "Tlcreate";
	case NINEP_RLCREATE: return "Rlcreate";
	case NINEP_TSYMLINK: return "Tsymlink";
	case NINEP_RSYMLINK: return "Rsymlink";
	case NINEP_TMKNOD: return "Tmknod";
	case NINEP_RMKNOD: return "Rmknod";
	case NINEP_TRENAME: return "Trename";
	case NINEP_RRENAME: return "Rrename";
	case NINEP_TREADLINK: return "Treadlink";
	case NINEP_RREADLINK: return "Rreadlink";
	case NINEP_TGETATTR: return "Tgetattr";
	case NINEP_RGETATTR: return "Rgetattr";
	case NINEP_TSETATTR: return "Tsetattr";
	case NINEP_RSETATTR: return "Rsetattr";
	case NINEP_TXATTRWALK: return "Txattrwalk";
	case NINEP_RXATTRWALK: return "Rxattrwalk";
	case NINEP_TXATTRCREATE: return "Txattrcreate";
	case NINEP_RXATTRCREATE: return "Rxattrcreate";
	case NINEP_TREADDIR: return "Treaddir";
	case NINEP_RREADDIR: return "Rreaddir";
	case NINEP_TFSYNC: return "Tfsync";
	case NINEP_RFSYNC: return "Rfsync";
	case NINEP_TLOCK: return "Tlock";
	case NINEP_RLOCK: return "Rlock";
	case NINEP_TGETLOCK: return "Tgetlock";
	case NINEP_RGETLOCK: return "Rgetlock";
	case NINEP_TLINK: return "Tlink";
	case NINEP_RLINK: return "Rlink";
	case NINEP_TMKDIR: return "Tmkdir";
	case NINEP_RMKDIR: return "Rmkdir";
	case NINEP_TRENAMEAT: return "Trenameat";
	case NINEP_RRENAMEAT: return "Rrenameat";
	case NINEP_TUNLINKAT: return "Tunlinkat";
	case NINEP_RUNLINKAT: return "Runlinkat";
	case NINEP_TVERSION: return "Tversion";
	case NINEP_RVERSION: return "Rversion";
	case NINEP_TAUTH: return "Tauth";
	case NINEP_RAUTH: return "Rauth";
	case NINEP_TATTACH: return "Tattach";
	case NINEP_RATTACH: return "Rattach";
	case NINEP_TFLUSH: return "Tflush";
	case NINEP_RFLUSH: return "Rflush";
	case NINEP_TWALK: return "Twalk";
	case NINEP_RWALK: return "Rwalk";
	case NINEP_TREAD: return "Tread";
	case NINEP_RREAD: return "Rread";
	case NINEP_TWRITE: return "Twrite";
	case NINEP_RWRITE: return "Rwrite";
	case NINEP_TCLUNK: return "Tclunk";
	case NINEP_RCLUNK: return "Rclunk";
	case NINEP_TREMOVE: return "Tremove";
	case NINEP_RREMOVE: return "Rremove";
	}
	return NULL;
}

/* --- framing ------------------------------------------------------------ */

int ninep_frame(const void *buf, size_t have, uint32_t msize,
		uint32_t *size, const char **why)
{
	uint32_t n;

	*size = 0;
	if (have < 4)
		return 0;
	n = le32(buf);
	*size = n;
	/* Judged as soon as the size is in, before waiting for the rest: a
	 * peer must not hold a buffer of 4 GiB open by announcing it. */
	if (n < NINEP_HDRSZ) {
		*why = "message size is smaller than the 7-byte header";
		return -EPROTO;
	}
	if (n > msize) {
		*why = "message size exceeds msize";
		return -EMSGSIZE;
	}
	return have >= n;
}

/* --- parsing ------------------------------------------------------------ */

/* Tauth and Tattach end in n_uname, unless a 9P2000 client sent them. */
static uint32_t rd_n_uname(struct rd *r, bool *has)
{
	*has = !r->err && r->off < r->len;
	return *has ? rd32(r) : NINEP_NONUNAME;
}

/* A count of bytes that must come back within msize: a peer asking for
 * more than any message can hold is confused or probing. */
static uint32_t rd_count(struct rd *r, uint32_t msize)
{
	uint32_t c = rd32(r);

	if (c > msize)
		rd_fail(r, -EMSGSIZE, "count exceeds msize");
	return c;
}

static void parse_body(struct rd *r, struct ninep_msg *m, uint32_t msize)
{
	uint16_t i;

	switch (m->type) {
	case NINEP_TVERSION:
		m->u.tversion.msize = rd32(r);
		m->u.tversion.version = rdstr(r);
		break;
	case NINEP_TAUTH:
		m->u.tauth.afid = rd32(r);
		m->u.tauth.uname = rdstr(r);
		m->u.tauth.aname = rdstr(r);
		m->u.tauth.n_uname = rd_n_uname(r, &m->u.tauth.has_n_uname);
		break;
	case NINEP_TATTACH:
		m->u.tattach.fid = rd32(r);
		m->u.tattach.afid = rd32(r);
		m->u.tattach.uname = rdstr(r);
		m->u.tattach.aname = rdstr(r);
		m->u.tattach.n_uname =
			rd_n_uname(r, &m->u.tattach.has_n_uname);
		break;
	case NINEP_TFLUSH:
		m->u.tflush.oldtag = rd16(r);
		break;
	case NINEP_TWALK:
		m->u.twalk.fid = rd32(r);
		m->u.twalk.newfid = rd32(r);
		m->u.twalk.nwname = rd16(r);
		if (m->u.twalk.nwname > NINEP_MAXWELEM) {
			rd_fail(r, -EPROTO, "Twalk has more than 16 names");
			break;
		}
		for (i = 0; i < m->u.twalk.nwname; i++)
			m->u.twalk.wname[i] = rdstr(r);
		break;
	case NINEP_TREAD:
	case NINEP_TREADDIR:
		/* One layout; treaddir is the same member type. */
		m->u.tread.fid = rd32(r);
		m->u.tread.offset = rd64(r);
		m->u.tread.count = rd_count(r, msize);
		break;
	case NINEP_TWRITE:
		m->u.twrite.fid = rd32(r);
		m->u.twrite.offset = rd64(r);
		m->u.twrite.count = rd32(r);
		if (r->err)
			break;
		/* size <= msize was checked, so a count that is exactly the
		 * rest of the message is within msize too. */
		if (m->u.twrite.count != r->len - r->off) {
			rd_fail(r, -EPROTO, "Twrite's count is not the "
				"number of data bytes");
			break;
		}
		m->u.twrite.data = rd_take(r, m->u.twrite.count, "");
		break;
	case NINEP_TCLUNK:
	case NINEP_TREMOVE:
	case NINEP_TSTATFS:
	case NINEP_TREADLINK:
		m->u.tclunk.fid = rd32(r);
		break;
	case NINEP_TLOPEN:
		m->u.tlopen.fid = rd32(r);
		m->u.tlopen.flags = rd32(r);
		break;
	case NINEP_TLCREATE:
		m->u.tlcreate.fid = rd32(r);
		m->u.tlcreate.name = rdstr(r);
		m->u.tlcreate.flags = rd32(r);
		m->u.tlcreate.mode = rd32(r);
		m->u.tlcreate.gid = rd32(r);
		break;
	case NINEP_TSYMLINK:
		m->u.tsymlink.dfid = rd32(r);
		m->u.tsymlink.name = rdstr(r);
		m->u.tsymlink.symtgt = rdstr(r);
		m->u.tsymlink.gid = rd32(r);
		break;
	case NINEP_TMKNOD:
		m->u.tmknod.dfid = rd32(r);
		m->u.tmknod.name = rdstr(r);
		m->u.tmknod.mode = rd32(r);
		m->u.tmknod.major = rd32(r);
		m->u.tmknod.minor = rd32(r);
		m->u.tmknod.gid = rd32(r);
		break;
	case NINEP_TRENAME:
		m->u.trename.fid = rd32(r);
		m->u.trename.dfid = rd32(r);
		m->u.trename.name = rdstr(r);
		break;
	case NINEP_TGETATTR:
		m->u.tgetattr.fid = rd32(r);
		m->u.tgetattr.request_mask = rd64(r);
		break;
	case NINEP_TSETATTR:
		m->u.tsetattr.fid = rd32(r);
		m->u.tsetattr.valid = rd32(r);
		m->u.tsetattr.mode = rd32(r);
		m->u.tsetattr.uid = rd32(r);
		m->u.tsetattr.gid = rd32(r);
		m->u.tsetattr.size = rd64(r);
		m->u.tsetattr.atime_sec = rd64(r);
		m->u.tsetattr.atime_nsec = rd64(r);
		m->u.tsetattr.mtime_sec = rd64(r);
		m->u.tsetattr.mtime_nsec = rd64(r);
		break;
	case NINEP_TXATTRWALK:
		m->u.txattrwalk.fid = rd32(r);
		m->u.txattrwalk.newfid = rd32(r);
		m->u.txattrwalk.name = rdstr(r);
		break;
	case NINEP_TXATTRCREATE:
		m->u.txattrcreate.fid = rd32(r);
		m->u.txattrcreate.name = rdstr(r);
		m->u.txattrcreate.attr_size = rd64(r);
		m->u.txattrcreate.flags = rd32(r);
		break;
	case NINEP_TFSYNC:
		m->u.tfsync.fid = rd32(r);
		m->u.tfsync.datasync = rd32(r);
		break;
	case NINEP_TLOCK:
		m->u.tlock.fid = rd32(r);
		m->u.tlock.type = rd8(r);
		m->u.tlock.flags = rd32(r);
		m->u.tlock.start = rd64(r);
		m->u.tlock.length = rd64(r);
		m->u.tlock.proc_id = rd32(r);
		m->u.tlock.client_id = rdstr(r);
		break;
	case NINEP_TGETLOCK:
		m->u.tgetlock.fid = rd32(r);
		m->u.tgetlock.type = rd8(r);
		m->u.tgetlock.start = rd64(r);
		m->u.tgetlock.length = rd64(r);
		m->u.tgetlock.proc_id = rd32(r);
		m->u.tgetlock.client_id = rdstr(r);
		break;
	case NINEP_TLINK:
		m->u.tlink.dfid = rd32(r);
		m->u.tlink.fid = rd32(r);
		m->u.tlink.name = rdstr(r);
		break;
	case NINEP_TMKDIR:
		m->u.tmkdir.dfid = rd32(r);
		m->u.tmkdir.name = rdstr(r);
		m->u.tmkdir.mode = rd32(r);
		m->u.tmkdir.gid = rd32(r);
		break;
	case NINEP_TRENAMEAT:
		m->u.trenameat.olddirfid = rd32(r);
		m->u.trenameat.oldname = rdstr(r);
		m->u.trenameat.newdirfid = rd32(r);
		m->u.trenameat.newname = rdstr(r);
		break;
	case NINEP_TUNLINKAT:
		m->u.tunlinkat.dirfid = rd32(r);
		m->u.tunlinkat.name = rdstr(r);
		m->u.tunlinkat.flags = rd32(r);
		break;
	default:
		/* Rlerror's number is odd like every reply's; Tlerror is
		 * even but never sent (the protocol has no use for it). */
		if (!ninep_type_name(m->type))
			rd_fail(r, -EPROTO, "unknown message type");
		else if (m->type & 1)
			rd_fail(r, -EPROTO, "an R-message sent to the server");
		else
			rd_fail(r, -EPROTO, "Tlerror is not a request");
		break;
	}
}

int ninep_parse(const void *buf, size_t len, uint32_t msize,
		struct ninep_msg *m, const char **why)
{
	struct rd r = { .p = buf, .len = len };

	memset(m, 0, sizeof(*m));
	m->tag = NINEP_NOTAG;
	if (len < NINEP_HDRSZ) {
		*why = "message is shorter than the 7-byte header";
		return -EPROTO;
	}
	m->size = rd32(&r);
	m->type = rd8(&r);
	m->tag = rd16(&r);
	if (m->size != len) {
		*why = "size field does not match the message length";
		return -EPROTO;
	}
	if (len > msize) {
		*why = "message size exceeds msize";
		return -EMSGSIZE;
	}
	parse_body(&r, m, msize);
	if (!r.err && r.off != r.len)
		rd_fail(&r, -EPROTO, "bytes left over after the last field");
	if (r.err) {
		uint8_t type = m->type;
		uint16_t tag = m->tag;
		uint32_t size = m->size;

		/* No half-filled body for a caller that forgets the result:
		 * only the header survives. */
		memset(m, 0, sizeof(*m));
		m->size = size;
		m->type = type;
		m->tag = tag;
		*why = r.why;
		return r.err;
	}
	return 0;
}

uint32_t ninep_read_max(uint32_t msize, uint32_t count)
{
	uint32_t room = msize > NINEP_RREAD_HDRSZ ? msize - NINEP_RREAD_HDRSZ
						  : 0;

	return count < room ? count : room;
}

/* --- building ----------------------------------------------------------- */

struct wr {
	uint8_t *p;
	size_t cap, off;
	int err;
};

/* Room for n more bytes, or NULL (and -ENOBUFS). */
static uint8_t *wr_take(struct wr *w, size_t n)
{
	uint8_t *q;

	if (w->err)
		return NULL;
	if (w->cap - w->off < n) {
		w->err = -ENOBUFS;
		return NULL;
	}
	q = w->p + w->off;
	w->off += n;
	return q;
}

static void wr8(struct wr *w, uint8_t v)
{
	uint8_t *q = wr_take(w, 1);

	if (q)
		q[0] = v;
}

static void put16(uint8_t *q, uint16_t v)
{
	q[0] = (uint8_t)v;
	q[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *q, uint32_t v)
{
	q[0] = (uint8_t)v;
	q[1] = (uint8_t)(v >> 8);
	q[2] = (uint8_t)(v >> 16);
	q[3] = (uint8_t)(v >> 24);
}

static void wr16(struct wr *w, uint16_t v)
{
	uint8_t *q = wr_take(w, 2);

	if (q)
		put16(q, v);
}

static void wr32(struct wr *w, uint32_t v)
{
	uint8_t *q = wr_take(w, 4);

	if (q)
		put32(q, v);
}

static void wr64(struct wr *w, uint64_t v)
{
	wr32(w, (uint32_t)v);
	wr32(w, (uint32_t)(v >> 32));
}

static void wrqid(struct wr *w, const struct ninep_qid *q)
{
	wr8(w, q->type);
	wr32(w, q->version);
	wr64(w, q->path);
}

static void wrstr(struct wr *w, const char *s, size_t n)
{
	uint8_t *q;

	if (n > UINT16_MAX) {
		if (!w->err)
			w->err = -EINVAL;
		return;
	}
	wr16(w, (uint16_t)n);
	q = wr_take(w, n);
	if (q && n)
		memcpy(q, s, n);
}

/* Starts a reply: the size is filled in by wr_end. A cap beyond what the
 * 32-bit size field (or an int result) can say is no cap at all. */
static struct wr wr_begin(void *buf, size_t cap, uint8_t type, uint16_t tag)
{
	struct wr w = { .p = buf, .cap = cap };

	if (w.cap > INT32_MAX)
		w.cap = INT32_MAX;
	wr32(&w, 0);
	wr8(&w, type);
	wr16(&w, tag);
	return w;
}

static int wr_end(struct wr *w)
{
	if (w->err)
		return w->err;
	put32(w->p, (uint32_t)w->off);
	return (int)w->off;
}

int ninep_build_rversion(void *buf, size_t cap, uint16_t tag, uint32_t msize,
			 const char *version)
{
	struct wr w = wr_begin(buf, cap, NINEP_RVERSION, tag);

	wr32(&w, msize);
	wrstr(&w, version, strlen(version));
	return wr_end(&w);
}

static int build_qid(void *buf, size_t cap, uint8_t type, uint16_t tag,
		     const struct ninep_qid *qid)
{
	struct wr w = wr_begin(buf, cap, type, tag);

	wrqid(&w, qid);
	return wr_end(&w);
}

int ninep_build_rauth(void *buf, size_t cap, uint16_t tag,
		      const struct ninep_qid *aqid)
{
	return build_qid(buf, cap, NINEP_RAUTH, tag, aqid);
}

int ninep_build_rattach(void *buf, size_t cap, uint16_t tag,
			const struct ninep_qid *qid)
{
	return build_qid(buf, cap, NINEP_RATTACH, tag, qid);
}

int ninep_build_rmkdir(void *buf, size_t cap, uint16_t tag,
		       const struct ninep_qid *qid)
{
	return build_qid(buf, cap, NINEP_RMKDIR, tag, qid);
}

int ninep_build_rsymlink(void *buf, size_t cap, uint16_t tag,
			 const struct ninep_qid *qid)
{
	return build_qid(buf, cap, NINEP_RSYMLINK, tag, qid);
}

int ninep_build_rmknod(void *buf, size_t cap, uint16_t tag,
		       const struct ninep_qid *qid)
{
	return build_qid(buf, cap, NINEP_RMKNOD, tag, qid);
}

int ninep_build_rlerror(void *buf, size_t cap, uint16_t tag, uint32_t ecode)
{
	struct wr w = wr_begin(buf, cap, NINEP_RLERROR, tag);

	wr32(&w, ecode);
	return wr_end(&w);
}

int ninep_build_rwalk(void *buf, size_t cap, uint16_t tag, uint16_t nwqid,
		      const struct ninep_qid *qids)
{
	struct wr w;
	uint16_t i;

	if (nwqid > NINEP_MAXWELEM)
		return -EINVAL;
	w = wr_begin(buf, cap, NINEP_RWALK, tag);
	wr16(&w, nwqid);
	for (i = 0; i < nwqid; i++)
		wrqid(&w, &qids[i]);
	return wr_end(&w);
}

int ninep_build_rread(void *buf, size_t cap, uint16_t tag, const void *data,
		      uint32_t count)
{
	struct wr w;

	if (cap > INT32_MAX)
		cap = INT32_MAX;
	if (cap < NINEP_RREAD_HDRSZ || cap - NINEP_RREAD_HDRSZ < count)
		return -ENOBUFS;
	/* The data first, with memmove: the caller may have read into the
	 * reply buffer a few bytes off from where the data belongs, even
	 * where the header goes. */
	if (data && count)
		memmove((uint8_t *)buf + NINEP_RREAD_HDRSZ, data, count);
	w = wr_begin(buf, cap, NINEP_RREAD, tag);
	wr32(&w, count);
	wr_take(&w, count);
	return wr_end(&w);
}

int ninep_build_rwrite(void *buf, size_t cap, uint16_t tag, uint32_t count)
{
	struct wr w = wr_begin(buf, cap, NINEP_RWRITE, tag);

	wr32(&w, count);
	return wr_end(&w);
}

int ninep_build_rstatfs(void *buf, size_t cap, uint16_t tag,
			const struct ninep_statfs *st)
{
	struct wr w = wr_begin(buf, cap, NINEP_RSTATFS, tag);

	wr32(&w, st->type);
	wr32(&w, st->bsize);
	wr64(&w, st->blocks);
	wr64(&w, st->bfree);
	wr64(&w, st->bavail);
	wr64(&w, st->files);
	wr64(&w, st->ffree);
	wr64(&w, st->fsid);
	wr32(&w, st->namelen);
	return wr_end(&w);
}

static int build_open(void *buf, size_t cap, uint8_t type, uint16_t tag,
		      const struct ninep_qid *qid, uint32_t iounit)
{
	struct wr w = wr_begin(buf, cap, type, tag);

	wrqid(&w, qid);
	wr32(&w, iounit);
	return wr_end(&w);
}

int ninep_build_rlopen(void *buf, size_t cap, uint16_t tag,
		       const struct ninep_qid *qid, uint32_t iounit)
{
	return build_open(buf, cap, NINEP_RLOPEN, tag, qid, iounit);
}

int ninep_build_rlcreate(void *buf, size_t cap, uint16_t tag,
			 const struct ninep_qid *qid, uint32_t iounit)
{
	return build_open(buf, cap, NINEP_RLCREATE, tag, qid, iounit);
}

int ninep_build_rgetattr(void *buf, size_t cap, uint16_t tag,
			 const struct ninep_attr *a)
{
	struct wr w = wr_begin(buf, cap, NINEP_RGETATTR, tag);

	wr64(&w, a->valid);
	wrqid(&w, &a->qid);
	wr32(&w, a->mode);
	wr32(&w, a->uid);
	wr32(&w, a->gid);
	wr64(&w, a->nlink);
	wr64(&w, a->rdev);
	wr64(&w, a->size);
	wr64(&w, a->blksize);
	wr64(&w, a->blocks);
	wr64(&w, a->atime_sec);
	wr64(&w, a->atime_nsec);
	wr64(&w, a->mtime_sec);
	wr64(&w, a->mtime_nsec);
	wr64(&w, a->ctime_sec);
	wr64(&w, a->ctime_nsec);
	wr64(&w, a->btime_sec);
	wr64(&w, a->btime_nsec);
	wr64(&w, a->gen);
	wr64(&w, a->data_version);
	return wr_end(&w);
}

int ninep_build_rlock(void *buf, size_t cap, uint16_t tag, uint8_t status)
{
	struct wr w = wr_begin(buf, cap, NINEP_RLOCK, tag);

	wr8(&w, status);
	return wr_end(&w);
}

int ninep_build_rgetlock(void *buf, size_t cap, uint16_t tag,
			 const struct ninep_getlock *l)
{
	struct wr w = wr_begin(buf, cap, NINEP_RGETLOCK, tag);

	wr8(&w, l->type);
	wr64(&w, l->start);
	wr64(&w, l->length);
	wr32(&w, l->proc_id);
	wrstr(&w, l->client_id.s, l->client_id.len);
	return wr_end(&w);
}

int ninep_build_rxattrwalk(void *buf, size_t cap, uint16_t tag,
			   uint64_t size)
{
	struct wr w = wr_begin(buf, cap, NINEP_RXATTRWALK, tag);

	wr64(&w, size);
	return wr_end(&w);
}

int ninep_build_rreadlink(void *buf, size_t cap, uint16_t tag,
			  const char *target, size_t len)
{
	struct wr w = wr_begin(buf, cap, NINEP_RREADLINK, tag);

	wrstr(&w, target, len);
	return wr_end(&w);
}

int ninep_build_rempty(void *buf, size_t cap, uint8_t type, uint16_t tag)
{
	struct wr w;

	switch (type) {
	case NINEP_RFLUSH:
	case NINEP_RCLUNK:
	case NINEP_RREMOVE:
	case NINEP_RSETATTR:
	case NINEP_RXATTRCREATE:
	case NINEP_RFSYNC:
	case NINEP_RLINK:
	case NINEP_RRENAME:
	case NINEP_RRENAMEAT:
	case NINEP_RUNLINKAT:
		break;
	default:
		return -EINVAL;
	}
	w = wr_begin(buf, cap, type, tag);
	return wr_end(&w);
}

/* --- Rreaddir ----------------------------------------------------------- */

int ninep_readdir_begin(struct ninep_dirbuf *d, void *buf, size_t cap,
			uint32_t count)
{
	d->buf = buf;
	d->len = NINEP_RREAD_HDRSZ;
	if (cap > INT32_MAX)
		cap = INT32_MAX;
	if (cap < NINEP_RREAD_HDRSZ) {
		d->cap = 0;
		return -ENOBUFS;
	}
	/* The client sized its buffer by count: more entry bytes than
	 * that are a protocol error on its side, whatever room we have. */
	d->cap = cap - NINEP_RREAD_HDRSZ < count ? cap
						 : NINEP_RREAD_HDRSZ + count;
	return 0;
}

int ninep_readdir_add(struct ninep_dirbuf *d, const struct ninep_qid *qid,
		      uint64_t offset, uint8_t type, const char *name,
		      size_t namelen)
{
	struct wr w = { .p = d->buf, .cap = d->cap, .off = d->len };

	if (namelen > UINT16_MAX)
		return -EINVAL;
	if (d->cap < d->len || d->cap - d->len < ninep_dirent_size(namelen))
		return -ENOBUFS;
	wrqid(&w, qid);
	wr64(&w, offset);
	wr8(&w, type);
	wrstr(&w, name, namelen);
	if (w.err)
		return w.err;
	d->len = w.off;
	return 0;
}

int ninep_readdir_finish(struct ninep_dirbuf *d, uint16_t tag)
{
	if (d->cap < NINEP_RREAD_HDRSZ)
		return -ENOBUFS;
	put32(d->buf, (uint32_t)d->len);
	d->buf[4] = NINEP_RREADDIR;
	put16(d->buf + 5, tag);
	put32(d->buf + 7, (uint32_t)(d->len - NINEP_RREAD_HDRSZ));
	return (int)d->len;
}
