/* main.c: the command line, mounting, and the order in which netfs sets
 * itself up and tears itself down. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cmds.h"
#include "cs.h"
#include "dnode.h"
#include "errors.h"
#include "fuse_fe.h"
#include "vfs.h"
#include "fuse_uring.h"
#include "fuseio.h"
#include "limits.h"
#include "log.h"
#include "loop.h"
#include "netfs.h"
#include "ninep.h"
#include "ns.h"
#include "parse.h"
#include "perm.h"
#include "resolver.h"
#include "sock.h"
#include "tree.h"

struct netfs nfs;

/* -o options of netfs's own; the rest go to libfuse. */
struct options {
	unsigned max_sockets;
	unsigned max_user_sockets;
	unsigned max_user_blocked;
	unsigned max_user_memory;
	unsigned resolvers;
	unsigned spin;
	char *timeout;
	char *ninep;		/* -o 9p=ADDRESS or --9p ADDRESS */
	char *ninep_user;	/* -o 9p_user=NAME */
	char *idle;
	int uring;		/* -o uring */
	int help, version, list;
	char *pos[3];
	int npos;
};

enum { KEY_HELP, KEY_VERSION, KEY_LIST };

#define OPT(t, m) { t, offsetof(struct options, m), 0 }
static const struct fuse_opt netfs_opts[] = {
	OPT("max_sockets=%u", max_sockets),
	OPT("max_user_sockets=%u", max_user_sockets),
	OPT("max_user_blocked=%u", max_user_blocked),
	OPT("max_user_memory=%u", max_user_memory),
	OPT("resolvers=%u", resolvers),
	OPT("spin=%u", spin),
	OPT("timeout=%s", timeout),
	OPT("9p=%s", ninep),
	OPT("9p_user=%s", ninep_user),
	OPT("idle=%s", idle),
	{ "uring", offsetof(struct options, uring), 1 },
	FUSE_OPT_KEY("-h", KEY_HELP),
	FUSE_OPT_KEY("--help", KEY_HELP),
	FUSE_OPT_KEY("-V", KEY_VERSION),
	FUSE_OPT_KEY("--version", KEY_VERSION),
	FUSE_OPT_KEY("--list", KEY_LIST),
	FUSE_OPT_END
};

static int opt_proc(void *data, const char *arg, int key,
		    struct fuse_args *outargs)
{
	struct options *o = data;

	(void)outargs;
	switch (key) {
	case KEY_HELP:
		o->help = 1;
		return 0;
	case KEY_VERSION:
		o->version = 1;
		return 0;
	case KEY_LIST:
		o->list = 1;
		return 0;
	case FUSE_OPT_KEY_NONOPT:
		/* mount(8) runs "netfs SOURCE DIR": keep the last two. */
		if (o->npos < 3)
			o->pos[o->npos] = strdup(arg);
		o->npos++;
		return 0;
	default:
		return 1;
	}
}

static void usage(const char *prog)
{
	printf("usage: %s [options] MOUNTPOINT\n"
	       "       %s [options] --9p ADDRESS\n"
	       "\n"
	       "netfs serves the BSD socket API as files (see netfs(7)).\n"
	       "\n"
	       "    -h, --help             print this help\n"
	       "    -V, --version          print the version\n"
	       "    --list                 print every file and command of the tree\n"
	       "    -f                     stay in the foreground\n"
	       "    -d                     foreground, and trace each request\n"
	       "    -o max_sockets=N       at most N sockets in the mount (0: no limit)\n"
	       "    -o max_user_sockets=N  at most N sockets per user but root\n"
	       "                           (default: a quarter of the descriptors\n"
	       "                           netfs does not keep for itself)\n"
	       "    -o max_user_blocked=N  at most N blocked requests per user but\n"
	       "                           root (default: 16 per allowed socket)\n"
	       "    -o max_user_memory=MIB at most MIB MiB of unread replies and\n"
	       "                           blocked writes per user but root\n"
	       "                           (default 64)\n"
	       "    -o resolvers=N         at most N threads for name lookups and\n"
	       "                           unix path calls, started on demand\n"
	       "                           (default 64)\n"
	       "    -o spin=USEC           keep polling USEC microseconds after\n"
	       "                           each request before sleeping (default\n"
	       "                           50, 0: never poll)\n"
	       "    -o timeout=T           default socket timeout: none or seconds\n"
	       "    -o 9p=ADDRESS          serve the tree over 9P2000.L too:\n"
	       "                           unix!PATH, tcp!HOST!PORT or -\n"
	       "    --9p ADDRESS           serve over 9P only, with no mount\n"
	       "    -o 9p_user=NAME        whom TCP clients act as (nobody)\n"
	       "    -o idle=T              close sockets that have had no file open\n"
	       "                           for T seconds (default none)\n"
	       "    -o uring               FUSE over io_uring when the kernel\n"
	       "                           allows it, else /dev/fuse\n"
	       "\n"
	       "FUSE options:\n", prog, prog);
	fflush(stdout);
	fuse_cmdline_help();
	fuse_lowlevel_help();
}

