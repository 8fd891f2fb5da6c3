#!/bin/bash
# The three modes of the reference: blocking (timeout none), timeout
# (ETIMEDOUT after the seconds), non-blocking (timeout 0, or O_NONBLOCK on
# the open file, also set later with fcntl): EAGAIN. And select, poll and
# epoll on data wake when the peer sends.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer echo echo

s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
[ "$(cat "$N/$s/timeout")" = none ] || fail "default timeout"

python3 "$HERE/t_timeout.py" modes "$N/$s" || fail "modes"
ok "blocking, timeout and non-blocking modes; select, poll, epoll"

# accept in the same three modes
l=$(net_ctl "listen 127.0.0.1!0")
echo 0.3 > "$N/$l/timeout"
msg=$(bounded 5 cat "$N/$l/accept" 2>&1) && fail "accept returned: $msg"
case $msg in *"timed out"*) ;; *) fail "accept: $msg" ;; esac
echo 0 > "$N/$l/timeout"
msg=$(bounded 5 cat "$N/$l/accept" 2>&1) && fail "accept returned: $msg"
case $msg in *"temporarily unavailable"*) ;; *) fail "accept: $msg" ;; esac
ok "accept: ETIMEDOUT and EAGAIN"

# Bad values are refused with a reason.
echo soon > "$N/$s/timeout" 2>/dev/null && fail "took 'soon'"
grep -q "EINVAL" "$N/$s/error" || fail "no error text"
ok "bad timeout refused: $(cat "$N/$s/error")"
