#!/bin/sh
# echo-server.sh PORT: echoes every client back, many at a time, until
# killed. NETFS_DIR is the mount point (/net).
net=${NETFS_DIR:-/net}
exec 3<>"$net/ctl"
echo "listen *!$1" >&3 || exit 1
read -r l <&3
exec 3>&-
trap 'echo close > "$net/$l/ctl"; exit 0' INT TERM
while read -r c < "$net/$l/accept"; do	# each read accepts one client
	(
		# Two cats: GNU cat refuses `cat data > data` (netfs(7), BUGS).
		cat "$net/$c/data" | cat > "$net/$c/data"
		echo close > "$net/$c/ctl"
	) &
done
