#!/bin/sh
# http-get.sh HOST PORT [PATH]: an HTTP/1.0 GET with echo, printf and cat
# on netfs; prints the body. NETFS_DIR is the mount point (/net).
net=${NETFS_DIR:-/net}
exec 3<>"$net/ctl"			# a session: replies come back on it
echo "connect $1!$2" >&3 || exit 1
read -r s <&3
exec 3>&-
printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "${3:-/}" "$1" > "$net/$s/data"
# The header ends at the first empty line; the rest is the body.
cat "$net/$s/data" | sed '1,/^\r\{0,1\}$/d'
echo close > "$net/$s/ctl"
