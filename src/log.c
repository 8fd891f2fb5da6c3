/* log.c: one place that decides where messages go (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static bool use_syslog;
static bool debug;

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

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !debug)
		return;
	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(prio, fmt, ap);
	} else {
		fputs("netfs: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
