/* netbench.c: the measuring half of bench/run. Servers that send, sink,
 * echo or hold connections on loopback, and clients that do the same work
 * through a direct socket or through netfs files, each printing one line
 * of "key value" results. bench/run alternates them and takes medians.
 *
 *   netbench serve KIND PORTFILE [NBYTES]   KIND: send sink echo echo1 hold
 *                                           close (echo1: one echo, then
 *                                           the server closes first)
 *   netbench recv-direct PORT BUF           read to EOF
 *   netbench recv-file PATH BUF [NBYTES]   (NBYTES: stop there, not at EOF)
 *   netbench send-direct PORT NBYTES BUF    write NBYTES, then close
 *   netbench send-file PATH NBYTES BUF
 *   netbench rtt-direct PORT COUNT SIZE     ping-pong with an echo server
 *   netbench rtt-file PATH COUNT SIZE
 *   netbench conn-direct PORT COUNT         connect and close(2): the
 *                                           TCP work netfs's close does
 *   netbench conn-direct-rst PORT COUNT     the same, closed by RST
 *                                           (SO_LINGER 0): no FIN exchange
 *   netbench conn-file MNT PORT COUNT       the same through MNT/ctl, each
 *                                           closed by "close" on its ctl
 *   netbench conn-rmdir MNT PORT COUNT      the same, each closed by rmdir
 *   netbench conn-p9 MNT PORT COUNT         Plan 9's way: open MNT/tcp/clone,
 *                                           write connect, close the file
 *   netbench write-file PATH COUNT SIZE     COUNT writes of SIZE bytes: the
 *                                           cost of one small request
 *   netbench write-direct PORT COUNT SIZE   the same on a socket
 *   netbench readers MNT PORT COUNT PID     COUNT sockets with blocked readers
 *   netbench gai-direct NAME COUNT          getaddrinfo
 *   netbench gai-file MNT NAME COUNT        reads of MNT/resolve/NAME
 *   netbench soak MNT PORT COUNT PID        connect, send, receive, close
 *                                           COUNT times through MNT, with
 *                                           the daemon's fds, threads, RSS
 *   netbench wall CMD [ARGS...]             wall time of a command
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("connect");
	return fd;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += w;
		n -= (size_t)w;
	}
}

/* --- servers --- */

struct conn {
	int fd;
	const char *kind;
	size_t nbytes;
};

static void *serve_one(void *arg)
{
	struct conn *c = arg;
	static char buf[1 << 20];
	char *mine = NULL;

	if (strcmp(c->kind, "send") == 0) {
		size_t left = c->nbytes;

		while (left) {
			size_t n = left < sizeof(buf) ? left : sizeof(buf);
			ssize_t w = write(c->fd, buf, n);

			if (w <= 0)
				break;
			left -= (size_t)w;
		}
	} else if (strcmp(c->kind, "sink") == 0) {
		mine = malloc(1 << 20);
		while (read(c->fd, mine, 1 << 20) > 0)
			;
	} else if (strcmp(c->kind, "echo") == 0) {
		int one = 1;

		mine = malloc(65536);
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		for (;;) {
			ssize_t r = read(c->fd, mine, 65536);

			if (r <= 0)
				break;
			write_all(c->fd, mine, (size_t)r);
		}
	} else if (strcmp(c->kind, "echo1") == 0) {
		char m[256];
		ssize_t r = read(c->fd, m, sizeof(m));

		if (r > 0)
			write_all(c->fd, m, (size_t)r);
	} else if (strcmp(c->kind, "hold") == 0) {
		return NULL;	/* the descriptor stays open */
	}
	free(mine);
	close(c->fd);
	free(c);
	return NULL;
}

