#!/bin/bash
# The module-level files of the reference: constants with the system's
# values (compared with Python's socket module, built on the same C
# headers), has_ipv6, and defaulttimeout, which sockets made afterwards
# start with (and -o timeout= sets at mount).
. "$(dirname "$0")/lib.sh"
mount_netfs -o timeout=2.5

python3 - "$N" <<'PY' || fail "constants"
import socket, sys
net = sys.argv[1]
lines = open(f"{net}/constants").read().splitlines()
consts = {}
for l in lines:
    name, value = l.split(" ")
    assert name not in consts, f"{name} twice"
    consts[name] = int(value)
assert len(consts) >= 150, len(consts)
for name in ("SO_REUSEADDR", "AF_INET6", "SOMAXCONN", "MSG_PEEK",
             "EAI_NONAME", "SOL_SOCKET", "IPPROTO_TCP", "INADDR_ANY",
             "IPPORT_RESERVED", "IP_TTL", "IPV6_V6ONLY", "AI_PASSIVE",
             "NI_NUMERICHOST", "TCP_NODELAY", "SCM_RIGHTS", "SHUT_RDWR",
             "SOCK_STREAM"):
    assert consts[name] == int(getattr(socket, name)), name
both = [n for n in consts if hasattr(socket, n)]
bad = [n for n in both if int(getattr(socket, n)) != consts[n]]
assert not bad, bad
families = {n.split("_")[0] for n in consts}
for f in ("AF", "SOCK", "SO", "SOL", "MSG", "IPPROTO", "IPPORT", "INADDR",
          "IP", "IPV6", "EAI", "AI", "NI", "TCP", "SCM", "SHUT", "SOMAXCONN"):
    assert f in families, f
print(f"{len(consts)} constants; the {len(both)} that Python's socket "
      "module also has agree with it")
PY
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
