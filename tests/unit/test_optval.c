/* test_optval.c: the option value parsers and formatters of every type,
 * the hex bytes of getsockopt/setsockopt, the MSG_* flag sets and the
 * constants table. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <cmocka.h>

#include "constants.h"
#include "errors.h"
#include "optval.h"

static struct field F(const char *s)
{
	return (struct field){ s, strlen(s) };
}

static unsigned char buf[OPTVAL_MAX];

static int parse(enum optval_type t, const char *text, socklen_t *len)
{
	memset(buf, 0xee, sizeof(buf));
	return optval_parse(t, F(text), buf, len);
}

/* Parses text, formats the bytes again and compares with want. */
static void round_trip(enum optval_type t, const char *text,
		       const char *want)
{
	struct strbuf sb = { 0 };
	socklen_t len;

	assert_int_equal(parse(t, text, &len), 0);
	assert_int_equal(optval_format(t, buf, len, &sb), 0);
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, want);
	sb_free(&sb);
}

static void ints(void **state)
{
	socklen_t len;
	int v;

	(void)state;
	assert_int_equal(parse(OV_INT, "42", &len), 0);
	assert_int_equal(len, sizeof(int));
	memcpy(&v, buf, sizeof(v));
	assert_int_equal(v, 42);
	round_trip(OV_INT, "-1", "-1\n");
	round_trip(OV_INT, "2147483647", "2147483647\n");
	round_trip(OV_INT, "-2147483648", "-2147483648\n");
	assert_int_equal(parse(OV_INT, "2147483648", &len), -EINVAL);
	assert_non_null(strstr(err_detail(), "2147483648"));
	assert_int_equal(parse(OV_INT, "", &len), -EINVAL);
	assert_int_equal(parse(OV_INT, "12x", &len), -EINVAL);
	assert_int_equal(parse(OV_INT, " 1", &len), -EINVAL);
	assert_int_equal(parse(OV_INT, "0x10", &len), -EINVAL);
}

static void bools(void **state)
{
	struct strbuf sb = { 0 };
	socklen_t len;
	int v = 7;

	(void)state;
	round_trip(OV_BOOL, "1", "1\n");
	round_trip(OV_BOOL, "0", "0\n");
	assert_int_equal(parse(OV_BOOL, "2", &len), -EINVAL);
	assert_int_equal(parse(OV_BOOL, "yes", &len), -EINVAL);
	assert_non_null(strstr(err_detail(), "0 or 1"));
	assert_int_equal(parse(OV_BOOL, "", &len), -EINVAL);
	/* The kernel may report any non-zero value: 1. */
	assert_int_equal(optval_format(OV_BOOL, &v, sizeof(v), &sb), 0);
	assert_string_equal(sb.buf, "1\n");
	sb_free(&sb);
}

static void lingers(void **state)
{
	struct linger l;
	socklen_t len;

	(void)state;
	assert_int_equal(parse(OV_LINGER, "1 5", &len), 0);
	assert_int_equal(len, sizeof(l));
	memcpy(&l, buf, sizeof(l));
	assert_int_equal(l.l_onoff, 1);
	assert_int_equal(l.l_linger, 5);
	round_trip(OV_LINGER, "0", "0 0\n");
	round_trip(OV_LINGER, "0 3", "0 3\n");
	round_trip(OV_LINGER, "1  0", "1 0\n");
	assert_int_equal(parse(OV_LINGER, "1", &len), -EINVAL);
	assert_int_equal(parse(OV_LINGER, "1 -1", &len), -EINVAL);
	assert_int_equal(parse(OV_LINGER, "2 1", &len), -EINVAL);
	assert_int_equal(parse(OV_LINGER, "1 2 3", &len), -EINVAL);
	assert_int_equal(parse(OV_LINGER, "", &len), -EINVAL);
}

static void times(void **state)
{
	struct timeval tv;
	socklen_t len;

	(void)state;
	assert_int_equal(parse(OV_TIME, "1.5", &len), 0);
	assert_int_equal(len, sizeof(tv));
	memcpy(&tv, buf, sizeof(tv));
	assert_int_equal(tv.tv_sec, 1);
	assert_int_equal(tv.tv_usec, 500000);
	round_trip(OV_TIME, "0", "0\n");
	round_trip(OV_TIME, "2", "2\n");
	round_trip(OV_TIME, "0.25", "0.25\n");
	/* Below a microsecond still is a timeout, not "none". */
	round_trip(OV_TIME, "0.000000001", "0.000001\n");
	assert_int_equal(parse(OV_TIME, "-1", &len), -EINVAL);
	assert_int_equal(parse(OV_TIME, "none", &len), -EINVAL);
	assert_int_equal(parse(OV_TIME, "1.2.3", &len), -EINVAL);
}

