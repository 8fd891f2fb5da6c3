/* sock.h: socket objects. A socket is a directory of the tree; it may exist
 * before its file descriptor (mkdir, then "socket" or "connect" on its
 * ctl). Sockets are found by id (from inode numbers) and by name (from
 * paths); ids and assigned names are never reused while mounted. */
#ifndef NETFS_SOCK_H
#define NETFS_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "hash.h"
#include "list.h"
#include "loop.h"
#include "parse.h"

#define SOCK_NAME_MAX 64

enum sstate {
	SS_IDLE,		/* no file descriptor yet */
	SS_OPEN,		/* socket(2) done */
	SS_BOUND,
	SS_LISTENING,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_CLOSED,		/* closed; kept while files are open */
};

struct dial;

struct sock {
	uint64_t id;
	uint64_t kept;		/* files whose names the kernel keeps, bit
				 * code - C_SOCKDIR (tree_keep_file) */
	char name[SOCK_NAME_MAX + 1];
	struct hnode by_id, by_name;
	struct list all;	/* every socket in the tree, oldest first */
	unsigned refs;		/* the tree's, each open file's, each job's */

	int fd;			/* -1 before socket(2) and after close */
	struct watch w;		/* fd in the epoll set, edge triggered */
	int family, type, proto;
	enum sstate state;
	bool fd_implicit;	/* made by connect/bind for the address's
				 * family: may be remade for another one */
	bool ephemeral;		/* close when no file is open any more */
	bool ephemeral_wait;	/* ...but not before a data, accept,
				 * recvfrom or sendto file has opened */
	bool rd_shut, wr_shut;
	uint8_t p9hdr;		/* Plan 9 UDP `headers` (p9.c): enum p9hdr */
	bool p9pktinfo;		/* IP(V6)_PKTINFO asked for, for them */

	uid_t uid;		/* owner of the directory and its files */
	uid_t charged;		/* whose -o max_user_sockets share it uses */
	gid_t gid;
	mode_t mode;		/* permission bits of the directory */
	struct fmode {		/* files chmod'ed apart from the directory */
		uint16_t code;
		uint16_t mode;
	} *fmodes;
	unsigned nfmodes;
	struct timespec ctime;

	int64_t timeout;	/* ns; -1 blocking, 0 non-blocking */
	int64_t idle;		/* ns with no file open before the socket
				 * closes; -1 never */
	struct timer idle_timer;	/* armed while no file is open */
	int recvflags, sendflags;	/* MSG_* for data I/O (sockopt.c) */
	int err;		/* last error, 0 if none */
	char *errtext;		/* "ECONNREFUSED Connection refused...", or NULL */

	unsigned nopen;		/* open files in the directory */
	struct list ofiles;	/* those files, for poll notification */
	struct list readers;	/* parked reads of data */
	struct list writers;	/* parked writes of data */
	struct list unsent;	/* answered writes' bytes the socket did
				 * not take yet (data.c early_write) */
	struct list acceptors;	/* parked reads of accept */
	struct dial *dial;	/* connect/bind in progress */

	uint64_t rx_bytes, tx_bytes, rx_calls, tx_calls, accepted;
};

/* 0 if the mount may hold one more socket, else EMFILE with a detail
 * naming the -o max_sockets cap. */
int sock_check_room(void);
/* A new socket in the tree, without a file descriptor. name NULL assigns
 * the next number. NULL with errno-style *err (EEXIST, EINVAL, EMFILE for
 * the -o max_sockets cap, ENOMEM). */
struct sock *sock_new(const char *name, uid_t uid, gid_t gid, int *err);
struct sock *sock_by_id(uint64_t id);
struct sock *sock_by_name(const char *name, size_t len);
/* Every socket in the tree, in creation order; fn may not close any. */
void sock_foreach(void (*fn)(struct sock *s, void *arg), void *arg);

void sock_get(struct sock *s);
void sock_put(struct sock *s);

struct cred;
/* socket(2) for s, made as the caller `as` (perm.h act_as), so the kernel
 * refuses raw sockets to whoever may not have them: 0 or a negative
 * errno with a detail. */
int sock_create_fd(struct sock *s, int family, int type, int proto,
		   const struct cred *as);
/* setsockopt(2) as the caller `as` (privileged options are the
 * kernel's to refuse): 0 or a negative errno with a detail. */
int sock_setopt(struct sock *s, int level, int name, const void *val,
		socklen_t len, const struct cred *as);
/* listen(2) as `as`, so that SO_PEERCRED of the listener's connections
 * names the user, not root: 0 or a negative errno with a detail. */
int sock_listen(struct sock *s, int backlog, const struct cred *as);
/* getsockopt(2) as `as` (the kernel answers privileged options as for a
 * direct call); options that would return a descriptor are refused. */
int sock_getopt(struct sock *s, int level, int name, void *val,
		socklen_t *len, const struct cred *as);
/* Adopts fd (non-blocking, close-on-exec), e.g. from accept4(). */
int sock_attach_fd(struct sock *s, int fd, int family, int type, int proto);
/* Closes the descriptor but keeps the socket (a failed implicit one). */
void sock_drop_fd(struct sock *s);

/* Removes s from the tree, fails its parked requests with EBADF and
 * closes its descriptor. Open files keep the memory until released. */
void sock_close(struct sock *s);
/* Closes every socket (unmount). */
void sock_close_all(void);

/* The last file open in s closed (nopen reached 0): an ephemeral socket
 * closes, another starts counting its idle time. */
void sock_unused(struct sock *s);
/* Whether a file of that code starts an ephemeral socket's use: data,
 * accept, recvfrom, sendto, Plan 9's data and listen. */
bool sock_io_file(unsigned code);
/* Makes s ephemeral (the ctl command): it closes at the last close once
 * such a file is or has been open, not at the close of that ctl. */
void sock_set_ephemeral(struct sock *s);
/* "none" or seconds above 0: the idle time of ctl's `idle` and -o idle.
 * 0, or -EINVAL with a detail. */
int sock_parse_idle(struct field f, int64_t *ns);

/* Records err with detail (may be "" or NULL) in the `error` file and the
 * debug log; err 0 clears it. */
void sock_seterr(struct sock *s, int err, const char *detail);
/* Records a read, write or accept that failed with err while `what`
 * ("receiving", ...): a timeout, an interrupt, non-blocking EAGAIN. Not on
 * a closed socket, whose EBADF says it all. */
void sock_failed(struct sock *s, int err, const char *what);

/* Answers what parked requests can be answered now: after readiness, a
 * state change or a shutdown (data_serve, accept_serve). */
void sock_kick(struct sock *s);
/* Tells pollers of the socket's files to poll again. */
void sock_notify_pollers(struct sock *s);

/* The permission bits chmod gave the file with that code, or 0. */
mode_t sock_file_mode(const struct sock *s, unsigned code);
int sock_set_file_mode(struct sock *s, unsigned code, mode_t mode);

bool sock_is_msg(const struct sock *s);	/* one read/write per message */
const char *sock_state_name(enum sstate st);

#endif