static __attribute__((noreturn)) void serve(const char *kind,
					    const char *portfile,
					    size_t nbytes)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char tmp[4096];
	FILE *f;

	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sin, len) < 0 ||
	    listen(lfd, 4096) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) < 0)
		die("listen");
	snprintf(tmp, sizeof(tmp), "%s.tmp", portfile);
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "%u\n", ntohs(sin.sin_port));
	fclose(f);
	rename(tmp, portfile);
	for (;;) {
		struct conn *c;
		pthread_t t;
		pthread_attr_t at;
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		if (strcmp(kind, "close") == 0) {
			close(fd);
			continue;
		}
		if (strcmp(kind, "hold") == 0)
			continue;	/* held: never closed */
		c = malloc(sizeof(*c));
		c->fd = fd;
		c->kind = kind;
		c->nbytes = nbytes;
		pthread_attr_init(&at);
		pthread_attr_setstacksize(&at, 256 << 10);
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &at, serve_one, c) != 0)
			die("pthread_create");
		pthread_attr_destroy(&at);
	}
}

/* --- bulk transfer --- */

static int recv_loop(int fd, size_t bufsize, size_t limit)
{
	char *buf = aligned_alloc(4096, bufsize);
	double t0 = now();
	size_t total = 0;
	ssize_t r = 0;

	while ((!limit || total < limit) &&
	       (r = read(fd, buf, bufsize)) > 0)
		total += (size_t)r;
	if (r < 0)
		die("read");
	printf("seconds %.6f bytes %zu\n", now() - t0, total);
	free(buf);
	return 0;
}

static int send_loop(int fd, size_t nbytes, size_t bufsize)
{
	char *buf = aligned_alloc(4096, bufsize);
	double t0 = now();
	size_t left = nbytes;

	memset(buf, 'x', bufsize);
	while (left) {
		size_t n = left < bufsize ? left : bufsize;

		write_all(fd, buf, n);
		left -= n;
	}
	close(fd);
	printf("seconds %.6f bytes %zu\n", now() - t0, nbytes);
	free(buf);
	return 0;
}

static int open_file(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		die(path);
	return fd;
}

/* --- round trips --- */

static int rtt(int rfd, int wfd, long count, size_t size)
{
	char *out = malloc(size), *in = malloc(size);
	double t0 = now();
	long i;

	memset(out, 'p', size);
	/* One warm-up exchange. */
	for (i = -1; i < count; i++) {
		size_t got = 0;

		if (i == 0)
			t0 = now();
		write_all(wfd, out, size);
		while (got < size) {
			ssize_t r = read(rfd, in + got, size - got);

			if (r <= 0)
				die("read");
			got += (size_t)r;
		}
	}
	printf("seconds %.6f count %ld us_per_rtt %.2f\n", now() - t0, count,
	       (now() - t0) / (double)count * 1e6);
	free(out);
	free(in);
	return 0;
}

/* --- connections --- */

/* Writes cmd on a /net/ctl session and reads its reply line into name. */
static void ctl_cmd(int ctl, const char *cmd, char *name, size_t size)
{
	ssize_t r;

	write_all(ctl, cmd, strlen(cmd));
	r = read(ctl, name, size - 1);
	if (r <= 0)
		die("read ctl");
	name[r] = '\0';
	name[strcspn(name, "\n")] = '\0';
	if (strncmp(name, "error", 5) == 0) {
		fprintf(stderr, "%s\n", name);
		exit(1);
	}
}

static void close_sock(const char *mnt, const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s/ctl", mnt, name);
	fd = open_file(path, O_WRONLY);
	write_all(fd, "close", 5);
	close(fd);
}

static int conn_direct(int port, long count, int rst)
{
	struct linger lg = { 1, 0 };
	double t0 = now();
	long i;

	for (i = 0; i < count; i++) {
		int fd = dial(port);

		if (rst)
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
	}
	printf("seconds %.6f count %ld per_second %.0f\n", now() - t0, count,
	       (double)count / (now() - t0));
	return 0;
}

static void rmdir_sock(const char *mnt, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", mnt, name);
	if (rmdir(path) < 0)
		die(path);
}

/* Connections made through /net/ctl and closed by `close` (close_sock)
 * or by rmdir (rmdir_sock). */
