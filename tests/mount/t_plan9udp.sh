#!/bin/bash
# UDP in the Plan 9 view (ip(3)): announce binds and hears from anyone;
# `headers` gives each datagram read from data its 52-byte header (or the
# text form) and takes the destination from each write's header; connect
# exchanges plain datagrams; bad headers are refused with their reason;
# a clone-made conversation closes with its last file.
. "$(dirname "$0")/lib.sh"
mount_netfs

# The peers, and one read(2) of a file into OUT or one write(2) of the
# bytes of hex and text arguments (t_plan9udp.py), run with fd 3 (a
# conversation's ctl) closed: a child holding it would keep the
# conversation open.
PY9="python3 $HERE/t_plan9udp.py"
io() { bounded 10 $PY9 "$@" 3>&-; }
hexof() { python3 -c 'import sys; print(open(sys.argv[1],"rb").read()[int(sys.argv[2]):int(sys.argv[3])].hex())' "$@"; }
mapped() { python3 -c 'import socket,sys; print((b"\0"*10+b"\xff\xff"+socket.inet_aton(sys.argv[1])).hex())' "$1"; }
v6hex() { python3 -c 'import socket,sys; print(socket.inet_pton(socket.AF_INET6, sys.argv[1]).hex())' "$1"; }
port16() { printf '%04x' "$1"; }
# The kernel sends a file's release after close(2) returns: a closed
# conversation goes within a moment, not at once.
gone() {
	wait_until 5 test ! -e "$1"
}

# --- announce, headers, a datagram in and the answer out ---
exec 3<>"$N/udp/clone"
read -r n <&3
echo "announce 0" >&3 || fail "announce: $(cat "$N/udp/$n/err")"
lport=$(cut -d'!' -f2 < "$N/udp/$n/local")
[ "$lport" -gt 0 ] || fail "no port announced: $(cat "$N/udp/$n/local")"
[ -d "$N/$n" ] || fail "conversation $n missing from the main tree"
msg=$(cat "$N/udp/$n/listen" 2>&1) && fail "listen on UDP"
echo headers >&3 || fail "headers: $(cat "$N/udp/$n/err")"
bg $PY9 client 127.0.0.1 "$lport" ping "$T/c1.port" "$T/c1.out" 3>&-
wait_file "$T/c1.port"
cport=$(cat "$T/c1.port")
io read "$N/udp/$n/data" "$T/d1" || fail "reading data"
[ "$(stat -c %s "$T/d1")" = 56 ] || fail "read $(stat -c %s "$T/d1") bytes, not 52+4"
lo=$(mapped 127.0.0.1)
[ "$(hexof "$T/d1" 0 16)" = "$lo" ] || fail "raddr $(hexof "$T/d1" 0 16)"
[ "$(hexof "$T/d1" 16 32)" = "$lo" ] || fail "laddr $(hexof "$T/d1" 16 32)"
[ "$(hexof "$T/d1" 32 48)" = "$lo" ] || fail "ifcaddr $(hexof "$T/d1" 32 48)"
[ "$(hexof "$T/d1" 48 50)" = "$(port16 "$cport")" ] ||
	fail "rport $(hexof "$T/d1" 48 50), client $cport"
[ "$(hexof "$T/d1" 50 52)" = "$(port16 "$lport")" ] ||
	fail "lport $(hexof "$T/d1" 50 52), announced $lport"
[ "$(tail -c 4 "$T/d1")" = ping ] || fail "payload: $(tail -c 4 "$T/d1")"
# The answer: the header read, then the payload; the header counts.
[ "$(io write "$N/udp/$n/data" "$(hexof "$T/d1" 0 52)" pong)" = 56 ] ||
	fail "answer write"
wait_file "$T/c1.out"
[ "$(cat "$T/c1.out")" = "pong $lport" ] || fail "client got: $(cat "$T/c1.out")"
ok "announce, headers: a datagram read with its 52-byte header, answered by header+payload"

