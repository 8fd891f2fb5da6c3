#!/bin/bash
# AF_UNIX through netfs against real socat peers: stream and dgram
# sockets to filesystem paths and abstract names, peername/sockname in
# the same forms (an unnamed peer is an empty line), recvfrom naming the
# sender, a netfs listener (mkdir, bind, listen) accepting socat clients,
# and overlong paths refused with ENAMETOOLONG.
. "$(dirname "$0")/lib.sh"
command -v socat >/dev/null || { echo "skip: no socat"; exit 77; }
mount_netfs
ABS=netfs-test-$$-$RANDOM	# abstract names are host-wide: make them ours

# Waits for a unix socket path, or (with @) an abstract name, to listen.
wait_unix() {
	wait_until 10 unix_listening "$1" || fail "no unix socket $1"
}
unix_listening() {
	if [ "${1:0:1}" = @ ]; then
		grep -q " @${1:1}\$" /proc/net/unix
	else
		[ -S "$1" ]
	fi
}

# --- stream to a socat echo server: a path, then an abstract name ---
bg socat UNIX-LISTEN:"$T/echo.sock",fork EXEC:cat
bg socat ABSTRACT-LISTEN:"$ABS-echo",fork EXEC:cat
wait_unix "$T/echo.sock"
wait_unix "@$ABS-echo"
for addr in "$T/echo.sock" "@$ABS-echo"; do
	s=$(net_ctl "socket unix stream")
	echo "connect $addr" > "$N/$s/ctl" || fail "connect $addr"
	[ "$(cat "$N/$s/peername")" = "$addr" ] || fail "peername: $(cat "$N/$s/peername")"
	[ "$(cat "$N/$s/sockname")" = "" ] || fail "sockname of an unbound socket"
	[ "$(wc -c < "$N/$s/sockname")" = 1 ] || fail "unnamed is one empty line"
	exec 3<>"$N/$s/data"
	echo "hello $addr" >&3
	read -r -t 5 line <&3 || fail "no echo from $addr"
	exec 3>&-
	[ "$line" = "hello $addr" ] || fail "echo: $line"
	echo close > "$N/$s/ctl"
done
ok "unix stream to socat: path and abstract, peername forms"

# A path with spaces, given to /net/ctl connect.
bg socat UNIX-LISTEN:"$T/with space.sock",fork EXEC:cat
wait_unix "$T/with space.sock"
s=$(net_ctl "connect unix!$T/with space.sock")
[ -d "$N/$s" ] || fail "connect to a path with a space: $s"
[ "$(cat "$N/$s/peername")" = "$T/with space.sock" ] || fail "peername with space"
[ "$(cat "$N/$s/family") $(cat "$N/$s/type")" = "unix stream" ] || fail "family/type"
ok "a path with spaces"

# --- dgram to socat receivers: path and abstract ---
bg socat -u UNIX-RECV:"$T/recv.sock" OPEN:"$T/recv.out",creat,append
bg socat -u ABSTRACT-RECV:"$ABS-recv" OPEN:"$T/abs.out",creat,append
wait_unix "$T/recv.sock"
wait_unix "@$ABS-recv"
d=$(net_ctl "socket unix dgram")
echo "connect $T/recv.sock" > "$N/$d/ctl" || fail "dgram connect"
printf 'datagram one|' > "$N/$d/data"
printf 'datagram two|' > "$N/$d/data"
# One write must carry the address line and the datagram: bash's printf
# writes at each newline, so the shell way is through dd.
sendto() {
	printf '%s\n%s' "$2" "$3" |
	dd bs=64k count=1 iflag=fullblock status=none of="$N/$1/sendto"
}
sendto "$d" "@$ABS-recv" 'to abstract|' || { cat "$N/$d/error"; fail "sendto @"; }
sendto "$d" "@$ABS-recv" 'again|' 
for i in $(seq 100); do
	[ "$(cat "$T/recv.out" 2>/dev/null)" = "datagram one|datagram two|" ] &&
	[ "$(cat "$T/abs.out" 2>/dev/null)" = "to abstract|again|" ] && break
	sleep 0.05
done
[ "$(cat "$T/recv.out")" = "datagram one|datagram two|" ] || fail "socat got: $(cat "$T/recv.out")"
[ "$(cat "$T/abs.out")" = "to abstract|again|" ] || fail "abstract got: $(cat "$T/abs.out")"
ok "unix dgram to socat: data to a path, sendto an abstract name"

