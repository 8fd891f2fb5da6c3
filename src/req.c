/* req.c: the front-ends' registry (see req.h). Registered on the loop
 * thread at start, then only read. */
#include "req.h"

static struct frontend *frontends;

void frontend_register(struct frontend *fe)
{
	fe->next = frontends;
	frontends = fe;
}

void frontend_inval_inode(uint64_t ino)
{
	struct frontend *fe;

	for (fe = frontends; fe; fe = fe->next)
		if (fe->inval_inode)
			fe->inval_inode(ino);
}

void frontend_inval_entry(uint64_t parent, const char *name, size_t len)
{
	struct frontend *fe;

	for (fe = frontends; fe; fe = fe->next)
		if (fe->inval_entry)
			fe->inval_entry(parent, name, len);
}
