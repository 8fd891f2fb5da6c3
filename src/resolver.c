/* resolver.c: the worker pool (see resolver.h). Threads: the loop thread
 * owns everything in netfs; the workers own nothing but the job they run.
 * They meet only here: `lock` guards the request queue, the completion
 * queue and the counters, and an eventfd in the loop's epoll set says that
 * completions are waiting. */
#include "resolver.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"
#include "loop.h"
#include "names.h"

/* Each user has a queue of its own; workers take jobs from the queues in
 * turn, so a user with a thousand slow lookups delays another user's next
 * lookup by at most one turn. A user may hold at most a share of the
 * threads at once: three quarters of the maximum split among the users
 * with work, so a newcomer always finds threads free. Path calls (a unix bind, connect or sendto that walks the
 * file system) have a smaller share of their own, so a stalled file system
 * takes no more from that user than a few threads. Threads start when work
 * waits and none is idle, and leave after IDLE_NS without work. */
#define USER_QUEUE_MAX 1024
#define PATH_SHARE 4
#define IDLE_NS (10 * 1000000000LL)
#define STACK_SIZE (512 * 1024)
#define EXIT_WAIT_S 8

struct uq {
	uid_t uid;
	struct rjob *head, *last;
	unsigned queued;
	unsigned running, running_path;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more;	/* on CLOCK_MONOTONIC: resolver_init */
static pthread_cond_t gone = PTHREAD_COND_INITIALIZER;
/* All guarded by lock. */
static struct uq *users;		/* users with queued or running work */
static unsigned nusers, users_cap, turn;
static struct rjob *finished;
static unsigned pending;
static unsigned nthreads, idle, max_threads, high_water;
static unsigned in_path;			/* workers in a path call */
static bool stopping;

static struct watch wake = { .fd = -1 };	/* loop thread */

/* Workers are joinable, so that their thread-local state is gone before
 * netfs exits (valgrind counts it otherwise). One that leaves when idle
 * marks its slot; the next spawn or resolver_fini joins it. */
enum slot_state { SLOT_FREE, SLOT_RUNNING, SLOT_LEFT };
static pthread_t tids[RESOLVER_THREADS_MAX];
static enum slot_state slots[RESOLVER_THREADS_MAX];	/* under lock */

static struct uq *user_find(uid_t uid)
{
	unsigned i;

	for (i = 0; i < nusers; i++)
		if (users[i].uid == uid)
			return &users[i];
	return NULL;
}

/* A quarter of the threads stays free for users who have no work yet;
 * the users with work split the rest. */
static unsigned share(void)
{
	unsigned s = (max_threads - max_threads / 4) / (nusers ? nusers : 1);

	return s ? s : 1;
}

/* The next job a worker may run, in turn among users: under lock. */
static struct rjob *take(void)
{
	unsigned i, cap = share();

