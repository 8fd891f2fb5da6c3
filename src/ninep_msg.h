/* ninep_msg.h: the 9P2000.L message codec, the wire layer of netfs's 9P
 * front-end (issue 17). It turns the bytes of one T-message into a tagged
 * struct and lays out R-messages into a caller's buffer. It is pure: no
 * I/O, no libfuse, no globals, no allocation, so the unit tests and the
 * fuzzer reach every line, and the server decides everything semantic
 * (fids, names, permissions).
 *
 * Wire rules (intro(5), diod's protocol.md, Linux include/net/9p/9p.h):
 * integers little-endian; a string is len[2] then len bytes, no NUL; a
 * qid is type[1] version[4] path[8]; every message is
 * size[4] type[1] tag[2] body, size counting itself. */
#ifndef NETFS_NINEP_MSG_H
#define NETFS_NINEP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NINEP_VERSION "9P2000.L"
/* Plan 9's answer to a version it does not speak. */
#define NINEP_VERSION_UNKNOWN "unknown"

#define NINEP_NOTAG ((uint16_t)~0u)
#define NINEP_NOFID ((uint32_t)~0u)
#define NINEP_NONUNAME ((uint32_t)~0u)
/* The most names one Twalk may carry (walk(5)); clients split longer
 * paths into several walks. */
#define NINEP_MAXWELEM 16

/* size[4] type[1] tag[2]. */
#define NINEP_HDRSZ 7
#define NINEP_QIDSZ 13
/* Rread's and Rreaddir's bytes before their data: header and count[4].
 * The data of a reply to count=C fits in msize when C <= msize - this. */
#define NINEP_RREAD_HDRSZ 11
/* The overhead Linux and Plan 9 clients subtract from msize to size a read
 * or write (Twrite's header is 23 bytes; they round up). An iounit of
 * msize - NINEP_IOHDRSZ is what they would use anyway. */
#define NINEP_IOHDRSZ 24
/* A directory entry in Rreaddir: qid[13] offset[8] type[1] name[s]. */
#define NINEP_DIRENT_FIXED 24

enum ninep_type {
	NINEP_TLERROR = 6, /* never sent: an error is Rlerror */
	NINEP_RLERROR = 7,
	NINEP_TSTATFS = 8,
	NINEP_RSTATFS = 9,
	NINEP_TLOPEN = 12,
	NINEP_RLOPEN = 13,
	NINEP_TLCREATE = 14,
	NINEP_RLCREATE = 15,
	NINEP_TSYMLINK = 16,
	NINEP_RSYMLINK = 17,
	NINEP_TMKNOD = 18,
	NINEP_RMKNOD = 19,
	NINEP_TRENAME = 20,
	NINEP_RRENAME = 21,
	NINEP_TREADLINK = 22,
	NINEP_RREADLINK = 23,
	NINEP_TGETATTR = 24,
	NINEP_RGETATTR = 25,
	NINEP_TSETATTR = 26,
	NINEP_RSETATTR = 27,
	NINEP_TXATTRWALK = 30,
	NINEP_RXATTRWALK = 31,
	NINEP_TXATTRCREATE = 32,
	NINEP_RXATTRCREATE = 33,
	NINEP_TREADDIR = 40,
	NINEP_RREADDIR = 41,
	NINEP_TFSYNC = 50,
	NINEP_RFSYNC = 51,
	NINEP_TLOCK = 52,
	NINEP_RLOCK = 53,
	NINEP_TGETLOCK = 54,
	NINEP_RGETLOCK = 55,
	NINEP_TLINK = 70,
	NINEP_RLINK = 71,
	NINEP_TMKDIR = 72,
	NINEP_RMKDIR = 73,
	NINEP_TRENAMEAT = 74,
	NINEP_RRENAMEAT = 75,
	NINEP_TUNLINKAT = 76,
	NINEP_RUNLINKAT = 77,
	NINEP_TVERSION = 100,
	NINEP_RVERSION = 101,
	NINEP_TAUTH = 102,
	NINEP_RAUTH = 103,
	NINEP_TATTACH = 104,
	NINEP_RATTACH = 105,
	/* 106, 107: 9P2000's Terror/Rerror, not part of 9P2000.L. */
	NINEP_TFLUSH = 108,
	NINEP_RFLUSH = 109,
	NINEP_TWALK = 110,
	NINEP_RWALK = 111,
	/* 112..115 (Topen, Tcreate) and 124..127 (Tstat, Twstat) are
	 * 9P2000's; a 9P2000.L client never sends them. */
	NINEP_TREAD = 116,
	NINEP_RREAD = 117,
	NINEP_TWRITE = 118,
	NINEP_RWRITE = 119,
	NINEP_TCLUNK = 120,
	NINEP_RCLUNK = 121,
	NINEP_TREMOVE = 122,
	NINEP_RREMOVE = 123,
};

