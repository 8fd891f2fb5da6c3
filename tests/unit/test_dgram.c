/* test_dgram.c: the header line of sendto and recvfrom (dgramhdr.c), and
 * the unix address forms as sendto meets them: an overlong path or
 * abstract name is ENAMETOOLONG, never cut short. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "addrtext.h"
#include "dgramhdr.h"
#include "errors.h"

static int hdr(const char *s, size_t n, int family, struct addrspec *a,
	       size_t *hl, int *empty)
{
	return dgram_parse_hdr(s, n, family, a, hl, empty);
}

/* The sockaddr of a header, formatted back in the read form. */
static const char *dest(const char *s, size_t n, int family, size_t *hl)
{
	struct addrspec a;
	int empty;

	if (hdr(s, n, family, &a, hl, &empty) != 0)
		return "parse error";
	if (empty)
		return "connected peer";
	return numeric_text(&a, family);
}

static void headers(void **state)
{
	static const char udp[] = "127.0.0.1 53\npayload";
	size_t hl;

	(void)state;
	assert_string_equal(dest(udp, sizeof(udp) - 1, AF_INET, &hl),
			    "127.0.0.1 53");
	assert_int_equal(hl, 13);
	assert_string_equal(dest("127.0.0.1:53\n", 13, AF_INET, &hl),
			    "127.0.0.1 53");
	assert_string_equal(dest("udp!127.0.0.1!53\nx", 18, AF_INET, &hl),
			    "127.0.0.1 53");
	assert_string_equal(dest("[::1]:53\nx", 10, AF_INET6, &hl),
			    "::1 53 0 0");
	assert_string_equal(dest("::1 53 7 0\nx", 12, AF_INET6, &hl),
			    "::1 53 7 0");
	assert_string_equal(dest("* 9\n", 4, AF_INET, &hl), "0.0.0.0 9");
	assert_string_equal(dest("<broadcast> 9\n", 14, AF_INET, &hl),
			    "255.255.255.255 9");
	/* A CR before the newline is not part of the address. */
	assert_string_equal(dest("127.0.0.1 53\r\nx", 15, AF_INET, &hl),
			    "127.0.0.1 53");
	assert_int_equal(hl, 14);
	/* An empty line: the connected peer; the payload may be empty. */
	assert_string_equal(dest("\nabc", 4, AF_INET, &hl), "connected peer");
	assert_int_equal(hl, 1);
	assert_string_equal(dest("127.0.0.1 1\n", 12, AF_INET, &hl),
			    "127.0.0.1 1");
	assert_int_equal(hl, 12);
	/* Binary payload after the line is never looked at. */
	assert_string_equal(dest("127.0.0.1 1\n\0\n\xff", 15, AF_INET, &hl),
			    "127.0.0.1 1");
}

static void bad_headers(void **state)
{
	char big[DGRAM_HDR_MAX + 8];
	struct addrspec a;
	size_t hl;
	int empty;

	(void)state;
	/* No newline at all, or none within DGRAM_HDR_MAX bytes. */
	assert_int_equal(hdr("127.0.0.1 53", 12, AF_INET, &a, &hl, &empty),
			 -EINVAL);
	assert_non_null(strstr(err_detail(), "no newline"));
	assert_int_equal(hdr("", 0, AF_INET, &a, &hl, &empty), -EINVAL);
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	assert_int_equal(hdr(big, sizeof(big), AF_INET, &a, &hl, &empty),
			 -EINVAL);
	/* Garbage, NUL bytes, missing ports. */
	assert_int_equal(hdr("garbage\nx", 9, AF_INET, &a, &hl, &empty),
			 -EINVAL);
	assert_int_equal(hdr("127.0.0.1\0 53\nx", 15, AF_INET, &a, &hl,
			     &empty), -EINVAL);
	assert_int_equal(hdr("127.0.0.1 99999\n", 16, AF_INET, &a, &hl,
			     &empty), -EINVAL);
	assert_int_equal(hdr("1.2.3.4 9x\n", 11, AF_INET, &a, &hl, &empty),
			 -EINVAL);
	/* Parsed, but of the wrong family for the socket. */
	assert_int_equal(hdr("::1 53\n", 7, AF_INET, &a, &hl, &empty), 0);
	assert_string_equal(dest("::1 53\n", 7, AF_INET, &hl), "not numeric");
	assert_string_equal(dest("127.0.0.1 53\n", 13, AF_INET6, &hl),
			    "not numeric");
	assert_string_equal(dest("/tmp/x\n", 7, AF_INET, &hl), "not numeric");
	assert_string_equal(dest("<broadcast> 1\n", 14, AF_INET6, &hl),
			    "not numeric");
	/* A name: for the resolver, never for the parser. */
	assert_int_equal(hdr("localhost 53\n", 13, AF_INET, &a, &hl, &empty),
			 0);
	assert_string_equal(a.host, "localhost");
}

