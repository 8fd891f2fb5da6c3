#!/bin/bash
# The Plan 9 view (ip(3)): a client that opens tcp/clone, reads its
# number and writes connect; an announce/listen server taking a socat
# client; conversations made by clone close with their last file; and the
# same sockets seen from both trees.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer echo echo

# A Plan 9-style client in sh.
exec 3<>"$N/tcp/clone"
read -r n <&3
echo "connect 127.0.0.1!$PORT_echo" >&3 || fail "connect"
[ -d "$N/$n" ] || fail "conversation $n missing from the main tree"
printf 'GET / HTTP/1.0\r\n\r\n' > "$N/tcp/$n/data"
reply=$(bounded 5 head -c 18 "$N/tcp/$n/data" | tr -d '\r\n')
[ "$reply" = "GET / HTTP/1.0" ] || fail "reply: $reply"
[ "$(cat "$N/tcp/$n/remote")" = "127.0.0.1!$PORT_echo" ] ||
	fail "remote: $(cat "$N/tcp/$n/remote")"
grep -q "^127.0.0.1![0-9]*$" "$N/tcp/$n/local" || fail "local"
grep -q "^Established" "$N/tcp/$n/status" || fail "status: $(cat "$N/tcp/$n/status")"
echo "ttl 9" >&3 || fail "ttl"
echo "keepalive 2000" >&3 || fail "keepalive"
exec 3>&-
[ ! -e "$N/tcp/$n" ] && [ ! -e "$N/$n" ] || fail "conversation $n outlived its files"
ok "clone, connect, data; closing the last file closes the conversation"

# An announce/listen server with a socat client.
exec 4<>"$N/tcp/clone"
read -r a <&4
echo "announce 0" >&4 || fail "announce"
lport=$(cut -d'!' -f2 < "$N/tcp/$a/local")
grep -q "^Listen" "$N/tcp/$a/status" || fail "listener status"
(sleep 0.3; printf ping | bounded 5 socat - "TCP:127.0.0.1:$lport" > "$T/socat.out") &
client=$!
exec 5<>"$N/tcp/$a/listen"
read -r m <&5
[ "$m" != "$a" ] || fail "listen gave the listener"
[ "$(bounded 5 head -c 4 "$N/tcp/$m/data")" = ping ] || fail "call data"
printf pong > "$N/tcp/$m/data"
exec 5>&-
wait $client
[ "$(cat "$T/socat.out")" = pong ] || fail "socat got: $(cat "$T/socat.out")"
[ ! -e "$N/tcp/$m" ] || fail "call outlived its files"
exec 4>&-
[ ! -e "$N/tcp/$a" ] || fail "announcer outlived its files"
ok "announce, listen, a socat client; both close with their files"

# The same sockets in both trees.
s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
[ -d "$N/tcp/$s" ] || fail "main-tree socket $s not in tcp/"
[ "$(cat "$N/tcp/$s/remote")" = "127.0.0.1!$PORT_echo" ] || fail "its remote"
ls "$N/tcp" | grep -qx "$s" || fail "ls tcp"
[ ! -e "$N/udp/$s" ] || fail "a TCP socket in udp/"
echo close > "$N/$s/ctl"
[ ! -e "$N/tcp/$s" ] || fail "closed socket still in tcp/"
ok "sockets of the main tree appear in tcp/, and go with it"

# Errors in Plan 9 commands.
exec 3<>"$N/tcp/clone"
read -r n <&3
echo "frob" >&3 2>/dev/null && fail "frob accepted"
grep -q "unknown command 'frob' (connect, announce" "$N/tcp/$n/err" ||
	fail "err: $(cat "$N/tcp/$n/err")"
echo "ttl 9" >&3 2>/dev/null && fail "ttl before connect"
msg=$(cat "$N/tcp/$n/listen" 2>&1) && fail "listen before announce"
exec 3>&-
ok "bad commands fail with their reason in err"