/* qid.type bits. */
#define NINEP_QTDIR 0x80
#define NINEP_QTAPPEND 0x40
#define NINEP_QTEXCL 0x20
#define NINEP_QTMOUNT 0x10
#define NINEP_QTAUTH 0x08
#define NINEP_QTTMP 0x04
#define NINEP_QTSYMLINK 0x02
#define NINEP_QTLINK 0x01
#define NINEP_QTFILE 0x00

/* Tgetattr request_mask and Rgetattr valid. */
#define NINEP_GETATTR_MODE 0x00000001ULL
#define NINEP_GETATTR_NLINK 0x00000002ULL
#define NINEP_GETATTR_UID 0x00000004ULL
#define NINEP_GETATTR_GID 0x00000008ULL
#define NINEP_GETATTR_RDEV 0x00000010ULL
#define NINEP_GETATTR_ATIME 0x00000020ULL
#define NINEP_GETATTR_MTIME 0x00000040ULL
#define NINEP_GETATTR_CTIME 0x00000080ULL
#define NINEP_GETATTR_INO 0x00000100ULL
#define NINEP_GETATTR_SIZE 0x00000200ULL
#define NINEP_GETATTR_BLOCKS 0x00000400ULL
#define NINEP_GETATTR_BTIME 0x00000800ULL
#define NINEP_GETATTR_GEN 0x00001000ULL
#define NINEP_GETATTR_DATA_VERSION 0x00002000ULL
#define NINEP_GETATTR_BASIC 0x000007ffULL
#define NINEP_GETATTR_ALL 0x00003fffULL

/* Tsetattr valid. A time bit without its _SET bit means "now". */
#define NINEP_SETATTR_MODE 0x00000001u
#define NINEP_SETATTR_UID 0x00000002u
#define NINEP_SETATTR_GID 0x00000004u
#define NINEP_SETATTR_SIZE 0x00000008u
#define NINEP_SETATTR_ATIME 0x00000010u
#define NINEP_SETATTR_MTIME 0x00000020u
#define NINEP_SETATTR_CTIME 0x00000040u
#define NINEP_SETATTR_ATIME_SET 0x00000080u
#define NINEP_SETATTR_MTIME_SET 0x00000100u

/* Tlock/Tgetlock type, Tlock flags, Rlock status. */
#define NINEP_LOCK_TYPE_RDLCK 0
#define NINEP_LOCK_TYPE_WRLCK 1
#define NINEP_LOCK_TYPE_UNLCK 2
#define NINEP_LOCK_FLAGS_BLOCK 1
#define NINEP_LOCK_FLAGS_RECLAIM 2
#define NINEP_LOCK_SUCCESS 0
#define NINEP_LOCK_BLOCKED 1
#define NINEP_LOCK_ERROR 2
#define NINEP_LOCK_GRACE 3

/* A string or byte range of a parsed message: a view into the caller's
 * input buffer, valid while that buffer is. Not NUL-terminated; the parser
 * refuses strings holding a NUL byte, so copying len bytes and adding a
 * NUL never shortens a name into another one ("ctl\0x" into "ctl").
 * Nothing else is checked: "", ".", ".." and names with '/' arrive as
 * sent, and which of them a message may carry is the server's call. */
struct ninep_str {
	const char *s;
	uint16_t len;
};

struct ninep_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

/* The bodies of the T-messages, one per type, field names as in the
 * protocol description. */
struct ninep_tversion {
	uint32_t msize;
	struct ninep_str version;
};

/* Tauth and Tattach: 9P2000.L (and .u) end them with n_uname; 9P2000
 * clients (9front, plan9port) do not, and has_n_uname says which was
 * sent (n_uname is NINEP_NONUNAME then). Neither uname nor n_uname is an
 * identity netfs trusts: the transport says who the caller is. */
struct ninep_tauth {
	uint32_t afid;
	struct ninep_str uname, aname;
	uint32_t n_uname;
	bool has_n_uname;
};

struct ninep_tattach {
	uint32_t fid, afid;
	struct ninep_str uname, aname;
	uint32_t n_uname;
	bool has_n_uname;
};