static void strings(void **state)
{
	char big[300];
	socklen_t len;

	(void)state;
	assert_int_equal(parse(OV_STRING, "cubic", &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(buf, "cubic", 5);
	round_trip(OV_STRING, "lo", "lo\n");
	round_trip(OV_STRING, "", "\n");
	assert_int_equal(optval_parse(OV_STRING, (struct field){ "a\0b", 3 },
				      buf, &len), -EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse(OV_STRING, big, &len), -EINVAL);
}

static void mreqs(void **state)
{
	struct ip_mreqn m;
	struct ipv6_mreq m6;
	socklen_t len;

	(void)state;
	assert_int_equal(parse(OV_MREQ, "239.1.2.3", &len), 0);
	assert_int_equal(len, sizeof(m));
	memcpy(&m, buf, sizeof(m));
	assert_int_equal(ntohl(m.imr_multiaddr.s_addr), 0xef010203);
	assert_int_equal(m.imr_ifindex, 0);
	round_trip(OV_MREQ, "239.1.2.3 127.0.0.1", "239.1.2.3 127.0.0.1\n");
	round_trip(OV_MREQ, "224.0.0.251 1", "224.0.0.251 1\n");
	round_trip(OV_MREQ, "224.0.0.251 lo", "224.0.0.251 1\n");
	assert_int_equal(parse(OV_MREQ, "10.0.0.1", &len), -EINVAL);
	assert_non_null(strstr(err_detail(), "multicast"));
	assert_int_equal(parse(OV_MREQ, "239.1.2.3 nosuchif0", &len), -ENODEV);
	assert_int_equal(parse(OV_MREQ, "239.1.2.3 1.2.3", &len), -EINVAL);
	assert_int_equal(parse(OV_MREQ, "ff02::1", &len), -EINVAL);
	assert_int_equal(parse(OV_MREQ, "", &len), -EINVAL);
	assert_int_equal(parse(OV_MREQ, "239.1.2.3 lo x", &len), -EINVAL);

	assert_int_equal(parse(OV_MREQ6, "ff02::fb", &len), 0);
	assert_int_equal(len, sizeof(m6));
	memcpy(&m6, buf, sizeof(m6));
	assert_true(IN6_IS_ADDR_MULTICAST(&m6.ipv6mr_multiaddr));
	round_trip(OV_MREQ6, "ff02::fb lo", "ff02::fb 1\n");
	round_trip(OV_MREQ6, "ff05::1 3", "ff05::1 3\n");
	assert_int_equal(parse(OV_MREQ6, "fe80::1", &len), -EINVAL);
	assert_int_equal(parse(OV_MREQ6, "239.1.2.3", &len), -EINVAL);
	assert_int_equal(parse(OV_MREQ6, "ff02::1 a/b", &len), -EINVAL);
}

static void readonly(void **state)
{
	struct ucred u = { .pid = 12, .uid = 1000, .gid = 100 };
	struct strbuf sb = { 0 };
	socklen_t len;

	(void)state;
	assert_int_equal(parse(OV_UCRED, "1 2 3", &len), -EACCES);
	assert_int_equal(parse(OV_TCPINFO, "x", &len), -EACCES);
	assert_int_equal(optval_format(OV_UCRED, &u, sizeof(u), &sb), 0);
	assert_string_equal(sb.buf, "12 1000 100\n");
	sb_free(&sb);
	/* Short buffers are refused, not read past. */
	assert_int_equal(optval_format(OV_UCRED, &u, 4, &sb), -EINVAL);
	assert_int_equal(optval_format(OV_LINGER, &u, 4, &sb), -EINVAL);
	assert_int_equal(optval_format(OV_INT, &u, 2, &sb), -EINVAL);
	assert_int_equal(optval_format(OV_TIME, &u, 8, &sb), -EINVAL);
	sb_free(&sb);
}

static void hex(void **state)
{
	struct strbuf sb = { 0 };
	size_t len;

	(void)state;
	assert_int_equal(optval_parse_hex(F("0x01ff"), buf, 8, &len), 0);
	assert_int_equal(len, 2);
	assert_int_equal(buf[0], 1);
	assert_int_equal(buf[1], 0xff);
	assert_int_equal(optval_parse_hex(F("ABcd"), buf, 8, &len), 0);
	assert_int_equal(buf[0], 0xab);
	assert_int_equal(optval_parse_hex(F(""), buf, 8, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(optval_parse_hex(F("abc"), buf, 8, &len), -EINVAL);
	assert_int_equal(optval_parse_hex(F("zz"), buf, 8, &len), -EINVAL);
	assert_int_equal(optval_parse_hex(F("010203"), buf, 2, &len), -EINVAL);
	assert_int_equal(optval_format_hex("\x01\xab", 2, &sb), 0);
	assert_memory_equal(sb.buf, "01ab", 4);
	sb_free(&sb);
	round_trip(OV_BYTES, "0x0a0b", "0a0b\n");
}

static void flags(void **state)
{
	struct strbuf sb = { 0 };
	int f = -1;

	(void)state;
	assert_int_equal(msgflags_parse(F("PEEK WAITALL"), MSGF_RECV, &f), 0);
	assert_int_equal(f, MSG_PEEK | MSG_WAITALL);
	assert_int_equal(msgflags_parse(F("msg_oob,MSG_DONTWAIT|peek"),
					MSGF_RECV, &f), 0);
	assert_int_equal(f, MSG_OOB | MSG_DONTWAIT | MSG_PEEK);
	assert_int_equal(msgflags_parse(F("none"), MSGF_RECV, &f), 0);
	assert_int_equal(f, 0);
	assert_int_equal(msgflags_parse(F(""), MSGF_SEND, &f), 0);
	assert_int_equal(f, 0);
	assert_int_equal(msgflags_parse(F("OOB MORE"), MSGF_SEND, &f), 0);
	assert_int_equal(f, MSG_OOB | MSG_MORE);
	f = 5;
	assert_int_equal(msgflags_parse(F("PEEK"), MSGF_SEND, &f), -EINVAL);
	assert_int_equal(f, 5);
	assert_int_equal(msgflags_parse(F("MORE"), MSGF_RECV, &f), -EINVAL);
	assert_int_equal(msgflags_parse(F("TRUNC"), MSGF_RECV, &f), -EINVAL);
	assert_non_null(strstr(err_detail(), "TRUNC"));
	assert_int_equal(msgflags_format(MSG_PEEK | MSG_WAITALL, &sb), 0);
	assert_string_equal(sb.buf, "MSG_PEEK MSG_WAITALL\n");
	sb_reset(&sb);
	assert_int_equal(msgflags_format(0, &sb), 0);
	assert_string_equal(sb.buf, "none\n");
	sb_free(&sb);
}

static void constants_table(void **state)
{
	const struct constant *c;
	long long v;
	int n = 0;

	(void)state;
	for (c = constants; c->name; c++)
		n++;
	assert_true(n >= 150);
	assert_int_equal(constant_lookup(F("SO_REUSEADDR"), &v), 0);
	assert_int_equal(v, SO_REUSEADDR);
	assert_int_equal(constant_lookup(F("AF_INET6"), &v), 0);
	assert_int_equal(v, AF_INET6);
	assert_int_equal(constant_lookup(F("SOMAXCONN"), &v), 0);
	assert_int_equal(v, SOMAXCONN);
	assert_int_equal(constant_lookup(F("INADDR_NONE"), &v), 0);
	assert_int_equal(v, 0xffffffffll);
	assert_int_equal(constant_lookup(F("SO_NOSUCH"), &v), -ENOENT);
	assert_int_equal(constant_lookup(F("SO_REUSEADD"), &v), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ints),
		cmocka_unit_test(bools),
		cmocka_unit_test(lingers),
		cmocka_unit_test(times),
		cmocka_unit_test(strings),
		cmocka_unit_test(mreqs),
		cmocka_unit_test(readonly),
		cmocka_unit_test(hex),
		cmocka_unit_test(flags),
		cmocka_unit_test(constants_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
