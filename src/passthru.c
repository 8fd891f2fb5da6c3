/* passthru.c: backing files for snapshot opens (see passthru.h).
 *
 * The first snapshot open of an inode gets a memfd holding its text,
 * registered with FUSE_DEV_IOC_BACKING_OPEN; the id goes into the OPEN
 * reply (fuseio.c). Later opens of the inode, while any is open, name the
 * same id. The id is closed when the last of them is released: the kernel
 * looks it up when the opener wakes with the reply, after our write, so
 * it cannot be closed sooner, and RELEASE reaches us after the kernel has
 * let the file go. Loop thread only. */
#include "passthru.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hash.h"
#include "log.h"

/* Linux 6.9 uapi, absent from older headers. */
struct fuse_backing_map_ {
	int32_t fd;
	uint32_t flags;
	uint64_t padding;
};
#define BACKING_OPEN _IOW(229, 1, struct fuse_backing_map_)
#define BACKING_CLOSE _IOW(229, 2, uint32_t)

struct held {
	struct hnode h;
	uint64_t ino;
	int id;			/* the kernel's backing id */
	unsigned refs;		/* opens that named it */
	size_t len;		/* the text it holds */
	char text[];
};

static int fuse_fd = -1;
static struct htab held;	/* inodes with a backing file in the kernel */

void passthru_enable(int fd)
{
	fuse_fd = fd;
}

static struct held *held_find(uint64_t ino)
{
	struct hnode *n;

	for (n = ht_chain(&held, hash_u64(ino)); n; n = n->next)
		if (((struct held *)n)->ino == ino)
			return (struct held *)n;
	return NULL;
}

/* The text in a memfd of its own. */
static int backing_fd(const void *buf, size_t len)
{
	int fd = memfd_create("netfs", MFD_CLOEXEC);
	size_t done = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (done < len) {
		n = write(fd, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			n = n < 0 ? -errno : -EIO;
			close(fd);
			return (int)n;
		}
		done += (size_t)n;
	}
	return fd;
}

static void backing_close(int id)
{
	if (fuse_fd >= 0 &&
	    ioctl(fuse_fd, BACKING_CLOSE, &(uint32_t){ (uint32_t)id }) < 0)
		log_warn("closing backing file %d: %m", id);
}

int passthru_open(uint64_t ino, const void *snap, size_t len, bool *direct)
{
	struct fuse_backing_map_ map = { .fd = -1 };
	struct held *h;

	*direct = true;
	if (fuse_fd < 0)
		return 0;
	h = held_find(ino);
	if (h) {
		h->refs++;
		*direct = !(snap && len == h->len &&
			    memcmp(snap, h->text, len) == 0);
		return h->id;
	}
	if (!snap)
		return 0;
	h = malloc(sizeof(*h) + len);
	if (!h)
		return 0;
	map.fd = backing_fd(snap, len);
	if (map.fd < 0) {
		free(h);
		return 0;
	}
	h->id = ioctl(fuse_fd, BACKING_OPEN, &map);
	if (h->id <= 0 && errno == EPERM) {
		/* Not ours to use (CAP_SYS_ADMIN): stop asking. */
		log_info("snapshot files are read through the daemon: "
			 "no FUSE passthrough (%m)");
		fuse_fd = -1;
	}
	close(map.fd);		/* the kernel holds the file */
	h->ino = ino;
	h->refs = 1;
	h->len = len;
	memcpy(h->text, snap, len);
	if (h->id <= 0 || ht_insert(&held, &h->h, hash_u64(ino)) < 0) {
		if (h->id > 0)
			backing_close(h->id);
		free(h);
		return 0;
	}
	*direct = false;
	return h->id;
}

void passthru_close(uint64_t ino)
{
	struct held *h = held_find(ino);

	if (!h || --h->refs)
		return;
	backing_close(h->id);
	ht_remove(&held, &h->h);
	free(h);
}

void passthru_fini(void)
{
	size_t i;
	struct hnode *n, *next;

	for (i = 0; i < held.nb; i++) {
		for (n = held.b[i]; n; n = next) {
			next = n->next;
			free(n);
		}
	}
	ht_free(&held);
	fuse_fd = -1;
}
