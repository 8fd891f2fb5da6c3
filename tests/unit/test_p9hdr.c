/* test_p9hdr.c: the headers of Plan 9 UDP conversations (p9hdr.c): the
 * 52-byte binary layout both ways, v4-mapped addresses for IPv4, the
 * text form, and the reasons bad headers are refused. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "errors.h"
#include "p9hdr.h"

static struct sockaddr_in v4(const char *a, unsigned port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port) };

	assert_int_equal(inet_pton(AF_INET, a, &sin.sin_addr), 1);
	return sin;
}

static struct sockaddr_in6 v6(const char *a, unsigned port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons((uint16_t)port) };

	assert_int_equal(inet_pton(AF_INET6, a, &sin6.sin6_addr), 1);
	return sin6;
}

static const unsigned char mapped_lo[16] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1
};

static void encode_v4(void **state)
{
	struct sockaddr_in from = v4("127.0.0.1", 4000);
	struct sockaddr_in to = v4("127.0.0.1", 0x1234);
	unsigned char h[P9_UDPHDR];

	(void)state;
	assert_int_equal(p9hdr_encode((struct sockaddr *)&from, sizeof(from),
				      (struct sockaddr *)&to, sizeof(to), h),
			 0);
	assert_memory_equal(h, mapped_lo, 16);		/* raddr */
	assert_memory_equal(h + 16, mapped_lo, 16);	/* laddr */
	assert_memory_equal(h + 32, mapped_lo, 16);	/* ifcaddr */
	assert_int_equal(h[48], 4000 >> 8);		/* rport, big-endian */
	assert_int_equal(h[49], 4000 & 0xff);
	assert_int_equal(h[50], 0x12);			/* lport */
	assert_int_equal(h[51], 0x34);
}

static void encode_v6_unknown_local(void **state)
{
	struct sockaddr_in6 from = v6("::1", 53);
	unsigned char h[P9_UDPHDR], any[16] = { 0 };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	(void)state;
	assert_int_equal(p9hdr_encode((struct sockaddr *)&from, sizeof(from),
				      NULL, 0, h), 0);
	assert_memory_equal(h, &from.sin6_addr, 16);
	/* An unknown local address is the v4-mapped any address. */
	any[10] = any[11] = 0xff;
	assert_memory_equal(h + 16, any, 16);
	assert_int_equal(h[50] | h[51], 0);
	assert_int_equal(p9hdr_encode((struct sockaddr *)&sun, sizeof(sun),
				      NULL, 0, h), -EAFNOSUPPORT);
}

/* A header round trip, for a socket of each family. */
static void decode(void **state)
{
	struct sockaddr_in from = v4("10.1.2.3", 9);
	struct sockaddr_in6 from6 = v6("fe80::1", 5353);
	struct sockaddr_storage ss;
	unsigned char h[P9_UDPHDR + 3];
	socklen_t len;

	(void)state;
	assert_int_equal(p9hdr_encode((struct sockaddr *)&from, sizeof(from),
				      NULL, 0, h), 0);
	memcpy(h + P9_UDPHDR, "abc", 3);
	assert_int_equal(p9hdr_decode(h, sizeof(h), AF_INET, &ss, &len), 0);
	assert_int_equal(len, sizeof(from));
	assert_memory_equal(&ss, &from, sizeof(from));
	assert_int_equal(p9hdr_decode(h, sizeof(h), AF_UNSPEC, &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	/* An IPv6 socket keeps the v4-mapped form. */
	assert_int_equal(p9hdr_decode(h, sizeof(h), AF_INET6, &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(len, sizeof(struct sockaddr_in6));
	assert_true(IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)&ss)->
					 sin6_addr));
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 9);

	assert_int_equal(p9hdr_encode((struct sockaddr *)&from6, sizeof(from6),
				      NULL, 0, h), 0);
	assert_int_equal(p9hdr_decode(h, P9_UDPHDR, AF_INET6, &ss, &len), 0);
	assert_memory_equal(&((struct sockaddr_in6 *)&ss)->sin6_addr,
			    &from6.sin6_addr, 16);
	assert_int_equal(p9hdr_decode(h, P9_UDPHDR, AF_INET, &ss, &len),
			 -EAFNOSUPPORT);
	assert_non_null(strstr(err_detail(), "IPv6 raddr"));
}

static void bad_binary(void **state)
{
	struct sockaddr_in from = v4("127.0.0.1", 7);
	struct sockaddr_storage ss;
	unsigned char h[P9_UDPHDR];
	socklen_t len;

	(void)state;
	assert_int_equal(p9hdr_decode("short", 5, AF_INET, &ss, &len),
			 -EINVAL);
	assert_non_null(strstr(err_detail(), "52-byte header"));
	assert_non_null(strstr(err_detail(), "has 5 bytes"));
	assert_int_equal(p9hdr_decode(h, 0, AF_INET, &ss, &len), -EINVAL);
	memset(h, 0, sizeof(h));
	h[49] = 7;
	assert_int_equal(p9hdr_decode(h, sizeof(h), AF_INET6, &ss, &len),
			 -EINVAL);
	assert_non_null(strstr(err_detail(), "unspecified"));
	h[10] = h[11] = 0xff;	/* v4-mapped 0.0.0.0 */
	assert_int_equal(p9hdr_decode(h, sizeof(h), AF_INET, &ss, &len),
			 -EINVAL);
	assert_int_equal(p9hdr_encode((struct sockaddr *)&from, sizeof(from),
				      NULL, 0, h), 0);
	h[48] = h[49] = 0;
	assert_int_equal(p9hdr_decode(h, sizeof(h), AF_INET, &ss, &len),
			 -EINVAL);
	assert_non_null(strstr(err_detail(), "rport is 0"));
}

