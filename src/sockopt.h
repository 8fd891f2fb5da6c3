/* sockopt.h: the socket options as files. One table names each option
 * (as the C constant), its level, value type, access and the sockets it
 * applies to; it drives the listing of NAME/opt/, lookup, getsockopt and
 * setsockopt on read and write, --list and netfs(7). Also the
 * recvflags/sendflags files and the LEVEL/OPTNAME words of the ctl
 * commands getsockopt and setsockopt. */
#ifndef NETFS_SOCKOPT_H
#define NETFS_SOCKOPT_H

#include "optval.h"
#include "parse.h"
#include "tree.h"

enum opt_access { OA_RW, OA_RO, OA_WO };

struct sockopt {
	const char *name;	/* "SO_REUSEADDR": the file name */
	int level, optname;
	enum optval_type type;
	enum opt_access access;
	unsigned families;	/* OF_* */
	unsigned types;		/* OT_* */
	int proto;		/* 0 any, else IPPROTO_TCP, IPPROTO_UDP */
	const char *doc;
};

/* NAME/opt/: its files are the table's, filtered by what applies to the
 * socket (nothing before it has a descriptor). */
extern const struct dirdef opt_dir;

/* NAME/recvflags and NAME/sendflags: the MSG_* flags of later data I/O. */
int text_recvflags(const struct node *n, struct strbuf *sb);
int store_recvflags(const struct node *n, struct field v);
int text_sendflags(const struct node *n, struct strbuf *sb);
int store_sendflags(const struct node *n, struct field v);

/* LEVEL and OPTNAME of the ctl commands: a number or a constant's name
 * (SOL_SOCKET, IPPROTO_TCP, SO_KEEPALIVE...). */
int sockopt_word(struct field f, int *val, const char *what);

#endif
