/* fuse_uring.c: FUSE over io_uring (-o uring). The kernel hands requests
 * to "ring entries" the daemon registered with IORING_OP_URING_CMD, one
 * queue per possible CPU (a request goes to the queue of the CPU its
 * caller runs on); COMMIT_AND_FETCH sends an entry's reply and takes the
 * next request into it. Everything runs on the loop thread: the ring's
 * completions wake the epoll loop through an eventfd, each request is
 * rebuilt in front of its payload into the bytes libfuse expects from
 * /dev/fuse, and fuseio.c's writev hook hands replies back here by their
 * unique id. /dev/fuse stays open beside the ring: the kernel still sends
 * INIT, FORGET and INTERRUPT there, and notifications go there.
 *
 * An entry is held from the request's arrival to its reply, and netfs
 * parks requests (a blocked read) for as long as the socket takes. When
 * every entry of a queue is held the kernel queues further requests of
 * that CPU and gives one to an entry only when that entry commits: new
 * entries do not take them. So: a queue grows by a chunk of entries
 * whenever fewer than ENT_LOW are free, payloads being untouched
 * MAP_NORESERVE memory until a request uses them; and a queue seen with
 * every entry held may have requests waiting behind parked ones, so it
 * is "backlogged" until one of its commits takes no request with it (the
 * kernel's queue was empty), and while it is, a thread pinned to that CPU
 * makes a lookup of a name that does not exist: the lookup reaches a
 * fresh entry, and its commit takes one waiting request along. A kick
 * that a burst of parking requests beat to the fresh entries waits in
 * the kernel's queue itself: another thread kicks again after a while.
 *
 * A request that waits (parked, or for a name service) is watched for an
 * interrupt the kernel did not send (fuse_uring.h): once, LOST_INTR_NS
 * after it began to wait, its caller's /proc status says whether a signal
 * is pending for it. See docs/DECISIONS.md. */
#include "fuse_uring.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <liburing.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuseio.h"
#include "hash.h"
#include "list.h"
#include "log.h"
#include "loop.h"
#include "netfs.h"
#include "procsig.h"

/* Entries come in chunks of ENT_CHUNK, one mapping each; a queue grows
 * by a chunk when fewer than ENT_LOW of its entries are free. */
#define ENT_CHUNK 32
#define ENT_LOW 16
/* An entry's mapping: the header buffer at the start, the payload at
 * PAYLOAD_OFF; a request's fuse_in_header and argument are copied just in
 * front of its payload, so that libfuse reads one contiguous message. */
#define PAYLOAD_OFF 4096
#define BATCH 64
/* How long a waiting request goes before its caller is looked at. */
#define LOST_INTR_NS (50 * 1000000LL)

struct queue;

struct ent {
	struct fuse_uring_req_header *hdr;
	char *payload;
	struct iovec iov[2];	/* registered; read by the kernel */
	struct queue *q;
	uint64_t unique;	/* of the request held, while held */
	struct hnode hn;	/* in the table of held entries */
	bool dead;		/* its command failed: the kernel dropped it */
	bool commit_later;	/* replied while its request is processed */
	bool busy;		/* its request's payload is still read */
	/* A waiting request's lost-interrupt watch (fuse_uring_watch). */
	bool watched;		/* once per request */
	struct list wlink;	/* in the watch list while due */
	int64_t watch_at;
	pid_t pid;
	void (*intr)(void *);
	void *intr_arg;
};

struct chunk {
	struct chunk *next;
	void *mem;
	size_t len;
	struct ent ents[ENT_CHUNK];
};

struct queue {
	unsigned qid;
	unsigned nent, nheld;
	unsigned nready;	/* completions not read yet (note_full) */
	bool backlog;		/* the kernel may queue requests */
	unsigned kicks_out;	/* kicks asked for or under way */
	int64_t kick_at;	/* when the last one was asked for */
	bool full_logged;
};