static int conn_file(const char *mnt, int port, long count,
		     void (*done)(const char *mnt, const char *name))
{
	char path[4096], cmd[128], name[64];
	double t0 = now();
	int ctl;
	long i;

	snprintf(path, sizeof(path), "%s/ctl", mnt);
	ctl = open_file(path, O_RDWR);
	snprintf(cmd, sizeof(cmd), "connect 127.0.0.1!%d\n", port);
	for (i = 0; i < count; i++) {
		ctl_cmd(ctl, cmd, name, sizeof(name));
		done(mnt, name);
	}
	close(ctl);
	printf("seconds %.6f count %ld per_second %.0f\n", now() - t0, count,
	       (double)count / (now() - t0));
	return 0;
}

/* Plan 9's dial: the clone file's open is the new conversation's ctl,
 * and closing the last file of a conversation hangs it up. */
static int conn_p9(const char *mnt, int port, long count)
{
	char path[4096], cmd[128];
	double t0 = now();
	long i;

	snprintf(path, sizeof(path), "%s/tcp/clone", mnt);
	snprintf(cmd, sizeof(cmd), "connect 127.0.0.1!%d", port);
	for (i = 0; i < count; i++) {
		int fd = open_file(path, O_RDWR);

		write_all(fd, cmd, strlen(cmd));
		close(fd);
	}
	printf("seconds %.6f count %ld per_second %.0f\n", now() - t0, count,
	       (double)count / (now() - t0));
	return 0;
}

/* Small writes to a sink: one FUSE request each, never blocking. */
static int write_small(const char *path, long count, size_t size)
{
	char *buf = calloc(1, size);
	int fd = open_file(path, O_WRONLY);
	double t0 = now();
	long i;

	for (i = 0; i < count; i++)
		write_all(fd, buf, size);
	printf("seconds %.6f count %ld us_per_write %.2f\n", now() - t0,
	       count, (now() - t0) / (double)count * 1e6);
	close(fd);
	free(buf);
	return 0;
}

/* --- many blocked readers --- */

static void *block_read(void *arg)
{
	char c;

	(void)!read((int)(intptr_t)arg, &c, 1);
	return NULL;
}

static long proc_value(int pid, const char *key)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = atol(line + strlen(key) + 1);
	fclose(f);
	return v;
}

static int count_blocked(const char *mnt, char (*names)[24], long n)
{
	char path[4096], buf[1024];
	int blocked = 0;
	long i;

	for (i = 0; i < n; i++) {
		int fd;
		ssize_t r;

		snprintf(path, sizeof(path), "%s/%s/status", mnt, names[i]);
		fd = open_file(path, O_RDONLY);
		r = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[r > 0 ? r : 0] = '\0';
		blocked += strstr(buf, "blocked_readers 1\n") != NULL;
	}
	return blocked;
}

static int readers(const char *mnt, int port, long count, int pid)
{
	char path[4096], cmd[128], name[24];
	char (*names)[24] = calloc((size_t)count, sizeof(*names));
	int *fds = calloc((size_t)count, sizeof(int));
	pthread_t *th = calloc((size_t)count, sizeof(pthread_t));
	long rss0, rss1, threads, i;
	pthread_attr_t at;
	double t0, ls_ms, conn_ms;
	int ctl, blocked = 0, tries;
	DIR *d;

	rss0 = proc_value(pid, "VmRSS:");
	snprintf(path, sizeof(path), "%s/ctl", mnt);
	ctl = open_file(path, O_RDWR);
	snprintf(cmd, sizeof(cmd), "connect 127.0.0.1!%d\n", port);
	for (i = 0; i < count; i++) {
		ctl_cmd(ctl, cmd, name, sizeof(name));
		snprintf(names[i], sizeof(names[i]), "%s", name);
		snprintf(path, sizeof(path), "%s/%s/data", mnt, name);
		fds[i] = open_file(path, O_RDONLY);
	}
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 64 << 10);
	for (i = 0; i < count; i++)
		if (pthread_create(&th[i], &at, block_read,
				   (void *)(intptr_t)fds[i]) != 0)
			die("pthread_create");
	for (tries = 0; tries < 600 && blocked < count; tries++) {
		usleep(100000);
		blocked = count_blocked(mnt, names, count);
	}
	rss1 = proc_value(pid, "VmRSS:");
	threads = proc_value(pid, "Threads:");

	t0 = now();
	d = opendir(mnt);
	while (d && readdir(d))
		;
	if (d)
		closedir(d);
	ls_ms = (now() - t0) * 1e3;

	t0 = now();
	ctl_cmd(ctl, cmd, name, sizeof(name));
	conn_ms = (now() - t0) * 1e3;
	close_sock(mnt, name);

	printf("sockets %ld blocked %d daemon_threads %ld rss_kib_before %ld "
	       "rss_kib_after %ld bytes_per_socket %.0f ls_ms %.2f "
	       "connect_ms %.2f\n", count, blocked, threads, rss0, rss1,
	       (double)(rss1 - rss0) * 1024.0 / (double)count, ls_ms, conn_ms);
	fflush(stdout);
	/* Closing each socket ends its reader with EBADF. */
	for (i = 0; i < count; i++)
		close_sock(mnt, names[i]);
	for (i = 0; i < count; i++) {
		pthread_join(th[i], NULL);
		close(fds[i]);
	}
	close(ctl);
	free(names);
	free(fds);
	free(th);
	return blocked == count ? 0 : 1;
}