	for (i = 0; i < nusers; i++) {
		struct uq *u = &users[(turn + i) % nusers];
		struct rjob *j = u->head;

		if (!j || u->running >= cap ||
		    (j->path && u->running_path >= PATH_SHARE))
			continue;
		u->head = j->next;
		if (!u->head)
			u->last = NULL;
		u->queued--;
		u->running++;
		if (j->path)
			u->running_path++;
		turn = (turn + i + 1) % nusers;
		return j;
	}
	return NULL;
}

/* A job has run: its user's count goes down, and a user with nothing
 * left leaves the table. Under lock. */
static void ran(struct rjob *j)
{
	struct uq *u = user_find(j->uid);

	if (!u)
		return;
	u->running--;
	if (j->path)
		u->running_path--;
	if (u->queued == 0 && u->running == 0) {
		*u = users[--nusers];
		if (turn >= nusers)
			turn = 0;
	}
}

static void *worker(void *arg)
{
	size_t slot = (size_t)(uintptr_t)arg;

	pthread_mutex_lock(&lock);
	for (;;) {
		struct rjob *j;
		uint64_t one = 1;

		j = NULL;
		while (!stopping && !(j = take())) {
			struct timespec ts;
			int r;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_sec += IDLE_NS / 1000000000LL;
			idle++;
			r = pthread_cond_timedwait(&more, &lock, &ts);
			idle--;
			if (r == ETIMEDOUT && !stopping && !(j = take()))
				goto leave;
			if (j)
				break;
		}
		if (stopping)
			break;	/* take() runs only while not stopping */
		if (j->path)
			in_path++;
		pthread_mutex_unlock(&lock);

		j->work(j);

		pthread_mutex_lock(&lock);
		if (j->path)
			in_path--;
		ran(j);
		j->next = finished;
		finished = j;
		if (write(wake.fd, &one, sizeof(one)) < 0)
			log_err("resolver: eventfd: %m");
		/* A job held back by its user's share may run now. */
		pthread_cond_signal(&more);
	}
leave:
	nthreads--;
	slots[slot] = SLOT_LEFT;
	pthread_cond_broadcast(&gone);
	pthread_mutex_unlock(&lock);
	return NULL;
}
static void completions(struct watch *w, uint32_t events)
{
	struct rjob *list, *rev = NULL;
	uint64_t n;

	(void)events;
	if (read(w->fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_err("resolver: eventfd: %m");
	pthread_mutex_lock(&lock);
	list = finished;
	finished = NULL;
	pthread_mutex_unlock(&lock);
	while (list) {		/* oldest first */
		struct rjob *next = list->next;

		list->next = rev;
		rev = list;
		list = next;
	}
	while (rev) {
		struct rjob *next = rev->next;

		pthread_mutex_lock(&lock);
		pending--;
		pthread_mutex_unlock(&lock);
		rev->done(rev);
		rev = next;
	}
}

int resolver_init(unsigned max)
{
	pthread_condattr_t ca;
	int fd, r;

	if (max == 0 || max > RESOLVER_THREADS_MAX)
		return -EINVAL;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&more, &ca);
	pthread_condattr_destroy(&ca);
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = watch_add(&wake, fd, EPOLLIN, completions);
	if (r < 0) {
		close(fd);
		return r;
	}
	max_threads = max;
	return 0;
}

/* Starts one more worker, detached: under lock. Workers take no signals:
 * the loop's signalfd gets them all. */
/* Joins the workers that left: under lock (they are past it). */
static void reap(void)
{
	size_t i;

	for (i = 0; i < RESOLVER_THREADS_MAX; i++)
		if (slots[i] == SLOT_LEFT) {
			pthread_join(tids[i], NULL);
			slots[i] = SLOT_FREE;
		}
}

static void spawn(void)
{
	pthread_attr_t at;
	sigset_t all, old;
	size_t i;
	int r;

	reap();
	for (i = 0; i < RESOLVER_THREADS_MAX && slots[i] != SLOT_FREE; i++)
		;
	if (i == RESOLVER_THREADS_MAX)
		return;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, STACK_SIZE);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&tids[i], &at, worker, (void *)(uintptr_t)i);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&at);
	if (r != 0) {
		log_err("resolver: cannot start a thread: %s", strerror(r));
		return;
	}
	slots[i] = SLOT_RUNNING;
	nthreads++;
	if (nthreads > high_water)
		high_water = nthreads;
}

void resolver_fini(void)
{
	struct rjob *left = NULL, *j;
	struct timespec ts;
	unsigned i;

	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_broadcast(&more);
	/* A lookup ends within the resolver's own timeout: wait for it, so
	 * that the exit leaves nothing behind. A worker stuck in a path call
	 * on a stalled file system may never come back: it does not hold up
	 * the exit. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += EXIT_WAIT_S;
	while (nthreads > in_path)
		if (pthread_cond_timedwait(&gone, &lock, &ts) == ETIMEDOUT)
			break;
	if (nthreads)
		log_err("resolver: %u threads still busy at exit (%u in "
			"path calls)", nthreads, in_path);
	reap();
	/* The ones still busy are left to the exit. */
	for (i = 0; i < RESOLVER_THREADS_MAX; i++)
		if (slots[i] == SLOT_RUNNING) {
			pthread_detach(tids[i]);
			slots[i] = SLOT_FREE;
		}
	/* Jobs left are cancelled by now (their sockets are closed); hand
	 * them to done() so that they are freed. */
	for (i = 0; i < nusers; i++)
		while ((j = users[i].head)) {
			users[i].head = j->next;
			j->next = left;
			left = j;
		}
	nusers = 0;
	free(users);
	users = NULL;
	users_cap = 0;
	pthread_mutex_unlock(&lock);
	while ((j = left)) {
		left = j->next;
		j->done(j);
	}
	if (wake.fd >= 0) {
		int fd = wake.fd;

		watch_del(&wake);
		completions(&(struct watch){ .fd = fd }, 0);
		close(fd);
	}
}

