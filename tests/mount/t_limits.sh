#!/bin/bash
# One user cannot starve the others: with -o max_user_sockets=5 and
# max_user_blocked=3, nobody gets EMFILE and EAGAIN with the reason, while
# root (not capped) carries on.
. "$(dirname "$0")/lib.sh"
need_nobody
mount_netfs -o allow_other,max_user_sockets=5,max_user_blocked=3
start_peer hold hold

session() {	# COMMAND...: the reply lines of one /net/ctl session
	as_nobody /usr/bin/python3 -c '
import os, sys
sys.path.insert(0, os.environ["HERE"])
from netfs_test import Session
ses = Session(sys.argv[1])
for c in sys.argv[2:]:
    print(ses.cmd(c))
' "$N" "$@"
}

replies=$(session socket socket socket socket socket socket)
echo "$replies"
[ "$(echo "$replies" | grep -c '^[0-9]*$')" = 5 ] || fail "5 sockets for nobody"
echo "$replies" | tail -1 | grep -q "^error EMFILE.*max_user_sockets" ||
	fail "6th: $(echo "$replies" | tail -1)"
r=$(net_ctl socket)
case $r in error*) fail "root refused: $r" ;; esac
ok "the 6th socket of one user: EMFILE (-o max_user_sockets); root goes on"

# Blocked requests: three readers park, the fourth is refused at once.
for s in $(echo "$replies" | grep '^[0-9]*$'); do echo close > "$N/$s/ctl"; done
as_nobody mkdir "$N/b"
as_nobody bash -c "echo 'connect 127.0.0.1!$PORT_hold' > $N/b/ctl" || fail connect
pids=()
for i in 1 2 3; do
	as_nobody cat "$N/b/data" > /dev/null 2>&1 &
	pids+=($!)
done
wait_until 5 grep -q '^blocked_readers 3$' "$N/b/status" || fail "3 readers did not park"
msg=$(as_nobody timeout 5 cat "$N/b/data" 2>&1) && fail "4th reader read"
case $msg in *"temporarily unavailable"*) ;; *) fail "4th reader: $msg" ;; esac
kill "${pids[@]}"
wait "${pids[@]}" 2>/dev/null
ok "the 4th blocked request of one user: EAGAIN (-o max_user_blocked)"
