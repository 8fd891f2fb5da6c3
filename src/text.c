/* text.c: the small text files of a socket directory. Each is rendered
 * once when it is opened, so a reader sees one consistent snapshot, and
 * ends with a newline; `timeout` also takes a value. */
#include "text.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "errors.h"
#include "names.h"
#include "parse.h"
#include "park.h"
#include "sock.h"
#include "tree.h"

static int need_fd(const struct sock *s)
{
	if (s->fd >= 0)
		return 0;
	return s->state == SS_CLOSED ? -EBADF : -ENOTCONN;
}

static int name_line(struct sock *s, struct strbuf *sb,
		     int (*get)(int, struct sockaddr *, socklen_t *))
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int r = need_fd(s);

	if (r < 0)
		return r;
	if (get(s->fd, (struct sockaddr *)&ss, &len) < 0)
		return -errno;
	r = addr_format((struct sockaddr *)&ss, len, sb);
	return r ? r : sb_append(sb, "\n", 1);
}

int text_peername(const struct node *n, struct strbuf *sb)
{
	return name_line(n->s, sb, getpeername);
}

int text_sockname(const struct node *n, struct strbuf *sb)
{
	return name_line(n->s, sb, getsockname);
}

static int name_or_number(struct strbuf *sb, const char *name, int val)
{
	if (name)
		return sb_printf(sb, "%s\n", name);
	return sb_printf(sb, "%d\n", val);
}

int text_family(const struct node *n, struct strbuf *sb)
{
	struct sock *s = n->s;

	if (!s->family)
		return sb_puts(sb, "unspec\n");
	return name_or_number(sb, family_name(s->family), s->family);
}

int text_type(const struct node *n, struct strbuf *sb)
{
	struct sock *s = n->s;

	if (!s->type)
		return sb_puts(sb, "unspec\n");
	return name_or_number(sb, socktype_name(s->type), s->type);
}

int text_proto(const struct node *n, struct strbuf *sb)
{
	struct sock *s = n->s;

	return name_or_number(sb, s->proto ? proto_name(s->family, s->proto)
					   : NULL, s->proto);
}

static unsigned count(const struct list *q)
{
	const struct list *p;
	unsigned n = 0;

	for (p = q->next; p != q; p = p->next)
		n++;
	return n;
}

/* The state, with what the kernel knows of a connected stream that netfs
 * has not seen yet: the peer closed its side ("peer-closed"), or the
 * connection was reset or aborted ("reset"). Asked without reading, so
 * the next read still gets the error or the end of file. */
static const char *live_state(const struct sock *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN | POLLRDHUP };
	const char *st = sock_state_name(s->state);
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (s->state != SS_CONNECTED || s->fd < 0 ||
	    (s->type != SOCK_STREAM && s->type != SOCK_SEQPACKET) ||
	    poll(&pfd, 1, 0) < 0)
		return st;
	if ((s->family == AF_INET || s->family == AF_INET6) &&
	    s->proto == IPPROTO_TCP &&
	    getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0) {
		switch (ti.tcpi_state) {
		case TCP_CLOSE_WAIT:
		case TCP_LAST_ACK:
		case TCP_CLOSING:
		case TCP_TIME_WAIT:
			return "peer-closed";
		case TCP_CLOSE:
			/* Closed both ways: after our FIN and theirs, or
			 * by a reset (the error pending, or read already). */
			return !s->wr_shut || (pfd.revents & POLLERR) ||
			       s->err == ECONNRESET ? "reset" : "peer-closed";
		default:
			return st;
		}
	}
	if (pfd.revents & POLLERR)
		return "reset";
	/* RDHUP after our own shutdown rd says nothing of the peer. */
	if ((pfd.revents & POLLHUP) ||
	    ((pfd.revents & POLLRDHUP) && !s->rd_shut))
		return "peer-closed";
	return st;
}

int text_status(const struct node *n, struct strbuf *sb)
{
	struct sock *s = n->s;
	char t[32], idle[32];

	format_timeout(t, sizeof(t), s->timeout);
	format_timeout(idle, sizeof(idle), s->idle);
	return sb_printf(sb,
			 "state %s\n"
			 "timeout %s\n"
			 "shutdown %s\n"
			 "ephemeral %d\n"
			 "idle %s\n"
			 "rx_bytes %llu\n"
			 "tx_bytes %llu\n"
			 "rx_calls %llu\n"
			 "tx_calls %llu\n"
			 "accepted %llu\n"
			 "blocked_readers %u\n"
			 "blocked_writers %u\n"
			 "blocked_accepts %u\n"
			 "open_files %u\n",
			 live_state(s), t,
			 s->rd_shut && s->wr_shut ? "rdwr" :
			 s->rd_shut ? "rd" : s->wr_shut ? "wr" : "none",
			 s->ephemeral, idle,
			 (unsigned long long)s->rx_bytes,
			 (unsigned long long)s->tx_bytes,
			 (unsigned long long)s->rx_calls,
			 (unsigned long long)s->tx_calls,
			 (unsigned long long)s->accepted,
			 count(&s->readers), count(&s->writers),
			 count(&s->acceptors), s->nopen);
}

int text_error(const struct node *n, struct strbuf *sb)
{
	struct sock *s = n->s;

	if (!s->errtext)
		return 0;
	return sb_printf(sb, "%s\n", s->errtext);
}

int text_timeout(const struct node *n, struct strbuf *sb)
{
	struct sock *s = n->s;
	char t[32];

	format_timeout(t, sizeof(t), s->timeout);
	return sb_printf(sb, "%s\n", t);
}

int store_timeout(const struct node *n, struct field v)
{
	int64_t ns;
	int r = parse_timeout(v, &ns);

	if (r < 0)
		return r;
	n->s->timeout = ns;
	return 0;
}