int resolver_submit(struct rjob *j)
{
	struct uq *u;

	pthread_mutex_lock(&lock);
	u = user_find(j->uid);
	if (!u) {
		if (nusers == users_cap) {
			unsigned cap = users_cap ? users_cap * 2 : 8;
			struct uq *nu = realloc(users, cap * sizeof(*nu));

			if (!nu) {
				pthread_mutex_unlock(&lock);
				return -ENOMEM;
			}
			users = nu;
			users_cap = cap;
		}
		u = &users[nusers++];
		memset(u, 0, sizeof(*u));
		u->uid = j->uid;
	}
	if (u->queued >= USER_QUEUE_MAX) {
		pthread_mutex_unlock(&lock);
		return -EAGAIN;
	}
	j->next = NULL;
	if (u->last)
		u->last->next = j;
	else
		u->head = j;
	u->last = j;
	u->queued++;
	pending++;
	if (idle == 0 && nthreads < max_threads)
		spawn();
	pthread_cond_signal(&more);
	pthread_mutex_unlock(&lock);
	return 0;
}

struct resolver_stats resolver_stats(void)
{
	struct resolver_stats st;

	pthread_mutex_lock(&lock);
	st.pending = pending;
	st.threads = nthreads;
	st.idle = idle;
	st.high_water = high_water;
	st.users = nusers;
	pthread_mutex_unlock(&lock);
	return st;
}

unsigned resolver_pending(void)
{
	return resolver_stats().pending;
}

void rjob_cancel(struct rjob *j)
{
	j->cancelled = true;
	atomic_store(&j->abandoned, true);
}


void rjob_getaddrinfo(struct rjob *j)
{
	j->res = NULL;
	j->gai = getaddrinfo(j->nohost ? NULL : j->host,
			     j->serv[0] ? j->serv : NULL, &j->hints, &j->res);
	j->sys_errno = j->gai == EAI_SYSTEM ? errno : 0;
}

/* --- the name-service kinds --- */

static void gai_failed(struct rjob *j, int gai, int sys_errno)
{
	j->err = -gai_to_errno(gai, sys_errno);
	snprintf(j->detail, sizeof(j->detail), "%s",
		 gai == EAI_SYSTEM ? strerror(sys_errno) : gai_strerror(gai));
}

static int put_word(struct strbuf *sb, const char *name, int val)
{
	return name ? sb_printf(sb, "%s ", name) : sb_printf(sb, "%d ", val);
}

void rjob_resolve(struct rjob *j)
{
	struct addrinfo *ai;
	int r = 0;

	rjob_getaddrinfo(j);
	if (j->gai) {
		gai_failed(j, j->gai, j->sys_errno);
		return;
	}
	if ((j->hints.ai_flags & AI_CANONNAME) && j->res &&
	    j->res->ai_canonname)
		r = sb_printf(&j->text, "canonname %s\n", j->res->ai_canonname);
	for (ai = j->res; ai && r == 0; ai = ai->ai_next) {
		r = put_word(&j->text, family_name(ai->ai_family),
			     ai->ai_family);
		if (r == 0)
			r = put_word(&j->text, socktype_name(ai->ai_socktype),
				     ai->ai_socktype);
		if (r == 0)
			r = put_word(&j->text,
				     proto_name(ai->ai_family, ai->ai_protocol),
				     ai->ai_protocol);
		if (r == 0)
			r = addr_format(ai->ai_addr, ai->ai_addrlen, &j->text);
		if (r == 0)
			r = sb_puts(&j->text, "\n");
	}
	freeaddrinfo(j->res);
	j->res = NULL;
	if (r < 0)
		j->err = r;
}