static struct fuse_buf fbuf;

static void fuse_ready(struct watch *w, uint32_t events)
{
	int i, r;

	(void)w;
	(void)events;
	/* A bounded batch, so sockets get their turn under load. */
	for (i = 0; i < 64; i++) {
		r = fuse_session_receive_buf(fuse_se, &fbuf);
		if (r == -EAGAIN)
			return;
		if (r == -EINTR)
			continue;
		if (r <= 0) {
			if (r < 0)
				log_err("reading /dev/fuse: %s", strerror(-r));
			loop_quit();
			return;
		}
		fuse_session_process_buf(fuse_se, &fbuf);
		loop_close_deferred();
		if (fuse_session_exited(fuse_se)) {
			loop_quit();
			return;
		}
	}
}

static struct watch sigwatch = { .fd = -1 };

static void signalled(struct watch *w, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)events;
	if (read(w->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		log_info("signal %u: unmounting", si.ssi_signo);
	loop_quit();
}

static int setup_signals(void)
{
	sigset_t set;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	return watch_add(&sigwatch, fd, EPOLLIN, signalled);
}

/* Each socket is a descriptor: take all the hard limit allows. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			log_warn("raising the descriptor limit: %m");
	}
}

static bool has_opt(struct fuse_args *args, const char *name)
{
	int i;

	for (i = 0; i < args->argc; i++)
		if (strstr(args->argv[i], name))
			return true;
	return false;
}

/* "--9p ADDRESS" (two words, which fuse_opt cannot take): taken out of
 * argv before the rest is parsed. */
static char *take_9p(int *argc, char *argv[])
{
	char *addr = NULL;
	int i, j;

	for (i = j = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "--9p") && i + 1 < *argc) {
			free(addr);
			addr = strdup(argv[++i]);
			continue;
		}
		argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
	return addr;
}

