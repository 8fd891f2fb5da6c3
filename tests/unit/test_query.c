/* test_query.c: the names of the name-service files (query.c):
 * resolve/QUERY, reverse/ADDRESS, services/NAME, protocols/NAME and their
 * flag words. */
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "errors.h"
#include "query.h"

static int resolve(const char *s, struct query *q)
{
	err_clear();
	return query_resolve(s, strlen(s), q);
}

static void resolve_forms(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(resolve("localhost", &q), 0);
	assert_string_equal(q.host, "localhost");
	assert_string_equal(q.serv, "");
	assert_int_equal(q.family, 0);
	assert_int_equal(q.socktype, 0);
	assert_int_equal(q.flags, 0);

	assert_int_equal(resolve("localhost!http", &q), 0);
	assert_string_equal(q.host, "localhost");
	assert_string_equal(q.serv, "http");

	assert_int_equal(resolve("tcp!example.com!443", &q), 0);
	assert_string_equal(q.host, "example.com");
	assert_string_equal(q.serv, "443");
	assert_int_equal(q.socktype, SOCK_STREAM);
	assert_int_equal(q.proto, IPPROTO_TCP);
	assert_int_equal(q.family, 0);

	assert_int_equal(resolve("udp6!localhost!53", &q), 0);
	assert_int_equal(q.family, AF_INET6);
	assert_int_equal(q.socktype, SOCK_DGRAM);
	assert_int_equal(q.proto, IPPROTO_UDP);

	assert_int_equal(resolve("inet!h!1", &q), 0);
	assert_int_equal(q.family, AF_INET);
	assert_int_equal(q.socktype, 0);
	assert_int_equal(resolve("net!h!1", &q), 0);
	assert_int_equal(q.family, 0);

	/* Literals, brackets, scopes, leading zeros of ports. */
	assert_int_equal(resolve("::1!80", &q), 0);
	assert_string_equal(q.host, "::1");
	assert_int_equal(resolve("[::1]!80", &q), 0);
	assert_string_equal(q.host, "::1");
	assert_int_equal(resolve("fe80::1%lo!22", &q), 0);
	assert_string_equal(q.host, "fe80::1%lo");
	assert_int_equal(resolve("127.0.0.1!0080", &q), 0);
	assert_string_equal(q.serv, "80");

	/* No host. */
	assert_int_equal(resolve("*!80?passive", &q), 0);
	assert_string_equal(q.host, "");
	assert_int_equal(q.flags, AI_PASSIVE);
	assert_int_equal(resolve("tcp!*!80", &q), 0);
	assert_string_equal(q.host, "");
}

static void resolve_flags(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(resolve("h?canonname", &q), 0);
	assert_int_equal(q.flags, AI_CANONNAME);
	assert_int_equal(resolve("h!1?numerichost,numericserv,addrconfig", &q), 0);
	assert_int_equal(q.flags, AI_NUMERICHOST | AI_NUMERICSERV |
			 AI_ADDRCONFIG);
	assert_int_equal(resolve("h?AI_V4MAPPED,ai_all,Passive", &q), 0);
	assert_int_equal(q.flags, AI_V4MAPPED | AI_ALL | AI_PASSIVE);
	assert_int_equal(resolve("h?idn,canonidn", &q), 0);
	assert_int_equal(q.flags, AI_IDN | AI_CANONIDN);

	assert_int_equal(resolve("h?", &q), -EINVAL);
	assert_int_equal(resolve("h?canonname,", &q), -EINVAL);
	assert_int_equal(resolve("h?,canonname", &q), -EINVAL);
	assert_int_equal(resolve("h?nosuch", &q), -EINVAL);
	assert_non_null(strstr(err_detail(), "unknown flag 'nosuch'"));
	/* NI_ words are not AI_ words. */
	assert_int_equal(resolve("h?namereqd", &q), -EINVAL);
}

static void resolve_errors(void **state)
{
	struct query q;
	char big[400];

	(void)state;
	assert_int_equal(resolve("", &q), -EINVAL);
	assert_int_equal(resolve("*", &q), -EINVAL);
	assert_int_equal(resolve("!80", &q), -EINVAL);
	assert_int_equal(resolve("h!", &q), -EINVAL);
	assert_int_equal(resolve("a!b!c!d", &q), -EINVAL);
	assert_int_equal(resolve("foo!h!80", &q), -EINVAL);
	assert_non_null(strstr(err_detail(), "unknown network"));
	assert_int_equal(resolve("unix!h!80", &q), -EINVAL);
	assert_int_equal(resolve("bad@host", &q), -EINVAL);
	assert_int_equal(resolve("bad host", &q), -EINVAL);
	assert_int_equal(resolve("h!65536", &q), -EINVAL);
	assert_int_equal(resolve("h!ht tp", &q), -EINVAL);
	assert_int_equal(resolve("[1.2.3.4]!80", &q), -EINVAL);
	assert_int_equal(resolve("[]!80", &q), -EINVAL);
	assert_int_equal(query_resolve("h\0x", 3, &q), -EINVAL);
	memset(big, 'a', sizeof(big));
	assert_int_equal(query_resolve(big, sizeof(big), &q), -ENAMETOOLONG);
	assert_int_equal(query_resolve(big, 255, &q), 0);
	assert_int_equal(query_resolve(big, 256, &q), -ENAMETOOLONG);
	memcpy(big, "h!", 2);
	assert_int_equal(query_resolve(big, 2 + 40, &q), -EINVAL);
}

