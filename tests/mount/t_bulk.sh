#!/bin/bash
# Bulk data through data: reads of every size, from one byte to more than
# FUSE's largest request, spliced (32 KiB and more) or copied, and large
# writes. Every byte arrives in order (sha256 equal), no read returns more
# than asked, the end of stream reads as 0, and the daemon keeps the
# descriptors it had.
. "$(dirname "$0")/lib.sh"
mount_netfs

fds0=$(fds)

bounded 60 python3 "$HERE/t_bulk.py" bulk "$N" || fail "bulk"
ok "bulk receive and send at every read size: every byte, in order"

bounded 60 python3 "$HERE/t_bulk.py" small-writes "$N" || fail "small writes"
ok "small writes answered before they are sent: every byte, in order, when the socket fills"
bounded 30 python3 "$HERE/t_bulk.py" small-write-errors "$N" || fail "small write errors"
ok "no early answer to a write on a reset or shut-down socket"

# The preferred I/O size: FUSE's largest request for the stream files,
# which cat and stdio size their buffers by; a page for snapshots.
s=$(net_ctl "socket inet stream")
[ "$(stat -c %o "$N/$s/data")" = 1048576 ] || fail "data st_blksize: $(stat -c %o "$N/$s/data")"
[ "$(stat -c %o "$N/ctl")" = 1048576 ] || fail "ctl st_blksize"
[ "$(stat -c %o "$N/$s/timeout")" = 4096 ] || fail "timeout st_blksize"
# cat of data reads 1 MiB at a time (strace counts its read sizes).
if command -v strace > /dev/null; then
	l=$(net_ctl "listen 127.0.0.1!0")
	read -r _ lport < "$N/$l/sockname"
	c=$(net_ctl "connect 127.0.0.1!$lport")
	read -r a < "$N/$l/accept"
	( bounded 10 head -c 3000000 /dev/zero > "$N/$a/data"
	  echo "shutdown wr" > "$N/$a/ctl" ) &
	w=$!
	bounded 10 strace -e trace=read -o "$T/cat.strace" cat "$N/$c/data" > /dev/null
	wait $w
	grep -q "read(3, .*, 1048576)" "$T/cat.strace" ||
		fail "cat did not read 1 MiB at a time: $(grep 'read(3' "$T/cat.strace" | head -3)"
	ok "st_blksize 1 MiB on data and ctl: cat reads 1 MiB at a time"
fi

for s in $(ls "$N" | grep -E '^[0-9]+$'); do echo close > "$N/$s/ctl"; done
wait_until 5 counts_are "$fds0"
[ "$(fds)" = "$fds0" ] || fail "descriptors: $fds0 at start, $(fds) now"
ok "descriptors ($fds0) back to where they were"
