#!/bin/bash
# Raw ICMP from a script: an echo request written to a raw socket's data
# (connected to 127.0.0.1) or sendto, and the kernel's echo reply read
# back. On Linux a raw IPv4 socket reads whole IP packets (the header
# first) and, on loopback, sees its own request as well as the reply; a
# raw IPv6 socket reads the ICMPv6 message alone. The socket also sees
# what ping(8) sends. Unprivileged ICMP (socket inet dgram icmp) works
# only where net.ipv4.ping_group_range allows the caller's group.
. "$(dirname "$0")/lib.sh"
mount_netfs

reply=$(net_ctl "socket inet raw icmp")
case $reply in
error*EPERM*|error*EACCES*) echo "skip: no CAP_NET_RAW: $reply"; exit 77 ;;
error*) fail "raw socket: $reply" ;;
esac
echo close > "$N/$reply/ctl"

python3 "$HERE/t_raw.py" echo "$N" || fail "raw icmp"
ok "raw ICMP echo to 127.0.0.1"

# contrib/examples/ping.py: ping from a script, through files only.
out=$(NETFS_DIR=$N bounded 20 python3 "$HERE/../../contrib/examples/ping.py" 127.0.0.1 2) || fail "ping.py: $out"
echo "$out"
[ "$(grep -c '^16 bytes from 127.0.0.1: icmp_seq=[12] ttl=64 time=' <<<"$out")" = 2 ] || fail "ping.py said: $out"
ok "contrib/examples/ping.py pings 127.0.0.1"

# The reference's raw-socket example on Linux terms: IP_HDRINCL set
# through opt/, an IPv4 header written by the script itself, and the echo
# reply read back with recvfrom.
python3 "$HERE/t_raw.py" hdrincl "$N" || fail "IP_HDRINCL"
ok "IP_HDRINCL through opt/, the header written by the script"
