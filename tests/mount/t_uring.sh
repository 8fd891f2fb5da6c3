#!/bin/bash
# FUSE over io_uring (-o uring): requests go through the ring, and parked
# requests that take every ring entry of a CPU do not stop that CPU's
# other requests. Needs the kernel's consent: root sets
# /sys/module/fuse/parameters/enable_uring (CI does for its ring run);
# without it netfs falls back to /dev/fuse with one log line, checked too.
. "$(dirname "$0")/lib.sh"
param=/sys/module/fuse/parameters/enable_uring

if [ "$(cat "$param" 2>/dev/null)" != Y ]; then
	mount_netfs -o uring
	wait_until 10 grep -q "uring:.*using /dev/fuse" \
		"$T/netfs.log" || fail "no fallback line in the log"
	ls "$N" >/dev/null || fail "ls on the fallback"
	[ "$(grep -c "uring:" "$T/netfs.log")" = 1 ] ||
		fail "more than one uring line in the log"
	ok "fallback to /dev/fuse, said once"
	echo "skip: $param is not Y"
	exit 77
fi
[ "$(nproc)" -ge 2 ] || { echo "skip: needs two CPUs"; exit 77; }

mount_netfs -o uring
wait_until 10 grep -q "uring: .* queues of" "$T/netfs.log" ||
	fail "the ring did not start"
ok "ring started"
start_peer hold hold
python3 "$HERE/t_uring.py" backlog "$N" "$PORT_hold" "$NETFS_PID" ||
	fail "requests queued behind parked ones"
ok "200 readers parked from one CPU while the daemon was stopped all reach it; that CPU still gets answers"
