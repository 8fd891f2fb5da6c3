#!/bin/bash
# 1,000 sockets, each with a blocked reader: ls, cat of a peername and a new
# connect still answer, and the daemon keeps a fixed, small number of
# threads (on the ring, at most 32 more: its kick threads, fuse_uring.c).
# (Latencies are printed, not asserted; bench/ measures them.)
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer hold hold

threads0=$(threads)
spare=0
[ -n "${NETFS_URING:-}" ] && spare=32
python3 "$HERE/t_many.py" readers "$N" "$PORT_hold" "$NETFS_PID" "$threads0" "$spare" || fail "1000 readers"
ok "1000 blocked readers; daemon threads fixed at $threads0 (ring: at most $spare more)"
