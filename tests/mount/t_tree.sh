#!/bin/bash
# The tree: ls, mkdir/rmdir, assigned names never reused, /net/ctl sessions
# with one reply per command, several commands per write, shell
# redirections on writable files, ephemeral lifetime, modes.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer echo echo

[ -z "$(sockets)" ] && [ -e "$N/ctl" ] || fail "fresh mount: $(ls "$N")"
[ "$(stat -c %a "$N")" = 1777 ] || fail "root mode"
ok "a fresh mount holds ctl and no socket; the root is 1777"

# A session: one reply line per command, in order.
exec 3<>"$N/ctl"
echo socket >&3
echo "socket inet6" >&3
echo "connect 127.0.0.1!$PORT_echo" >&3
echo "listen 127.0.0.1!0 5" >&3
echo "socket bogus" >&3 2>/dev/null
read -r a <&3; read -r b <&3; read -r c <&3; read -r d <&3; read -r e <&3
exec 3>&-
echo "replies: $a | $b | $c | $d | $e"
[ "$a" -lt "$b" ] && [ "$b" -lt "$c" ] && [ "$c" -lt "$d" ] || fail "names"
case $e in "error EAFNOSUPPORT"*) ;; *) fail "5th reply: $e" ;; esac
[ "$(cat "$N/$b/family")" = inet6 ] || fail "family of $b"
[ "$(cat "$N/$c/type") $(cat "$N/$c/proto")" = "stream tcp" ] || fail "type"
[ "$(head -1 "$N/$c/status")" = "state connected" ] || fail "state of $c"
[ "$(head -1 "$N/$d/status")" = "state listening" ] || fail "state of $d"
ok "a /net/ctl session answers each command on the same open file"

# Assigned names are never reused.
for x in $a $b $c $d; do echo close > "$N/$x/ctl"; done
f=$(net_ctl socket)
[ "$f" -gt "$d" ] || fail "name $f reused"
echo close > "$N/$f/ctl"
ok "names are not reused ($f after $d)"

# mkdir names a socket; family and type come from the first command.
mkdir "$N/web"
[ "$(cat "$N/web/family") $(cat "$N/web/type")" = "unspec unspec" ] ||
	fail "a new socket has a family"
[ "$(head -1 "$N/web/status")" = "state idle" ] || fail "state idle"
[ "$(stat -c %a "$N/web")" = 700 ] || fail "dir mode"
[ "$(stat -c %a "$N/web/data")" = 600 ] || fail "data mode"
[ "$(stat -c %a "$N/web/peername")" = 400 ] || fail "peername mode"
[ "$(stat -c %U "$N/web")" = "$(id -un)" ] || fail "owner"
ls "$N/web" | tr '\n' ' ' | grep -q "accept ctl data error family opt peername proto recvflags sendflags sockname status timeout type" ||
	fail "files: $(ls "$N/web")"
# Several commands in one write, one per line.
printf 'bind 127.0.0.1 0\nlisten 4\n' > "$N/web/ctl" || fail "two commands"
[ "$(head -1 "$N/web/status")" = "state listening" ] || fail "not listening"
[ "$(cat "$N/web/family")" = inet ] || fail "family from the address"
# What a type rules out goes: no accept on a datagram socket, no
# recvfrom/sendto on a stream.
ls "$N/web" | grep -qx accept || fail "a listener without accept"
ls "$N/web" | grep -qx recvfrom && fail "recvfrom on a stream"
mkdir "$N/dg" && echo "socket inet dgram" > "$N/dg/ctl" || fail "dgram"
ls "$N/dg" | grep -qx accept && fail "accept on a datagram socket"
[ -e "$N/dg/accept" ] && fail "accept looked up on a datagram socket"
ls "$N/dg" | grep -qx recvfrom || fail "no recvfrom on a datagram socket"
rmdir "$N/dg"
rmdir "$N/web" || fail rmdir
[ ! -e "$N/web" ] || fail "rmdir left it"
mkdir "$N/web" || fail "mkdir after rmdir"
rmdir "$N/web"
ok "mkdir, commands, rmdir"

# Redirections on writable files: >, >> and <>.
mkdir "$N/r"
echo 2 > "$N/r/timeout"
[ "$(cat "$N/r/timeout")" = 2 ] || fail ">"
echo 3.5 >> "$N/r/timeout"
[ "$(cat "$N/r/timeout")" = 3.5 ] || fail ">>"
exec 4<>"$N/r/timeout"
echo none >&4
exec 4>&-
[ "$(cat "$N/r/timeout")" = none ] || fail "<>"
echo "socket inet stream" >> "$N/r/ctl" || fail ">> ctl"
exec 4<>"$N/r/ctl"; echo "connect 127.0.0.1 $PORT_echo" >&4; exec 4>&-
echo hi >> "$N/r/data" || fail ">> data"
[ "$(bounded 5 head -c 3 "$N/r/data")" = hi ] || fail "echoed"
ok "shell redirections >, >> and <>"

# Ephemeral: closed with its last open file, once data has been open.
exec 5<>"$N/r/ctl"
echo ephemeral >&5
exec 6<"$N/r/data"
exec 6<&-
[ -d "$N/r" ] || fail "gone while open"
exec 5>&-
[ ! -e "$N/r" ] || fail "ephemeral socket survived"
ok "ephemeral sockets close with their last file"