/* --- resolver --- */

static int gai_direct(const char *name, long count)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	double t0 = now();
	long i;

	for (i = 0; i < count; i++) {
		if (getaddrinfo(name, NULL, &hints, &res) != 0)
			die("getaddrinfo");
		freeaddrinfo(res);
	}
	printf("seconds %.6f count %ld per_second %.0f\n", now() - t0, count,
	       (double)count / (now() - t0));
	return 0;
}

static int gai_file(const char *mnt, const char *name, long count)
{
	char path[4096], buf[4096];
	double t0 = now();
	long i;

	snprintf(path, sizeof(path), "%s/resolve/%s", mnt, name);
	for (i = 0; i < count; i++) {
		int fd = open_file(path, O_RDONLY);

		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
	printf("seconds %.6f count %ld per_second %.0f\n", now() - t0, count,
	       (double)count / (now() - t0));
	return 0;
}

static long count_dir(const char *path)
{
	DIR *d = opendir(path);
	long n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n - 2;
}

static void soak_sample(int pid, long i)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	printf("cycle %ld fds %ld threads %ld rss_kib %ld\n", i,
	       count_dir(path), proc_value(pid, "Threads:"),
	       proc_value(pid, "VmRSS:"));
	fflush(stdout);
}

/* Each cycle: connect through /net/ctl, send 64 bytes, read them back,
 * close. The server closes first, so the client ports do not pile up in
 * TIME-WAIT over 100,000 cycles. */
static int soak(const char *mnt, int port, long count, int pid)
{
	char path[4096], cmd[128], name[24], msg[64], back[64];
	double t0 = now();
	int ctl;
	long i;

	memset(msg, 's', sizeof(msg));
	snprintf(path, sizeof(path), "%s/ctl", mnt);
	ctl = open_file(path, O_RDWR);
	snprintf(cmd, sizeof(cmd), "connect 127.0.0.1!%d\n", port);
	soak_sample(pid, 0);
	for (i = 1; i <= count; i++) {
		size_t got = 0;
		int fd;

		ctl_cmd(ctl, cmd, name, sizeof(name));
		snprintf(path, sizeof(path), "%s/%s/data", mnt, name);
		fd = open_file(path, O_RDWR);
		write_all(fd, msg, sizeof(msg));
		while (got < sizeof(back)) {
			ssize_t r = read(fd, back + got, sizeof(back) - got);

			if (r <= 0)
				die("soak read");
			got += (size_t)r;
		}
		close(fd);
		close_sock(mnt, name);
		if (i % (count / 10 ? count / 10 : 1) == 0)
			soak_sample(pid, i);
	}
	close(ctl);
	printf("seconds %.3f cycles %ld per_second %.0f\n", now() - t0, count,
	       (double)count / (now() - t0));
	return 0;
}

