/* resolver.c: the worker pool (see resolver.h). Threads: the loop thread
 * owns everything in netfs; the workers own nothing but the job they run.
 * They meet only here: `lock` guards the request queue, the completion
 * queue and the counters, and an eventfd in the loop's epoll set says that
 * completions are waiting. */
#include "resolver.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

#define QUEUE_MAX 4096
#define THREADS_MAX 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static struct rjob *todo, **todo_tail = &todo;	/* guarded by lock */
static struct rjob *finished;			/* guarded by lock */
static unsigned pending;			/* guarded by lock */
static bool stopping;				/* guarded by lock */

static pthread_t threads[THREADS_MAX];
static unsigned nthreads;
static struct watch wake = { .fd = -1 };	/* loop thread */

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		struct rjob *j;
		uint64_t one = 1;

		while (!todo && !stopping)
			pthread_cond_wait(&more, &lock);
		if (stopping)
			break;
		j = todo;
		todo = j->next;
		if (!todo)
			todo_tail = &todo;
		pthread_mutex_unlock(&lock);

		j->work(j);

		pthread_mutex_lock(&lock);
		j->next = finished;
		finished = j;
		if (write(wake.fd, &one, sizeof(one)) < 0)
			log_err("resolver: eventfd: %m");
	}
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

int resolver_init(unsigned n)
{
	sigset_t all, old;
	int fd, r;

	if (n == 0 || n > THREADS_MAX)
		return -EINVAL;
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = watch_add(&wake, fd, EPOLLIN, completions);
	if (r < 0) {
		close(fd);
		return r;
	}
	/* Workers take no signals: the loop's signalfd gets them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (nthreads = 0; nthreads < n; nthreads++) {
		r = -pthread_create(&threads[nthreads], NULL, worker, NULL);
		if (r < 0)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		resolver_fini();
		return r;
	}
	return 0;
}

void resolver_fini(void)
{
	struct rjob *j;
	unsigned i;

	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_broadcast(&more);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	nthreads = 0;
	/* Jobs left are cancelled by now (their sockets are closed); hand
	 * them to done() so that they are freed. */
	while ((j = todo)) {
		todo = j->next;
		j->done(j);
	}
	todo_tail = &todo;
	if (wake.fd >= 0) {
		int fd = wake.fd;

		watch_del(&wake);
		completions(&(struct watch){ .fd = fd }, 0);
		close(fd);
	}
}

int resolver_submit(struct rjob *j)
{
	pthread_mutex_lock(&lock);
	if (pending >= QUEUE_MAX) {
		pthread_mutex_unlock(&lock);
		return -EAGAIN;
	}
	j->next = NULL;
	*todo_tail = j;
	todo_tail = &j->next;
	pending++;
	pthread_cond_signal(&more);
	pthread_mutex_unlock(&lock);
	return 0;
}

unsigned resolver_pending(void)
{
	unsigned n;

	pthread_mutex_lock(&lock);
	n = pending;
	pthread_mutex_unlock(&lock);
	return n;
}

void rjob_getaddrinfo(struct rjob *j)
{
	j->res = NULL;
	j->gai = getaddrinfo(j->nohost ? NULL : j->host,
			     j->serv[0] ? j->serv : NULL, &j->hints, &j->res);
	j->sys_errno = j->gai == EAI_SYSTEM ? errno : 0;
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
