/* log.c: one place that decides where messages go (see log.h). Many
 * messages quote what a user wrote (a name that failed to resolve, a bad
 * command): control bytes are escaped so that a user cannot forge log
 * lines, and notices are rate-limited so that a user cannot flood the
 * journal. Errors of netfs's own and debug lines (-d) are not limited. */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

/* At most this many notices (info, warning) a second. */
#define NOTICES_PER_SEC 20

static bool use_syslog;
static bool debug;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;	/* workers log */
static time_t window;		/* the second being counted */
static unsigned in_window, suppressed;

void log_init(bool to_syslog, bool dbg)
{
	use_syslog = to_syslog;
	debug = dbg;
	if (use_syslog)
		openlog("netfs", LOG_PID, LOG_DAEMON);
}

bool log_debugging(void)
{
	return debug;
}

size_t log_escape(const char *in, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (size == 0)
		return 0;
	for (; *in && o + 5 < size; in++) {
		unsigned char c = (unsigned char)*in;

		if (c < 0x20 || c == 0x7f || c == '\\') {
			out[o++] = '\\';
			if (c == '\\') {
				out[o++] = '\\';
				continue;
			}
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return o;
}

static void emit(int prio, const char *line)
{
	if (use_syslog)
		syslog(prio, "%s", line);
	else
		fprintf(stderr, "netfs: %s\n", line);
}

/* Whether a notice may go out now; says how many were held back when a
 * new second starts. Under lock. */
static bool admit(void)
{
	struct timespec ts;
	char note[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (ts.tv_sec != window) {
		if (suppressed) {
			snprintf(note, sizeof(note), "%u messages suppressed "
				 "(more than %d a second)", suppressed,
				 NOTICES_PER_SEC);
			emit(LOG_WARNING, note);
		}
		window = ts.tv_sec;
		in_window = suppressed = 0;
	}
	if (in_window >= NOTICES_PER_SEC) {
		suppressed++;
		return false;
	}
	in_window++;
	return true;
}

void log_msg(int prio, const char *fmt, ...)
{
	char raw[1024], safe[4096];
	va_list ap;

	if (prio == LOG_DEBUG && !debug)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	log_escape(raw, safe, sizeof(safe));
	pthread_mutex_lock(&lock);
	if (prio <= LOG_ERR || prio == LOG_DEBUG || admit())
		emit(prio, safe);
	pthread_mutex_unlock(&lock);
}