static void text_format(void **state)
{
	struct sockaddr_in from = v4("127.0.0.1", 4000);
	struct sockaddr_in6 to6 = v6("::1", 53), from6 = v6("::ffff:10.0.0.1",
							     1);
	struct strbuf sb = { 0 };

	(void)state;
	assert_int_equal(p9hdr_format_text((struct sockaddr *)&from,
					   sizeof(from), NULL, 0, &sb), 0);
	assert_string_equal(sb.buf, "127.0.0.1!4000 ::!0\n");
	sb_reset(&sb);
	/* v4-mapped addresses in dotted form, as Plan 9 writes them. */
	assert_int_equal(p9hdr_format_text((struct sockaddr *)&from6,
					   sizeof(from6),
					   (struct sockaddr *)&to6,
					   sizeof(to6), &sb), 0);
	assert_string_equal(sb.buf, "10.0.0.1!1 ::1!53\n");
	sb_free(&sb);
}

static void text_parse(void **state)
{
	static const char w[] = "127.0.0.1!4000\npayload";
	static const char back[] = "127.0.0.1!4000 127.0.0.1!53\nx";
	struct addrspec a;
	size_t hl;

	(void)state;
	assert_int_equal(p9hdr_parse_text(w, sizeof(w) - 1, AF_INET, &a, &hl),
			 0);
	assert_int_equal(hl, 15);
	assert_string_equal(a.host, "127.0.0.1");
	assert_string_equal(a.serv, "4000");
	/* A read's header line written back names the same peer. */
	assert_int_equal(p9hdr_parse_text(back, sizeof(back) - 1, AF_INET, &a,
					  &hl), 0);
	assert_int_equal(hl, sizeof(back) - 2);
	assert_string_equal(a.host, "127.0.0.1");
	/* An IPv4 peer of an IPv6 socket is v4-mapped. */
	assert_int_equal(p9hdr_parse_text(w, sizeof(w) - 1, AF_INET6, &a, &hl),
			 0);
	assert_int_equal(a.family, AF_INET6);
	assert_string_equal(a.host, "::ffff:127.0.0.1");
	assert_int_equal(p9hdr_parse_text("::1!53\r\n", 8, AF_INET6, &a, &hl),
			 0);
	assert_string_equal(a.host, "::1");
	assert_int_equal(hl, 8);
	/* Names are for the resolver, as sendto's. */
	assert_int_equal(p9hdr_parse_text("localhost!53\n", 13, AF_INET, &a,
					  &hl), 0);
	assert_string_equal(a.host, "localhost");
}

static void bad_text(void **state)
{
	struct addrspec a;
	size_t hl;
	char big[P9_TEXTHDR_MAX + 8];

	(void)state;
	assert_int_equal(p9hdr_parse_text("127.0.0.1!4000", 14, AF_INET, &a,
					  &hl), -EINVAL);
	assert_non_null(strstr(err_detail(), "no newline"));
	assert_int_equal(p9hdr_parse_text("\npayload", 8, AF_INET, &a, &hl),
			 -EINVAL);
	assert_non_null(strstr(err_detail(), "no address"));
	assert_int_equal(p9hdr_parse_text("a!1 b!2 c!3\n", 12, AF_INET, &a,
					  &hl), -EINVAL);
	assert_int_equal(p9hdr_parse_text("1.2.3.4!5\0\n", 11, AF_INET, &a,
					  &hl), -EINVAL);
	assert_non_null(strstr(err_detail(), "NUL"));
	assert_int_equal(p9hdr_parse_text("/tmp/sock\n", 10, AF_INET, &a,
					  &hl), -EINVAL);
	assert_int_equal(p9hdr_parse_text("127.0.0.1!99999\n", 16, AF_INET,
					  &a, &hl) < 0 ||
			 addr_numeric(&a, AF_INET, &(struct sockaddr_storage){ 0 },
				      &(socklen_t){ 0 }) < 0, 1);
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	assert_int_equal(p9hdr_parse_text(big, sizeof(big), AF_INET, &a, &hl),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encode_v4),
		cmocka_unit_test(encode_v6_unknown_local),
		cmocka_unit_test(decode),
		cmocka_unit_test(bad_binary),
		cmocka_unit_test(text_format),
		cmocka_unit_test(text_parse),
		cmocka_unit_test(bad_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
