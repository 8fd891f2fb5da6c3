/* fuseio.c: the daemon's own I/O on /dev/fuse. FOPEN_STREAM for libfuse
 * 3.14, which cannot ask for it, and read replies spliced from a pipe
 * (fuseio_reply_pipe), which 3.14 would only do through a pipe of its own
 * created at the first such reply.
 *
 * With FOPEN_NONSEEKABLE alone, a reader and a writer sharing one open file
 * (exec 3<>data; cat <&3 & printf x >&3) deadlock in the kernel on the file
 * position lock, uninterruptibly. FOPEN_STREAM removes the position. We
 * install custom I/O hooks on the session's own fd: the read hook notes
 * the unique id of each OPEN of a stream file, the writev hook sets
 * FOPEN_STREAM in the reply to it. In 3.14 fuse_session_custom_io() only
 * sets the hooks and the fd, so unmounting keeps working. Delete this file
 * when libfuse grows a stream flag in fuse_file_info.
 *
 * The same hooks set FUSE_PARALLEL_DIROPS in the INIT reply when the
 * kernel offers it: libfuse 3.14 leaves it out although FUSE_CAP_PARALLEL_
 * DIROPS is in conn->want, and without it the kernel sends the LOOKUPs of
 * one directory one at a time, so 40 slow lookups in resolve/ took 40
 * times one. netfs answers every request on its one loop thread, so
 * concurrent lookups and readdirs of a directory need nothing more. They
 * also ask for passthrough (passthru.h), which 3.14 knows nothing of, and
 * put a backing file's id into the reply to an OPEN that has one.
 *
 * With -o uring they also accept FUSE_OVER_IO_URING in the INIT reply
 * when the kernel offers it, start the ring once the reply is written,
 * and hand the replies of requests that came through the ring to
 * fuse_uring.c, which rebuilds those requests and tells us of them through
 * fuseio_note_request. */
#include "fuseio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/fuse.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fuse_fe.h"
#include "fuse_uring.h"
#include "log.h"
#include "passthru.h"
#include "netfs.h"

/* The request being processed: its header was the last one read. */
static uint64_t cur_unique;
static uint32_t cur_opcode;

/* The data pipe (filled by the caller, see fuseio_pipe) and the reply
 * pipe, where a header goes first and the data's buffers are moved behind
 * it. The data pipe has half the slots of the reply pipe, so that its
 * buffers always fit behind the header. */
static int dpipe[2] = { -1, -1 }, rpipe[2] = { -1, -1 };
static char hdrbuf[sizeof(struct fuse_out_header)];

/* OPEN requests whose reply gets FOPEN_STREAM or a backing file; a few
 * at most, since opens are answered at once. Loop thread only. */
struct mark {
	uint64_t unique;
	int backing;		/* passthrough id, or 0 for FOPEN_STREAM */
	bool direct;		/* with backing: READs still come here */
};
static struct mark *opens;
static size_t nopens, capopens;
/* The INIT request, and what the kernel offered of what libfuse 3.14
 * leaves out: parallel dirops, passthrough (Linux 6.9), and whether the
 * reply accepts FUSE over io_uring. */
static uint64_t init_unique;
static bool init_parallel, init_passthru, init_uring;
static struct fuse_session *session;
static int dev_fd = -1;

/* In flags2 (uapi 7.40), absent from older headers. */
#define INIT2_PASSTHROUGH (1u << (37 - 32))
#define OPEN_PASSTHROUGH (1u << 7)

static void mark(uint64_t unique, int backing, bool direct)
{
	if (nopens == capopens) {
		size_t cap = capopens ? capopens * 2 : 16;
		struct mark *p = realloc(opens, cap * sizeof(*p));

		if (!p)
			return;	/* opens plainly; READs find the text */
		opens = p;
		capopens = cap;
	}
	opens[nopens++] = (struct mark){ unique, backing, direct };
}

void fuseio_mark_stream(uint64_t unique)
{
	mark(unique, 0, true);
}

void fuseio_mark_backing(uint64_t unique, int id, bool direct)
{
	mark(unique, id, direct);
}

/* The mark of the reply to unique, removed: 1 if there was one. */
static int unmark(uint64_t unique, struct mark *m)
{
	size_t i;

	for (i = 0; i < nopens; i++) {
		if (opens[i].unique == unique) {
			*m = opens[i];
			opens[i] = opens[--nopens];
			return 1;
		}
	}
	return 0;
}

