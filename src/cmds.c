/* cmds.c: the control file grammar (see cmds.h). */
#include "cmds.h"

/* A row of cmds.h as a grammar entry; its handler is ctl.c's. */
#define GRAMMAR(id, verb, min, max, use, fn) \
	{ .index = CMD_##id, .name = verb, .minargs = min, .maxargs = max, \
	  .usage = use },

const struct cmdtab root_cmdtab[] = {
	ROOT_CMDS(GRAMMAR)
	{ .name = NULL }
};

const struct cmdtab sock_cmdtab[] = {
	SOCK_CMDS(GRAMMAR)
	{ .name = NULL }
};

const struct cmdtab p9_cmdtab[] = {
	P9_CMDS(GRAMMAR)
	{ .name = NULL }
};

void cmds_list(FILE *f, const char *mnt)
{
	static const struct {
		const char *file;
		const struct cmdtab *t;
	} tables[] = {
		{ "ctl", root_cmdtab },
		{ "NAME/ctl", sock_cmdtab },
		{ "tcp/N/ctl", p9_cmdtab },
	};
	const struct cmdtab *c;
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		for (c = tables[i].t; c->name; c++)
			fprintf(f, "command %s/%s\t%s\n", mnt, tables[i].file,
				c->usage);
}