static bool want, active;
static struct io_uring ring;
static bool ring_up;
static int fusefd = -1;
static struct fuse_session *se;
static size_t payload_max, ent_size;
static struct queue *queues;
static unsigned nqueues;
static struct chunk *chunks;
static struct watch cqwatch = { .fd = -1 };
static struct ent *cur;		/* the entry whose request is processed */
/* The reply to a request that carries a payload (WRITE's bytes, a
 * name), made while that request is processed, waits here: the payload
 * buffer is also the reply's, and the handler may still read the request
 * after it answered (data.c answers a small write before sending it). */
static char *stage;
static size_t stage_len;
static bool dispatched;		/* a request came through the ring */

/* Held entries by unique id. */
static struct htab held;

/* The kick threads: each makes a lookup from a given CPU. A kick can
 * itself find no free entry, when requests that park take the free ones
 * first (a burst of them): its lookup then waits in the kernel's queue
 * with the rest, until a commit on that queue brings it. So a queue still
 * backlogged KICK_RETRY_NS after its last kick gets another, from another
 * thread, started when every thread has a kick; once the burst is over a
 * kick finds a free entry, and each kick that does brings one waiting
 * request, the stuck kicks among them. At most KICKERS threads. */
#define KICKERS 32
#define KICK_RETRY_NS (10 * 1000000LL)
#define KICK_STACK (256 * 1024)
static struct kicker {
	pthread_t t;
	bool up;		/* its thread runs */
	bool busy;		/* in its lookup */
} kickers[KICKERS];
/* Threads running (under kmu). The first thread stays; the others end
 * after KICK_IDLE_S without a kick. */
static unsigned nkickers;
#define KICK_IDLE_S 1
static bool kick_quit;
static pthread_mutex_t kmu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kcv = PTHREAD_COND_INITIALIZER;
static unsigned *kick_want, *kick_done;	/* counts, by queue */
static struct timer ktimer;
static struct watch kwatch = { .fd = -1 };
static const char *kick_prefix;	/* each thread looks up its own name */

/* Watched requests, by the time they are due; one timer for the first. */
static struct list watching = { &watching, &watching };
static struct timer wtimer;

void fuse_uring_want(void)
{
	want = true;
}

static struct ent *held_find(uint64_t unique)
{
	uint64_t h = hash_u64(unique);
	struct hnode *n;

	for (n = ht_chain(&held, h); n; n = n->next) {
		struct ent *e = container_of(n, struct ent, hn);

		if (n->hash == h && e->unique == unique)
			return e;
	}
	return NULL;
}

/* The kernel numbers queues by CPU, for every possible CPU. */
static unsigned possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "re");
	unsigned a, b, max = 0;
	int c;

	if (!f)
		return (unsigned)sysconf(_SC_NPROCESSORS_CONF);
	while (fscanf(f, "%u", &a) == 1) {
		b = a;
		c = fgetc(f);
		if (c == '-' && fscanf(f, "%u", &b) == 1)
			c = fgetc(f);
		if (b + 1 > max)
			max = b + 1;
		if (c != ',')
			break;
	}
	fclose(f);
	return max ? max : 1;
}

bool fuse_uring_offered(bool offer)
{
	struct io_uring_params p;
	int r;

	if (!want)
		return false;
	if (!offer) {
		log_warn("uring: the kernel does not offer FUSE over io_uring "
			 "(/sys/module/fuse/parameters/enable_uring): "
			 "using /dev/fuse");
		return false;
	}
	if (ring_up)
		return true;
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128 | IORING_SETUP_CQSIZE |
		  IORING_SETUP_SINGLE_ISSUER;
	p.cq_entries = 4096;
	r = io_uring_queue_init_params(256, &ring, &p);
	if (r == -EINVAL) {
		p.flags &= ~IORING_SETUP_SINGLE_ISSUER;
		r = io_uring_queue_init_params(256, &ring, &p);
	}
	if (r < 0) {
		log_warn("uring: no io_uring (%s): using /dev/fuse",
			 strerror(-r));
		return false;
	}
	ring_up = true;
	return true;
}

