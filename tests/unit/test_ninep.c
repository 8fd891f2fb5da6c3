/* test_ninep.c: the 9P2000.L message codec (ninep_msg.c). Messages are
 * laid out here by a packer of the tests' own, driven by format strings
 * written from the protocol description, so that a layout mistake in the
 * codec shows as a mismatch rather than cancelling itself out:
 * T-messages are packed and parsed, R-messages built and compared with
 * packed bytes. Every valid T-message is also cut short at every byte and
 * given a byte too many, which must be refused.
 *
 * With NINEP_CORPUS_DIR set, each valid T-message is also written there:
 * that is how tests/fuzz/corpus/ninep was made. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ninep_msg.h"

#define MSIZE 8192
#define BUFSZ (MSIZE + 64)

/* --- the tests' packer -------------------------------------------------- */

/* Appends to b at *off by fmt:
 *   b u8, w u16, d u32, q u64 (each an int/unsigned/uint64_t argument),
 *   s a C string as len[2] bytes, Q a const struct ninep_qid *,
 *   r raw bytes: size_t n, const void *p (no length prefix). */
static void vpack(uint8_t *b, size_t *off, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		uint64_t v = 0;
		int n = 0, i;

		switch (*fmt) {
		case 'b': v = (uint8_t)va_arg(ap, unsigned); n = 1; break;
		case 'w': v = (uint16_t)va_arg(ap, unsigned); n = 2; break;
		case 'd': v = va_arg(ap, uint32_t); n = 4; break;
		case 'q': v = va_arg(ap, uint64_t); n = 8; break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t l = strlen(s);

			b[(*off)++] = (uint8_t)l;
			b[(*off)++] = (uint8_t)(l >> 8);
			memcpy(b + *off, s, l);
			*off += l;
			continue;
		}
		case 'Q': {
			const struct ninep_qid *q =
				va_arg(ap, const struct ninep_qid *);
			size_t o = *off;

			b[o] = q->type;
			for (i = 0; i < 4; i++)
				b[o + 1 + i] = (uint8_t)(q->version >> 8 * i);
			for (i = 0; i < 8; i++)
				b[o + 5 + i] = (uint8_t)(q->path >> 8 * i);
			*off += 13;
			continue;
		}
		case 'r': {
			size_t l = va_arg(ap, size_t);
			const void *p = va_arg(ap, const void *);

			memcpy(b + *off, p, l);
			*off += l;
			continue;
		}
		default:
			fail_msg("bad pack format %c", *fmt);
		}
		for (i = 0; i < n; i++)
			b[(*off)++] = (uint8_t)(v >> 8 * i);
	}
}

/* A whole message: size[4] type[1] tag[2] and fmt's fields. */
static size_t pack(uint8_t *b, unsigned type, unsigned tag,
		   const char *fmt, ...)
{
	size_t off = 7;
	va_list ap;

	va_start(ap, fmt);
	vpack(b, &off, fmt, ap);
	va_end(ap);
	b[0] = (uint8_t)off;
	b[1] = (uint8_t)(off >> 8);
	b[2] = (uint8_t)(off >> 16);
	b[3] = (uint8_t)(off >> 24);
	b[4] = (uint8_t)type;
	b[5] = (uint8_t)tag;
	b[6] = (uint8_t)(tag >> 8);
	return off;
}

/* More fields after a packed message, its size field updated. */
static void append(uint8_t *b, size_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpack(b, n, fmt, ap);
	va_end(ap);
	b[0] = (uint8_t)*n;
	b[1] = (uint8_t)(*n >> 8);
	b[2] = (uint8_t)(*n >> 16);
	b[3] = (uint8_t)(*n >> 24);
}

static void set_size(uint8_t *b, uint32_t n)
{
	b[0] = (uint8_t)n;
	b[1] = (uint8_t)(n >> 8);
	b[2] = (uint8_t)(n >> 16);
	b[3] = (uint8_t)(n >> 24);
}

/* --- parsing helpers ---------------------------------------------------- */

static void save_seed(const char *name, const uint8_t *b, size_t n)
{
	const char *dir = getenv("NINEP_CORPUS_DIR");
	char path[512];
	int fd;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	close(fd);
}

static int parse(const uint8_t *b, size_t n, struct ninep_msg *m,
		 const char **why)
{
	*why = NULL;
	return ninep_parse(b, n, MSIZE, m, why);
}

/* Every prefix of a valid message, its size field saying so, is refused
 * (but for Tauth and Tattach without their n_uname, which 9P2000 clients
 * send), as is the message with one byte more; the header survives. */
static void check_cuts(const char *name, const uint8_t *b, size_t n)
{
	uint8_t c[BUFSZ];
	struct ninep_msg m;
	const char *why;
	size_t l;
	int r;

	for (l = 0; l < n; l++) {
		memcpy(c, b, l);
		if (l >= 4)
			set_size(c, (uint32_t)l);
		r = parse(c, l, &m, &why);
		if (r == 0 && (b[4] == NINEP_TAUTH || b[4] == NINEP_TATTACH) &&
		    l == n - 4) {
			assert_false(m.u.tattach.has_n_uname);
			continue;
		}
		if (r != -EPROTO)
			fail_msg("%s cut to %zu bytes: %d", name, l, r);
		assert_non_null(why);
		if (l >= 7)
			assert_int_equal(m.tag, b[5] | b[6] << 8);
		else
			assert_int_equal(m.tag, NINEP_NOTAG);
	}
	memcpy(c, b, n);
	c[n] = 0;
	set_size(c, (uint32_t)n + 1);
	r = parse(c, n + 1, &m, &why);
	if (r != -EPROTO)
		fail_msg("%s with a byte more: %d", name, r);
}

/* Parses a valid message into m, or fails the test with the reason. */
static void parse_ok(const char *name, const uint8_t *b, size_t n,
		     struct ninep_msg *m)
{
	const char *why;
	int r = parse(b, n, m, &why);

	if (r != 0)
		fail_msg("%s: %d %s", name, r, why);
	assert_int_equal(m->size, n);
	assert_int_equal(m->type, b[4]);
	assert_non_null(ninep_type_name(m->type));
	save_seed(name, b, n);
	check_cuts(name, b, n);
}

