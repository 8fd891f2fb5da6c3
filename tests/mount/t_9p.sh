#!/bin/bash
# Importing /net over 9P2000.L, with the Linux kernel's own v9fs client in
# a qemu guest that has no network device (v9fs-guest): the guest reaches
# servers on this machine's loopback only through netfs's files.
#
# Daemon A serves one tree twice, FUSE at $N and 9P on a unix socket (the
# caller is qemu's user, root); daemon B serves 9P alone on TCP, where the
# caller is -o 9p_user (nobody).
. "$(dirname "$0")/lib.sh"
GUEST=${V9FS_GUEST:-}
for g in "$HERE/../../../shared/tools/v9fs-guest" /work/shared/tools/v9fs-guest; do
	[ -z "$GUEST" ] && [ -x "$g" ] && GUEST=$g
done
[ -n "$GUEST" ] || { echo "skip: no v9fs-guest (set V9FS_GUEST)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root (qemu, apt)"; exit 77; }

start_peer echo echo
start_peer http http 4194304
start_peer udp udpecho
start_peer hold hold
want=$(python3 -c "
import sys; sys.path.insert(0, '$HERE'); import peer, hashlib
print(hashlib.sha256(peer.stream(4194304)).hexdigest())")

mount_netfs -o "9p=unix!$T/9p.sock"
for i in $(seq 1 100); do
	[ -S "$T/9p.sock" ] && break
	sleep 0.05
done
[ -S "$T/9p.sock" ] || fail "no 9P socket"

# In the guest (busybox sh, in /mnt): the reference manual's echo client,
# an HTTP GET of 4 MiB, a UDP exchange, ls and a lookup, a blocked read
# ended by timeout, and a socket left for the host to look at.
cat > "$T/guest.sh" <<GUEST
set -e
ls > /tmp/ls; grep -qx ctl /tmp/ls; grep -qx resolve /tmp/ls; echo ls ok
grep -q '^inet stream tcp 127.0.0.1 0' resolve/localhost; echo resolve ok
exec 3<>ctl; echo 'connect 127.0.0.1 $PORT_echo' >&3; read -r s <&3
echo 'Hello, world' > \$s/data; head -n 1 \$s/data > /tmp/echo
echo close > \$s/ctl; echo "echo: \$(cat /tmp/echo)"
exec 3<>ctl; echo 'connect 127.0.0.1 $PORT_http' >&3; read -r h <&3
printf 'GET / HTTP/1.0\r\n\r\n' > \$h/data
cat \$h/data > /tmp/http; echo "http: \$(tail -c 4194304 /tmp/http | sha256sum)"
exec 3<>ctl; echo 'socket inet dgram' >&3; read -r u <&3
printf '127.0.0.1 $PORT_udp\nping' > \$u/sendto
echo "udp: \$(dd if=\$u/recvfrom bs=64k count=1 2>/dev/null | tail -n 1)"
exec 3<>ctl; echo 'connect 127.0.0.1 $PORT_hold' >&3; read -r b <&3
echo \$b > /tmp/b
if timeout 1 cat \$b/data; then echo "blocked read returned"; exit 1; fi
echo "blocked: \$b"
GUEST
out=$(bounded 600 "$GUEST" --unix "$T/9p.sock" --timeout 300 "$(cat "$T/guest.sh")" 2>"$T/guest.err")
st=$?
echo "$out" | sed 's/^/  guest: /'
[ $st = 0 ] || fail "guest exited $st: $(tail -5 "$T/guest.err")"
echo "$out" | grep -qx "echo: Hello, world" || fail "echo client"
echo "$out" | grep -q "^http: $want" || fail "HTTP 4 MiB checksum"
echo "$out" | grep -qx "udp: ping" || fail "UDP exchange"
b=$(echo "$out" | sed -n 's/^blocked: //p')
[ -n "$b" ] || fail "no blocked read"
# The guest is gone: its fids are clunked, nothing waits, nothing is open.
grep -qx "blocked_readers 0" "$N/$b/status" || fail "a read still parked: $(cat "$N/$b/status")"
grep -qx "open_files 0" "$N/$b/status" || fail "a file still open: $(cat "$N/$b/status")"
ok "v9fs: echo, 4 MiB over HTTP, UDP, ls, resolve/, a flushed read (one tree with FUSE)"

# Daemon B: 9P only, on TCP; the caller is nobody whatever Tattach says.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
${NETFS_WRAPPER:-} "$NETFS" --9p "tcp!127.0.0.1!$port" 2>>"$T/netfs9.log" &
B=$!
PIDS+=($B)
for i in $(seq 1 100); do
	ss -ltn "sport = :$port" | grep -q LISTEN && break
	sleep 0.05
done
out=$(bounded 600 "$GUEST" --server "127.0.0.1:$port" --timeout 300 '
mkdir mine; stat -c "%u %a" mine
if echo "bind 127.0.0.1 80" > mine/ctl 2>/dev/null; then echo "port 80 bound"; else echo "port 80 refused"; fi
' 2>"$T/guest2.err")
st=$?
echo "$out" | sed 's/^/  guest: /'
[ $st = 0 ] || fail "guest 2 exited $st: $(tail -5 "$T/guest2.err")"
echo "$out" | grep -qx "65534 700" || fail "mkdir over TCP is not nobody's"
echo "$out" | grep -qx "port 80 refused" || fail "nobody bound port 80 over 9P"
kill "$B"
wait "$B" || fail "the 9P-only daemon exited with $?: $(cat "$T/netfs9.log")"
ok "9P over TCP acts as nobody: its socket, no privileged port"