static struct io_uring_sqe *sqe_get(void)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

	if (!sqe) {
		io_uring_submit(&ring);
		sqe = io_uring_get_sqe(&ring);
	}
	return sqe;
}

static bool sqe_cmd(struct ent *e, uint32_t op, uint64_t commit_id)
{
	struct io_uring_sqe *sqe = sqe_get();
	struct fuse_uring_cmd_req *cr;

	if (!sqe)
		return false;
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fusefd,
			 op == FUSE_IO_URING_CMD_REGISTER ? e->iov : NULL,
			 op == FUSE_IO_URING_CMD_REGISTER ? 2 : 0, 0);
	sqe->cmd_op = op;	/* shares its place with the offset */
	cr = (struct fuse_uring_cmd_req *)sqe->cmd;
	memset(cr, 0, sizeof(*cr));
	cr->commit_id = commit_id;
	cr->qid = (uint16_t)e->q->qid;
	io_uring_sqe_set_data(sqe, e);
	return true;
}

/* Maps and registers a chunk of entries on queue q. */
static int grow(struct queue *q)
{
	struct chunk *c = calloc(1, sizeof(*c));
	unsigned i;

	if (!c)
		return -ENOMEM;
	c->len = (size_t)ENT_CHUNK * ent_size;
	c->mem = mmap(NULL, c->len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (c->mem == MAP_FAILED) {
		free(c);
		return -ENOMEM;
	}
	c->next = chunks;
	chunks = c;
	for (i = 0; i < ENT_CHUNK; i++) {
		struct ent *e = &c->ents[i];
		char *base = (char *)c->mem + (size_t)i * ent_size;

		e->q = q;
		list_init(&e->wlink);
		e->hdr = (struct fuse_uring_req_header *)base;
		e->payload = base + PAYLOAD_OFF;
		e->iov[0].iov_base = e->hdr;
		e->iov[0].iov_len = sizeof(*e->hdr);
		e->iov[1].iov_base = e->payload;
		e->iov[1].iov_len = payload_max;
		if (!sqe_cmd(e, FUSE_IO_URING_CMD_REGISTER, 0)) {
			e->dead = true;
			continue;
		}
		q->nent++;
	}
	return 0;
}

static void top_up(struct queue *q)
{
	if (q->nent - q->nheld >= ENT_LOW)
		return;
	if (grow(q) < 0 && !q->full_logged) {
		q->full_logged = true;
		log_warn("uring: queue %u cannot grow past %u entries",
			 q->qid, q->nent);
	}
}

static void kicker_add(void);

/* Asks for a kick of queue q, from a thread of its own if every thread
 * has one (they may wait in the kernel's queue: see above). */
static void kick_ask(struct queue *q, int64_t now)
{
	unsigned i, out = 0;

	if (q->kicks_out && now - q->kick_at < KICK_RETRY_NS)
		return;
	for (i = 0; i < nqueues; i++)
		out += queues[i].kicks_out;
	pthread_mutex_lock(&kmu);
	if (out >= nkickers)
		kicker_add();
	if (out < nkickers) {
		q->kicks_out++;
		q->kick_at = now;
		kick_want[q->qid]++;
		pthread_cond_signal(&kcv);
	}
	pthread_mutex_unlock(&kmu);
}

static void kick_retry(struct timer *t);

/* Whether each queue may have requests waiting in the kernel: the kernel
 * queues a request only when every entry of its queue is taken, that is
 * held by us or with a completion we have not read yet. Growing a queue
 * does not bring those requests, so settle() looks after every batch,
 * before the queues grow. */
static void note_full(void)
{
	struct io_uring_cqe *cqe;
	unsigned head, i;

	for (i = 0; i < nqueues; i++)
		queues[i].nready = 0;
	io_uring_for_each_cqe(&ring, head, cqe) {
		struct ent *e = io_uring_cqe_get_data(cqe);

		if (e)
			e->q->nready++;
	}
	for (i = 0; i < nqueues; i++)
		if (queues[i].nheld + queues[i].nready >= queues[i].nent)
			queues[i].backlog = true;
}

/* After a batch: every queue keeps free entries, the commits and
 * registrations go to the kernel, and then a backlogged queue gets a
 * kick. Not before: a kick's lookup that finds no free entry waits in
 * the kernel's queue behind the requests it was to bring, and no kick
 * follows it. */
static void settle(void)
{
	int64_t now = 0;
	bool waiting = false;
	unsigned i;

	note_full();
	for (i = 0; i < nqueues; i++)
		top_up(&queues[i]);
	io_uring_submit(&ring);
	for (i = 0; i < nqueues; i++) {
		if (!queues[i].backlog)
			continue;
		if (!now)
			now = mono_ns();
		kick_ask(&queues[i], now);
		waiting = true;
	}
	/* Nothing may come to call us again: look back ourselves. */
	if (waiting && !timer_armed(&ktimer))
		timer_set(&ktimer, now + KICK_RETRY_NS, kick_retry);
}

static void kick_retry(struct timer *t)
{
	(void)t;
	settle();
}

/* Whether entry e has a completion waiting: after the commit of e, one
 * means that the kernel had a request for e at once. */
static bool cq_has(struct ent *e)
{
	struct io_uring_cqe *cqe;
	unsigned head;

	io_uring_for_each_cqe(&ring, head, cqe)
		if (io_uring_cqe_get_data(cqe) == e)
			return true;
	return false;
}

static void commit(struct ent *e, uint64_t unique)
{
	struct queue *q = e->q;

	if (!sqe_cmd(e, FUSE_IO_URING_CMD_COMMIT_AND_FETCH, unique)) {
		/* Cannot happen after a submit freed the ring. */
		log_err("uring: no submission slot for a reply");
		return;
	}
	io_uring_submit(&ring);
	/* The fetch runs within the submit: an empty kernel queue leaves
	 * the entry waiting, a waiting request completes it at once. */
	q->backlog = cq_has(e);
}

static void release(struct ent *e)
{
	ht_remove(&held, &e->hn);
	e->q->nheld--;
	list_del(&e->wlink);
	e->watched = false;
	e->intr = NULL;
}

/* The reply header of entry e: error, and n bytes in its payload. */
static void set_reply(struct ent *e, uint64_t unique, int error, size_t n)
{
	struct fuse_out_header out = {
		.len = (uint32_t)(sizeof(out) + n),
		.error = error,
		.unique = unique,
	};

	memcpy(e->hdr->in_out, &out, sizeof(out));
	e->hdr->ring_ent_in_out.payload_sz = (uint32_t)n;
}

bool fuse_uring_reply(const struct iovec *iov, int count)
{
	const struct fuse_out_header *out = iov[0].iov_base;
	struct ent *e;
	size_t n = 0;
	int i;

	if (!active || !out->unique)
		return false;
	e = held_find(out->unique);
	if (!e)
		return false;
	for (i = 1; i < count; i++) {
		size_t len = iov[i].iov_len;

		if (len > payload_max - n) {
			/* libfuse never replies more than a request allows */
			fuse_uring_commit(out->unique, -EIO, 0);
			return true;
		}
		memcpy((e->busy ? stage : e->payload) + n, iov[i].iov_base,
		       len);
		n += len;
		if (e->busy)
			stage_len = n;
	}
	fuse_uring_commit(out->unique, out->error, n);
	return true;
}

char *fuse_uring_payload(uint64_t unique, size_t *cap)
{
	struct ent *e = active ? held_find(unique) : NULL;

	if (!e || e->busy)
		return NULL;
	*cap = payload_max;
	return e->payload;
}

void fuse_uring_commit(uint64_t unique, int error, size_t n)
{
	struct ent *e = held_find(unique);

	if (!e)
		return;
	set_reply(e, unique, error, n);
	release(e);
	if (e == cur) {
		/* libfuse may still read the request: the commit brings the
		 * next one into the same buffers. After it is processed. */
		e->commit_later = true;
		e->unique = unique;
		return;
	}
	commit(e, unique);
}

/* Whether thread pid has a signal pending that it does not block. */
static bool signalled(pid_t pid)
{
	char path[64], buf[4096];
	struct procsig ps;
	size_t n = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	while (n < sizeof(buf) &&
	       (r = read(fd, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)r;
	close(fd);
	return procsig_parse(buf, n, &ps) == 0 && procsig_waiting(&ps);
}

static void watch_due(struct timer *t)
{
	int64_t now = mono_ns();
	struct ent *e;

	while ((e = list_first(&watching, struct ent, wlink))) {
		if (e->watch_at > now) {
			timer_set(t, e->watch_at, watch_due);
			return;
		}
		list_del(&e->wlink);
		if (signalled(e->pid)) {
			log_debug("uring: request %llu: its caller %d was "
				  "signalled and no interrupt came",
				  (unsigned long long)e->unique, (int)e->pid);
			e->intr(e->intr_arg);	/* answers: releases e */
		}
	}
}

void fuse_uring_watch(uint64_t unique, pid_t pid, void (*intr)(void *),
		      void *arg)
{
	struct ent *e = active ? held_find(unique) : NULL;

	if (!e || e->watched || pid <= 0)
		return;
	e->watched = true;
	e->pid = pid;
	e->intr = intr;
	e->intr_arg = arg;
	e->watch_at = mono_ns() + LOST_INTR_NS;
	list_add_tail(&watching, &e->wlink);
	if (!timer_armed(&wtimer))
		timer_set(&wtimer, e->watch_at, watch_due);
}

/* A request arrived in e: rebuild it as /dev/fuse would give it and let
 * libfuse process it. */
static void dispatch(struct ent *e)
{
	const struct fuse_in_header *in = (const void *)e->hdr->in_out;
	uint32_t psz = e->hdr->ring_ent_in_out.payload_sz;
	struct queue *q = e->q;
	struct fuse_buf fb = { 0 };
	size_t oplen;
	char *msg;

	dispatched = true;
	e->unique = in->unique;
	if (ht_insert(&held, &e->hn, hash_u64(e->unique)) < 0) {
		set_reply(e, e->unique, -ENOMEM, 0);
		commit(e, e->unique);
		return;
	}
	q->nheld++;	/* settle() looks whether that took the last entry */
	if (in->len < sizeof(*in) + psz || psz > payload_max ||
	    in->len - sizeof(*in) - psz > FUSE_URING_OP_IN_OUT_SZ) {
		log_err("uring: malformed request (opcode %u, len %u)",
			in->opcode, in->len);
		fuse_uring_commit(e->unique, -EIO, 0);
		return;
	}
	oplen = in->len - sizeof(*in) - psz;
	msg = e->payload - oplen - sizeof(*in);
	memcpy(msg + sizeof(*in), e->hdr->op_in, oplen);
	memcpy(msg, in, sizeof(*in));
	fuseio_note_request(msg, in->len);
	fb.mem = msg;
	fb.size = in->len;
	cur = e;
	e->busy = psz > 0;
	fuse_session_process_buf(se, &fb);
	cur = NULL;
	if (e->commit_later) {
		if (e->busy)
			memcpy(e->payload, stage, stage_len);
		e->commit_later = false;
		commit(e, e->unique);
	}
	e->busy = false;
	stage_len = 0;
	loop_close_deferred();
	if (fuse_session_exited(se))
		loop_quit();
}

static void completion(struct ent *e, int res)
{
	if (res == 0) {
		dispatch(e);
		return;
	}
	/* The kernel has let go of the entry: the connection is going away
	 * (ENOTCONN, ECANCELED), or a registration or commit was refused. */
	if (!e->dead) {
		e->dead = true;
		e->q->nent--;
	}
	if (res == -ENOTCONN || res == -ECANCELED)
		return;
	log_warn("uring: queue %u: %s%s", e->q->qid, strerror(-res),
		 dispatched ? "" : ": using /dev/fuse");
}

/* The eventfd is edge-triggered and never read: each completion is a new
 * edge, and a request costs no read(2) of it. */
static void cq_ready(struct watch *w, uint32_t events)
{
	struct io_uring_cqe *cqe;
	int i;

	(void)events;
	for (i = 0; i < BATCH; i++) {
		struct ent *e;
		int res;

		if (io_uring_peek_cqe(&ring, &cqe) != 0)
			break;
		e = io_uring_cqe_get_data(cqe);
		res = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
		if (e)
			completion(e, res);
	}
	/* A bounded batch, so that sockets get their turn: come back. */
	if (i == BATCH)
		eventfd_write(w->fd, 1);
	settle();
}

static void *kick_main(void *arg)
{
	struct kicker *k = arg;
	char path[PATH_MAX];
	bool idle = false;
	struct timespec ts;
	cpu_set_t set;
	struct stat st;
	unsigned q;

	/* Lookups of one name wait for each other in the kernel. */
	snprintf(path, sizeof(path), "%s%u", kick_prefix,
		 (unsigned)(k - kickers));
	pthread_mutex_lock(&kmu);
	while (!kick_quit) {
		for (q = 0; q < nqueues && !kick_want[q]; q++)
			;
		if (q == nqueues && k == kickers) {
			pthread_cond_wait(&kcv, &kmu);
			continue;
		}
		if (q == nqueues && !idle) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += KICK_IDLE_S;
			idle = pthread_cond_timedwait(&kcv, &kmu, &ts) ==
			       ETIMEDOUT;
			continue;
		}
		if (q == nqueues) {
			k->up = false;
			nkickers--;
			pthread_detach(pthread_self());
			break;
		}
		idle = false;
		kick_want[q]--;
		k->busy = true;
		pthread_mutex_unlock(&kmu);
		/* The kernel picks the queue by the caller's CPU. */
		CPU_ZERO(&set);
		CPU_SET(q, &set);
		if (sched_setaffinity(0, sizeof(set), &set) == 0)
			stat(path, &st);	/* ENOENT, by a request */
		pthread_mutex_lock(&kmu);
		k->busy = false;
		/* After fuse_uring_fini (the answer came with the unmount)
		 * nothing here is ours any more. */
		if (kick_quit)
			break;
		kick_done[q]++;
		eventfd_write(kwatch.fd, 1);
	}
	pthread_mutex_unlock(&kmu);
	return NULL;
}

static void kick_ready(struct watch *w, uint32_t events)
{
	uint64_t v;
	unsigned q;

	(void)events;
	if (read(w->fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_warn("uring: eventfd: %m");
	pthread_mutex_lock(&kmu);
	for (q = 0; q < nqueues; q++) {
		queues[q].kicks_out -= kick_done[q];
		kick_done[q] = 0;
	}
	pthread_mutex_unlock(&kmu);
	settle();
}

/* Under kmu. */
static void kicker_add(void)
{
	pthread_attr_t a;
	unsigned i;

	for (i = 0; i < KICKERS && kickers[i].up; i++)
		;
	if (i == KICKERS || pthread_attr_init(&a) != 0)
		return;
	pthread_attr_setstacksize(&a, KICK_STACK);
	if (pthread_create(&kickers[i].t, &a, kick_main, &kickers[i]) == 0) {
		kickers[i].up = true;
		nkickers++;
	}
	pthread_attr_destroy(&a);
}

static int kicker_start(void)
{
	static char prefix[PATH_MAX - 8];
	int fd, r;

	if (snprintf(prefix, sizeof(prefix), "%s/.netfs-uring-kick-",
		     nfs.mountpoint) >= (int)sizeof(prefix))
		return -ENAMETOOLONG;
	kick_prefix = prefix;
	kick_want = calloc(nqueues, sizeof(*kick_want));
	kick_done = calloc(nqueues, sizeof(*kick_done));
	if (!kick_want || !kick_done)
		return -ENOMEM;
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = watch_add(&kwatch, fd, EPOLLIN, kick_ready);
	if (r < 0) {
		close(fd);
		return r;
	}
	pthread_mutex_lock(&kmu);
	kicker_add();
	r = nkickers ? 0 : -EAGAIN;
	pthread_mutex_unlock(&kmu);
	return r;
}

void fuse_uring_start(struct fuse_session *s, size_t pmax)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned i;
	int fd, r;

	se = s;
	fusefd = fuse_session_fd(s);
	payload_max = pmax;
	ent_size = PAYLOAD_OFF + ((pmax + (size_t)page - 1) & ~((size_t)page - 1));
	nqueues = possible_cpus();
	queues = calloc(nqueues, sizeof(*queues));
	stage = malloc(pmax);
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (!queues || !stage || fd < 0) {
		log_warn("uring: out of resources: using /dev/fuse");
		if (fd >= 0)
			close(fd);
		return;
	}
	r = io_uring_register_eventfd(&ring, fd);
	if (r == 0)
		r = watch_add(&cqwatch, fd, EPOLLIN | EPOLLET, cq_ready);
	if (r == 0)
		r = kicker_start();
	if (r < 0) {
		log_warn("uring: %s: using /dev/fuse", strerror(-r));
		if (cqwatch.fd < 0)
			close(fd);
		return;
	}
	for (i = 0; i < nqueues; i++) {
		queues[i].qid = i;
		grow(&queues[i]);
	}
	active = true;
	io_uring_submit(&ring);
	log_info("uring: %u queues of %u entries, %zu KiB payloads",
		 nqueues, queues[0].nent, payload_max >> 10);
}

void fuse_uring_fini(void)
{
	struct kicker k[KICKERS];
	unsigned i;

	pthread_mutex_lock(&kmu);
	kick_quit = true;
	memcpy(k, kickers, sizeof(k));
	pthread_cond_broadcast(&kcv);
	pthread_mutex_unlock(&kmu);
	/* A kick under way waits for an answer the loop no longer gives,
	 * until the unmount: it ends by itself then, touching nothing. */
	for (i = 0; i < KICKERS; i++) {
		if (k[i].up && k[i].busy)
			pthread_detach(k[i].t);
		else if (k[i].up)
			pthread_join(k[i].t, NULL);
	}
	nkickers = 0;
	timer_stop(&ktimer);
	if (kwatch.fd >= 0) {
		int fd = kwatch.fd;

		watch_del(&kwatch);
		close(fd);
	}
	if (cqwatch.fd >= 0) {
		int fd = cqwatch.fd;

		watch_del(&cqwatch);
		close(fd);
	}
	timer_stop(&wtimer);
	list_init(&watching);
	if (ring_up)
		io_uring_queue_exit(&ring);
	ring_up = active = false;
	/* The entries' buffers stay mapped until the unmount: until then
	 * the kernel may still copy a request into one. */
	free(kick_want);
	free(kick_done);
	free(queues);
	queues = NULL;
	ht_free(&held);
	free(stage);
	stage = NULL;
}

static void *unmount_main(void *arg)
{
	fuse_session_unmount(arg);
	return NULL;
}

void fuse_uring_unmount(struct fuse_session *s)
{
	struct chunk *c;
	pthread_t t;

	/* The join sleeps interruptibly: the kernel's task work wakes it,
	 * runs, and the join goes on. */
	if (chunks && pthread_create(&t, NULL, unmount_main, s) == 0)
		pthread_join(t, NULL);
	else
		fuse_session_unmount(s);
	while ((c = chunks)) {
		chunks = c->next;
		munmap(c->mem, c->len);
		free(c);
	}
}
