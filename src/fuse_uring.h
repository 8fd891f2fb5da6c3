/* fuse_uring.h: FUSE requests and replies through io_uring (-o uring)
 * instead of read(2) and writev(2) on /dev/fuse (fuse_uring.c). */
#ifndef NETFS_FUSE_URING_H
#define NETFS_FUSE_URING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/fuse.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "fuse_fe.h"

/* The FUSE over io_uring ABI (protocol 7.42, Linux 6.14), from the
 * kernel's include/uapi/linux/fuse.h, for userland headers older than
 * that (Debian 12's are 7.38). */
#ifndef FUSE_OVER_IO_URING
#define FUSE_OVER_IO_URING (1ULL << 41)

#define FUSE_URING_IN_OUT_HEADER_SZ 128
#define FUSE_URING_OP_IN_OUT_SZ 128

struct fuse_uring_ent_in_out {
	uint64_t flags;
	uint64_t commit_id;	/* the request's unique id */
	uint32_t payload_sz;	/* bytes used in the payload buffer */
	uint32_t padding;
	uint64_t reserved;
};

/* The header buffer of an entry. */
struct fuse_uring_req_header {
	char in_out[FUSE_URING_IN_OUT_HEADER_SZ];	/* fuse_in/out_header */
	char op_in[FUSE_URING_OP_IN_OUT_SZ];	/* the opcode's argument */
	struct fuse_uring_ent_in_out ring_ent_in_out;
};

enum fuse_uring_cmd {
	FUSE_IO_URING_CMD_INVALID = 0,
	FUSE_IO_URING_CMD_REGISTER = 1,	/* sqe->addr: iovec[2] */
	FUSE_IO_URING_CMD_COMMIT_AND_FETCH = 2,
};

/* In the 80-byte command area of a 128-byte SQE. */
struct fuse_uring_cmd_req {
	uint64_t flags;
	uint64_t commit_id;
	uint16_t qid;
	uint8_t padding[6];
};
#endif

/* -o uring: try the ring when the kernel offers it. Before mounting. */
void fuse_uring_want(void);

/* At INIT, whether the kernel offers FUSE_OVER_IO_URING: sets up the
 * io_uring instance; true if the INIT reply should accept the offer. */
bool fuse_uring_offered(bool offer);
/* The INIT reply (accepting the offer) was written: registers the ring's
 * entries, payloads of payload_max bytes; requests arrive through the
 * loop. On failure the kernel goes on with /dev/fuse. */
void fuse_uring_start(struct fuse_session *se, size_t payload_max);

/* A reply (header in iov[0]) to a request that came through the ring is
 * committed to it: true then, false if it is not such a request. */
bool fuse_uring_reply(const struct iovec *iov, int count);
/* The payload buffer that will carry the reply to ring request unique,
 * NULL if it is not one; *cap gets its size. fuse_uring_commit() sends
 * the reply: error (0 or a negative errno), and the n bytes put there. */
char *fuse_uring_payload(uint64_t unique, size_t *cap);
void fuse_uring_commit(uint64_t unique, int error, size_t n);

/* Ring request unique waits in the daemon, its caller (thread pid)
 * blocked; intr(arg) answers it as interrupted. The kernel sends no
 * INTERRUPT for a caller signalled after the request took a ring entry
 * and before it reached us (it sets FR_SENT without looking at
 * FR_INTERRUPTED, as read(2) of /dev/fuse does), so a request that waits
 * LOST_INTR_NS is checked once: if its caller has a signal pending that
 * it does not block, intr(arg) is called. The watch ends with the answer.
 * Nothing for a request that did not come through the ring. */
void fuse_uring_watch(uint64_t unique, pid_t pid, void (*intr)(void *),
		      void *arg);

/* After the loop has stopped: no more requests through the ring. */
void fuse_uring_fini(void);

/* fuse_session_unmount(se), after fuse_uring_fini. If the ring was used,
 * from another thread: the kernel hands a request to a ring entry as
 * task work of the thread that submitted the entry (the loop thread), and
 * ending the connection waits, uninterruptibly, until every entry has
 * settled. The loop thread in that wait would never run the work: a
 * daemon stuck in D state for good, seen with SIGTERM. */
void fuse_uring_unmount(struct fuse_session *se);

#endif