/* The parser reads only the bytes it is given. */
static void resolve_no_nul(void **state)
{
	struct query q;
	const char buf[] = "tcp!host!80?canonnameXXXX";

	(void)state;
	assert_int_equal(query_resolve(buf, strlen("tcp!host!8"), &q), 0);
	assert_string_equal(q.serv, "8");
	assert_int_equal(query_resolve(buf, strlen("tcp!host!80?canonname"),
				       &q), 0);
	assert_int_equal(q.flags, AI_CANONNAME);
	assert_int_equal(query_resolve(buf, strlen("tcp!ho"), &q), 0);
	assert_string_equal(q.host, "tcp");
	assert_string_equal(q.serv, "ho");
}

static void reverse_forms(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(query_reverse("127.0.0.1", 9, &q), 0);
	assert_string_equal(q.host, "127.0.0.1");
	assert_string_equal(q.serv, "");
	assert_int_equal(query_reverse("::1!22", 6, &q), 0);
	assert_string_equal(q.host, "::1");
	assert_string_equal(q.serv, "22");
	assert_int_equal(query_reverse("1.2.3.4!53?dgram,namereqd", 25, &q), 0);
	assert_int_equal(q.flags, NI_DGRAM | NI_NAMEREQD);
	assert_int_equal(query_reverse("h?NI_NOFQDN,numerichost,numericserv",
				       35, &q), 0);
	assert_int_equal(q.flags, NI_NOFQDN | NI_NUMERICHOST | NI_NUMERICSERV);

	assert_int_equal(query_reverse("1.2.3.4!http", 12, &q), -EINVAL);
	assert_int_equal(query_reverse("1.2.3.4!1!2", 11, &q), -EINVAL);
	assert_int_equal(query_reverse("1.2.3.4?canonname", 17, &q), -EINVAL);
	assert_int_equal(query_reverse("", 0, &q), -EINVAL);
}

static void service_forms(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(query_service("http", 4, &q), 0);
	assert_string_equal(q.serv, "http");
	assert_string_equal(q.proto_name, "");
	assert_int_equal(query_service("22", 2, &q), 0);
	assert_string_equal(q.serv, "22");
	assert_int_equal(query_service("domain!udp", 10, &q), 0);
	assert_string_equal(q.serv, "domain");
	assert_string_equal(q.proto_name, "udp");
	assert_int_equal(query_service("x11-1!tcp", 9, &q), 0);

	assert_int_equal(query_service("70000", 5, &q), -EINVAL);
	assert_int_equal(query_service("http!", 5, &q), -EINVAL);
	assert_int_equal(query_service("!tcp", 4, &q), -EINVAL);
	assert_int_equal(query_service("a!b!c", 5, &q), -EINVAL);
	assert_int_equal(query_service("a b", 3, &q), -EINVAL);
}

static void protocol_forms(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(query_protocol("icmp", 4, &q), 0);
	assert_string_equal(q.proto_name, "icmp");
	assert_int_equal(q.number, -1);
	assert_int_equal(query_protocol("17", 2, &q), 0);
	assert_int_equal(q.number, 17);
	assert_int_equal(query_protocol("ipv6-icmp", 9, &q), 0);

	assert_int_equal(query_protocol("256", 3, &q), -EINVAL);
	assert_int_equal(query_protocol("", 0, &q), -EINVAL);
	assert_int_equal(query_protocol("a!b", 3, &q), -EINVAL);
}

static int dns(const char *s, struct query *q)
{
	err_clear();
	return query_dns(s, strlen(s), q);
}

static void dns_forms(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(dns("example.com ip", &q), 0);
	assert_string_equal(q.host, "example.com");
	assert_int_equal(q.number, ns_t_a);
	assert_int_equal(dns("  example.com\tMX ", &q), 0);
	assert_int_equal(q.number, ns_t_mx);
	assert_int_equal(dns("_http._tcp.example.com srv", &q), 0);
	assert_int_equal(q.number, ns_t_srv);
	assert_int_equal(dns("x ipv6", &q), 0);
	assert_int_equal(q.number, ns_t_aaaa);
	assert_int_equal(dns("x aaaa", &q), 0);
	assert_int_equal(q.number, ns_t_aaaa);

	/* ptr of an address asks for its arpa name. */
	assert_int_equal(dns("10.1.2.3 ptr", &q), 0);
	assert_string_equal(q.host, "3.2.1.10.in-addr.arpa");
	assert_int_equal(dns("::1 ptr", &q), 0);
	assert_string_equal(q.host, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
			    "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa");
	assert_int_equal(dns("3.2.1.10.in-addr.arpa ptr", &q), 0);
	assert_string_equal(q.host, "3.2.1.10.in-addr.arpa");
	/* An address stays an address for other types. */
	assert_int_equal(dns("10.1.2.3 ip", &q), 0);
	assert_string_equal(q.host, "10.1.2.3");

	assert_string_equal(query_dns_type(ns_t_mx), "mx");
	assert_string_equal(query_dns_type(ns_t_a), "ip");
	assert_null(query_dns_type(9999));

	assert_int_equal(dns("example.com", &q), -EINVAL);
	assert_int_equal(dns("example.com ip extra", &q), -EINVAL);
	assert_int_equal(dns("example.com bogus", &q), -EINVAL);
	assert_non_null(strstr(err_detail(), "unknown type 'bogus'"));
	assert_int_equal(dns("bad@name ip", &q), -EINVAL);
	assert_int_equal(dns("", &q), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolve_forms),
		cmocka_unit_test(resolve_flags),
		cmocka_unit_test(resolve_errors),
		cmocka_unit_test(resolve_no_nul),
		cmocka_unit_test(reverse_forms),
		cmocka_unit_test(service_forms),
		cmocka_unit_test(protocol_forms),
		cmocka_unit_test(dns_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