struct ninep_tflush {
	uint16_t oldtag;
};

struct ninep_twalk {
	uint32_t fid, newfid;
	uint16_t nwname; /* <= NINEP_MAXWELEM */
	struct ninep_str wname[NINEP_MAXWELEM];
};

/* Tread and Treaddir: count <= msize is checked; a count whose reply
 * would not fit (count > msize - NINEP_RREAD_HDRSZ) is legal and the
 * server gives fewer bytes, see ninep_read_max(). */
struct ninep_tread {
	uint32_t fid;
	uint64_t offset;
	uint32_t count;
};

/* data is count bytes, the rest of the message. */
struct ninep_twrite {
	uint32_t fid;
	uint64_t offset;
	uint32_t count;
	const uint8_t *data;
};

/* Tclunk, Tremove, Tstatfs, Treadlink. */
struct ninep_tfid {
	uint32_t fid;
};

struct ninep_tlopen {
	uint32_t fid, flags;
};

struct ninep_tlcreate {
	uint32_t fid;
	struct ninep_str name;
	uint32_t flags, mode, gid;
};

struct ninep_tsymlink {
	uint32_t dfid;
	struct ninep_str name, symtgt;
	uint32_t gid;
};

struct ninep_tmknod {
	uint32_t dfid;
	struct ninep_str name;
	uint32_t mode, major, minor, gid;
};

struct ninep_trename {
	uint32_t fid, dfid;
	struct ninep_str name;
};

struct ninep_tgetattr {
	uint32_t fid;
	uint64_t request_mask;
};

struct ninep_tsetattr {
	uint32_t fid, valid, mode, uid, gid;
	uint64_t size, atime_sec, atime_nsec, mtime_sec, mtime_nsec;
};

struct ninep_txattrwalk {
	uint32_t fid, newfid;
	struct ninep_str name;
};

struct ninep_txattrcreate {
	uint32_t fid;
	struct ninep_str name;
	uint64_t attr_size;
	uint32_t flags;
};

struct ninep_tfsync {
	uint32_t fid, datasync;
};

struct ninep_tlock {
	uint32_t fid;
	uint8_t type;
	uint32_t flags;
	uint64_t start, length;
	uint32_t proc_id;
	struct ninep_str client_id;
};

struct ninep_tgetlock {
	uint32_t fid;
	uint8_t type;
	uint64_t start, length;
	uint32_t proc_id;
	struct ninep_str client_id;
};

struct ninep_tlink {
	uint32_t dfid, fid;
	struct ninep_str name;
};

struct ninep_tmkdir {
	uint32_t dfid;
	struct ninep_str name;
	uint32_t mode, gid;
};

struct ninep_trenameat {
	uint32_t olddirfid;
	struct ninep_str oldname;
	uint32_t newdirfid;
	struct ninep_str newname;
};

struct ninep_tunlinkat {
	uint32_t dirfid;
	struct ninep_str name;
	uint32_t flags;
};

/* A parsed T-message: the header and the body its type selects. */
struct ninep_msg {
	uint32_t size;
	uint8_t type;
	uint16_t tag;
	union {
		struct ninep_tversion tversion;
		struct ninep_tauth tauth;
		struct ninep_tattach tattach;
		struct ninep_tflush tflush;
		struct ninep_twalk twalk;
		struct ninep_tread tread;
		struct ninep_twrite twrite;
		struct ninep_tfid tclunk;
		struct ninep_tfid tremove;
		struct ninep_tfid tstatfs;
		struct ninep_tfid treadlink;
		struct ninep_tlopen tlopen;
		struct ninep_tlcreate tlcreate;
		struct ninep_tsymlink tsymlink;
		struct ninep_tmknod tmknod;
		struct ninep_trename trename;
		struct ninep_tgetattr tgetattr;
		struct ninep_tsetattr tsetattr;
		struct ninep_txattrwalk txattrwalk;
		struct ninep_txattrcreate txattrcreate;
		struct ninep_tread treaddir;
		struct ninep_tfsync tfsync;
		struct ninep_tlock tlock;
		struct ninep_tgetlock tgetlock;
		struct ninep_tlink tlink;
		struct ninep_tmkdir tmkdir;
		struct ninep_trenameat trenameat;
		struct ninep_tunlinkat tunlinkat;
	} u;
};

/* "Twalk" for NINEP_TWALK, for logs and reasons; NULL for a number that
 * is no 9P2000.L message. */
