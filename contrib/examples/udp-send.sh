#!/bin/sh
# udp-send.sh HOST PORT MESSAGE: sends MESSAGE as one UDP datagram.
net=${NETFS_DIR:-/net}
exec 3<>"$net/ctl"
echo "socket inet dgram" >&3 || exit 1
read -r s <&3
exec 3>&-
echo "connect $1!$2" > "$net/$s/ctl" || exit 1
printf '%s' "$3" > "$net/$s/data"	# one write, one datagram
echo close > "$net/$s/ctl"
