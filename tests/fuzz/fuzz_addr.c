/* fuzz_addr.c: the address parser, numeric resolution and formatter. The
 * first byte picks the socket family the text is parsed for. */
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int families[] = { AF_UNSPEC, AF_INET, AF_INET6, AF_UNIX };
	struct sockaddr_storage ss;
	struct strbuf sb = { 0 };
	struct addrspec a;
	socklen_t len;
	int family;

	if (size < 1)
		return 0;
	family = families[data[0] % 4];
	if (addr_parse_text((const char *)data + 1, size - 1, family, &a) == 0 &&
	    addr_numeric(&a, family, &ss, &len) == 0)
		addr_format((struct sockaddr *)&ss, len, &sb);
	sb_free(&sb);
	return 0;
}
