#!/bin/bash
# UDP through netfs against Python peers on loopback: a connected socket
# through data; sendto/recvfrom with addresses (numeric and named); one
# read is one datagram, cut to the size asked (dd bs=10); IPv6; blocking,
# timeout, O_NONBLOCK and poll on recvfrom; the errors of bad headers,
# the wrong family, huge datagrams and a refused connected send.
. "$(dirname "$0")/lib.sh"
mount_netfs

python3 "$HERE/t_udp.py" udp "$N" || fail "udp"
ok "UDP data, sendto, recvfrom"

# recvfrom from the shell: read the address, then the datagram.
u=$(net_ctl "socket inet dgram")
echo "bind 127.0.0.1 0" > "$N/$u/ctl"
read -r _ uport < "$N/$u/sockname"
python3 -c "
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0)); s.sendto(b'shell datagram', ('127.0.0.1', $uport))
print(s.getsockname()[1])" > "$T/sport"
{ read -r host port; read -r payload; } < <(bounded 5 dd bs=64k count=1 status=none < "$N/$u/recvfrom"; echo)
[ "$host $port" = "127.0.0.1 $(cat "$T/sport")" ] || fail "recvfrom address: $host $port"
[ "$payload" = "shell datagram" ] || fail "recvfrom payload: $payload"
# dd bs=10 count=1: one read of 10 bytes of a longer datagram; the next
# read is the next datagram.
python3 "$HERE/t_udp.py" dd-peer "$N/$u" > "$T/cut" || fail "dd peer"
[ "$(bounded 5 dd bs=10 count=1 status=none < "$N/$u/data")" = 0123456789 ] || fail "dd bs=10"
[ "$(bounded 5 dd bs=100 count=1 status=none < "$N/$u/data")" = second ] || fail "dd after a cut"
ok "recvfrom read from the shell"

# "*" and an empty host are INADDR_ANY (in6addr_any for inet6).
for form in "* 0" ":0" "*!0" "udp!*!0"; do
	a=$(net_ctl "socket inet dgram")
	echo "bind $form" > "$N/$a/ctl" || fail "bind $form"
	read -r host port < "$N/$a/sockname"
	[ "$host" = 0.0.0.0 ] && [ "$port" -gt 0 ] || fail "bind $form: $host $port"
	echo close > "$N/$a/ctl"
done
a=$(net_ctl "socket inet6 dgram")
echo "bind * 0" > "$N/$a/ctl" || fail "bind * on inet6"
read -r host port flow scope < "$N/$a/sockname"
[ "$host" = "::" ] || fail "inet6 any: $host"
ok "* and the empty host are the any address"

python3 "$HERE/t_udp.py" udp6-modes "$N" || fail "udp6 and modes"
ok "IPv6, modes, bad input"
[ -d "$N/ctl" ] || [ -e "$N/ctl" ] || fail "daemon gone"