static int h_to_errno(int h)
{
	switch (h) {
	case HOST_NOT_FOUND:
	case NO_DATA:
		return ENOENT;
	case TRY_AGAIN:
		return EAGAIN;
	default:
		return EIO;
	}
}

/* gethostbyaddr_r of sa: its official name and aliases in *he, with
 * buf behind them. 0, or a negative errno. */
static int host_by_addr(const struct sockaddr *sa, struct hostent *he,
			char *buf, size_t size)
{
	const void *a;
	socklen_t len;
	struct hostent *res = NULL;
	int herr = 0, r;

	if (sa->sa_family == AF_INET) {
		a = &((const struct sockaddr_in *)sa)->sin_addr;
		len = sizeof(struct in_addr);
	} else if (sa->sa_family == AF_INET6) {
		a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		len = sizeof(struct in6_addr);
	} else {
		return -EAFNOSUPPORT;
	}
	r = gethostbyaddr_r(a, len, sa->sa_family, he, buf, size, &res, &herr);
	if (r != 0)
		return -r;
	return res ? 0 : -h_to_errno(herr);
}

/* The first address of host, for the calls that take one. */
static int first_addr(struct rjob *j, const char *host, const char *serv,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	int gai;

	if (serv)
		hints.ai_flags = AI_NUMERICSERV;
	gai = getaddrinfo(host, serv, &hints, &res);
	if (gai) {
		gai_failed(j, gai, gai == EAI_SYSTEM ? errno : 0);
		return j->err;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

void rjob_reverse(struct rjob *j)
{
	struct sockaddr_storage ss;
	struct hostent he;
	char host[NI_MAXHOST], serv[NI_MAXSERV], buf[8192], a[INET6_ADDRSTRLEN];
	socklen_t len;
	int gai, r, i;
	bool have_he;

	if (first_addr(j, j->host, j->serv[0] ? j->serv : NULL, &ss, &len) < 0)
		return;
	gai = getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host),
			  j->serv[0] ? serv : NULL, j->serv[0] ? sizeof(serv) : 0,
			  j->niflags);
	if (gai) {
		gai_failed(j, gai, gai == EAI_SYSTEM ? errno : 0);
		return;
	}
	/* Aliases and addresses as gethostbyaddr gives them, unless only
	 * numbers were asked for. */
	have_he = !(j->niflags & NI_NUMERICHOST) &&
		  host_by_addr((struct sockaddr *)&ss, &he, buf,
			       sizeof(buf)) == 0;
	r = sb_printf(&j->text, "name %s\n", host);
	for (i = 0; have_he && r == 0 && he.h_aliases[i]; i++)
		r = sb_printf(&j->text, "alias %s\n", he.h_aliases[i]);
	for (i = 0; have_he && r == 0 && he.h_addr_list[i]; i++)
		r = sb_printf(&j->text, "address %s\n",
			      inet_ntop(he.h_addrtype, he.h_addr_list[i], a,
					sizeof(a)));
	if (!have_he && r == 0 &&
	    getnameinfo((struct sockaddr *)&ss, len, a, sizeof(a), NULL, 0,
			NI_NUMERICHOST) == 0)
		r = sb_printf(&j->text, "address %s\n", a);
	if (j->serv[0] && r == 0)
		r = sb_printf(&j->text, "service %s\n", serv);
	if (r < 0)
		j->err = r;
}

static int put_aliases(struct strbuf *sb, char **aliases)
{
	int r = 0;

	for (; r == 0 && *aliases; aliases++)
		r = sb_printf(sb, " %s", *aliases);
	return r ? r : sb_puts(sb, "\n");
}

