#!/bin/bash
# Abandoned sockets: with -o idle=SECONDS (or `idle SECONDS` on NAME/ctl)
# a socket that has had no file open for that long is closed, and its
# connection with it: nothing is left in CLOSE-WAIT after the peer hangs
# up. An open file, or a connect still going on, keeps it.
. "$(dirname "$0")/lib.sh"
mount_netfs -o idle=1
start_peer echo echo
start_peer hold hold

gone_within() {	# NAME SECONDS: the socket's directory goes in time
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		[ -e "$N/$1" ] || return 0
		sleep 0.05
	done
	return 1
}

# Made through /net/ctl and never opened: gone after a second.
s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
grep -qx 'idle 1' "$N/$s/status" || fail "status: $(cat "$N/$s/status")"
gone_within "$s" 3 || fail "never opened, still there"
ok "a socket nobody opens closes after -o idle=1"

# An open file keeps it; its last close starts the count again.
s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
exec 5<"$N/$s/data"
sleep 1.5
[ -d "$N/$s" ] || fail "closed while data was open"
exec 5<&-
gone_within "$s" 3 || fail "still there a second after the last close"
ok "open files keep it; idle counts from the last close"

# Per socket: none keeps it, a shorter time ends it sooner.
s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
echo "idle none" > "$N/$s/ctl" || fail "idle none"
sleep 1.5
[ -d "$N/$s" ] || fail "idle none did not keep it"
echo "idle 0" > "$N/$s/ctl" 2>/dev/null && fail "idle 0 taken"
grep -q '^EINVAL' "$N/$s/error" || fail "error: $(cat "$N/$s/error")"
echo "idle 0.2" > "$N/$s/ctl" || fail "idle 0.2"
gone_within "$s" 1 || fail "idle 0.2: still there"
ok "idle none, idle 0.2 on NAME/ctl; idle 0 refused"

# A listener waits with no file open (a server loop serving a client).
l=$(net_ctl "listen 127.0.0.1!0")
sleep 1.5
[ -d "$N/$l" ] || fail "the listener went"
echo close > "$N/$l/ctl"
ok "listeners are not idle"

# A connect that takes longer than the idle time is not cut short: it
# waits for a listener whose accept queue is full (Linux drops the SYNs)
# and ends with its own timeout.
python3 "$HERE/t_idle.py" slow-connect "$N" || fail "slow connect"

# The peer hangs up; nobody closes the socket: no CLOSE-WAIT after idle.
s=$(net_ctl "connect 127.0.0.1!$PORT_hold")
read -r _ sport < "$N/$s/sockname"
kill "${PIDS[1]}"	# the hold peer: its connection closes
for ((i = 0; i < 40; i++)); do
	ss -tanH state close-wait "( sport = :$sport )" | grep -q . && break
	sleep 0.05
done
ss -tanH state close-wait "( sport = :$sport )" | grep -q . ||
	fail "no CLOSE-WAIT to begin with"
gone_within "$s" 3 || fail "still there"
sleep 0.2
[ -z "$(ss -tanH state close-wait "( sport = :$sport )")" ] ||
	fail "CLOSE-WAIT left: $(ss -tan | grep ":$sport")"
ok "the peer hung up: closed after idle, no CLOSE-WAIT left"

# A bad mount option is refused with a reason.
out=$("$NETFS" -f -o idle=soon "$T/none" 2>&1) && fail "idle=soon taken"
case $out in *idle*) ;; *) fail "idle=soon: $out" ;; esac
ok "-o idle=soon refused: $out"
