/* fuzz_ninep.c: the 9P2000.L codec (ninep_msg.c) against what a hostile
 * client can send. The input is a byte stream, as a connection would
 * deliver it: ninep_frame() cuts it into messages, ninep_parse() reads
 * each, and every parsed message is answered with the reply a server
 * would build from its fields, into a heap buffer of exactly the chosen
 * capacity so that ASan sees any write past it. Invariants that a crash
 * would not show are checked with __builtin_trap(): views stay inside the
 * message, counts agree with the bytes, a reply is a well-framed message
 * no longer than its capacity. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ninep_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The unit tests' msize, so that their messages (the seed corpus) parse
 * as they did there; each message is also parsed under SMALL_MSIZE, for
 * the -EMSGSIZE paths that inputs capped at 4096 bytes could not reach. */
#define FUZZ_MSIZE 8192
#define SMALL_MSIZE 256

#define CHECK(c)                                                           \
	do {                                                               \
		if (!(c))                                                  \
			__builtin_trap();                                  \
	} while (0)

static void check_view(struct ninep_str s, const uint8_t *b, size_t n)
{
	CHECK((const uint8_t *)s.s >= b && s.len <= n &&
	      (const uint8_t *)s.s - b <= (ptrdiff_t)(n - s.len));
	CHECK(!memchr(s.s, 0, s.len));
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* A reply's result r in buf of cap bytes: -ENOBUFS, or a frame of r <=
 * cap bytes, of the reply type, with the request's tag. */
static void check_reply(int r, const uint8_t *buf, size_t cap, uint8_t type,
			uint16_t tag)
{
	const char *why;
	uint32_t size;

	if (r == -ENOBUFS)
		return;
	CHECK(r >= NINEP_HDRSZ && (size_t)r <= cap);
	CHECK(le32(buf) == (uint32_t)r && buf[4] == type);
	CHECK((buf[5] | buf[6] << 8) == tag);
	CHECK(ninep_frame(buf, (size_t)r, (uint32_t)r, &size, &why) == 1);
	CHECK(ninep_type_name(type) != NULL);
}

/* The reply a server would give to m, built from m's own fields. */
static void answer(const struct ninep_msg *m, const uint8_t *b, size_t n,
		   size_t cap)
{
	uint8_t *out = malloc(cap ? cap : 1);
	struct ninep_qid q = { (uint8_t)m->tag, m->size, n };
	struct ninep_qid qids[NINEP_MAXWELEM];
	struct ninep_dirbuf d;
	uint16_t i, tag = m->tag;
	uint8_t rt = m->type + 1;
	int r = -ENOBUFS;

	if (!out)
		return;
	switch (m->type) {
	case NINEP_TVERSION: {
		const struct ninep_tversion *t = &m->u.tversion;
		uint32_t ms = t->msize < FUZZ_MSIZE ? t->msize : FUZZ_MSIZE;

		check_view(t->version, b, n);
		r = ninep_build_rversion(out, cap, tag, ms,
					 t->version.len == 8 &&
					 !memcmp(t->version.s, "9P2000.L", 8)
						 ? NINEP_VERSION
						 : NINEP_VERSION_UNKNOWN);
		break;
	}
	case NINEP_TAUTH:
		check_view(m->u.tauth.uname, b, n);
		check_view(m->u.tauth.aname, b, n);
		CHECK(m->u.tauth.has_n_uname ||
		      m->u.tauth.n_uname == NINEP_NONUNAME);
		r = ninep_build_rlerror(out, cap, tag, EOPNOTSUPP);
		rt = NINEP_RLERROR;
		break;
	case NINEP_TATTACH:
		check_view(m->u.tattach.uname, b, n);
		check_view(m->u.tattach.aname, b, n);
		CHECK(m->u.tattach.has_n_uname ||
		      m->u.tattach.n_uname == NINEP_NONUNAME);
		r = ninep_build_rattach(out, cap, tag, &q);
		break;
	case NINEP_TFLUSH:
		r = ninep_build_rflush(out, cap, tag);
		break;
	case NINEP_TWALK:
		CHECK(m->u.twalk.nwname <= NINEP_MAXWELEM);
		for (i = 0; i < m->u.twalk.nwname; i++) {
			check_view(m->u.twalk.wname[i], b, n);
			qids[i] = q;
			qids[i].path = m->u.twalk.wname[i].len;
		}
		r = ninep_build_rwalk(out, cap, tag, m->u.twalk.nwname, qids);
		break;
	case NINEP_TREAD: {
		uint32_t c = ninep_read_max(FUZZ_MSIZE, m->u.tread.count);

		CHECK(m->u.tread.count <= FUZZ_MSIZE);
		/* The message's own bytes as the data read. */
		if (c > n)
			c = (uint32_t)n;
		r = ninep_build_rread(out, cap, tag, b, c);
		if (r >= 0)
			CHECK(!memcmp(out + NINEP_RREAD_HDRSZ, b, c));
		break;
	}
	case NINEP_TWRITE:
		CHECK(m->u.twrite.data >= b &&
		      m->u.twrite.data + m->u.twrite.count == b + n);
		r = ninep_build_rwrite(out, cap, tag, m->u.twrite.count);
		break;
	case NINEP_TCLUNK:
		r = ninep_build_rclunk(out, cap, tag);
		break;
	case NINEP_TREMOVE:
		r = ninep_build_rremove(out, cap, tag);
		break;
	case NINEP_TSTATFS: {
		struct ninep_statfs st = { 0x01021997, 4096, m->size, 0, 0,
					   tag, 0, m->u.tstatfs.fid, 255 };

		r = ninep_build_rstatfs(out, cap, tag, &st);
		break;
	}
	case NINEP_TLOPEN:
		r = ninep_build_rlopen(out, cap, tag, &q, m->u.tlopen.flags);
		break;
	case NINEP_TLCREATE:
		check_view(m->u.tlcreate.name, b, n);
		r = ninep_build_rlcreate(out, cap, tag, &q, m->u.tlcreate.mode);
		break;
	case NINEP_TSYMLINK:
		check_view(m->u.tsymlink.name, b, n);
		check_view(m->u.tsymlink.symtgt, b, n);
		r = ninep_build_rsymlink(out, cap, tag, &q);
		break;
	case NINEP_TMKNOD:
		check_view(m->u.tmknod.name, b, n);
		r = ninep_build_rmknod(out, cap, tag, &q);
		break;
	case NINEP_TRENAME:
		check_view(m->u.trename.name, b, n);
		r = ninep_build_rrename(out, cap, tag);
		break;
	case NINEP_TREADLINK:
		/* The message itself as the link's target. */
		r = ninep_build_rreadlink(out, cap, tag, (const char *)b, n);
		break;
	case NINEP_TGETATTR: {
		struct ninep_attr a = { .valid = m->u.tgetattr.request_mask,
					.qid = q, .mode = 0100644,
					.size = n };

		r = ninep_build_rgetattr(out, cap, tag, &a);
		break;
	}
	case NINEP_TSETATTR:
		r = ninep_build_rsetattr(out, cap, tag);
		break;
	case NINEP_TXATTRWALK:
		check_view(m->u.txattrwalk.name, b, n);
		r = ninep_build_rxattrwalk(out, cap, tag,
					   m->u.txattrwalk.name.len);
		break;
	case NINEP_TXATTRCREATE:
		check_view(m->u.txattrcreate.name, b, n);
		r = ninep_build_rxattrcreate(out, cap, tag);
		break;
	case NINEP_TREADDIR: {
		/* Entries named by successive pieces of the message until
		 * one does not fit: the packing at every boundary. */
		size_t off = 0, before;
		uint64_t cookie = 0;

		CHECK(m->u.treaddir.count <= FUZZ_MSIZE);
		if (ninep_readdir_begin(&d, out, cap, m->u.treaddir.count)) {
			CHECK(cap < NINEP_RREAD_HDRSZ);
			break;
		}
		for (;;) {
			size_t l = b[off % n] % 16;

			if (l > n)
				l = n;
			before = d.len;
			if (ninep_readdir_add(&d, &q, ++cookie, b[0],
					      (const char *)b, l) != 0) {
				CHECK(d.len == before);
				break;
			}
			CHECK(d.len == before + ninep_dirent_size(l));
			off++;
		}
		CHECK(d.len - NINEP_RREAD_HDRSZ <= m->u.treaddir.count);
		r = ninep_readdir_finish(&d, tag);
		CHECK(r >= 0 && (size_t)r <= cap);
		CHECK(le32(out + 7) == (uint32_t)r - NINEP_RREAD_HDRSZ);
		break;
	}
	case NINEP_TFSYNC:
		r = ninep_build_rfsync(out, cap, tag);
		break;
	case NINEP_TLOCK:
		check_view(m->u.tlock.client_id, b, n);
		r = ninep_build_rlock(out, cap, tag, m->u.tlock.type);
		break;
	case NINEP_TGETLOCK: {
		struct ninep_getlock l = { m->u.tgetlock.type,
					   m->u.tgetlock.start,
					   m->u.tgetlock.length,
					   m->u.tgetlock.proc_id,
					   m->u.tgetlock.client_id };

		check_view(m->u.tgetlock.client_id, b, n);
		r = ninep_build_rgetlock(out, cap, tag, &l);
		break;
	}
	case NINEP_TLINK:
		check_view(m->u.tlink.name, b, n);
		r = ninep_build_rlink(out, cap, tag);
		break;
	case NINEP_TMKDIR:
		check_view(m->u.tmkdir.name, b, n);
		r = ninep_build_rmkdir(out, cap, tag, &q);
		break;
	case NINEP_TRENAMEAT:
		check_view(m->u.trenameat.oldname, b, n);
		check_view(m->u.trenameat.newname, b, n);
		r = ninep_build_rrenameat(out, cap, tag);
		break;
	case NINEP_TUNLINKAT:
		check_view(m->u.tunlinkat.name, b, n);
		r = ninep_build_runlinkat(out, cap, tag);
		break;
	default:
		/* ninep_parse accepted a type it has no body for. */
		__builtin_trap();
	}
	check_reply(r, out, cap, rt, tag);
	free(out);
}

/* A message that fits FUZZ_MSIZE, under SMALL_MSIZE: over it, framing
 * and parsing both say -EMSGSIZE; within it, the same as before. */
static void small_msize(const uint8_t *b, size_t n)
{
	struct ninep_msg m, big;
	const char *why;
	uint32_t len;
	int r = ninep_frame(b, n, SMALL_MSIZE, &len, &why);

	if (n > SMALL_MSIZE) {
		CHECK(r == -EMSGSIZE);
		CHECK(ninep_parse(b, n, SMALL_MSIZE, &m, &why) == -EMSGSIZE);
		return;
	}
	CHECK(r == 1 && len == n);
	r = ninep_parse(b, n, SMALL_MSIZE, &m, &why);
	/* Only a count between the two msizes may tell them apart. */
	if (ninep_parse(b, n, FUZZ_MSIZE, &big, &why) == 0 && r != 0)
		CHECK(r == -EMSGSIZE && (big.type == NINEP_TREAD ||
					 big.type == NINEP_TREADDIR));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ninep_msg m;
	const char *why;
	uint32_t len;
	int r;

	while (size > 0) {
		why = NULL;
		r = ninep_frame(data, size, FUZZ_MSIZE, &len, &why);
		if (r < 0) {
			CHECK(why != NULL);
			CHECK(len < NINEP_HDRSZ || len > FUZZ_MSIZE);
			break;
		}
		if (r == 0) {
			/* A trailing piece: parse what there is anyway, as
			 * a server never would, for the short-buffer and
			 * size-mismatch paths. */
			CHECK(size < 4 || len > size);
			r = ninep_parse(data, size, FUZZ_MSIZE, &m, &why);
			CHECK(r < 0 && why != NULL);
			break;
		}
		CHECK(len >= NINEP_HDRSZ && len <= size && len <= FUZZ_MSIZE);
		small_msize(data, len);
		r = ninep_parse(data, len, FUZZ_MSIZE, &m, &why);
		if (r == 0) {
			CHECK(m.size == len && m.type == data[4]);
			CHECK(ninep_type_name(m.type) && !(m.type & 1));
			/* Replies into every size class: none, tiny, cut
			 * at the tag's whim, and all of msize. */
			answer(&m, data, len, m.tag % 4 == 0 ? 0
					    : m.tag % 4 == 1 ? m.tag % 32
					    : m.tag % 4 == 2 ? m.tag % 512
							       : FUZZ_MSIZE);
		} else {
			CHECK(r == -EPROTO || r == -EMSGSIZE);
			CHECK(why != NULL);
			CHECK(m.tag == (data[5] | data[6] << 8) &&
			      m.type == data[4]);
		}
		data += len;
		size -= len;
	}
	return 0;
}