/* s is a view into [b, b+n) holding exactly want. */
static void assert_view(struct ninep_str s, const char *want,
			const uint8_t *b, size_t n)
{
	size_t l = strlen(want);

	assert_int_equal(s.len, l);
	assert_true((const uint8_t *)s.s >= b &&
		    (const uint8_t *)s.s + s.len <= b + n);
	assert_memory_equal(s.s, want, l);
}

static int expect_err(const uint8_t *b, size_t n, uint32_t msize,
		      const char **why)
{
	struct ninep_msg m;

	*why = NULL;
	return ninep_parse(b, n, msize, &m, why);
}

/* --- T-messages, one round trip each ------------------------------------ */

static void t_version_auth_attach(void **state)
{
	uint8_t b[BUFSZ];
	struct ninep_msg m;
	size_t n;

	(void)state;
	n = pack(b, NINEP_TVERSION, NINEP_NOTAG, "ds", 65536u, "9P2000.L");
	parse_ok("tversion", b, n, &m);
	assert_int_equal(m.tag, NINEP_NOTAG);
	assert_int_equal(m.u.tversion.msize, 65536);
	assert_view(m.u.tversion.version, "9P2000.L", b, n);

	/* A Plan 9 client's version: parsed, the server says "unknown". */
	n = pack(b, NINEP_TVERSION, NINEP_NOTAG, "ds", 8216u, "9P2000");
	parse_ok("tversion-9p2000", b, n, &m);
	assert_view(m.u.tversion.version, "9P2000", b, n);

	n = pack(b, NINEP_TAUTH, 1, "dssd", 7u, "user", "/net", 1000u);
	parse_ok("tauth", b, n, &m);
	assert_int_equal(m.u.tauth.afid, 7);
	assert_view(m.u.tauth.uname, "user", b, n);
	assert_view(m.u.tauth.aname, "/net", b, n);
	assert_true(m.u.tauth.has_n_uname);
	assert_int_equal(m.u.tauth.n_uname, 1000);

	n = pack(b, NINEP_TAUTH, 1, "dss", 7u, "glenda", "");
	parse_ok("tauth-9p2000", b, n, &m);
	assert_false(m.u.tauth.has_n_uname);
	assert_int_equal(m.u.tauth.n_uname, NINEP_NONUNAME);
	assert_view(m.u.tauth.aname, "", b, n);

	n = pack(b, NINEP_TATTACH, 1, "ddssd", 0u, NINEP_NOFID, "root", "",
		 NINEP_NONUNAME);
	parse_ok("tattach", b, n, &m);
	assert_int_equal(m.u.tattach.fid, 0);
	assert_int_equal(m.u.tattach.afid, NINEP_NOFID);
	assert_view(m.u.tattach.uname, "root", b, n);
	assert_view(m.u.tattach.aname, "", b, n);
	assert_true(m.u.tattach.has_n_uname);
	assert_int_equal(m.u.tattach.n_uname, NINEP_NONUNAME);

	n = pack(b, NINEP_TATTACH, 2, "ddss", 5u, NINEP_NOFID, "glenda",
		 "net");
	parse_ok("tattach-9p2000", b, n, &m);
	assert_int_equal(m.u.tattach.fid, 5);
	assert_false(m.u.tattach.has_n_uname);
	assert_int_equal(m.u.tattach.n_uname, NINEP_NONUNAME);
}

static void t_flush_walk(void **state)
{
	static const char *names[NINEP_MAXWELEM] = {
		"a", "bb", "ccc", "tcp", "clone", "0", "data", "ctl",
		"x", "y", "z", "..", ".", "resolve", "localhost", "p",
	};
	uint8_t b[BUFSZ];
	struct ninep_msg m;
	size_t n;
	int i;

	(void)state;
	n = pack(b, NINEP_TFLUSH, 9, "w", 3u);
	parse_ok("tflush", b, n, &m);
	assert_int_equal(m.tag, 9);
	assert_int_equal(m.u.tflush.oldtag, 3);

	/* nwname 0 clones fid. */
	n = pack(b, NINEP_TWALK, 1, "ddw", 1u, 2u, 0u);
	parse_ok("twalk-clone", b, n, &m);
	assert_int_equal(m.u.twalk.fid, 1);
	assert_int_equal(m.u.twalk.newfid, 2);
	assert_int_equal(m.u.twalk.nwname, 0);

	n = pack(b, NINEP_TWALK, 1, "ddwss", 0u, 3u, 2u, "tcp", "clone");
	parse_ok("twalk", b, n, &m);
	assert_int_equal(m.u.twalk.nwname, 2);
	assert_view(m.u.twalk.wname[0], "tcp", b, n);
	assert_view(m.u.twalk.wname[1], "clone", b, n);

	/* The most one walk may carry. */
	n = pack(b, NINEP_TWALK, 1, "ddw", 0u, 4u, NINEP_MAXWELEM);
	for (i = 0; i < NINEP_MAXWELEM; i++)
		append(b, &n, "s", names[i]);
	parse_ok("twalk-16", b, n, &m);
	assert_int_equal(m.u.twalk.nwname, NINEP_MAXWELEM);
	for (i = 0; i < NINEP_MAXWELEM; i++)
		assert_view(m.u.twalk.wname[i], names[i], b, n);
}