const char *ninep_type_name(uint8_t type);

/* Framing a byte stream: have bytes of the stream's next message are at
 * buf. 1: a whole message is there, *size bytes long (it may be followed
 * by the start of the next). 0: not yet (*size is the message's size once
 * 4 bytes are in, else 0). -EPROTO: size < NINEP_HDRSZ; -EMSGSIZE:
 * size > msize. On an error *why says which (static text) and the stream
 * cannot be resynchronised: close the connection. */
int ninep_frame(const void *buf, size_t have, uint32_t msize,
		uint32_t *size, const char **why);

/* Parses the one T-message buf[0..len) into *m (string and data fields
 * point into buf). msize is the negotiated size (before Tversion, the
 * server's largest). 0, or a negative errno with a static reason in *why:
 * -EMSGSIZE for a message or a count beyond msize, -EPROTO for anything
 * else malformed: len < 7, a size field that is not len, a field or
 * string running past the end, bytes left over after the last field, a
 * NUL in a string, nwname > NINEP_MAXWELEM, Twrite's count that is not
 * the rest of the message, an R-message or an unknown type.
 * On an error m->type and m->tag hold the header's values when its 7
 * bytes are there (else m->tag is NINEP_NOTAG), so that the server may
 * name the request in Rlerror or its log before closing. */
int ninep_parse(const void *buf, size_t len, uint32_t msize,
		struct ninep_msg *m, const char **why);

/* The data a Tread/Treaddir of count may get back under msize. */
uint32_t ninep_read_max(uint32_t msize, uint32_t count);

/* R-messages. Each is laid out at buf, at most cap bytes (the caller
 * passes min(its buffer, msize)); the result is the message's size, or
 * -ENOBUFS when it would not fit (buf's contents are then unspecified),
 * or -EINVAL for arguments no message can carry (a string over 65535
 * bytes, more than NINEP_MAXWELEM qids). */

struct ninep_statfs {
	uint32_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree, fsid;
	uint32_t namelen;
};

/* Rgetattr's fields after tag; btime, gen and data_version are reserved
 * and normally 0. */
struct ninep_attr {
	uint64_t valid;
	struct ninep_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blksize, blocks;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
	uint64_t ctime_sec, ctime_nsec, btime_sec, btime_nsec;
	uint64_t gen, data_version;
};

struct ninep_getlock {
	uint8_t type;
	uint64_t start, length;
	uint32_t proc_id;
	struct ninep_str client_id;
};

int ninep_build_rversion(void *buf, size_t cap, uint16_t tag, uint32_t msize,
			 const char *version);
int ninep_build_rauth(void *buf, size_t cap, uint16_t tag,
		      const struct ninep_qid *aqid);
int ninep_build_rattach(void *buf, size_t cap, uint16_t tag,
			const struct ninep_qid *qid);
/* ecode is a positive Linux errno. */
int ninep_build_rlerror(void *buf, size_t cap, uint16_t tag, uint32_t ecode);
int ninep_build_rwalk(void *buf, size_t cap, uint16_t tag, uint16_t nwqid,
		      const struct ninep_qid *qids);
/* Rread with count bytes of data. data may be NULL when the caller has
 * already put them at buf + NINEP_RREAD_HDRSZ (reading straight into the
 * reply); otherwise they are copied (they may overlap buf). */
int ninep_build_rread(void *buf, size_t cap, uint16_t tag, const void *data,
		      uint32_t count);
int ninep_build_rwrite(void *buf, size_t cap, uint16_t tag, uint32_t count);
int ninep_build_rstatfs(void *buf, size_t cap, uint16_t tag,
			const struct ninep_statfs *st);
int ninep_build_rlopen(void *buf, size_t cap, uint16_t tag,
		       const struct ninep_qid *qid, uint32_t iounit);
int ninep_build_rlcreate(void *buf, size_t cap, uint16_t tag,
			 const struct ninep_qid *qid, uint32_t iounit);
int ninep_build_rgetattr(void *buf, size_t cap, uint16_t tag,
			 const struct ninep_attr *a);
int ninep_build_rmkdir(void *buf, size_t cap, uint16_t tag,
		       const struct ninep_qid *qid);
int ninep_build_rsymlink(void *buf, size_t cap, uint16_t tag,
			 const struct ninep_qid *qid);
int ninep_build_rmknod(void *buf, size_t cap, uint16_t tag,
		       const struct ninep_qid *qid);
