/* req.c: the front-ends' registry (see req.h). Loop thread only. */
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