int main(int argc, char *argv[])
{
	char *only9p = take_9p(&argc, argv);
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct options o = { .resolvers = 64, .spin = 50 };
	struct fuse_cmdline_opts c = { 0 };
	const char *mnt = NULL;
	int fusefd, r, ret = 1, i;
	struct watch fusewatch = { .fd = -1 };

	if (fuse_opt_parse(&args, &o, netfs_opts, opt_proc) < 0)
		return 1;
	if (only9p) {
		free(o.ninep);
		o.ninep = only9p;
	}
	if (o.help) {
		usage(argv[0]);
		ret = 0;
		goto out_args;
	}
	if (o.list) {
		tree_list(stdout, "/net");
		cmds_list(stdout, "/net");
		ret = 0;
		goto out_args;
	}
	if (o.version) {
		printf("netfs %s (libfuse %s)\n", NETFS_VERSION,
		       fuse_pkgversion());
		ret = 0;
		goto out_args;
	}
	if (only9p ? o.npos != 0 : o.npos < 1 || o.npos > 2) {
		fprintf(stderr, "usage: %s [options] MOUNTPOINT, or --9p "
			"ADDRESS (try --help)\n", argv[0]);
		goto out_args;
	}
	if (!only9p)
		mnt = o.pos[o.npos - 1];
	nfs.default_timeout = -1;
	if (o.timeout) {
		struct field f = { o.timeout, strlen(o.timeout) };

		if (parse_timeout(f, &nfs.default_timeout) < 0) {
			fprintf(stderr, "netfs: timeout: %s\n", err_detail());
			goto out_args;
		}
	}
	nfs.default_idle = -1;
	if (o.idle) {
		struct field f = { o.idle, strlen(o.idle) };

		if (sock_parse_idle(f, &nfs.default_idle) < 0) {
			fprintf(stderr, "netfs: idle: %s\n", err_detail());
			goto out_args;
		}
	}
	if (o.resolvers < 1 || o.resolvers > RESOLVER_THREADS_MAX) {
		fprintf(stderr, "netfs: resolvers: 1 to %d\n",
			RESOLVER_THREADS_MAX);
		goto out_args;
	}
	if (o.spin > 100000) {
		fprintf(stderr, "netfs: spin: 0 to 100000 microseconds\n");
		goto out_args;
	}
	nfs.max_sockets = o.max_sockets;
	nfs.resolvers = o.resolvers;
	if (mnt) {
		if (!has_opt(&args, "fsname="))
			fuse_opt_add_arg(&args, "-ofsname=netfs");
		if (!has_opt(&args, "subtype="))
			fuse_opt_add_arg(&args, "-osubtype=netfs");
		fuse_opt_add_arg(&args, mnt);
	}
	if (fuse_parse_cmdline(&args, &c) != 0)
		goto out_args;
	if (!mnt)
		c.foreground = 1;	/* 9P only: no mount to daemonize for */

	nfs.uid = getuid();
	nfs.gid = getgid();
	if (perm_init() < 0)
		goto out_cmdline;
	clock_gettime(CLOCK_REALTIME, &nfs.mount_time);
	nfs.scratch_size = 1u << 20;	/* FUSE's largest read: max_pages */
	nfs.scratch = malloc(nfs.scratch_size);
	if (!nfs.scratch)
		goto out_cmdline;

	if (mnt && o.uring)
		fuse_uring_want();
	if (mnt) {
		fuse_se = fuse_session_new(&args, &fuse_fe_ops,
					   sizeof(fuse_fe_ops), NULL);
		if (!fuse_se)
			goto out_scratch;
		if (fuse_session_mount(fuse_se, c.mountpoint) != 0)
			goto out_session;
		nfs.mountpoint = c.mountpoint;
		fuse_fe_register();
		r = fuseio_install(fuse_se);
		if (r < 0) {
			fprintf(stderr, "netfs: custom io: %s\n",
				strerror(-r));
			goto out_unmount;
		}
	}
	if (fuse_daemonize(c.foreground) != 0)
		goto out_unmount;
	log_init(!c.foreground, c.debug);
	raise_fd_limit();
	limits_init(o.max_user_sockets, o.max_user_blocked,
		    o.max_user_memory);

	r = loop_init();
	loop_set_spin(o.spin);
	if (r == 0)
		r = setup_signals();
	if (r < 0) {
		log_err("event loop: %s", strerror(-r));
		goto out_loop;
	}
	r = 0;
	if (mnt) {
		fusefd = fuse_session_fd(fuse_se);
		fcntl(fusefd, F_SETFL, fcntl(fusefd, F_GETFL) | O_NONBLOCK);
		r = watch_add(&fusewatch, fusefd, EPOLLIN, fuse_ready);
	}
	if (r == 0)
		r = resolver_init(nfs.resolvers);
	if (r == 0 && o.ninep)
		r = ninep_start(o.ninep, o.ninep_user);
	if (r < 0) {
		log_err("start: %s", strerror(-r));
		goto out_loop;
	}
	if (mnt)
		log_info("mounted on %s", c.mountpoint);
	if (o.ninep)
		log_info("serving 9P2000.L at %s", o.ninep);

	r = loop_run();
	if (r < 0)
		log_err("event loop: %s", strerror(-r));
	else
		ret = 0;

	ninep_fini();
	sock_close_all();
	ns_fini();
	cs_fini();
	vfs_fini();
	fuse_fe_fini();
	fuse_uring_fini();
	fuseio_fini();
	resolver_fini();
	dnode_free_all();
	limits_fini();
out_loop:
	if (sigwatch.fd >= 0)
		close(sigwatch.fd);
	loop_fini();
out_unmount:
	if (fuse_se)
		fuse_uring_unmount(fuse_se);
out_session:
	if (fuse_se)
		fuse_session_destroy(fuse_se);
out_scratch:
	free(fbuf.mem);
	free(nfs.scratch);
out_cmdline:
	free(c.mountpoint);
out_args:
	for (i = 0; i < o.npos && i < 3; i++)
		free(o.pos[i]);
	free(o.timeout);
	free(o.ninep);
	free(o.ninep_user);
	free(o.idle);
	fuse_opt_free_args(&args);
	return ret;
}
