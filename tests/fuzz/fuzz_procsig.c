/* fuzz_procsig.c: the /proc/TID/status signal masks, on any text. */
#include <stdint.h>

#include "procsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procsig ps;

	if (procsig_parse((const char *)data, size, &ps) == 0)
		(void)procsig_waiting(&ps);
	return 0;
}