void rjob_service(struct rjob *j)
{
	static const char *const protos[] = { "tcp", "udp", "sctp", "dccp" };
	struct servent se, *res;
	char buf[4096];
	bool byport = isdigit((unsigned char)j->serv[0]);
	int port = byport ? atoi(j->serv) : 0, r = 0;
	size_t i, n = j->proto_name[0] ? 1 : sizeof(protos) / sizeof(protos[0]);

	for (i = 0; i < n && r == 0; i++) {
		const char *proto = j->proto_name[0] ? j->proto_name : protos[i];

		res = NULL;
		if (byport)
			r = getservbyport_r(htons((uint16_t)port), proto, &se,
					    buf, sizeof(buf), &res);
		else
			r = getservbyname_r(j->serv, proto, &se, buf,
					    sizeof(buf), &res);
		if (r != 0) {
			j->err = -r;
			snprintf(j->detail, sizeof(j->detail), "%s",
				 strerror(r));
			return;
		}
		if (!res)
			continue;
		r = sb_printf(&j->text, "%s %d %s", se.s_name,
			      ntohs((uint16_t)se.s_port), se.s_proto);
		if (r == 0)
			r = put_aliases(&j->text, se.s_aliases);
	}
	if (r < 0) {
		j->err = r;
	} else if (j->text.len == 0) {
		j->err = -ENOENT;
		snprintf(j->detail, sizeof(j->detail), "no such service");
	}
}

void rjob_protocol(struct rjob *j)
{
	struct protoent pe, *res = NULL;
	char buf[4096];
	int r;

	if (j->number >= 0)
		r = getprotobynumber_r(j->number, &pe, buf, sizeof(buf), &res);
	else
		r = getprotobyname_r(j->proto_name, &pe, buf, sizeof(buf), &res);
	if (r == 0 && !res)
		r = ENOENT;
	if (r != 0) {
		j->err = -r;
		snprintf(j->detail, sizeof(j->detail), "%s",
			 r == ENOENT ? "no such protocol" : strerror(r));
		return;
	}
	r = sb_printf(&j->text, "%s %d", pe.p_name, pe.p_proto);
	if (r == 0)
		r = put_aliases(&j->text, pe.p_aliases);
	if (r < 0)
		j->err = r;
}

void rjob_fqdn(struct rjob *j)
{
	struct sockaddr_storage ss;
	struct hostent he;
	char name[256], buf[8192];
	const char *fqdn = name;
	socklen_t len;
	int i;

	if (gethostname(name, sizeof(name)) < 0) {
		j->err = -errno;
		snprintf(j->detail, sizeof(j->detail), "gethostname: %s",
			 strerror(errno));
		return;
	}
	name[sizeof(name) - 1] = '\0';
	/* The reference's getfqdn(): any failure leaves the host name. */
	if (first_addr(j, name, NULL, &ss, &len) == 0 &&
	    host_by_addr((struct sockaddr *)&ss, &he, buf, sizeof(buf)) == 0) {
		fqdn = he.h_name;
		if (!strchr(fqdn, '.'))
			for (i = 0; he.h_aliases[i]; i++)
				if (strchr(he.h_aliases[i], '.')) {
					fqdn = he.h_aliases[i];
					break;
				}
	}
	j->err = 0;
	j->detail[0] = '\0';
	j->err = sb_printf(&j->text, "%s\n", fqdn);
}

int gai_to_errno(int gai, int sys_errno)
{
	switch (gai) {
	case 0:
		return 0;
	case EAI_NONAME:
	case EAI_NODATA:
	case EAI_ADDRFAMILY:
	case EAI_SERVICE:
		return ENOENT;
	case EAI_AGAIN:
		return EAGAIN;
	case EAI_FAIL:
		return EIO;
	case EAI_MEMORY:
		return ENOMEM;
	case EAI_FAMILY:
		return EAFNOSUPPORT;
	case EAI_SOCKTYPE:
		return ESOCKTNOSUPPORT;
	case EAI_BADFLAGS:
	case EAI_OVERFLOW:
		return EINVAL;
	case EAI_SYSTEM:
		return sys_errno ? sys_errno : EIO;
	case EAI_CANCELED:
	case EAI_INTR:
		return EINTR;
	default:
		return EIO;
	}
}