static void t_read_write(void **state)
{
	uint8_t b[BUFSZ], data[MSIZE - 23];
	struct ninep_msg m;
	size_t n;

	(void)state;
	n = pack(b, NINEP_TREAD, 4, "dqd", 3u, (uint64_t)1 << 40,
		 (uint32_t)(MSIZE - NINEP_IOHDRSZ));
	parse_ok("tread", b, n, &m);
	assert_int_equal(m.u.tread.fid, 3);
	assert_true(m.u.tread.offset == (uint64_t)1 << 40);
	assert_int_equal(m.u.tread.count, MSIZE - NINEP_IOHDRSZ);

	/* count == msize is odd but legal: the reply is cut to fit. */
	n = pack(b, NINEP_TREAD, 4, "dqd", 3u, (uint64_t)0, (uint32_t)MSIZE);
	parse_ok("tread-msize", b, n, &m);
	assert_int_equal(ninep_read_max(MSIZE, m.u.tread.count),
			 MSIZE - NINEP_RREAD_HDRSZ);
	assert_int_equal(ninep_read_max(MSIZE, 5), 5);
	assert_int_equal(ninep_read_max(4, 5), 0);

	n = pack(b, NINEP_TWRITE, 5, "dqdr", 3u, (uint64_t)7, 6u, (size_t)6,
		 "hello\n");
	parse_ok("twrite", b, n, &m);
	assert_int_equal(m.u.twrite.fid, 3);
	assert_int_equal(m.u.twrite.offset, 7);
	assert_int_equal(m.u.twrite.count, 6);
	assert_ptr_equal(m.u.twrite.data, b + 23);
	assert_memory_equal(m.u.twrite.data, "hello\n", 6);

	n = pack(b, NINEP_TWRITE, 5, "dqd", 3u, (uint64_t)0, 0u);
	parse_ok("twrite-empty", b, n, &m);
	assert_int_equal(m.u.twrite.count, 0);

	/* A write filling msize exactly; data may hold NUL bytes. */
	memset(data, 0, sizeof(data));
	data[1] = 0xff;
	n = pack(b, NINEP_TWRITE, 5, "dqdr", 3u, (uint64_t)0,
		 (uint32_t)sizeof(data), sizeof(data), (const void *)data);
	assert_int_equal(n, MSIZE);
	{
		const char *why;

		assert_int_equal(parse(b, n, &m, &why), 0);
		assert_int_equal(m.u.twrite.count, sizeof(data));
		assert_int_equal(m.u.twrite.data[1], 0xff);
	}
}

static void t_fid_only(void **state)
{
	static const struct {
		const char *name;
		uint8_t type;
	} t[] = {
		{ "tclunk", NINEP_TCLUNK },
		{ "tremove", NINEP_TREMOVE },
		{ "tstatfs", NINEP_TSTATFS },
		{ "treadlink", NINEP_TREADLINK },
	};
	uint8_t b[BUFSZ];
	struct ninep_msg m;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = pack(b, t[i].type, 10, "d", 0xdeadbeefu);
		parse_ok(t[i].name, b, n, &m);
		assert_int_equal(m.size, 11);
		/* The four share one body type; each member reads the same. */
		assert_int_equal(m.u.tclunk.fid, 0xdeadbeefu);
		assert_int_equal(m.u.tremove.fid, 0xdeadbeefu);
		assert_int_equal(m.u.tstatfs.fid, 0xdeadbeefu);
		assert_int_equal(m.u.treadlink.fid, 0xdeadbeefu);
	}
}

static void t_create_family(void **state)
{
	uint8_t b[BUFSZ];
	struct ninep_msg m;
	size_t n;

	(void)state;
	n = pack(b, NINEP_TLOPEN, 1, "dd", 2u, 0x8002u);
	parse_ok("tlopen", b, n, &m);
	assert_int_equal(m.u.tlopen.fid, 2);
	assert_int_equal(m.u.tlopen.flags, 0x8002);

	n = pack(b, NINEP_TLCREATE, 1, "dsddd", 2u, "foo", 0x8241u, 0100644u,
		 500u);
	parse_ok("tlcreate", b, n, &m);
	assert_int_equal(m.u.tlcreate.fid, 2);
	assert_view(m.u.tlcreate.name, "foo", b, n);
	assert_int_equal(m.u.tlcreate.flags, 0x8241);
	assert_int_equal(m.u.tlcreate.mode, 0100644);
	assert_int_equal(m.u.tlcreate.gid, 500);

	n = pack(b, NINEP_TSYMLINK, 1, "dssd", 1u, "lnk", "/tmp/9/newdir",
		 500u);
	parse_ok("tsymlink", b, n, &m);
	assert_int_equal(m.u.tsymlink.dfid, 1);
	assert_view(m.u.tsymlink.name, "lnk", b, n);
	assert_view(m.u.tsymlink.symtgt, "/tmp/9/newdir", b, n);
	assert_int_equal(m.u.tsymlink.gid, 500);

	n = pack(b, NINEP_TMKNOD, 1, "dsdddd", 1u, "fifo", 010644u, 8u, 1u,
		 100u);
	parse_ok("tmknod", b, n, &m);
	assert_int_equal(m.u.tmknod.dfid, 1);
	assert_view(m.u.tmknod.name, "fifo", b, n);
	assert_int_equal(m.u.tmknod.mode, 010644);
	assert_int_equal(m.u.tmknod.major, 8);
	assert_int_equal(m.u.tmknod.minor, 1);
	assert_int_equal(m.u.tmknod.gid, 100);

	n = pack(b, NINEP_TMKDIR, 1, "dsdd", 1u, "newdir", 040755u, 500u);
	parse_ok("tmkdir", b, n, &m);
	assert_int_equal(m.u.tmkdir.dfid, 1);
	assert_view(m.u.tmkdir.name, "newdir", b, n);
	assert_int_equal(m.u.tmkdir.mode, 040755);
	assert_int_equal(m.u.tmkdir.gid, 500);

	n = pack(b, NINEP_TLINK, 1, "dds", 1u, 6u, "hard");
	parse_ok("tlink", b, n, &m);
	assert_int_equal(m.u.tlink.dfid, 1);
	assert_int_equal(m.u.tlink.fid, 6);
	assert_view(m.u.tlink.name, "hard", b, n);
}

