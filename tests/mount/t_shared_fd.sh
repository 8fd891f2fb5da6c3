#!/bin/bash
# A reader and a writer sharing one open file never deadlock, and a read
# larger than FUSE's 1 MiB request returns the bytes that are there.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer echo echo

s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
exec 3<>"$N/$s/data"
cat <&3 > "$T/out" &
reader=$!
sleep 0.2
printf x >&3
wait_until 5 test -s "$T/out"
kill $reader
wait $reader 2>/dev/null
exec 3>&-
[ "$(cat "$T/out")" = x ] || fail "shared fd: got '$(cat "$T/out")'"
ok "exec 3<>data; cat <&3 & printf x >&3"

# 3 MB waiting, no end of stream: dd bs=4M returns at once with what is
# there, and further reads get the rest.
start_peer send send 3000000 --hold
s=$(net_ctl "connect 127.0.0.1!$PORT_send")
sleep 0.5
total=0
for ((i = 0; i < 50 && total < 3000000; i++)); do
	n=$(bounded 5 dd bs=4M count=1 status=none < "$N/$s/data" | wc -c)
	[ "$n" -gt 0 ] || fail "dd bs=4M returned nothing (or hung)"
	[ $i = 0 ] && first=$n
	total=$((total + n))
done
[ $total = 3000000 ] || fail "dd read $total bytes"
ok "dd bs=4M returns what is there (first read $first bytes)"
