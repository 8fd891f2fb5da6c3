#!/bin/bash
# The reference manual's echo server and client (socket(7) in Python),
# done with shell tools over netfs, for IPv4 and for IPv6:
#
#   server: socket, bind, listen, accept, then echo until the client closes
#           (read c < accept; cat $c/data | cat > $c/data)
#   client: connect, send "Hello, world", recv(1024), close
. "$(dirname "$0")/lib.sh"
mount_netfs

echo_pair() {	# FAMILY ANY LOOPBACK
	local fam=$1 any=$2 lo=$3 port c reply

	# Echo server program
	mkdir "$N/srv$fam"
	echo "socket $fam stream" > "$N/srv$fam/ctl" || fail "socket $fam"
	echo "bind $any 0" > "$N/srv$fam/ctl" || fail "bind"
	echo "listen 1" > "$N/srv$fam/ctl" || fail "listen"
	read -r _ port _ < "$N/srv$fam/sockname"
	[ "$port" -gt 0 ] || fail "no port in sockname"
	(
		read -r c < "$N/srv$fam/accept" || exit 1
		echo "Connected by $(cat "$N/$c/peername")" > "$T/connected.$fam"
		# GNU cat refuses `cat data > data`: it takes any regular file
		# it cannot seek, copied onto itself, for a mistake. A pipe
		# between two cats is the shell's echo loop (netfs(7), BUGS).
		cat "$N/$c/data" | cat > "$N/$c/data"
		echo close > "$N/$c/ctl"
	) &
	local server=$!

	# Echo client program
	mkdir "$N/cli$fam"
	echo "socket $fam stream" > "$N/cli$fam/ctl"
	echo "connect $lo $port" > "$N/cli$fam/ctl" || fail "connect"
	printf 'Hello, world' > "$N/cli$fam/data"
	reply=$(bounded 5 dd bs=1024 count=1 status=none < "$N/cli$fam/data")
	echo close > "$N/cli$fam/ctl"
	echo "Received '$reply'"
	[ "$reply" = "Hello, world" ] || fail "$fam: got '$reply'"
	bounded 5 tail --pid=$server -f /dev/null || fail "server did not end"
	wait $server || fail "server failed"
	cat "$T/connected.$fam"
	echo close > "$N/srv$fam/ctl"
}

echo_pair inet '*' 127.0.0.1
grep -q '^Connected by 127\.0\.0\.1 [0-9]*$' "$T/connected.inet" ||
	fail "inet peername: $(cat "$T/connected.inet")"
ok "IPv4 echo server and client"

echo_pair inet6 '*' ::1
# AF_INET6 addresses read as four fields: HOST PORT FLOWINFO SCOPEID
grep -q '^Connected by ::1 [0-9]* 0 0$' "$T/connected.inet6" ||
	fail "inet6 peername: $(cat "$T/connected.inet6")"
ok "IPv6 echo server and client, 4-field peername"

# Both sockets of each pair are gone.
[ -z "$(sockets)" ] || fail "left over: $(sockets)"
ok "closed sockets leave the tree"
