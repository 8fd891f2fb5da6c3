#!/bin/bash
# Timeouts where the reference implies them: a connect to a listener whose
# accept queue is full, a write to a peer that does not read; each ends
# with ETIMEDOUT after the socket's timeout, and with EINPROGRESS/EAGAIN
# at once in non-blocking mode (timeout 0). (Reads and accepts: t_timeout.)
. "$(dirname "$0")/lib.sh"
mount_netfs

python3 "$HERE/t_timeouts.py" timeouts "$N" || fail "timeouts"
ok "connect and write: ETIMEDOUT after the timeout, EINPROGRESS/EAGAIN at 0"