int ninep_build_rlock(void *buf, size_t cap, uint16_t tag, uint8_t status);
int ninep_build_rgetlock(void *buf, size_t cap, uint16_t tag,
			 const struct ninep_getlock *l);
int ninep_build_rxattrwalk(void *buf, size_t cap, uint16_t tag,
			   uint64_t size);
int ninep_build_rreadlink(void *buf, size_t cap, uint16_t tag,
			  const char *target, size_t len);

/* The replies that are only a header: Rflush, Rclunk, Rremove, Rsetattr,
 * Rxattrcreate, Rfsync, Rlink, Rrename, Rrenameat, Runlinkat. -EINVAL for
 * any other type, so that a typo cannot send a reply of the wrong shape. */
int ninep_build_rempty(void *buf, size_t cap, uint8_t type, uint16_t tag);

static inline int ninep_build_rflush(void *buf, size_t cap, uint16_t tag)
{
	return ninep_build_rempty(buf, cap, NINEP_RFLUSH, tag);
}

static inline int ninep_build_rclunk(void *buf, size_t cap, uint16_t tag)
{
	return ninep_build_rempty(buf, cap, NINEP_RCLUNK, tag);
}

static inline int ninep_build_rremove(void *buf, size_t cap, uint16_t tag)
{
	return ninep_build_rempty(buf, cap, NINEP_RREMOVE, tag);
}

static inline int ninep_build_rsetattr(void *buf, size_t cap, uint16_t tag)
{
	return ninep_build_rempty(buf, cap, NINEP_RSETATTR, tag);
}

static inline int ninep_build_rxattrcreate(void *buf, size_t cap,
					   uint16_t tag)
{
	return ninep_build_rempty(buf, cap, NINEP_RXATTRCREATE, tag);
}

static inline int ninep_build_rfsync(void *buf, size_t cap, uint16_t tag)
{
	return ninep_build_rempty(buf, cap, NINEP_RFSYNC, tag);
}

static inline int ninep_build_rlink(void *buf, size_t cap, uint16_t tag)
{
	return ninep_build_rempty(buf, cap, NINEP_RLINK, tag);
}

static inline int ninep_build_rrename(void *buf, size_t cap, uint16_t tag)
{
	return ninep_build_rempty(buf, cap, NINEP_RRENAME, tag);
}

static inline int ninep_build_rrenameat(void *buf, size_t cap, uint16_t tag)
{
	return ninep_build_rempty(buf, cap, NINEP_RRENAMEAT, tag);
}

static inline int ninep_build_runlinkat(void *buf, size_t cap, uint16_t tag)
{
	return ninep_build_rempty(buf, cap, NINEP_RUNLINKAT, tag);
}

/* Rreaddir, packed one entry at a time: the server walks its directory
 * from the Treaddir offset and adds entries until one does not fit, and
 * that entry's offset is where the client's next Treaddir starts.
 *
 *	struct ninep_dirbuf d;
 *	ninep_readdir_begin(&d, buf, cap, t->count);
 *	while (more && ninep_readdir_add(&d, &qid, next, dtype, name, n) == 0)
 *		...;
 *	len = ninep_readdir_finish(&d, tag);
 *
 * The entries' bytes never exceed Treaddir's count nor the reply cap. An
 * empty reply (count 0) tells the client the directory has ended. */
struct ninep_dirbuf {
	uint8_t *buf;
	size_t cap;	/* NINEP_RREAD_HDRSZ + the most entry bytes */
	size_t len;	/* NINEP_RREAD_HDRSZ + entry bytes so far */
};

/* 0, or -ENOBUFS when cap cannot hold even the header. */
int ninep_readdir_begin(struct ninep_dirbuf *d, void *buf, size_t cap,
			uint32_t count);
/* Appends qid[13] offset[8] type[1] name[s]; offset is the cookie of the
 * entry after this one. 0; -ENOBUFS when it does not fit (nothing is
 * written, the reply so far stays valid); -EINVAL for namelen > 65535. */
int ninep_readdir_add(struct ninep_dirbuf *d, const struct ninep_qid *qid,
		      uint64_t offset, uint8_t type, const char *name,
		      size_t namelen);
/* Writes the header; returns the message's size. */
int ninep_readdir_finish(struct ninep_dirbuf *d, uint16_t tag);

/* The bytes an entry named by namelen bytes takes in Rreaddir. */
static inline size_t ninep_dirent_size(size_t namelen)
{
	return NINEP_DIRENT_FIXED + namelen;
}

#endif
