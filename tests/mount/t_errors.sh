#!/bin/bash
# `error` holds every failure of a read, write, accept or connect: the
# timeouts (ETIMEDOUT), non-blocking EAGAIN, interrupts, a refused connect,
# a socket without a descriptor; and `status` says what the kernel knows
# of a connection: peer-closed once the peer closed its side, reset once
# it reset the connection, before anything was read.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer hold hold

python3 "$HERE/t_errors.py" errors "$N" "$PORT_hold" || fail "errors"
ok "error and status"