static void t_rename_family(void **state)
{
	uint8_t b[BUFSZ];
	struct ninep_msg m;
	size_t n;

	(void)state;
	n = pack(b, NINEP_TRENAME, 1, "dds", 4u, 1u, "new");
	parse_ok("trename", b, n, &m);
	assert_int_equal(m.u.trename.fid, 4);
	assert_int_equal(m.u.trename.dfid, 1);
	assert_view(m.u.trename.name, "new", b, n);

	n = pack(b, NINEP_TRENAMEAT, 1, "dsds", 1u, "old", 2u, "new");
	parse_ok("trenameat", b, n, &m);
	assert_int_equal(m.u.trenameat.olddirfid, 1);
	assert_view(m.u.trenameat.oldname, "old", b, n);
	assert_int_equal(m.u.trenameat.newdirfid, 2);
	assert_view(m.u.trenameat.newname, "new", b, n);

	n = pack(b, NINEP_TUNLINKAT, 1, "dsd", 1u, "gone", 0x200u);
	parse_ok("tunlinkat", b, n, &m);
	assert_int_equal(m.u.tunlinkat.dirfid, 1);
	assert_view(m.u.tunlinkat.name, "gone", b, n);
	assert_int_equal(m.u.tunlinkat.flags, 0x200);
}

static void t_attr(void **state)
{
	uint8_t b[BUFSZ];
	struct ninep_msg m;
	size_t n;

	(void)state;
	n = pack(b, NINEP_TGETATTR, 1, "dq", 1u, (uint64_t)NINEP_GETATTR_ALL);
	parse_ok("tgetattr", b, n, &m);
	assert_int_equal(m.u.tgetattr.fid, 1);
	assert_true(m.u.tgetattr.request_mask == NINEP_GETATTR_ALL);

	n = pack(b, NINEP_TSETATTR, 1, "dddddqqqqq", 2u,
		 NINEP_SETATTR_MODE | NINEP_SETATTR_CTIME, 040000u, 1u, 2u,
		 (uint64_t)3, (uint64_t)4, (uint64_t)5, (uint64_t)6,
		 (uint64_t)0x0102030405060708ULL);
	parse_ok("tsetattr", b, n, &m);
	assert_int_equal(m.u.tsetattr.fid, 2);
	assert_int_equal(m.u.tsetattr.valid, 0x41);
	assert_int_equal(m.u.tsetattr.mode, 040000);
	assert_int_equal(m.u.tsetattr.uid, 1);
	assert_int_equal(m.u.tsetattr.gid, 2);
	assert_int_equal(m.u.tsetattr.size, 3);
	assert_int_equal(m.u.tsetattr.atime_sec, 4);
	assert_int_equal(m.u.tsetattr.atime_nsec, 5);
	assert_int_equal(m.u.tsetattr.mtime_sec, 6);
	assert_true(m.u.tsetattr.mtime_nsec == 0x0102030405060708ULL);
}

static void t_xattr(void **state)
{
	uint8_t b[BUFSZ];
	struct ninep_msg m;
	size_t n;

	(void)state;
	n = pack(b, NINEP_TXATTRWALK, 1, "dds", 1u, 9u, "user.x");
	parse_ok("txattrwalk", b, n, &m);
	assert_int_equal(m.u.txattrwalk.fid, 1);
	assert_int_equal(m.u.txattrwalk.newfid, 9);
	assert_view(m.u.txattrwalk.name, "user.x", b, n);

	/* An empty name asks for the list. */
	n = pack(b, NINEP_TXATTRWALK, 1, "dds", 1u, 9u, "");
	parse_ok("txattrwalk-list", b, n, &m);
	assert_int_equal(m.u.txattrwalk.name.len, 0);

	n = pack(b, NINEP_TXATTRCREATE, 1, "dsqd", 9u, "user.y",
		 (uint64_t)12, 1u);
	parse_ok("txattrcreate", b, n, &m);
	assert_int_equal(m.u.txattrcreate.fid, 9);
	assert_view(m.u.txattrcreate.name, "user.y", b, n);
	assert_int_equal(m.u.txattrcreate.attr_size, 12);
	assert_int_equal(m.u.txattrcreate.flags, 1);
}

static void t_readdir_fsync_lock(void **state)
{
	uint8_t b[BUFSZ];
	struct ninep_msg m;
	size_t n;

	(void)state;
	n = pack(b, NINEP_TREADDIR, 1, "dqd", 2u, (uint64_t)2147483647,
		 (uint32_t)(MSIZE - NINEP_IOHDRSZ));
	parse_ok("treaddir", b, n, &m);
	assert_int_equal(m.u.treaddir.fid, 2);
	assert_int_equal(m.u.treaddir.offset, 2147483647);
	assert_int_equal(m.u.treaddir.count, MSIZE - NINEP_IOHDRSZ);

	n = pack(b, NINEP_TFSYNC, 1, "dd", 2u, 1u);
	parse_ok("tfsync", b, n, &m);
	assert_int_equal(m.u.tfsync.fid, 2);
	assert_int_equal(m.u.tfsync.datasync, 1);

	n = pack(b, NINEP_TLOCK, 1, "dbdqqds", 2u, NINEP_LOCK_TYPE_WRLCK,
		 NINEP_LOCK_FLAGS_BLOCK, (uint64_t)10, (uint64_t)20, 1234u,
		 "guest");
	parse_ok("tlock", b, n, &m);
	assert_int_equal(m.u.tlock.fid, 2);
	assert_int_equal(m.u.tlock.type, NINEP_LOCK_TYPE_WRLCK);
	assert_int_equal(m.u.tlock.flags, NINEP_LOCK_FLAGS_BLOCK);
	assert_int_equal(m.u.tlock.start, 10);
	assert_int_equal(m.u.tlock.length, 20);
	assert_int_equal(m.u.tlock.proc_id, 1234);
	assert_view(m.u.tlock.client_id, "guest", b, n);

	n = pack(b, NINEP_TGETLOCK, 1, "dbqqds", 2u, NINEP_LOCK_TYPE_RDLCK,
		 (uint64_t)0, (uint64_t)0, 99u, "guest");
	parse_ok("tgetlock", b, n, &m);
	assert_int_equal(m.u.tgetlock.fid, 2);
	assert_int_equal(m.u.tgetlock.type, NINEP_LOCK_TYPE_RDLCK);
	assert_int_equal(m.u.tgetlock.start, 0);
	assert_int_equal(m.u.tgetlock.length, 0);
	assert_int_equal(m.u.tgetlock.proc_id, 99);
	assert_view(m.u.tgetlock.client_id, "guest", b, n);
}

/* --- malformed input ---------------------------------------------------- */

