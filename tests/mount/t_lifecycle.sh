#!/bin/bash
# The daemon's life: unmounting with sockets open exits cleanly and closes
# them (the peer sees end of stream); SIGTERM with readers blocked ends
# them and unmounts; after SIGKILL the mount point answers ENOTCONN until
# `fusermount3 -u`, and netfs mounts again.
. "$(dirname "$0")/lib.sh"
start_peer echo echo

# 1. Unmount with sockets open.
mount_netfs
s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
l=$(net_ctl "listen 127.0.0.1!0")
read -r _ lport < "$N/$l/sockname"
exec 5<>/dev/tcp/127.0.0.1/$lport
unmount_netfs || fail "unmount with open sockets"
# The connection still in the listen queue went with its listener: the
# peer sees a reset (or end of stream), not silence.
bounded 5 cat <&5 > /dev/null 2>&1
[ $? != 124 ] || fail "the pending connection stayed open"
exec 5>&-
ok "unmount with open sockets: clean exit"

# 2. SIGTERM while readers are blocked.
mount_netfs
s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
cat "$N/$s/data" > /dev/null 2> "$T/reader.err" &
reader=$!
wait_until 5 grep -q '^blocked_readers 1$' "$N/$s/status"
kill -TERM "$NETFS_PID"
bounded 5 tail --pid="$reader" -f /dev/null || fail "reader still blocked"
wait "$reader"
echo "the reader ended with: $(cat "$T/reader.err")"
wait_until 5 exited "$NETFS_PID"
wait "$NETFS_PID" || fail "netfs exit status $? after SIGTERM"
NETFS_PID=
mountpoint -q "$N" && fail "still mounted after SIGTERM"
ok "SIGTERM with a blocked reader: the reader ends, netfs unmounts"

# 3. SIGKILL, then recovery with fusermount3 -u (netfs(1), NOTES).
mount_netfs
kill -KILL "$NETFS_PID"
wait "$NETFS_PID" 2>/dev/null
NETFS_PID=
# On the ring the kernel takes its entries apart after the daemon is
# gone, and a request made meanwhile gets ECONNABORTED: then ENOTCONN.
dead() {
	msg=$(ls "$N" 2>&1) && fail "ls worked on a dead mount"
	case $msg in
	*"not connected"*) return 0 ;;
	*"connection abort"*) [ -n "${NETFS_URING:-}" ] && return 1 ;;
	esac
	fail "dead mount: $msg"
}
wait_until 5 dead || fail "dead mount: $msg"
fusermount3 -u "$N" || fail "fusermount3 -u"
mount_netfs
[ -e "$N/ctl" ] || fail "remount"
ok "killed: ENOTCONN until fusermount3 -u, then it mounts again"

# 4. Closing a socket with SO_LINGER and a time, its data unsent to a
# peer that never reads: close(2) would wait out the time inside the
# call. netfs must not: the rest of the mount keeps answering.
start_peer hold hold
s=$(net_ctl "connect 127.0.0.1!$PORT_hold")
echo "1 8" > "$N/$s/opt/SO_LINGER" || fail "SO_LINGER"
[ "$(cat "$N/$s/opt/SO_LINGER")" = "1 8" ] || fail "SO_LINGER reads back"
echo 0 > "$N/$s/timeout"
# Non-blocking: fills the socket until EAGAIN.
bounded 10 head -c 100000000 /dev/zero > "$N/$s/data" 2>/dev/null
bounded 5 rmdir "$N/$s" || fail "rmdir of a lingering socket"
bounded 3 ls "$N" > /dev/null || fail "the mount stalled behind a lingering close"
[ -e "$N/$s" ] && fail "the lingering socket is still listed"
ok "SO_LINGER 1 8 with unsent data: rmdir and the mount answer at once"
