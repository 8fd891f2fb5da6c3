/* fuzz_dgram.c: the sendto header line (dgramhdr.c), the address in it
 * resolved numerically for the socket's family, and the recvfrom header
 * formatted back. The first byte picks the socket family. */
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "dgramhdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int families[] = { AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC };
	struct sockaddr_storage ss;
	struct strbuf sb = { 0 };
	struct addrspec a;
	socklen_t len;
	size_t hl;
	int family, empty;

	if (size < 1)
		return 0;
	family = families[data[0] % 4];
	if (dgram_parse_hdr((const char *)data + 1, size - 1, family, &a, &hl,
			    &empty) == 0) {
		if (hl > size - 1)
			__builtin_trap();
		if (!empty && addr_numeric(&a, family, &ss, &len) == 0)
			dgram_format_hdr((struct sockaddr *)&ss, len, &sb);
	}
	sb_free(&sb);
	return 0;
}