void fuseio_note_request(const void *msg, size_t n)
{
	const struct fuse_in_header *in = msg;

	if (n < sizeof(*in))
		return;
	cur_unique = in->unique;
	cur_opcode = in->opcode;
	if (n >= sizeof(*in) + sizeof(struct fuse_init_in) &&
	    in->opcode == FUSE_INIT) {
		const struct fuse_init_in *init = (const void *)(in + 1);

		init_unique = in->unique;
		init_parallel = init->flags & FUSE_PARALLEL_DIROPS;
		init_passthru = (init->flags & FUSE_INIT_EXT) &&
				(init->flags2 & INIT2_PASSTHROUGH);
		init_uring = fuse_uring_offered((init->flags & FUSE_INIT_EXT) &&
				(init->flags2 & (FUSE_OVER_IO_URING >> 32)));
	}
}

static ssize_t io_read(int fd, void *buf, size_t len, void *userdata)
{
	ssize_t n = read(fd, buf, len);

	(void)userdata;
	if (n > 0)
		fuseio_note_request(buf, (size_t)n);
	return n;
}

/* The INIT reply asks for what libfuse 3.14 cannot: parallel dirops,
 * passthrough with a stack depth of 1 (backing files on tmpfs), and the
 * ring. */
static void init_reply(struct fuse_init_out *o, size_t len)
{
	if (init_parallel)
		o->flags |= FUSE_PARALLEL_DIROPS;
	if (init_passthru && len >= sizeof(*o) &&
	    !(o->flags & FUSE_WRITEBACK_CACHE)) {
		o->flags |= FUSE_INIT_EXT;
		o->flags2 |= INIT2_PASSTHROUGH;
		o->unused[0] = 1;	/* max_stack_depth */
		passthru_enable(dev_fd);
		log_debug("fuse: passthrough for snapshot files");
	}
	if (init_uring && len >= offsetof(struct fuse_init_out, flags2) + 4) {
		o->flags |= FUSE_INIT_EXT;
		o->flags2 |= FUSE_OVER_IO_URING >> 32;
	} else {
		init_uring = false;
	}
}

/* The payload the kernel demands of every ring entry: its largest
 * request or reply (fs/fuse/dev_uring.c, fuse_uring_create). */
static size_t payload_max(const struct fuse_init_out *out)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t n = out->max_write > 8192 ? out->max_write : 8192;
	size_t pages = out->flags & FUSE_MAX_PAGES ? out->max_pages : 32;

	return n > pages * page ? n : pages * page;
}

static ssize_t io_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	struct fuse_init_out *init = NULL;
	ssize_t n;
	int i;

	(void)userdata;
	if (init_unique && count >= 2 &&
	    iov[0].iov_len == sizeof(struct fuse_out_header) &&
	    iov[1].iov_len >= offsetof(struct fuse_init_out, max_background)) {
		const struct fuse_out_header *out = iov[0].iov_base;

		if (out->unique == init_unique) {
			init = iov[1].iov_base;
			if (out->error == 0)
				init_reply(init, iov[1].iov_len);
			else
				init_uring = false;
			init_unique = 0;
		}
	}
	if (nopens && count >= 1 &&
	    iov[0].iov_len == sizeof(struct fuse_out_header)) {
		const struct fuse_out_header *out = iov[0].iov_base;
		struct mark m;

		if (out->unique && unmark(out->unique, &m) &&
		    out->error == 0 && count >= 2 &&
		    iov[1].iov_len >= sizeof(struct fuse_open_out)) {
			struct fuse_open_out *o = iov[1].iov_base;

			if (m.backing) {
				/* The kernel puts direct I/O first. */
				if (!m.direct)
					o->open_flags &= ~FOPEN_DIRECT_IO;
				o->open_flags |= OPEN_PASSTHROUGH;
				o->padding = (uint32_t)m.backing; /* backing_id */
			} else {
				o->open_flags |= FOPEN_STREAM;
			}
		}
	}
	if (count >= 1 && iov[0].iov_len == sizeof(struct fuse_out_header) &&
	    fuse_uring_reply(iov, count)) {
		for (n = 0, i = 0; i < count; i++)
			n += (ssize_t)iov[i].iov_len;
		return n;
	}
	n = writev(fd, iov, count);
	/* The kernel registers ring entries only once INIT is answered. */
	if (init && init_uring) {
		init_uring = false;
		if (n > 0)
			fuse_uring_start(session, payload_max(init));
	}
	return n;
}

static void drain(int fd)
{
	char tmp[4096];

	while (read(fd, tmp, sizeof(tmp)) > 0)
		;
}

