#!/bin/bash
# 1,000 sockets, each with a blocked reader: ls, cat of a peername and a new
# connect still answer, and the daemon keeps a fixed, small number of
# threads. (Latencies are printed, not asserted; bench/ measures them.)
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer hold hold

threads0=$(threads)
python3 "$HERE/t_many.py" readers "$N" "$PORT_hold" "$NETFS_PID" "$threads0" || fail "1000 readers"
ok "1000 blocked readers; daemon threads fixed at $threads0"
