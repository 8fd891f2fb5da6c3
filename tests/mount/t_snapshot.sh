#!/bin/bash
# Text files are snapshots made at open, whether the kernel reads them
# from a backing file (FUSE passthrough, root on Linux 6.9+) or asks the
# daemon: every open sees the text of its moment, an open file keeps its
# own text while later opens of the same file see theirs (the same text
# shared, a different one read through the daemon), a socket gone is
# ENOENT, and the copies are given back to the kernel (no descriptor
# stays). With passthrough on, a snapshot read makes no READ request.
. "$(dirname "$0")/lib.sh"
mount_netfs -d

mkdir "$N/s"
echo "socket inet stream" > "$N/s/ctl" || fail "socket"
[ "$(cat "$N/s/sockname")" = "0.0.0.0 0" ] || fail "sockname before bind"
exec 3< "$N/s/sockname"		# held: the unbound text
exec 4< "$N/s/sockname"		# held: the same text
echo "bind 127.0.0.1 0" > "$N/s/ctl" || fail "bind"
read -r addr port < "$N/s/sockname"
[ "$addr" = 127.0.0.1 ] && [ "$port" -gt 0 ] || fail "sockname after bind: $addr $port"
exec 5< "$N/s/sockname"		# held: the bound text, beside 3 and 4
[ "$(cat "$N/s/sockname")" = "127.0.0.1 $port" ] || fail "a fourth open"
[ "$(cat <&3)" = "0.0.0.0 0" ] || fail "the first open lost its snapshot"
[ "$(cat <&4)" = "0.0.0.0 0" ] || fail "the second open lost its snapshot"
[ "$(cat <&5)" = "127.0.0.1 $port" ] || fail "the third open: not its own text"
# Seek back: the same snapshot again, not a new one.
python3 - "$N/s/sockname" <<'EOF' || fail "pread of a snapshot"
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
a = os.pread(fd, 100, 0)
b = os.pread(fd, 100, 0)
assert a == b and a.startswith(b"127.0.0.1 "), (a, b)
assert os.pread(fd, 100, 4) == a[4:]
os.close(fd)
EOF
exec 3<&- 4<&- 5<&-
ok "each open reads the text of its moment, held opens keep theirs"

# The daemon holds no copy once the files are closed.
base=$(fds)
for i in $(seq 50); do cat "$N/s/sockname" "$N/s/status" > /dev/null; done
exec 3< "$N/s/sockname" 4< "$N/s/sockname"
exec 3<&- 4<&-
wait_until 5 counts_are "$base" || fail "descriptors: $(fds), not $base"
ok "no descriptor left by snapshot opens"

# Passthrough, when the kernel agreed to it: no READ reaches the daemon.
if grep -aq "passthrough for snapshot files" "$T/netfs.log"; then
	before=$(grep -ac "opcode: READ " "$T/netfs.log")
	[ "$(cat "$N/s/sockname")" = "127.0.0.1 $port" ] || fail "sockname"
	cat "$N/s/status" > /dev/null || fail "status"
	after=$(grep -ac "opcode: READ " "$T/netfs.log")
	[ "$before" = "$after" ] || fail "$((after - before)) READs with passthrough"
	ok "snapshots read by the kernel from their copies"
else
	echo "# no FUSE passthrough here: snapshots read through the daemon"
fi

echo close > "$N/s/ctl" || fail "close"
out=$(cat "$N/s/sockname" 2>&1) && fail "read a closed socket: $out"
case $out in *"No such file"*) ;; *) fail "closed socket: $out" ;; esac
ok "a closed socket's snapshot is ENOENT"