# --- recvfrom on a bound dgram socket names the sender ---
r=$(net_ctl "socket unix dgram")
echo "bind $T/netfs-dgram.sock" > "$N/$r/ctl" || fail "bind dgram"
[ "$(cat "$N/$r/sockname")" = "$T/netfs-dgram.sock" ] || fail "dgram sockname"
echo -n "from socat" | bounded 5 socat -u - UNIX-SENDTO:"$T/netfs-dgram.sock",bind="$T/sender.sock"
{ read -r from; read -r payload; } < <(bounded 5 dd bs=4k count=1 status=none < "$N/$r/recvfrom"; echo)
[ "$from" = "$T/sender.sock" ] || fail "recvfrom sender: $from"
[ "$payload" = "from socat" ] || fail "recvfrom payload: $payload"
# An unnamed sender is an empty address line; answering it is impossible.
python3 -c "
import socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b'anonymous', '$T/netfs-dgram.sock')"
[ "$(bounded 5 dd bs=4k count=1 status=none < "$N/$r/recvfrom" | od -An -c | tr -s ' ')" = " \n a n o n y m o u s" ] ||
	fail "unnamed sender"
# An abstract sender, and a reply to it through sendto.
python3 - "$N/$r" "$ABS" <<'PY' || fail "abstract sender"
import os, socket, sys
d, abs_ = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + abs_ + "-sender")
s.settimeout(5)
s.sendto(b"ping", open(f"{d}/sockname").read().strip())
got = os.read(os.open(f"{d}/recvfrom", os.O_RDONLY), 4096)
assert got == f"@{abs_}-sender\n".encode() + b"ping", got
os.write(os.open(f"{d}/sendto", os.O_WRONLY), f"@{abs_}-sender\npong".encode())
assert s.recv(100) == b"pong"
PY
ok "recvfrom names path, unnamed and abstract senders; sendto answers"

# --- a netfs listener accepting socat clients: path and abstract ---
mkdir "$N/ul"
echo "socket unix stream" > "$N/ul/ctl"
echo "bind $T/listen.sock" > "$N/ul/ctl" || fail "bind listener"
echo "listen" > "$N/ul/ctl" || fail "listen"
[ "$(cat "$N/ul/sockname")" = "$T/listen.sock" ] || fail "listener sockname"
(echo "client line" | bounded 10 socat - UNIX-CONNECT:"$T/listen.sock" > "$T/client.out") &
PIDS+=($!)
read -r c < <(bounded 5 cat "$N/ul/accept") || fail "accept"
[ -d "$N/$c" ] || fail "accepted: $c"
[ "$(wc -c < "$N/$c/peername")" = 1 ] || fail "an unbound client's peername is an empty line"
[ "$(cat "$N/$c/sockname")" = "$T/listen.sock" ] || fail "accepted sockname"
read -r -t 5 line < "$N/$c/data" || fail "no line from the client"
[ "$line" = "client line" ] || fail "client said: $line"
echo "server line" > "$N/$c/data"
echo "shutdown wr" > "$N/$c/ctl"
wait "${PIDS[-1]}"
[ "$(cat "$T/client.out")" = "server line" ] || fail "client got: $(cat "$T/client.out")"
ok "netfs unix listener accepts a socat client"

l=$(net_ctl "listen @$ABS-listen")
[ -d "$N/$l" ] || fail "listen @: $l"
[ "$(cat "$N/$l/sockname")" = "@$ABS-listen" ] || fail "abstract sockname"
(echo "abstract client" | bounded 10 socat - ABSTRACT-CONNECT:"$ABS-listen" > "$T/aclient.out") &
PIDS+=($!)
read -r c < <(bounded 5 cat "$N/$l/accept") || fail "accept @"
read -r -t 5 line < "$N/$c/data"
[ "$line" = "abstract client" ] || fail "abstract client said: $line"
echo close > "$N/$c/ctl"
wait "${PIDS[-1]}"
ok "netfs abstract listener accepts a socat client"

# --- overlong names: ENAMETOOLONG, nothing cut short ---
long=/tmp/$(printf 'x%.0s' $(seq 120))
s=$(net_ctl "socket unix stream")
msg=$(echo "bind $long" 2>&1 > "$N/$s/ctl") && fail "overlong bind succeeded"
case $msg in *"File name too long"*) ;; *) fail "overlong: $msg" ;; esac
grep -q '^ENAMETOOLONG .*longer than 107 bytes' "$N/$s/error" || fail "error: $(cat "$N/$s/error")"
msg=$(echo "connect @$(printf 'y%.0s' $(seq 108))" 2>&1 > "$N/$s/ctl") && fail "overlong abstract"
grep -q '^ENAMETOOLONG .*abstract' "$N/$s/error" || fail "error: $(cat "$N/$s/error")"
reply=$(net_ctl "connect $long")
case $reply in "error ENAMETOOLONG"*) ;; *) fail "/net/ctl overlong: $reply" ;; esac
[ ! -e "${long:0:107}" ] || fail "a cut path was made"
ok "overlong paths and abstract names are ENAMETOOLONG"
