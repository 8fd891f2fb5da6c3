#!/bin/bash
# sendto from the shell. printf and echo write at each newline, so a write
# that holds only the address line sets the destination of the next
# write on the same open file, which is the datagram whole (binary,
# newlines and all). An address line left alone when the file closes is
# an empty datagram. The one-write form keeps working.
. "$(dirname "$0")/lib.sh"
mount_netfs

# Two receivers on loopback: each datagram becomes a line of hex in
# $T/got.A or $T/got.B (an empty datagram is the line "-").
for r in A B; do
	bg python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".port.tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".port.tmp", sys.argv[1] + ".port")
while True:
    d = s.recv(65536)
    with open(sys.argv[1], "a") as f:
        f.write((d.hex() or "-") + "\n")' "$T/got.$r"
	wait_file "$T/got.$r.port"
done
A=$(cat "$T/got.A.port")
B=$(cat "$T/got.B.port")
u=$(net_ctl "socket inet dgram")
echo "bind 127.0.0.1 0" > "$N/$u/ctl"

# got R N HEX: the Nth datagram at receiver R is HEX (within 5 s).
got() {
	local i line
	for ((i = 0; i < 100; i++)); do
		line=$(sed -n "$2p" "$T/got.$1" 2>/dev/null)
		[ -n "$line" ] && break
		sleep 0.05
	done
	[ "$line" = "$3" ] || fail "datagram $2 at $1: '$line', wanted '$3'"
}
hex() { od -An -v -tx1 | tr -d ' \n'; }

q="a query"
printf "127.0.0.1 $A\n%s" "$q" > "$N/$u/sendto" || fail "printf form"
got A 1 "$(printf %s "$q" | hex)"
ok "printf 'ADDR\\n%s' \"\$q\" > sendto"

# A binary datagram with newlines and NULs, from a file.
printf 'bin\n\000\001\n\377end' > "$T/query"
{ echo "127.0.0.1 $A"; cat "$T/query"; } > "$N/$u/sendto" || fail "group form"
got A 2 "$(hex < "$T/query")"
ok "{ echo ADDR; cat query; } > sendto: binary, newlines and NULs"

# The destination is for the next write only; one-write forms in between.
exec 3>"$N/$u/sendto"
echo "127.0.0.1 $B" >&3
printf 'to B' >&3
printf "127.0.0.1 $A\nto A, in one write" >&3
echo "127.0.0.1 $B" >&3
printf 'B again' >&3
exec 3>&-
got B 1 "$(printf 'to B' | hex)"
got A 3 "$(printf 'to A, in one write' | hex)"
got B 2 "$(printf 'B again' | hex)"
ok "alone, then one write, then alone again on one open file"

# A name is looked up at the write of the datagram.
{ echo "localhost $A"; printf 'by name'; } > "$N/$u/sendto" || fail "by name"
got A 4 "$(printf 'by name' | hex)"
ok "a host name in the address line alone"

# The address line alone, then the close: an empty datagram, by number
# and by name.
echo "127.0.0.1 $B" > "$N/$u/sendto" || fail "empty"
got B 3 -
echo "localhost $B" > "$N/$u/sendto" || fail "empty by name"
got B 4 -
ok "echo ADDR > sendto sends an empty datagram"

# A bad address line alone fails that write, and leaves nothing waiting.
exec 3>"$N/$u/sendto"
echo "127.0.0.1 nosuchport!" >&3 2>/dev/null && fail "bad line taken"
grep -q '^EINVAL' "$N/$u/error" || fail "error: $(cat "$N/$u/error")"
printf "127.0.0.1 $A\nafter" >&3 || fail "after a bad line"
exec 3>&-
got A 5 "$(printf after | hex)"
ok "a bad address line fails at once: $(cat "$N/$u/error")"

# The one-write form through dd, as before.
printf "127.0.0.1 $A\nline one\nline two\n" |
	dd bs=64k count=1 iflag=fullblock status=none of="$N/$u/sendto" || fail dd
got A 6 "$(printf 'line one\nline two\n' | hex)"
ok "one write: ADDR\\n and a datagram with newlines (dd)"
