#!/bin/bash
# `echo ephemeral > NAME/ctl` from a shell: the socket does not end when
# that echo closes ctl, but at the last close once data, accept, recvfrom
# or sendto has been open (since the command, or at the time of it).
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer echo echo

gone() {	# the socket's directory is gone (within a second)
	local i
	for ((i = 0; i < 20; i++)); do
		[ -e "$N/$1" ] || return 0
		sleep 0.05
	done
	return 1
}

s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
echo ephemeral > "$N/$s/ctl" || fail "ephemeral"
[ -d "$N/$s" ] || fail "closed as the echo closed ctl"
grep -qx 'ephemeral 1' "$N/$s/status" || fail "status: $(cat "$N/$s/status")"
cat "$N/$s/peername" "$N/$s/error" > /dev/null
[ -d "$N/$s" ] || fail "closed by reading peername and error"
ok "ephemeral survives the echo that set it, and other text files"

# One exchange on one open data file, then the socket ends with it.
out=$({ printf ping >&0; bounded 5 head -c 4; } <> "$N/$s/data") ||
	fail "exchange"
[ "$out" = ping ] || fail "echoed '$out'"
gone "$s" || fail "still there after data closed"
ok "{ printf ping >&0; head -c 4; } <> data, then gone"

# A writer after the command: `cat > data` finds its directory.
s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
echo ephemeral > "$N/$s/ctl"
echo hello | cat > "$N/$s/data" || fail "cat > data"
gone "$s" || fail "still there after cat > data"
ok "echo ephemeral > ctl; ... | cat > data"

# A data file open at the time of the command counts.
s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
exec 5<>"$N/$s/data"
echo ephemeral > "$N/$s/ctl"
[ -d "$N/$s" ] || fail "closed while data is open"
exec 5>&-
gone "$s" || fail "still there after the open data closed"
ok "data open before the command: ends at its close"

# A listener ends when the accept file that took its connection closes;
# the accepted socket is not ephemeral.
l=$(net_ctl "listen 127.0.0.1!0")
read -r _ lport < "$N/$l/sockname"
echo ephemeral > "$N/$l/ctl"
bg python3 -c '
import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
time.sleep(30)' "$lport"
read -r c < "$N/$l/accept" || fail "accept"
gone "$l" || fail "listener still there after accept closed"
[ -d "$N/$c" ] || fail "the accepted socket went with it"
ok "listener: ends after read < accept; $c stays"
