/* addrtext.h: for the unit tests of the address parsers (test_addr.c,
 * test_dgram.c), the numeric address a spec resolves to, formatted back
 * in the read form; include after cmocka.h. */
#ifndef NETFS_TEST_ADDRTEXT_H
#define NETFS_TEST_ADDRTEXT_H

#include <stdio.h>

#include "addr.h"
#include "strbuf.h"

static const char *numeric_text(const struct addrspec *a, int family)
{
	static char out[256];
	struct sockaddr_storage ss;
	struct strbuf sb = { 0 };
	socklen_t len;

	if (addr_numeric(a, family, &ss, &len) != 0)
		return "not numeric";
	assert_int_equal(addr_format((struct sockaddr *)&ss, len, &sb), 0);
	snprintf(out, sizeof(out), "%s", sb.buf ? sb.buf : "");
	sb_free(&sb);
	return out;
}

#endif