static void bad_short_and_size(void **state)
{
	uint8_t b[BUFSZ];
	const char *why;
	size_t n;

	(void)state;
	/* Shorter than a header. */
	memset(b, 0, sizeof(b));
	assert_int_equal(expect_err(b, 0, MSIZE, &why), -EPROTO);
	assert_non_null(why);
	pack(b, NINEP_TCLUNK, 1, "");
	assert_int_equal(expect_err(b, 6, MSIZE, &why), -EPROTO);
	assert_non_null(strstr(why, "header"));

	/* The size field says more, or less, than the buffer holds. */
	n = pack(b, NINEP_TCLUNK, 1, "d", 5u);
	set_size(b, (uint32_t)n + 1);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	assert_non_null(strstr(why, "size"));
	set_size(b, (uint32_t)n - 1);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	set_size(b, 0xffffffffu);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);

	/* A whole, well-formed message larger than msize. */
	set_size(b, (uint32_t)n);
	assert_int_equal(expect_err(b, n, (uint32_t)n, &why), 0);
	assert_int_equal(expect_err(b, n, (uint32_t)n - 1, &why), -EMSGSIZE);
	assert_non_null(strstr(why, "msize"));

	/* A field cut off: Tclunk with 3 bytes of fid. */
	n = pack(b, NINEP_TCLUNK, 1, "bbb", 1u, 2u, 3u);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	assert_non_null(strstr(why, "past the end"));

	/* Trailing bytes. */
	n = pack(b, NINEP_TCLUNK, 1, "db", 1u, 0u);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	assert_non_null(strstr(why, "left over"));
}

static void bad_strings(void **state)
{
	uint8_t b[BUFSZ];
	struct ninep_msg m;
	const char *why;
	size_t n;

	(void)state;
	/* A string whose length runs past the end. */
	n = pack(b, NINEP_TVERSION, NINEP_NOTAG, "dwr", 8192u, 100u,
		 (size_t)8, "9P2000.L");
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	assert_non_null(strstr(why, "string"));
	n = pack(b, NINEP_TWALK, 3, "ddwsw", 0u, 1u, 2u, "tcp", 0xffffu);
	assert_int_equal(ninep_parse(b, n, MSIZE, &m, &why), -EPROTO);
	assert_non_null(strstr(why, "string"));
	/* The header is kept for the server's log and Rlerror. */
	assert_int_equal(m.type, NINEP_TWALK);
	assert_int_equal(m.tag, 3);
	assert_int_equal(m.u.twalk.nwname, 0);

	/* A string that ends exactly at the end but lacks the field after. */
	n = pack(b, NINEP_TMKDIR, 1, "ds", 1u, "dir");
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);

	/* A NUL inside a name. */
	n = pack(b, NINEP_TWALK, 1, "ddwwr", 0u, 1u, 1u, 5u, (size_t)5,
		 "ctl\0x");
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	assert_non_null(strstr(why, "NUL"));
	n = pack(b, NINEP_TSYMLINK, 1, "dswrd", 1u, "l", 2u, (size_t)2,
		 "\0a", 0u);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
}

static void bad_walk(void **state)
{
	uint8_t b[BUFSZ];
	const char *why;
	size_t n;
	int i;

	(void)state;
	/* 17 names, all present: refused for the count alone. */
	n = pack(b, NINEP_TWALK, 1, "ddw", 0u, 1u, 17u);
	for (i = 0; i < 17; i++) {
		b[n++] = 1;
		b[n++] = 0;
		b[n++] = 'a';
	}
	set_size(b, (uint32_t)n);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	assert_non_null(strstr(why, "16"));
	/* And nwname 0xffff with nothing after it. */
	n = pack(b, NINEP_TWALK, 1, "ddw", 0u, 1u, 0xffffu);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	/* Fewer names than nwname says. */
	n = pack(b, NINEP_TWALK, 1, "ddws", 0u, 1u, 2u, "a");
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
}

static void bad_counts(void **state)
{
	uint8_t b[BUFSZ];
	const char *why;
	size_t n;

	(void)state;
	n = pack(b, NINEP_TREAD, 1, "dqd", 1u, (uint64_t)0, MSIZE + 1u);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EMSGSIZE);
	assert_non_null(strstr(why, "count"));
	n = pack(b, NINEP_TREAD, 1, "dqd", 1u, (uint64_t)0, 0xffffffffu);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EMSGSIZE);
	n = pack(b, NINEP_TREADDIR, 1, "dqd", 1u, (uint64_t)0, MSIZE + 1u);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EMSGSIZE);

	/* Twrite's count must be the data that follows, no more, no less. */
	n = pack(b, NINEP_TWRITE, 1, "dqdr", 1u, (uint64_t)0, 5u, (size_t)4,
		 "abcd");
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	assert_non_null(strstr(why, "count"));
	n = pack(b, NINEP_TWRITE, 1, "dqdr", 1u, (uint64_t)0, 3u, (size_t)4,
		 "abcd");
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	n = pack(b, NINEP_TWRITE, 1, "dqd", 1u, (uint64_t)0, 0xffffffffu);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
}

static void bad_types(void **state)
{
	/* 9P2000's Terror, Topen, Tcreate, Tstat, Twstat; Tlerror; never
	 * assigned numbers; replies. */
	static const uint8_t types[] = { 0, 1, 5, 6, 10, 28, 106, 112, 114,
					 124, 126, 128, 200, 255,
					 NINEP_RVERSION, NINEP_RLERROR,
					 NINEP_RREAD };
	uint8_t b[BUFSZ];
	struct ninep_msg m;
	const char *why;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(types); i++) {
		n = pack(b, types[i], 42, "d", 1u);
		assert_int_equal(ninep_parse(b, n, MSIZE, &m, &why), -EPROTO);
		assert_int_equal(m.type, types[i]);
		assert_int_equal(m.tag, 42);
	}
	n = pack(b, 112, 1, "db", 1u, 0u);
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	assert_non_null(strstr(why, "unknown"));
	n = pack(b, NINEP_RVERSION, 1, "ds", 1u, "9P2000.L");
	assert_int_equal(expect_err(b, n, MSIZE, &why), -EPROTO);
	assert_non_null(strstr(why, "R-message"));
	assert_null(ninep_type_name(112));
	assert_string_equal(ninep_type_name(NINEP_TLOPEN), "Tlopen");
}