# --- the text form, on the same conversation ---
echo "headers text" >&3 || fail "headers text"
bg $PY9 client 127.0.0.1 "$lport" hello "$T/c2.port" "$T/c2.out" 3>&-
wait_file "$T/c2.port"
cport=$(cat "$T/c2.port")
io read "$N/udp/$n/data" "$T/d2" || fail "reading data (text)"
[ "$(cat "$T/d2")" = "127.0.0.1!$cport 127.0.0.1!$lport
hello" ] || fail "text read: $(cat "$T/d2")"
# A header line written back as read names the sender.
[ "$(io write "$N/udp/$n/data" "" "$(head -1 "$T/d2")
hi there")" -gt 0 ] || fail "text answer"
wait_file "$T/c2.out"
[ "$(cat "$T/c2.out")" = "hi there $lport" ] || fail "client got: $(cat "$T/c2.out")"
# And just raddr!rport, to a second client.
bg $PY9 client 127.0.0.1 "$lport" x "$T/c3.port" "$T/c3.out" 3>&-
wait_file "$T/c3.port"
cport=$(cat "$T/c3.port")
io read "$N/udp/$n/data" "$T/d3" || fail "reading data (text 2)"
[ "$(io write "$N/udp/$n/data" "" "127.0.0.1!$cport
two")" = $(( ${#cport} + 14 )) ] || fail "text write count"
wait_file "$T/c3.out"
[ "$(cat "$T/c3.out")" = "two $lport" ] || fail "client got: $(cat "$T/c3.out")"
ok "headers text: 'raddr!rport laddr!lport' lines read, 'raddr!rport' lines written"

# --- bad headers, refused with a reason ---
echo headers >&3
r=$(io write "$N/udp/$n/data" "0011" short) && fail "short header accepted"
[ "$r" = "Invalid argument" ] || fail "short header: $r"
grep -q "52-byte header.*has 7 bytes" "$N/udp/$n/err" || fail "err: $(cat "$N/udp/$n/err")"
r=$(io write "$N/udp/$n/data" "$(v6hex ::1)$(v6hex ::1)$(v6hex ::1)00070007" x) &&
	fail "IPv6 raddr on an IPv4 conversation accepted"
grep -q "IPv6 raddr for an IPv4" "$N/udp/$n/err" || fail "err: $(cat "$N/udp/$n/err")"
r=$(io write "$N/udp/$n/data" "$lo$lo${lo}00000007" x) && fail "rport 0 accepted"
grep -q "rport is 0" "$N/udp/$n/err" || fail "err: $(cat "$N/udp/$n/err")"
echo "headers text" >&3
r=$(io write "$N/udp/$n/data" "" "no newline here") && fail "text header without newline"
grep -q "no newline" "$N/udp/$n/err" || fail "err: $(cat "$N/udp/$n/err")"
echo "headers frob" >&3 2>/dev/null && fail "headers frob accepted"
grep -q "'frob' is not text or off" "$N/udp/$n/err" || fail "err: $(cat "$N/udp/$n/err")"
exec 4<>"$N/tcp/clone"
read -r tn <&4
echo headers >&4 2>/dev/null && fail "headers on TCP accepted"
grep -q "UDP conversations only" "$N/tcp/$tn/err" || fail "tcp err: $(cat "$N/tcp/$tn/err")"
exec 4>&-
ok "bad headers and bad headers commands fail with their reason in err"

# --- headers off: plain datagrams again; closing closes ---
echo "headers off" >&3 || fail "headers off"
bg $PY9 client 127.0.0.1 "$lport" plain "$T/c4.port" "$T/c4.out" 3>&-
wait_file "$T/c4.port"
io read "$N/udp/$n/data" "$T/d4"
[ "$(cat "$T/d4")" = plain ] || fail "headers off read: $(cat "$T/d4")"
exec 3>&-
gone "$N/udp/$n" && gone "$N/$n" || fail "conversation $n outlived its files"
ok "headers off; closing the last file closes the conversation"

# --- IPv6 ---
exec 3<>"$N/udp/clone"
read -r n <&3
echo "announce ::1!0" >&3 || fail "announce ::1: $(cat "$N/udp/$n/err")"
lport=$(cut -d'!' -f2 < "$N/udp/$n/local")
grep -q "^::1!" "$N/udp/$n/local" || fail "local: $(cat "$N/udp/$n/local")"
echo headers >&3
bg $PY9 client ::1 "$lport" ping6 "$T/c5.port" "$T/c5.out" 3>&-
wait_file "$T/c5.port"
cport=$(cat "$T/c5.port")
io read "$N/udp/$n/data" "$T/d5" || fail "reading data (v6)"
[ "$(hexof "$T/d5" 0 16)" = "$(v6hex ::1)" ] || fail "v6 raddr $(hexof "$T/d5" 0 16)"
[ "$(hexof "$T/d5" 16 32)" = "$(v6hex ::1)" ] || fail "v6 laddr $(hexof "$T/d5" 16 32)"
[ "$(hexof "$T/d5" 48 52)" = "$(port16 "$cport")$(port16 "$lport")" ] ||
	fail "v6 ports $(hexof "$T/d5" 48 52)"
[ "$(tail -c 5 "$T/d5")" = ping6 ] || fail "v6 payload"
io write "$N/udp/$n/data" "$(hexof "$T/d5" 0 52)" pong6 >/dev/null || fail "v6 answer"
wait_file "$T/c5.out"
[ "$(cat "$T/c5.out")" = "pong6 $lport" ] || fail "v6 client got: $(cat "$T/c5.out")"
echo "headers text" >&3
bg $PY9 client ::1 "$lport" t6 "$T/c6.port" "$T/c6.out" 3>&-
wait_file "$T/c6.port"
cport=$(cat "$T/c6.port")
io read "$N/udp/$n/data" "$T/d6"
[ "$(head -1 "$T/d6")" = "::1!$cport ::1!$lport" ] || fail "v6 text: $(cat "$T/d6")"
io write "$N/udp/$n/data" "" "::1!$cport
r6" >/dev/null || fail "v6 text answer"
wait_file "$T/c6.out"
[ "$(cat "$T/c6.out")" = "r6 $lport" ] || fail "v6 text client got: $(cat "$T/c6.out")"
exec 3>&-
gone "$N/udp/$n" || fail "v6 conversation outlived its files"
ok "IPv6: announce ::1, binary and text headers"

# --- connect: plain datagrams, no headers ---
bg $PY9 echo "$T/echo.port" 3>&-
wait_file "$T/echo.port"
eport=$(cat "$T/echo.port")
exec 3<>"$N/udp/clone"
read -r n <&3
echo "connect 127.0.0.1!$eport" >&3 || fail "connect: $(cat "$N/udp/$n/err")"
[ "$(cat "$N/udp/$n/remote")" = "127.0.0.1!$eport" ] || fail "remote: $(cat "$N/udp/$n/remote")"
[ "$(io write "$N/udp/$n/data" "" hello)" = 5 ] || fail "connected write"
io read "$N/udp/$n/data" "$T/d7"
[ "$(cat "$T/d7")" = "echo:hello" ] || fail "connected read: $(cat "$T/d7")"
exec 3>&-
gone "$N/udp/$n" || fail "connected conversation outlived its files"
ok "connect: datagrams without headers; closing closes"
