#!/bin/bash
# The module-level files of the reference: constants with the system's
# values (compared with Python's socket module, built on the same C
# headers), has_ipv6, and defaulttimeout, which sockets made afterwards
# start with (and -o timeout= sets at mount).
. "$(dirname "$0")/lib.sh"
mount_netfs -o timeout=2.5

python3 "$HERE/t_constants.py" constants "$N" || fail "constants"
ok "constants: the system's values"

want=0
python3 -c 'import socket; socket.socket(socket.AF_INET6).close()' 2>/dev/null && want=1
[ "$(cat "$N/has_ipv6")" = "$want" ] || fail "has_ipv6: $(cat "$N/has_ipv6"), want $want"
ok "has_ipv6 $want"

[ "$(cat "$N/defaulttimeout")" = 2.5 ] || fail "-o timeout: $(cat "$N/defaulttimeout")"
a=$(net_ctl "socket")
[ "$(cat "$N/$a/timeout")" = 2.5 ] || fail "new socket: $(cat "$N/$a/timeout")"
echo 0.25 > "$N/defaulttimeout" || fail "set defaulttimeout"
[ "$(cat "$N/defaulttimeout")" = 0.25 ] || fail "read back"
b=$(net_ctl "socket inet dgram")
[ "$(cat "$N/$b/timeout")" = 0.25 ] || fail "after setdefaulttimeout: $(cat "$N/$b/timeout")"
[ "$(cat "$N/$a/timeout")" = 2.5 ] || fail "an older socket changed"
mkdir "$N/named"
[ "$(cat "$N/named/timeout")" = 0.25 ] || fail "mkdir'd socket"
echo none > "$N/defaulttimeout"
c=$(net_ctl "socket")
[ "$(cat "$N/$c/timeout")" = none ] || fail "none"
echo soon > "$N/defaulttimeout" 2>/dev/null && fail "took 'soon'"
[ "$(cat "$N/defaulttimeout")" = none ] || fail "a bad value changed it"
ok "defaulttimeout applies to sockets made afterwards"
