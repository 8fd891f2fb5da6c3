#!/bin/bash
# The 9P server at the protocol level (t_9pproto.py): bad sizes, fid
# reuse, flushes of unknown tags and of 1000 parked reads, identity from
# SO_PEERCRED. One daemon serves FUSE and 9P, so the mount shows the state
# 9P left behind.
. "$(dirname "$0")/lib.sh"
start_peer hold hold
mount_netfs -o "9p=unix!$T/9p.sock"
for i in $(seq 1 100); do
	[ -S "$T/9p.sock" ] && break
	sleep 0.05
done
P="python3 $HERE/t_9pproto.py"
for check in basic malformed fids; do
	bounded 60 $P $check "$T/9p.sock" || fail "$check"
done
bounded 60 $P flush "$T/9p.sock" "$PORT_hold" || fail "flush"
bounded 60 $P owner "$T/9p.sock" "$N" || fail "owner"
kill -0 "$NETFS_PID" || fail "the daemon died"
ok "9P protocol: malformed sizes, fid reuse, flushes, 1000 parked reads, identity"
