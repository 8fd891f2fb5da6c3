#!/bin/bash
# The MSG_* flags the reference names, as NAME/recvflags and
# NAME/sendflags: they apply to every later read or write of data.
# PEEK leaves the data queued, WAITALL waits for the whole size asked (or
# the end of the stream), DONTWAIT makes one file non-blocking whatever
# the timeout, OOB sends and receives the urgent byte.
. "$(dirname "$0")/lib.sh"
mount_netfs

python3 "$HERE/t_msgflags.py" flags "$N" || fail "flags"
ok "recvflags and sendflags: PEEK, WAITALL, DONTWAIT, OOB"
