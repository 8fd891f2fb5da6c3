#!/bin/sh
# port-check.sh HOST PORT [SECONDS]: exit 0 if something accepts on the
# port within SECONDS (default 2), 1 if not; says which.
net=${NETFS_DIR:-/net}
exec 3<>"$net/ctl"
if echo "connect $1!$2 timeout=${3:-2}" >&3 2>/dev/null; then
	read -r s <&3
	echo close > "$net/$s/ctl"
	echo "$1 $2: open"
	exit 0
fi
read -r err <&3				# error ECONNREFUSED Connection refused...
echo "$1 $2: closed (${err#error })"
exit 1