static void unix_headers(void **state)
{
	char line[UNIX_PATH_MAX + 8];
	struct sockaddr_storage ss;
	struct addrspec a;
	socklen_t len;
	size_t hl;
	int empty;

	(void)state;
	assert_string_equal(dest("/tmp/a b\nx", 10, AF_UNIX, &hl), "/tmp/a b");
	assert_string_equal(dest("@abs\nx", 6, AF_UNIX, &hl), "@abs");
	assert_string_equal(dest("unix!/run/s\n", 12, AF_UNIX, &hl),
			    "/run/s");
	assert_int_equal(hdr("rel\n", 4, AF_UNIX, &a, &hl, &empty), -EINVAL);

	/* 107 bytes of path fit (with the NUL); 108 do not. */
	memset(line, 'p', sizeof(line));
	line[0] = '/';
	line[UNIX_PATH_MAX - 1] = '\n';
	assert_int_equal(hdr(line, UNIX_PATH_MAX, AF_UNIX, &a, &hl, &empty),
			 0);
	assert_int_equal(a.pathlen, UNIX_PATH_MAX - 1);
	assert_int_equal(addr_numeric(&a, AF_UNIX, &ss, &len), 0);
	assert_int_equal(len, offsetof(struct sockaddr_un, sun_path) +
			 UNIX_PATH_MAX);
	line[UNIX_PATH_MAX - 1] = 'p';
	line[UNIX_PATH_MAX] = '\n';
	assert_int_equal(hdr(line, UNIX_PATH_MAX + 1, AF_UNIX, &a, &hl,
			     &empty), -ENAMETOOLONG);
	assert_int_equal(a.pathlen, 0);

	/* Abstract: '@' and 107 bytes fill sun_path; one more is too long. */
	line[0] = '@';
	line[UNIX_PATH_MAX] = '\n';
	assert_int_equal(hdr(line, UNIX_PATH_MAX + 1, AF_UNIX, &a, &hl,
			     &empty), 0);
	assert_int_equal(a.pathlen, UNIX_PATH_MAX);
	assert_int_equal(addr_numeric(&a, AF_UNIX, &ss, &len), 0);
	assert_int_equal(len, offsetof(struct sockaddr_un, sun_path) +
			 UNIX_PATH_MAX);
	line[UNIX_PATH_MAX] = 'p';
	line[UNIX_PATH_MAX + 1] = '\n';
	assert_int_equal(hdr(line, UNIX_PATH_MAX + 2, AF_UNIX, &a, &hl,
			     &empty), -ENAMETOOLONG);
	assert_non_null(strstr(err_detail(), "abstract"));
}

static void read_headers(void **state)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(5353) };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct strbuf sb = { 0 };

	(void)state;
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	assert_int_equal(dgram_format_hdr((struct sockaddr *)&sin,
					  sizeof(sin), &sb), 0);
	assert_string_equal(sb.buf, "127.0.0.1 5353\n");
	sb_reset(&sb);
	/* An unnamed sender: an empty line. */
	assert_int_equal(dgram_format_hdr((struct sockaddr *)&sun,
					  sizeof(sa_family_t), &sb), 0);
	assert_int_equal(sb.len, 1);
	sb_reset(&sb);
	memcpy(sun.sun_path, "\0ab", 3);
	assert_int_equal(dgram_format_hdr((struct sockaddr *)&sun,
					  offsetof(struct sockaddr_un,
						   sun_path) + 3, &sb), 0);
	assert_string_equal(sb.buf, "@ab\n");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(headers),
		cmocka_unit_test(bad_headers),
		cmocka_unit_test(unix_headers),
		cmocka_unit_test(read_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
