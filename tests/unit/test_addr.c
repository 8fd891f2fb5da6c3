/* test_addr.c: the address grammar (netfs(7), Addresses), its numeric
 * resolution and the read forms. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "addr.h"
#include "addrtext.h"
#include "errors.h"

static int parse(const char *s, int family, struct addrspec *a)
{
	return addr_parse_text(s, strlen(s), family, a);
}

/* Parses s for a socket of family and formats the numeric result. */
static const char *roundtrip(const char *s, int family)
{
	struct addrspec a;

	if (parse(s, family, &a) != 0)
		return "parse error";
	return numeric_text(&a, family);
}

static void inet_forms(void **state)
{
	(void)state;
	assert_string_equal(roundtrip("127.0.0.1 80", 0), "127.0.0.1 80");
	assert_string_equal(roundtrip("127.0.0.1:80", 0), "127.0.0.1 80");
	assert_string_equal(roundtrip("127.0.0.1!80", 0), "127.0.0.1 80");
	assert_string_equal(roundtrip("tcp!127.0.0.1!80", 0), "127.0.0.1 80");
	assert_string_equal(roundtrip("*:8080", AF_INET), "0.0.0.0 8080");
	assert_string_equal(roundtrip(":8080", AF_INET), "0.0.0.0 8080");
	assert_string_equal(roundtrip("* 0", 0), "0.0.0.0 0");
	assert_string_equal(roundtrip("<broadcast> 9", AF_INET),
			    "255.255.255.255 9");
	assert_string_equal(roundtrip("127.0.0.1 65535", 0), "127.0.0.1 65535");
}

static void inet6_forms(void **state)
{
	(void)state;
	assert_string_equal(roundtrip("::1 80", 0), "::1 80 0 0");
	assert_string_equal(roundtrip("[::1]:80", 0), "::1 80 0 0");
	assert_string_equal(roundtrip("::1!80", 0), "::1 80 0 0");
	assert_string_equal(roundtrip("tcp6!::1!80", 0), "::1 80 0 0");
	assert_string_equal(roundtrip("[::1] 80", 0), "::1 80 0 0");
	assert_string_equal(roundtrip("::1 80 5 7", 0), "::1 80 5 7");
	assert_string_equal(roundtrip("[::1]:80 5 7", 0), "::1 80 5 7");
	assert_string_equal(roundtrip("fe80::1%1 22", 0), "fe80::1 22 0 1");
	assert_string_equal(roundtrip("fe80::1%lo 22", 0), "fe80::1 22 0 1");
	assert_string_equal(roundtrip("* 80", AF_INET6), ":: 80 0 0");
	assert_string_equal(roundtrip("::ffff:1.2.3.4 1", 0),
			    "::ffff:1.2.3.4 1 0 0");
}

static void names_need_the_resolver(void **state)
{
	struct sockaddr_storage ss;
	struct addrspec a;
	socklen_t len;

	(void)state;
	assert_int_equal(parse("localhost 80", 0, &a), 0);
	assert_string_equal(a.host, "localhost");
	assert_string_equal(a.serv, "80");
	assert_int_equal(a.family, AF_UNSPEC);
	assert_int_equal(addr_numeric(&a, 0, &ss, &len), 1);

	assert_int_equal(parse("tcp!example.com!http", 0, &a), 0);
	assert_int_equal(a.socktype, SOCK_STREAM);
	assert_string_equal(a.serv, "http");
	assert_int_equal(addr_numeric(&a, 0, &ss, &len), 1);

	/* A numeric host with a service name still needs services(5). */
	assert_int_equal(parse("127.0.0.1:http", 0, &a), 0);
	assert_int_equal(addr_numeric(&a, 0, &ss, &len), 1);

	assert_int_equal(parse("udp6!host-1.example!53", 0, &a), 0);
	assert_int_equal(a.netfamily, AF_INET6);
	assert_int_equal(a.socktype, SOCK_DGRAM);
}

static void unix_forms(void **state)
{
	struct addrspec a;

	(void)state;
	assert_string_equal(roundtrip("/tmp/s", 0), "/tmp/s");
	assert_string_equal(roundtrip("@abstract", 0), "@abstract");
	assert_string_equal(roundtrip("unix!/run/x.sock", 0), "/run/x.sock");
	/* The rest of the line is the path, spaces and all. */
	assert_string_equal(roundtrip("/tmp/a b  c", AF_UNIX), "/tmp/a b  c");
	assert_int_equal(parse("@x", 0, &a), 0);
	assert_int_equal(a.pathlen, 2);
	assert_int_equal(a.path[0], '\0');
	assert_int_equal(parse("relative/path", AF_UNIX, &a), -EINVAL);
}

static void unix_lengths(void **state)
{
	char path[UNIX_PATH_MAX + 2];
	struct addrspec a;

	(void)state;
	/* sun_path has 108 bytes: 107 and a NUL for paths... */
	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[UNIX_PATH_MAX - 1] = '\0';
	assert_int_equal(parse(path, 0, &a), 0);
	path[UNIX_PATH_MAX - 1] = 'a';
	path[UNIX_PATH_MAX] = '\0';
	assert_int_equal(parse(path, 0, &a), -ENAMETOOLONG);
	/* ...and 108 bytes for abstract names, counting the leading NUL. */
	path[0] = '@';
	assert_int_equal(parse(path, 0, &a), 0);
	path[UNIX_PATH_MAX] = 'a';
	path[UNIX_PATH_MAX + 1] = '\0';
	assert_int_equal(parse(path, 0, &a), -ENAMETOOLONG);
}

