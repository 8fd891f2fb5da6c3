/* test_parse.c: control message fields, numbers, timeouts and the command
 * tables of both control files. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmds.h"
#include "errors.h"
#include "parse.h"

static struct field F(const char *s)
{
	return (struct field){ s, strlen(s) };
}

static void fields(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(parse_fields(F("  connect \t 127.0.0.1  80 "), &cl), 0);
	assert_int_equal(cl.n, 3);
	assert_true(field_eq(cl.f[0], "connect"));
	assert_true(field_eq(cl.f[1], "127.0.0.1"));
	assert_true(field_eq(cl.f[2], "80"));
	assert_int_equal(parse_fields(F(""), &cl), 0);
	assert_int_equal(cl.n, 0);
}

static void field_limits(void **state)
{
	char big[CMD_MAXLINE + 2];
	struct cmdline cl;

	(void)state;
	assert_int_equal(parse_fields((struct field){ "a\0b", 3 }, &cl), -EINVAL);
	assert_non_null(strstr(err_detail(), "NUL"));
	assert_int_equal(parse_fields(F("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"),
				      &cl), 0);
	assert_int_equal(parse_fields(F("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
					"17"), &cl), -E2BIG);
	memset(big, 'x', sizeof(big));
	assert_int_equal(parse_fields((struct field){ big, CMD_MAXLINE }, &cl), 0);
	assert_int_equal(parse_fields((struct field){ big, CMD_MAXLINE + 1 },
				      &cl), -E2BIG);
}

static void lines(void **state)
{
	const char *buf = "bind *:80\r\nlisten\n\nclose";
	size_t pos = 0, len = strlen(buf);
	struct field l;

	(void)state;
	assert_int_equal(parse_line(buf, len, &pos, &l), 1);
	assert_true(field_eq(l, "bind *:80"));
	assert_int_equal(parse_line(buf, len, &pos, &l), 1);
	assert_true(field_eq(l, "listen"));
	assert_int_equal(parse_line(buf, len, &pos, &l), 1);
	assert_int_equal(l.n, 0);
	assert_int_equal(parse_line(buf, len, &pos, &l), 1);
	assert_true(field_eq(l, "close"));
	assert_int_equal(parse_line(buf, len, &pos, &l), 0);
}

static void numbers(void **state)
{
	uint64_t u;
	int64_t i;

	(void)state;
	assert_int_equal(parse_uint(F("65535"), 65535, &u, "port"), 0);
	assert_int_equal(u, 65535);
	assert_int_equal(parse_uint(F("65536"), 65535, &u, "port"), -EINVAL);
	assert_non_null(strstr(err_detail(), "'65536' out of range"));
	assert_int_equal(parse_uint(F("18446744073709551616"), UINT64_MAX, &u,
				    "n"), -EINVAL);
	assert_int_equal(parse_uint(F("18446744073709551615"), UINT64_MAX, &u,
				    "n"), 0);
	assert_int_equal(parse_uint(F(""), 9, &u, "n"), -EINVAL);
	assert_int_equal(parse_uint(F("+1"), 9, &u, "n"), -EINVAL);
	assert_int_equal(parse_uint(F(" 1"), 9, &u, "n"), -EINVAL);
	assert_int_equal(parse_int(F("-1"), -5, 5, &i, "n"), 0);
	assert_int_equal(i, -1);
	assert_int_equal(parse_int(F("-6"), -5, 5, &i, "n"), -EINVAL);
	assert_int_equal(parse_int(F("-9223372036854775808"), INT64_MIN,
				   INT64_MAX, &i, "n"), 0);
	assert_true(i == INT64_MIN);
	assert_int_equal(parse_int(F("9223372036854775808"), INT64_MIN,
				   INT64_MAX, &i, "n"), -EINVAL);
	assert_int_equal(parse_int(F("-"), -5, 5, &i, "n"), -EINVAL);
}

static void timeouts(void **state)
{
	char buf[32];
	int64_t ns;

	(void)state;
	assert_int_equal(parse_timeout(F("none"), &ns), 0);
	assert_true(ns == -1);
	assert_int_equal(parse_timeout(F("0"), &ns), 0);
	assert_true(ns == 0);
	assert_int_equal(parse_timeout(F("0.5"), &ns), 0);
	assert_true(ns == 500000000);
	assert_int_equal(parse_timeout(F(".25"), &ns), 0);
	assert_true(ns == 250000000);
	assert_int_equal(parse_timeout(F("2."), &ns), 0);
	assert_true(ns == 2000000000);
	assert_int_equal(parse_timeout(F("1.000000001"), &ns), 0);
	assert_true(ns == 1000000001);
	assert_int_equal(parse_timeout(F("1.0000000001"), &ns), -EINVAL);
	assert_int_equal(parse_timeout(F("-1"), &ns), -EINVAL);
	assert_int_equal(parse_timeout(F("1e3"), &ns), -EINVAL);
	assert_int_equal(parse_timeout(F("."), &ns), -EINVAL);
	assert_int_equal(parse_timeout(F("1000000001"), &ns), -EINVAL);
	assert_int_equal(parse_timeout(F("None"), &ns), -EINVAL);
	format_timeout(buf, sizeof(buf), -1);
	assert_string_equal(buf, "none");
	format_timeout(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0");
	format_timeout(buf, sizeof(buf), 500000000);
	assert_string_equal(buf, "0.5");
	format_timeout(buf, sizeof(buf), 3000000000);
	assert_string_equal(buf, "3");
}

static const struct cmdtab *lookup(const struct cmdtab *t, const char *s)
{
	struct cmdline cl;

	assert_int_equal(parse_fields(F(s), &cl), 0);
	return cmd_lookup(t, &cl);
}

static void commands(void **state)
{
	const struct cmdtab *c;

	(void)state;
	c = lookup(sock_cmdtab, "connect 127.0.0.1 80");
	assert_non_null(c);
	assert_int_equal(c->index, CMD_CONNECT);
	c = lookup(root_cmdtab, "socket");
	assert_non_null(c);
	assert_int_equal(c->index, CMD_MKSOCKET);
	assert_non_null(lookup(root_cmdtab, "socket inet6 dgram udp"));
	assert_non_null(lookup(sock_cmdtab, "shutdown wr"));
	assert_non_null(lookup(sock_cmdtab, "listen"));
	assert_non_null(lookup(sock_cmdtab, "listen 5"));
}

static void bad_commands(void **state)
{
	(void)state;
	assert_null(lookup(sock_cmdtab, "frobnicate now"));
	assert_non_null(strstr(err_detail(), "unknown command 'frobnicate'"));
	assert_non_null(strstr(err_detail(), "bind"));
	/* Missing and extra fields give the usage. */
	assert_null(lookup(sock_cmdtab, "bind"));
	assert_string_equal(err_detail(), "usage: bind ADDRESS");
	assert_null(lookup(sock_cmdtab, "socket inet"));
	assert_null(lookup(sock_cmdtab, "shutdown"));
	assert_null(lookup(sock_cmdtab, "shutdown rd wr"));
	assert_null(lookup(sock_cmdtab, "close now"));
	assert_null(lookup(root_cmdtab, "connect"));
	assert_null(lookup(root_cmdtab, "socket a b c d"));
	/* Case matters, as in Plan 9. */
	assert_null(lookup(sock_cmdtab, "CLOSE"));
	assert_null(lookup(sock_cmdtab, ""));
	/* Unprintable input is quoted, not echoed raw. */
	assert_null(lookup(sock_cmdtab, "\x1b[31m"));
	assert_non_null(strstr(err_detail(), "\\x1b[31m"));
}

static void quoting(void **state)
{
	char q[QUOTE_MAX], big[200];

	(void)state;
	memset(big, 'z', sizeof(big));
	err_quote(big, sizeof(big), q);
	assert_int_equal(strlen(q), 64 + 3);
	assert_string_equal(err_quote("a\\b", 3, q), "a\\x5cb");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fields),
		cmocka_unit_test(field_limits),
		cmocka_unit_test(lines),
		cmocka_unit_test(numbers),
		cmocka_unit_test(timeouts),
		cmocka_unit_test(commands),
		cmocka_unit_test(bad_commands),
		cmocka_unit_test(quoting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
