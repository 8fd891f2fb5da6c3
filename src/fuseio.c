/* fuseio.c: FOPEN_STREAM for libfuse 3.14, which cannot ask for it.
 *
 * With FOPEN_NONSEEKABLE alone, a reader and a writer sharing one open file
 * (exec 3<>data; cat <&3 & printf x >&3) deadlock in the kernel on the file
 * position lock, uninterruptibly. FOPEN_STREAM removes the position. We
 * install custom I/O hooks on the session's own fd: the read hook notes
 * the unique id of each OPEN of a stream file, the writev hook sets
 * FOPEN_STREAM in the reply to it. In 3.14 fuse_session_custom_io() only
 * sets the hooks and the fd, so unmounting keeps working. Delete this file
 * when libfuse grows a stream flag in fuse_file_info. */
#include "fuseio.h"

#include <errno.h>
#include <linux/fuse.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tree.h"

/* OPEN requests of stream files awaiting their reply; a few at most, since
 * opens are answered at once. Loop thread only. */
static uint64_t *opens;
static size_t nopens, capopens;

static void remember(uint64_t unique)
{
	if (nopens == capopens) {
		size_t cap = capopens ? capopens * 2 : 16;
		uint64_t *p = realloc(opens, cap * sizeof(*p));

		if (!p)
			return;	/* the file opens without FOPEN_STREAM */
		opens = p;
		capopens = cap;
	}
	opens[nopens++] = unique;
}

static int forget(uint64_t unique)
{
	size_t i;

	for (i = 0; i < nopens; i++) {
		if (opens[i] == unique) {
			opens[i] = opens[--nopens];
			return 1;
		}
	}
	return 0;
}

static ssize_t io_read(int fd, void *buf, size_t len, void *userdata)
{
	ssize_t n = read(fd, buf, len);
	const struct fuse_in_header *in = buf;

	(void)userdata;
	if (n >= (ssize_t)sizeof(*in) && in->opcode == FUSE_OPEN &&
	    tree_is_stream(in->nodeid))
		remember(in->unique);
	return n;
}

static ssize_t io_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	(void)userdata;
	if (nopens && count >= 1 &&
	    iov[0].iov_len == sizeof(struct fuse_out_header)) {
		const struct fuse_out_header *out = iov[0].iov_base;

		if (out->unique && forget(out->unique) && out->error == 0 &&
		    count >= 2 && iov[1].iov_len >= sizeof(struct fuse_open_out))
			((struct fuse_open_out *)iov[1].iov_base)->open_flags |=
				FOPEN_STREAM;
	}
	return writev(fd, iov, count);
}

int fuseio_install(struct fuse_session *se)
{
	static const struct fuse_custom_io io = {
		.read = io_read,
		.writev = io_writev,
	};

	return fuse_session_custom_io(se, &io, fuse_session_fd(se));
}
