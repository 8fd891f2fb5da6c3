/* log.h: errors and notable events go to stderr in the foreground and to
 * syslog (journald) once daemonized; debug lines only with -d. Control
 * bytes are escaped (\xNN) and notices rate-limited (log.c). */
#ifndef NETFS_LOG_H
#define NETFS_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

void log_init(bool to_syslog, bool debug);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool log_debugging(void);
/* Copies in to out (size bytes, NUL-terminated) with control bytes and
 * backslashes escaped; returns the length written. */
#include <stddef.h>
size_t log_escape(const char *in, char *out, size_t size);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) \
	do { \
		if (log_debugging()) \
			log_msg(LOG_DEBUG, __VA_ARGS__); \
	} while (0)

#endif