/* --- framing ------------------------------------------------------------ */

static void framing(void **state)
{
	uint8_t b[BUFSZ * 2];
	const char *why = NULL;
	uint32_t size;
	size_t n, n2, l;

	(void)state;
	n = pack(b, NINEP_TCLUNK, 1, "d", 7u);
	n2 = pack(b + n, NINEP_TREAD, 2, "dqd", 7u, (uint64_t)0, 100u);
	/* Fewer than 4 bytes: no size yet. */
	for (l = 0; l < 4; l++) {
		assert_int_equal(ninep_frame(b, l, MSIZE, &size, &why), 0);
		assert_int_equal(size, 0);
	}
	/* The size is known but the message is not all there. */
	for (l = 4; l < n; l++) {
		assert_int_equal(ninep_frame(b, l, MSIZE, &size, &why), 0);
		assert_int_equal(size, n);
	}
	assert_int_equal(ninep_frame(b, n, MSIZE, &size, &why), 1);
	assert_int_equal(size, n);
	/* With the next message's bytes behind it, still the first. */
	assert_int_equal(ninep_frame(b, n + 3, MSIZE, &size, &why), 1);
	assert_int_equal(size, n);
	assert_int_equal(ninep_frame(b + n, n2, MSIZE, &size, &why), 1);
	assert_int_equal(size, n2);

	/* size < 7 and size > msize fail as soon as the size is in. */
	for (l = 0; l < 7; l++) {
		set_size(b, (uint32_t)l);
		why = NULL;
		assert_int_equal(ninep_frame(b, 4, MSIZE, &size, &why),
				 -EPROTO);
		assert_non_null(why);
	}
	set_size(b, 7);
	assert_int_equal(ninep_frame(b, 7, MSIZE, &size, &why), 1);
	set_size(b, MSIZE);
	assert_int_equal(ninep_frame(b, 4, MSIZE, &size, &why), 0);
	set_size(b, MSIZE + 1);
	assert_int_equal(ninep_frame(b, 4, MSIZE, &size, &why), -EMSGSIZE);
	assert_int_equal(size, MSIZE + 1);
	set_size(b, 0xffffffffu);
	assert_int_equal(ninep_frame(b, 4, MSIZE, &size, &why), -EMSGSIZE);
}

/* --- R-messages --------------------------------------------------------- */

static const struct ninep_qid qa = { NINEP_QTDIR, 7, 0x0102030405060708ULL };
static const struct ninep_qid qb = { NINEP_QTFILE, 0xfffffffe, 42 };

/* A builder's result r and output got are exactly want[0..n). */
static void same(int r, const uint8_t *got, const uint8_t *want, size_t n)
{
	assert_int_equal(r, (int)n);
	assert_memory_equal(got, want, n);
}

/* The builders, each behind one signature so that every cap below the
 * message's size can be tried on all of them. */
struct rcase {
	const char *name;
	int (*build)(void *buf, size_t cap);
	size_t (*expect)(uint8_t *b);
};

static const char target[] = "/tmp/9/newdir";
static const struct ninep_qid wq[3] = {
	{ NINEP_QTDIR, 0, 1 }, { NINEP_QTDIR, 1, 2 }, { NINEP_QTFILE, 2, 3 }
};
static const struct ninep_statfs stfs = {
	0x01021997, 4096, 1, 2, 3, 4, 5, 0x1122334455667788ULL, 255
};
static const struct ninep_attr attr = {
	NINEP_GETATTR_BASIC, { NINEP_QTFILE, 0, 99 }, 0100644, 1000, 100,
	1, 2, 3, 4096, 8, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
};
static const struct ninep_getlock glk = {
	NINEP_LOCK_TYPE_UNLCK, 5, 6, 77, { "guest", 5 }
};

#define RCASE(nm, buildexpr, ...)                                          \
	static int b_##nm(void *buf, size_t cap) { return buildexpr; }     \
	static size_t e_##nm(uint8_t *b) { return pack(b, __VA_ARGS__); }

RCASE(rversion, ninep_build_rversion(buf, cap, NINEP_NOTAG, 65536,
				     NINEP_VERSION),
      NINEP_RVERSION, NINEP_NOTAG, "ds", 65536u, "9P2000.L")
RCASE(rauth, ninep_build_rauth(buf, cap, 1, &qa), NINEP_RAUTH, 1, "Q", &qa)
RCASE(rattach, ninep_build_rattach(buf, cap, 1, &qa), NINEP_RATTACH, 1, "Q",
      &qa)
RCASE(rlerror, ninep_build_rlerror(buf, cap, 3, ENOENT), NINEP_RLERROR, 3,
      "d", (uint32_t)ENOENT)
RCASE(rwalk0, ninep_build_rwalk(buf, cap, 4, 0, NULL), NINEP_RWALK, 4, "w",
      0u)
RCASE(rwalk, ninep_build_rwalk(buf, cap, 4, 3, wq), NINEP_RWALK, 4, "wQQQ",
      3u, &wq[0], &wq[1], &wq[2])
RCASE(rread, ninep_build_rread(buf, cap, 5, "hello\n", 6), NINEP_RREAD, 5,
      "dr", 6u, (size_t)6, "hello\n")
RCASE(rread0, ninep_build_rread(buf, cap, 5, NULL, 0), NINEP_RREAD, 5, "d",
      0u)
RCASE(rwrite, ninep_build_rwrite(buf, cap, 6, 4096), NINEP_RWRITE, 6, "d",
      4096u)
RCASE(rstatfs, ninep_build_rstatfs(buf, cap, 7, &stfs), NINEP_RSTATFS, 7,
      "ddqqqqqqd", 0x01021997u, 4096u, (uint64_t)1, (uint64_t)2,
      (uint64_t)3, (uint64_t)4, (uint64_t)5, (uint64_t)0x1122334455667788ULL,
      255u)
RCASE(rlopen, ninep_build_rlopen(buf, cap, 8, &qb, 8168), NINEP_RLOPEN, 8,
      "Qd", &qb, 8168u)