static int wall(char **argv)
{
	double t0 = now();
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		die("fork");
	printf("seconds %.6f status %d\n", now() - t0,
	       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}

int main(int argc, char *argv[])
{
	const char *m = argc > 1 ? argv[1] : "";

	signal(SIGPIPE, SIG_IGN);
	if (strcmp(m, "serve") == 0 && argc >= 4)
		serve(argv[2], argv[3],
		      argc > 4 ? strtoull(argv[4], NULL, 10) : 0);
	if (strcmp(m, "recv-direct") == 0 && argc == 4)
		return recv_loop(dial(atoi(argv[2])), strtoul(argv[3], NULL, 10),
				 0);
	if (strcmp(m, "recv-file") == 0 && (argc == 4 || argc == 5))
		return recv_loop(open_file(argv[2], O_RDONLY),
				 strtoul(argv[3], NULL, 10),
				 argc == 5 ? strtoull(argv[4], NULL, 10) : 0);
	if (strcmp(m, "send-direct") == 0 && argc == 5)
		return send_loop(dial(atoi(argv[2])), strtoull(argv[3], NULL, 10),
				 strtoul(argv[4], NULL, 10));
	if (strcmp(m, "send-file") == 0 && argc == 5)
		return send_loop(open_file(argv[2], O_WRONLY),
				 strtoull(argv[3], NULL, 10),
				 strtoul(argv[4], NULL, 10));
	if (strcmp(m, "rtt-direct") == 0 && argc == 5) {
		int fd = dial(atoi(argv[2])), one = 1;

		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		return rtt(fd, fd, atol(argv[3]), strtoul(argv[4], NULL, 10));
	}
	if (strcmp(m, "rtt-file") == 0 && argc == 5)
		return rtt(open_file(argv[2], O_RDONLY),
			   open_file(argv[2], O_WRONLY), atol(argv[3]),
			   strtoul(argv[4], NULL, 10));
	if (strcmp(m, "conn-direct") == 0 && argc == 4)
		return conn_direct(atoi(argv[2]), atol(argv[3]), 0);
	if (strcmp(m, "conn-direct-rst") == 0 && argc == 4)
		return conn_direct(atoi(argv[2]), atol(argv[3]), 1);
	if (strcmp(m, "conn-file") == 0 && argc == 5)
		return conn_file(argv[2], atoi(argv[3]), atol(argv[4]),
				 close_sock);
	if (strcmp(m, "conn-rmdir") == 0 && argc == 5)
		return conn_file(argv[2], atoi(argv[3]), atol(argv[4]),
				 rmdir_sock);
	if (strcmp(m, "conn-p9") == 0 && argc == 5)
		return conn_p9(argv[2], atoi(argv[3]), atol(argv[4]));
	if (strcmp(m, "write-file") == 0 && argc == 5)
		return write_small(argv[2], atol(argv[3]),
				   strtoul(argv[4], NULL, 10));
	if (strcmp(m, "write-direct") == 0 && argc == 5) {
		int fd = dial(atoi(argv[2]));
		char *buf = calloc(1, strtoul(argv[4], NULL, 10));
		long i, n = atol(argv[3]);
		double t0 = now();

		for (i = 0; i < n; i++)
			write_all(fd, buf, strtoul(argv[4], NULL, 10));
		printf("seconds %.6f count %ld us_per_write %.2f\n",
		       now() - t0, n, (now() - t0) / (double)n * 1e6);
		return 0;
	}
	if (strcmp(m, "readers") == 0 && argc == 6)
		return readers(argv[2], atoi(argv[3]), atol(argv[4]),
			       atoi(argv[5]));
	if (strcmp(m, "gai-direct") == 0 && argc == 4)
		return gai_direct(argv[2], atol(argv[3]));
	if (strcmp(m, "gai-file") == 0 && argc == 5)
		return gai_file(argv[2], argv[3], atol(argv[4]));
	if (strcmp(m, "soak") == 0 && argc == 6)
		return soak(argv[2], atoi(argv[3]), atol(argv[4]), atoi(argv[5]));
	if (strcmp(m, "wall") == 0 && argc >= 3)
		return wall(argv + 2);
	fprintf(stderr, "usage: see the comment at the top of bench/netbench.c\n");
	return 2;
}