static void bad_ports(void **state)
{
	struct addrspec a;

	(void)state;
	assert_int_equal(parse("127.0.0.1 65536", 0, &a), -EINVAL);
	assert_non_null(strstr(err_detail(), "out of range"));
	assert_int_equal(parse("127.0.0.1 -1", 0, &a), -EINVAL);
	assert_int_equal(parse("127.0.0.1:", 0, &a), -EINVAL);
	assert_int_equal(parse("127.0.0.1", 0, &a), -EINVAL);
	assert_non_null(strstr(err_detail(), "missing port"));
	assert_int_equal(parse("127.0.0.1 99999999999999999999999", 0, &a),
			 -EINVAL);
	assert_int_equal(parse("127.0.0.1 8x", 0, &a), -EINVAL);
	assert_int_equal(parse("127.0.0.1 x$y", 0, &a), -EINVAL);
	assert_int_equal(parse("h!", 0, &a), -EINVAL);
}

static void bad_hosts(void **state)
{
	char longname[400];
	struct addrspec a;

	(void)state;
	assert_int_equal(parse("bad..:80", 0, &a), 0);	/* the resolver says no */
	assert_int_equal(parse("a/b 80", 0, &a), -EINVAL);
	assert_int_equal(parse("1::2::3 80", 0, &a), -EINVAL);
	assert_int_equal(parse("[127.0.0.1]:80", 0, &a), -EINVAL);
	assert_int_equal(parse("[::1]x80", 0, &a), -EINVAL);
	assert_int_equal(parse("127.0.0.1%eth0 80", 0, &a), -EINVAL);
	assert_int_equal(parse("bogus!h!80", 0, &a), -EINVAL);
	assert_non_null(strstr(err_detail(), "unknown network"));
	assert_int_equal(parse("tcp!h!80!9", 0, &a), -EINVAL);
	assert_int_equal(parse("tcp4!::1!80", 0, &a), -EINVAL);
	memset(longname, 'a', sizeof(longname));
	longname[300] = '\0';
	strcat(longname, " 80");
	assert_int_equal(parse(longname, 0, &a), -ENAMETOOLONG);
	longname[254] = ' ';
	longname[255] = '8';
	longname[256] = '\0';
	assert_int_equal(parse(longname, 0, &a), -EINVAL);
	assert_int_equal(parse("", 0, &a), -EINVAL);
	assert_int_equal(parse("   ", 0, &a), -EINVAL);
}

static void embedded_nul(void **state)
{
	static const char s[] = "127.0.0.1\0 80";
	struct addrspec a;

	(void)state;
	assert_int_equal(addr_parse_text(s, sizeof(s) - 1, 0, &a), -EINVAL);
	assert_int_equal(addr_parse_text("/tmp/a\0b", 8, AF_UNIX, &a), -EINVAL);
}

static void trailing_fields_stay(void **state)
{
	struct field f[3] = { FIELD("127.0.0.1"), FIELD("80"), FIELD("5") };
	struct field g[2] = { FIELD("*:80"), FIELD("timeout=2") };
	struct addrspec a;
	int used;

	(void)state;
	assert_int_equal(addr_parse(f, 3, 0, &a, &used), 0);
	assert_int_equal(used, 2);	/* "5" is the backlog */
	assert_int_equal(addr_parse(g, 2, 0, &a, &used), 0);
	assert_int_equal(used, 1);
	assert_int_equal(parse("127.0.0.1 80 5", 0, &a), -EINVAL);
}

static void family_mismatch(void **state)
{
	struct sockaddr_storage ss;
	struct addrspec a;
	socklen_t len;

	(void)state;
	assert_int_equal(parse("127.0.0.1 80", 0, &a), 0);
	assert_int_equal(addr_numeric(&a, AF_INET6, &ss, &len), -EAFNOSUPPORT);
	assert_int_equal(parse("::1 80", 0, &a), 0);
	assert_int_equal(addr_numeric(&a, AF_INET, &ss, &len), -EAFNOSUPPORT);
	assert_int_equal(parse("/tmp/x", 0, &a), 0);
	assert_int_equal(addr_numeric(&a, AF_INET, &ss, &len), -EAFNOSUPPORT);
	assert_int_equal(parse("<broadcast> 1", 0, &a), 0);
	assert_int_equal(addr_numeric(&a, AF_INET6, &ss, &len), -EAFNOSUPPORT);
}

static void read_forms(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct strbuf sb = { 0 };

	(void)state;
	/* An unnamed unix socket is an empty line. */
	assert_int_equal(addr_format((struct sockaddr *)&sun,
				     sizeof(sa_family_t), &sb), 0);
	assert_int_equal(sb.len, 0);
	memcpy(sun.sun_path, "\0ab", 3);
	assert_int_equal(addr_format((struct sockaddr *)&sun,
				     offsetof(struct sockaddr_un, sun_path) + 3,
				     &sb), 0);
	assert_string_equal(sb.buf, "@ab");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inet_forms),
		cmocka_unit_test(inet6_forms),
		cmocka_unit_test(names_need_the_resolver),
		cmocka_unit_test(unix_forms),
		cmocka_unit_test(unix_lengths),
		cmocka_unit_test(bad_ports),
		cmocka_unit_test(bad_hosts),
		cmocka_unit_test(embedded_nul),
		cmocka_unit_test(trailing_fields_stay),
		cmocka_unit_test(family_mismatch),
		cmocka_unit_test(read_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