RCASE(rlcreate, ninep_build_rlcreate(buf, cap, 8, &qb, 0), NINEP_RLCREATE, 8,
      "Qd", &qb, 0u)
RCASE(rgetattr, ninep_build_rgetattr(buf, cap, 9, &attr), NINEP_RGETATTR, 9,
      "qQdddqqqqqqqqqqqqqqq", (uint64_t)NINEP_GETATTR_BASIC, &attr.qid, 0100644u,
      1000u, 100u, (uint64_t)1, (uint64_t)2, (uint64_t)3, (uint64_t)4096,
      (uint64_t)8, (uint64_t)11, (uint64_t)12, (uint64_t)13, (uint64_t)14,
      (uint64_t)15, (uint64_t)16, (uint64_t)17, (uint64_t)18, (uint64_t)19,
      (uint64_t)20)
RCASE(rmkdir, ninep_build_rmkdir(buf, cap, 10, &qa), NINEP_RMKDIR, 10, "Q",
      &qa)
RCASE(rsymlink, ninep_build_rsymlink(buf, cap, 10, &qb), NINEP_RSYMLINK, 10,
      "Q", &qb)
RCASE(rmknod, ninep_build_rmknod(buf, cap, 10, &qb), NINEP_RMKNOD, 10, "Q",
      &qb)
RCASE(rlock, ninep_build_rlock(buf, cap, 11, NINEP_LOCK_BLOCKED),
      NINEP_RLOCK, 11, "b", NINEP_LOCK_BLOCKED)
RCASE(rgetlock, ninep_build_rgetlock(buf, cap, 11, &glk), NINEP_RGETLOCK, 11,
      "bqqds", NINEP_LOCK_TYPE_UNLCK, (uint64_t)5, (uint64_t)6, 77u, "guest")
RCASE(rxattrwalk, ninep_build_rxattrwalk(buf, cap, 12, 1ULL << 33),
      NINEP_RXATTRWALK, 12, "q", (uint64_t)1 << 33)
RCASE(rreadlink, ninep_build_rreadlink(buf, cap, 13, target,
				       sizeof(target) - 1),
      NINEP_RREADLINK, 13, "s", target)
RCASE(rflush, ninep_build_rflush(buf, cap, 14), NINEP_RFLUSH, 14, "")
RCASE(rclunk, ninep_build_rclunk(buf, cap, 14), NINEP_RCLUNK, 14, "")
RCASE(rremove, ninep_build_rremove(buf, cap, 14), NINEP_RREMOVE, 14, "")
RCASE(rsetattr, ninep_build_rsetattr(buf, cap, 14), NINEP_RSETATTR, 14, "")
RCASE(rxattrcreate, ninep_build_rxattrcreate(buf, cap, 14),
      NINEP_RXATTRCREATE, 14, "")
RCASE(rfsync, ninep_build_rfsync(buf, cap, 14), NINEP_RFSYNC, 14, "")
RCASE(rlink, ninep_build_rlink(buf, cap, 14), NINEP_RLINK, 14, "")
RCASE(rrename, ninep_build_rrename(buf, cap, 14), NINEP_RRENAME, 14, "")
RCASE(rrenameat, ninep_build_rrenameat(buf, cap, 14), NINEP_RRENAMEAT, 14,
      "")
RCASE(runlinkat, ninep_build_runlinkat(buf, cap, 14), NINEP_RUNLINKAT, 14,
      "")

#define R(nm) { #nm, b_##nm, e_##nm }
static const struct rcase rcases[] = {
	R(rversion), R(rauth), R(rattach), R(rlerror), R(rwalk0), R(rwalk),
	R(rread), R(rread0), R(rwrite), R(rstatfs), R(rlopen), R(rlcreate),
	R(rgetattr), R(rmkdir), R(rsymlink), R(rmknod), R(rlock),
	R(rgetlock), R(rxattrwalk), R(rreadlink), R(rflush), R(rclunk),
	R(rremove), R(rsetattr), R(rxattrcreate), R(rfsync), R(rlink),
	R(rrename), R(rrenameat), R(runlinkat),
};

static void r_messages(void **state)
{
	uint8_t want[BUFSZ], *got;
	size_t i, n, cap;
	uint32_t size;
	const char *why;

	(void)state;
	for (i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		n = rcases[i].expect(want);
		/* Exactly n bytes of heap, so that a write past the cap is
		 * caught by ASan in that CI run. */
		got = malloc(n);
		assert_non_null(got);
		same(rcases[i].build(got, n), got, want, n);
		/* A reply is a frame like any other. */
		assert_int_equal(ninep_frame(got, n, (uint32_t)n, &size, &why),
				 1);
		assert_int_equal(size, n);
		assert_non_null(ninep_type_name(got[4]));
		for (cap = 0; cap < n; cap++)
			if (rcases[i].build(got, cap) != -ENOBUFS)
				fail_msg("%s fits in %zu of %zu bytes",
					 rcases[i].name, cap, n);
		free(got);
		/* A bigger cap changes nothing. */
		got = malloc(n + 100);
		assert_non_null(got);
		same(rcases[i].build(got, n + 100), got, want, n);
		free(got);
	}
}

static void r_read_in_place(void **state)
{
	uint8_t b[64], want[64];
	size_t n;

	(void)state;
	/* The server read straight into the reply's data area. */
	memcpy(b + NINEP_RREAD_HDRSZ, "abc", 3);
	n = pack(want, NINEP_RREAD, 1, "dr", 3u, (size_t)3, "abc");
	same(ninep_build_rread(b, sizeof(b), 1, NULL, 3), b, want, n);
	/* Or a few bytes early: the copy is a move. */
	memcpy(b + 2, "xyz", 3);
	n = pack(want, NINEP_RREAD, 1, "dr", 3u, (size_t)3, "xyz");
	same(ninep_build_rread(b, sizeof(b), 1, b + 2, 3), b, want, n);
	/* The header fits, the data does not. */
	assert_int_equal(ninep_build_rread(b, 13, 1, NULL, 3), -ENOBUFS);
}

