/* fuzz_optval.c: the option value parsers of every type, their
 * formatters on what they produced and on raw bytes, the hex parser and
 * the MSG_* flag sets. The first byte picks the type. */
#include <stdint.h>
#include <string.h>

#include "optval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char buf[OPTVAL_MAX];
	struct strbuf sb = { 0 };
	struct field f;
	enum optval_type t;
	socklen_t len;
	size_t n;
	int flags;

	if (size < 1)
		return 0;
	t = (enum optval_type)(data[0] % OV_NTYPES);
	f = (struct field){ (const char *)data + 1, size - 1 };
	if (optval_parse(t, f, buf, &len) == 0 && t != OV_TCPINFO)
		optval_format(t, buf, len, &sb);
	/* The formatters also take whatever a kernel could return. */
	n = size - 1 < sizeof(buf) ? size - 1 : sizeof(buf);
	memcpy(buf, data + 1, n);
	if (t != OV_TCPINFO)
		optval_format(t, buf, (socklen_t)n, &sb);
	if (optval_parse_hex(f, buf, sizeof(buf), &n) == 0)
		optval_format_hex(buf, n, &sb);
	if (msgflags_parse(f, data[0] & 1 ? MSGF_SEND : MSGF_RECV,
			   &flags) == 0)
		msgflags_format(flags, &sb);
	sb_free(&sb);
	return 0;
}
