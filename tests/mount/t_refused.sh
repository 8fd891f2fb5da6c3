#!/bin/bash
# A connect to a closed port fails the write with "Connection refused" and
# leaves ECONNREFUSED in the socket's error file.
. "$(dirname "$0")/lib.sh"
mount_netfs

# A port nobody listens on: bind one, then close it.
port=$(free_port)

mkdir "$N/c"
msg=$(echo "connect 127.0.0.1 $port" 2>&1 > "$N/c/ctl") && fail "connect succeeded"
echo "$msg"
case $msg in
*"Connection refused"*) ;;
*) fail "echo said: $msg" ;;
esac
read -r err < "$N/c/error"
echo "error: $err"
case $err in
"ECONNREFUSED Connection refused"*) ;;
*) fail "error file: $err" ;;
esac
ok "refused connect on NAME/ctl"

# Through /net/ctl: the write fails, the reply line says why, and no
# socket is left behind.
exec 3<>"$N/ctl"
echo "connect 127.0.0.1!$port" >&3 2>/dev/null && fail "connect succeeded"
read -r reply <&3
exec 3>&-
case $reply in
"error ECONNREFUSED Connection refused"*) ;;
*) fail "reply: $reply" ;;
esac
[ "$(sockets)" = c ] || fail "left over: $(sockets)"
ok "refused connect on /net/ctl: reply line, no socket left"