static void pipes_close(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (dpipe[i] >= 0)
			close(dpipe[i]);
		if (rpipe[i] >= 0)
			close(rpipe[i]);
		dpipe[i] = rpipe[i] = -1;
	}
}

static size_t pipe_max;

/* The data pipe gets 1 MiB (FUSE's largest read) if the reply pipe may
 * have 2; without the privilege to pass pipe-max-size (1 MiB by default)
 * half of each. */
static void pipes_open(void)
{
	size_t sz;

	if (pipe2(dpipe, O_NONBLOCK | O_CLOEXEC) < 0 ||
	    pipe2(rpipe, O_NONBLOCK | O_CLOEXEC) < 0) {
		log_warn("no splice pipes (%m): read replies are copied");
		pipes_close();
		return;
	}
	for (sz = 1u << 20; sz >= (512u << 10); sz /= 2) {
		if (fcntl(rpipe[0], F_SETPIPE_SZ, (int)(2 * sz)) >= 0 &&
		    fcntl(dpipe[0], F_SETPIPE_SZ, (int)sz) >= 0) {
			pipe_max = sz;
			return;
		}
	}
	log_warn("splice pipes too small: read replies are copied");
	pipes_close();
}

size_t fuseio_pipe_max(void)
{
	return pipe_max;
}

uint64_t fuseio_current(void)
{
	return cur_unique;
}

uint64_t fuseio_unique(void)
{
	return cur_opcode == FUSE_READ ? cur_unique : 0;
}

int fuseio_pipe(void)
{
	return dpipe[1];
}

void fuseio_reply_pipe(fuse_req_t req, uint64_t unique, size_t n,
		       char *buf, size_t bufsize)
{
	struct fuse_out_header *out = (struct fuse_out_header *)hdrbuf;
	size_t moved = 0, len = sizeof(*out) + n, cap;
	char *ring;
	ssize_t r;

	/* A ring request's reply goes into its payload buffer. */
	ring = fuse_uring_payload(unique, &cap);
	if (ring && n <= cap) {
		while (moved < n && (r = read(dpipe[0], ring + moved,
					      n - moved)) > 0)
			moved += (size_t)r;
		drain(dpipe[0]);
		fuse_uring_commit(unique, 0, moved);
		fuse_reply_none(req);
		return;
	}
	/* Short replies: a copy costs less than two more system calls. */
	if (n <= bufsize && n < FUSEIO_SPLICE_MIN)
		goto copy;
	out->len = (uint32_t)len;
	out->error = 0;
	out->unique = unique;
	if (write(rpipe[1], out, sizeof(*out)) != (ssize_t)sizeof(*out))
		goto copy_back;
	while (moved < n) {
		r = splice(dpipe[0], NULL, rpipe[1], NULL, n - moved,
			   SPLICE_F_NONBLOCK | SPLICE_F_MOVE);
		if (r <= 0)
			goto copy_back;
		moved += (size_t)r;
	}
	/* The kernel takes a reply whole, from one splice. */
	r = splice(rpipe[0], NULL, fuse_session_fd(fuse_se), NULL, len, 0);
	if (r != (ssize_t)len) {
		/* The caller is gone (ENOENT); its data goes with it. */
		drain(rpipe[0]);
	}
	fuse_reply_none(req);
	return;

copy_back:
	/* Cannot happen with pipes of these sizes; stay correct anyway. */
	r = read(rpipe[0], hdrbuf, sizeof(hdrbuf));
	if (moved) {
		/* The moved part is behind the header: read it back first. */
		size_t got = 0;

		while (got < moved && (r = read(rpipe[0], buf + got,
						moved - got)) > 0)
			got += (size_t)r;
		if (got + (n - moved) <= bufsize) {
			r = read(dpipe[0], buf + got, n - moved);
			got += r > 0 ? (size_t)r : 0;
		}
		drain(dpipe[0]);
		fuse_reply_buf(req, buf, got);
		return;
	}
copy:
	r = read(dpipe[0], buf, n < bufsize ? n : bufsize);
	drain(dpipe[0]);
	fuse_reply_buf(req, buf, r > 0 ? (size_t)r : 0);
}

void fuseio_fini(void)
{
	pipes_close();
	passthru_fini();
	free(opens);
	opens = NULL;
	nopens = capopens = 0;
}

int fuseio_install(struct fuse_session *se)
{
	static const struct fuse_custom_io io = {
		.read = io_read,
		.writev = io_writev,
	};

	session = se;
	pipes_open();
	dev_fd = fuse_session_fd(se);
	return fuse_session_custom_io(se, &io, fuse_session_fd(se));
}
