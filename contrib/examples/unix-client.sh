#!/bin/sh
# unix-client.sh PATH MESSAGE: sends MESSAGE to the unix stream socket at
# PATH, closes the sending side and prints the reply.
net=${NETFS_DIR:-/net}
exec 3<>"$net/ctl"
echo "connect $1" >&3 || exit 1		# a path makes a unix socket
read -r s <&3
exec 3>&-
printf '%s' "$2" > "$net/$s/data"
echo "shutdown wr" > "$net/$s/ctl"
cat "$net/$s/data"
echo close > "$net/$s/ctl"
