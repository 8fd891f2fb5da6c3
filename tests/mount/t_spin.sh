#!/bin/bash
# -o spin=USEC: after events the loop polls for USEC microseconds before it
# sleeps. Checked here: the bound on the option, and that a daemon which
# has served a burst of requests goes back to sleep, spending (almost) no
# CPU time while idle, with the default and with a long spin.
. "$(dirname "$0")/lib.sh"

out=$("$NETFS" -f -o spin=100001 "$N" 2>&1) && fail "spin=100001 accepted"
echo "$out" | grep -q "spin" || fail "spin=100001: no message: $out"
ok "spin over 100000 microseconds is refused"

# utime + stime of the daemon, all threads, in clock ticks.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$NETFS_PID/stat"
}

idle_after_burst() {	# LABEL
	local i t0 t1
	for ((i = 0; i < 300; i++)); do
		cat "$N/defaulttimeout" > /dev/null || fail "$1: read"
	done
	sleep 0.2
	t0=$(cpu_ticks)
	sleep 1
	t1=$(cpu_ticks)
	# A loop still spinning would spend all of that second: 100 ticks.
	[ $((t1 - t0)) -le 20 ] ||
		fail "$1: $((t1 - t0)) ticks of CPU in one idle second"
	ok "$1: $((t1 - t0)) ticks of CPU in the idle second after a burst"
}

mount_netfs
idle_after_burst "default spin"
unmount_netfs || fail "unmount"
mount_netfs -o spin=100000
idle_after_burst "spin=100000"
unmount_netfs || fail "unmount"
mount_netfs -o spin=0
[ "$(cat "$N/defaulttimeout")" = none ] || fail "spin=0: defaulttimeout"
ok "spin=0 serves requests"
