/* fuzz_p9hdr.c: the headers of Plan 9 UDP conversations (p9hdr.c). The
 * first byte picks the socket family and the form: the binary header is
 * decoded and encoded back, the text line parsed, resolved numerically
 * and formatted back. */
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "p9hdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int families[] = { AF_INET, AF_INET6, AF_UNSPEC, AF_UNIX };
	struct sockaddr_storage ss;
	unsigned char h[P9_UDPHDR];
	struct strbuf sb = { 0 };
	struct addrspec a;
	socklen_t len;
	size_t hl;
	int family;

	if (size < 1)
		return 0;
	family = families[data[0] % 4];
	if (data[0] & 4) {
		if (p9hdr_decode(data + 1, size - 1, family, &ss, &len) == 0) {
			if (len > sizeof(ss) || size - 1 < P9_UDPHDR)
				__builtin_trap();
			if (p9hdr_encode((struct sockaddr *)&ss, len, NULL, 0,
					 h) != 0 ||
			    memcmp(h + 48, data + 1 + 48, 2) != 0)
				__builtin_trap();
			p9hdr_format_text((struct sockaddr *)&ss, len,
					  (struct sockaddr *)&ss, len, &sb);
		}
	} else if (p9hdr_parse_text((const char *)data + 1, size - 1, family,
				    &a, &hl) == 0) {
		if (hl > size - 1)
			__builtin_trap();
		if (addr_numeric(&a, family, &ss, &len) == 0)
			p9hdr_format_text((struct sockaddr *)&ss, len, NULL, 0,
					  &sb);
	}
	sb_free(&sb);
	return 0;
}
