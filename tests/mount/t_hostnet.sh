#!/bin/bash
# Exploring the host: ipifc/ shows interfaces with their addresses, and in
# namespaces the test makes (a veth pair between two of them) the new
# interfaces, addresses, route and neighbour appear; system/ shows every
# socket of the host, including one made outside netfs.
. "$(dirname "$0")/lib.sh"
mount_netfs

grep -qx "127.0.0.1/8" "$N/ipifc/lo/addr" || fail "lo addr: $(cat "$N/ipifc/lo/addr")"
grep -qx "::1/128" "$N/ipifc/lo/addr" || fail "lo addr: no ::1/128"
grep -qw LOOPBACK "$N/ipifc/lo/flags" || fail "lo flags"
[ "$(cat "$N/ipifc/lo/index")" = 1 ] || fail "lo index"
grep -q "^rx_bytes [0-9]" "$N/ipifc/lo/stats" || fail "lo stats"
ls "$N/ipifc" | grep -qx lo || fail "ls ipifc"
cat "$N/ipifc/nosuch0/mtu" 2>/dev/null && fail "a missing interface"
ok "ipifc/lo: 127.0.0.1/8 and ::1/128"

# A connection made outside netfs appears in system/tcp.
python3 "$HERE/t_hostnet.py" system "$N" || fail "system/tcp"
ok "system/tcp and system/unix show sockets made outside netfs"

# Namespaces of our own: A and B joined by a veth pair.
if ! command -v ip >/dev/null || ! ip netns add "nfa$$" 2>/dev/null; then
	echo "skip: cannot make network namespaces"
	exit 0
fi
ip netns add "nfb$$"
trap 'ip netns del nfa$$; ip netns del nfb$$; cleanup' EXIT
ip link add va type veth peer name vb
ip link set va netns "nfa$$"
ip link set vb netns "nfb$$"
ip -n "nfa$$" addr add 10.231.0.1/24 dev va
ip -n "nfb$$" addr add 10.231.0.2/24 dev vb
ip -n "nfa$$" link set va up
ip -n "nfb$$" link set vb up
ip -n "nfa$$" link set lo up
ip -n "nfa$$" route add 10.231.7.0/24 via 10.231.0.2
ip netns exec "nfa$$" ping -c 1 -W 2 10.231.0.2 > /dev/null || fail "ping across the veth"

# ip netns exec gives netfs a private mount namespace too: mount, look
# and unmount in there.
ip netns exec "nfa$$" bash -c "$(declare -f drop_foreign_mounts)"'
	set -e
	drop_foreign_mounts
	m=$(mktemp -d)
	"$NETFS" "$m"
	trap "fusermount3 -u $m; rmdir $m" EXIT
	ls "$m/ipifc" | tr "\n" " "; echo
	grep -qx 10.231.0.1/24 "$m/ipifc/va/addr"
	grep -qw UP "$m/ipifc/va/flags"
	cat "$m/iproute"
	grep -q "^10.231.7.0/24 via 10.231.0.2 dev va" "$m/iproute"
	grep -q "^10.231.0.0/24 dev va proto kernel scope link src 10.231.0.1" "$m/iproute"
	cat "$m/arp"
	grep -q "^10.231.0.2 dev va lladdr [0-9a-f:]* [A-Z]*$" "$m/arp"
' || fail "inside the namespace"
ok "in a namespace of its own: the veth, its address, the route, the neighbour"