static void r_invalid(void **state)
{
	struct ninep_qid q[NINEP_MAXWELEM + 1] = { { 0, 0, 0 } };
	static char big[70000];
	uint8_t b[BUFSZ];

	(void)state;
	assert_int_equal(ninep_build_rwalk(b, sizeof(b), 1, NINEP_MAXWELEM,
					   q),
			 7 + 2 + 13 * NINEP_MAXWELEM);
	assert_int_equal(ninep_build_rwalk(b, sizeof(b), 1,
					   NINEP_MAXWELEM + 1, q),
			 -EINVAL);
	/* A reply of the wrong shape cannot be made by a typo. */
	assert_int_equal(ninep_build_rempty(b, sizeof(b), NINEP_RREAD, 1),
			 -EINVAL);
	assert_int_equal(ninep_build_rempty(b, sizeof(b), NINEP_TCLUNK, 1),
			 -EINVAL);
	/* No string over 65535 bytes, whatever the room. */
	memset(big, 'a', sizeof(big));
	assert_int_equal(ninep_build_rreadlink(b, sizeof(b), 1, big, 65535),
			 -ENOBUFS);
	assert_int_equal(ninep_build_rreadlink(b, sizeof(b), 1, big, 65536),
			 -EINVAL);
}

/* --- Rreaddir packing --------------------------------------------------- */

static void readdir_boundary(void **state)
{
	uint8_t b[BUFSZ], want[BUFSZ];
	struct ninep_dirbuf d;
	size_t per = ninep_dirent_size(5), n, i;
	int r;

	(void)state;
	assert_int_equal(per, 29);
	/* A count that holds exactly three 5-byte names. */
	assert_int_equal(ninep_readdir_begin(&d, b, sizeof(b), 3 * per), 0);
	for (i = 0; i < 3; i++) {
		char name[6];

		snprintf(name, sizeof(name), "name%zu", i);
		assert_int_equal(ninep_readdir_add(&d, &wq[i], i + 1, DT_REG,
						   name, 5), 0);
	}
	/* Not even an empty name fits now; the reply is untouched. */
	assert_int_equal(ninep_readdir_add(&d, &qa, 9, DT_DIR, "", 0),
			 -ENOBUFS);
	r = ninep_readdir_finish(&d, 7);
	n = pack(want, NINEP_RREADDIR, 7, "dQqbsQqbsQqbs", (uint32_t)(3 * per),
		 &wq[0], (uint64_t)1, DT_REG, "name0",
		 &wq[1], (uint64_t)2, DT_REG, "name1",
		 &wq[2], (uint64_t)3, DT_REG, "name2");
	same(r, b, want, n);
	assert_int_equal(n, NINEP_RREAD_HDRSZ + 3 * per);

	/* One byte short of the third entry: two fit. */
	assert_int_equal(ninep_readdir_begin(&d, b, sizeof(b), 3 * per - 1),
			 0);
	assert_int_equal(ninep_readdir_add(&d, &wq[0], 1, DT_REG, "name0", 5),
			 0);
	assert_int_equal(ninep_readdir_add(&d, &wq[1], 2, DT_REG, "name1", 5),
			 0);
	assert_int_equal(ninep_readdir_add(&d, &wq[2], 3, DT_REG, "name2", 5),
			 -ENOBUFS);
	/* A shorter name still fits in the 28 bytes left. */
	assert_int_equal(ninep_readdir_add(&d, &wq[2], 3, DT_REG, "name", 4),
			 0);
	assert_int_equal(ninep_readdir_finish(&d, 7),
			 NINEP_RREAD_HDRSZ + 3 * per - 1);

	/* The buffer, not count, can be the limit too. */
	assert_int_equal(ninep_readdir_begin(&d, b, NINEP_RREAD_HDRSZ + per,
					     MSIZE), 0);
	assert_int_equal(ninep_readdir_add(&d, &qa, 1, DT_DIR, "name0", 5), 0);
	assert_int_equal(ninep_readdir_add(&d, &qa, 2, DT_DIR, "", 0),
			 -ENOBUFS);
	assert_int_equal(ninep_readdir_finish(&d, 1),
			 NINEP_RREAD_HDRSZ + per);

	/* count 0 and the end of a directory: an empty reply. */
	assert_int_equal(ninep_readdir_begin(&d, b, sizeof(b), 0), 0);
	assert_int_equal(ninep_readdir_add(&d, &qa, 1, DT_DIR, "", 0),
			 -ENOBUFS);
	r = ninep_readdir_finish(&d, 2);
	n = pack(want, NINEP_RREADDIR, 2, "d", 0u);
	same(r, b, want, n);

	/* No room for even the header. */
	assert_int_equal(ninep_readdir_begin(&d, b, NINEP_RREAD_HDRSZ - 1,
					     100), -ENOBUFS);
	assert_int_equal(ninep_readdir_add(&d, &qa, 1, DT_DIR, "", 0),
			 -ENOBUFS);
	assert_int_equal(ninep_readdir_finish(&d, 2), -ENOBUFS);

	/* A name no string can carry. */
	assert_int_equal(ninep_readdir_begin(&d, b, sizeof(b), MSIZE), 0);
	assert_int_equal(ninep_readdir_add(&d, &qa, 1, DT_DIR, (char *)b,
					   65536), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_version_auth_attach),
		cmocka_unit_test(t_flush_walk),
		cmocka_unit_test(t_read_write),
		cmocka_unit_test(t_fid_only),
		cmocka_unit_test(t_create_family),
		cmocka_unit_test(t_rename_family),
		cmocka_unit_test(t_attr),
		cmocka_unit_test(t_xattr),
		cmocka_unit_test(t_readdir_fsync_lock),
		cmocka_unit_test(bad_short_and_size),
		cmocka_unit_test(bad_strings),
		cmocka_unit_test(bad_walk),
		cmocka_unit_test(bad_counts),
		cmocka_unit_test(bad_types),
		cmocka_unit_test(framing),
		cmocka_unit_test(r_messages),
		cmocka_unit_test(r_read_in_place),
		cmocka_unit_test(r_invalid),
		cmocka_unit_test(readdir_boundary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
