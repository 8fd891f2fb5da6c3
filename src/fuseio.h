/* fuseio.h: makes libfuse 3.14 open stream files with FOPEN_STREAM and
 * snapshot files with a backing file, and answers reads from a pipe
 * filled by splice(2). */
#ifndef NETFS_FUSEIO_H
#define NETFS_FUSEIO_H

#include <stdbool.h>

#include "fuse_fe.h"

int fuseio_install(struct fuse_session *se);
void fuseio_fini(void);

/* The smallest reply worth splicing. */
#define FUSEIO_SPLICE_MIN (8u << 10)

/* The unique id of the READ request being processed (for a reply later),
 * 0 when the request being processed is not a READ. */
uint64_t fuseio_unique(void);
/* A request (n bytes at msg, as read from /dev/fuse) is about to be
 * processed: fuse_uring.c calls it for the requests of the ring. */
void fuseio_note_request(const void *msg, size_t n);
/* The unique id of the request being processed. */
uint64_t fuseio_current(void);
/* The answer to OPEN request unique (not yet sent) gets FOPEN_STREAM. */
void fuseio_mark_stream(uint64_t unique);
/* The answer to OPEN request unique (not yet sent) names backing file
 * id (passthru.h): the kernel reads it, or, when direct, still asks. */
void fuseio_mark_backing(uint64_t unique, int id, bool direct);

/* The write end of the data pipe, or -1: the caller splices at most
 * fuseio_pipe_max() bytes into it, then calls fuseio_reply_pipe. */
int fuseio_pipe(void);
size_t fuseio_pipe_max(void);

/* Answers req (whose unique id is unique) with the n bytes in the data pipe
 * and empties it; buf of bufsize bytes is for copying short replies. */
void fuseio_reply_pipe(fuse_req_t req, uint64_t unique, size_t n,
		       char *buf, size_t bufsize);

#endif
