#!/bin/bash
# Ctrl-C (SIGINT), SIGTERM and SIGKILL end a process blocked reading data
# or accept within a second, a signal that comes while the read is still
# on its way ends it too, and the socket stays usable.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer echo echo

s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
l=$(net_ctl "listen 127.0.0.1!0")
read -r _ lport < "$N/$l/sockname"

python3 "$HERE/t_interrupt.py" interrupts "$N" "$s" "$l" || fail "interrupts"
ok "blocked readers of data and accept end at once on INT, TERM, KILL"
python3 "$HERE/t_interrupt.py" signals-in-flight "$N" "$l" ||
	fail "signals in flight"
ok "readers signalled while their read is on its way end too"

grep -q '^blocked_readers 0$' "$N/$s/status" || fail "readers left parked"
grep -q '^blocked_accepts 0$' "$N/$l/status" || fail "accepts left parked"
printf ping > "$N/$s/data"
[ "$(bounded 5 dd bs=100 count=1 status=none < "$N/$s/data")" = ping ] ||
	fail "data unusable after the interrupts"
printf hi | bounded 5 socat - "TCP:127.0.0.1:$lport" &
read -r c < "$N/$l/accept" || fail "accept unusable after the interrupts"
[ "$(bounded 5 cat "$N/$c/data")" = hi ] || fail "accepted socket"
ok "data and accept still work afterwards"
