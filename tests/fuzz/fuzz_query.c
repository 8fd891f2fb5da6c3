/* fuzz_query.c: the names of the name-service files. The first byte picks
 * the parser: resolve/, reverse/, services/, protocols/ or /net/dns. */
#include <stdint.h>
#include <string.h>

#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int (*const parsers[])(const char *, size_t, struct query *) = {
		query_resolve, query_reverse, query_service, query_protocol,
		query_dns,
	};
	struct query q;

	if (size < 1)
		return 0;
	if (parsers[(data[0] & 7) % 5]((const char *)data + 1, size - 1, &q) == 0) {
		/* What a success leaves is terminated and in bounds. */
		if (strlen(q.host) >= sizeof(q.host) ||
		    strlen(q.serv) >= sizeof(q.serv) ||
		    strlen(q.proto_name) >= sizeof(q.proto_name))
			__builtin_trap();
	}
	return 0;
}
