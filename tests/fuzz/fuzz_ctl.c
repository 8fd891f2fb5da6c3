/* fuzz_ctl.c: what a ctl write goes through before a handler runs: lines,
 * fields, the command tables, and the numbers and addresses handlers
 * parse from the fields. */
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "cmds.h"
#include "names.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct field line;
	size_t pos = 0;

	while (parse_line(buf, size, &pos, &line)) {
		const struct cmdtab *c;
		struct cmdline cl;
		struct addrspec a;
		uint64_t u;
		int64_t ns;
		int used, v;

		if (parse_fields(line, &cl) < 0 || cl.n == 0)
			continue;
		c = cmd_lookup(sock_cmdtab, &cl);
		if (!c)
			c = cmd_lookup(root_cmdtab, &cl);
		if (!c || cl.n < 2)
			continue;
		addr_parse(cl.f + 1, cl.n - 1, AF_UNSPEC, &a, &used);
		parse_uint(cl.f[1], 65535, &u, "n");
		parse_timeout(cl.f[1], &ns);
		family_parse(cl.f[1], &v);
		socktype_parse(cl.f[1], &v);
		proto_parse(cl.f[1], AF_INET, &v);
	}
	return 0;
}
