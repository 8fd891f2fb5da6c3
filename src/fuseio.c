/* fuseio.c: FOPEN_STREAM for libfuse 3.14, which cannot ask for it.
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
 * concurrent lookups and readdirs of a directory need nothing more. */
#include "fuseio.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/fuse.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tree.h"

/* OPEN requests of stream files awaiting their reply; a few at most, since
 * opens are answered at once. Loop thread only. */
static uint64_t *opens;
static size_t nopens, capopens;
/* The INIT request, and whether the kernel offered parallel dirops. */
static uint64_t init_unique;
static bool init_parallel;

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
	if (n >= (ssize_t)(sizeof(*in) + sizeof(struct fuse_init_in)) &&
	    in->opcode == FUSE_INIT) {
		const struct fuse_init_in *init = (const void *)(in + 1);

		init_unique = in->unique;
		init_parallel = init->flags & FUSE_PARALLEL_DIROPS;
	}
	if (n >= (ssize_t)sizeof(*in) && in->opcode == FUSE_OPEN &&
	    tree_is_stream(in->nodeid))
		remember(in->unique);
	return n;
}

static ssize_t io_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	(void)userdata;
	if (init_unique && count >= 2 &&
	    iov[0].iov_len == sizeof(struct fuse_out_header) &&
	    iov[1].iov_len >= offsetof(struct fuse_init_out, max_background)) {
		const struct fuse_out_header *out = iov[0].iov_base;

		if (out->unique == init_unique) {
			if (out->error == 0 && init_parallel)
				((struct fuse_init_out *)iov[1].iov_base)->flags |=
					FUSE_PARALLEL_DIROPS;
			init_unique = 0;
		}
	}
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
