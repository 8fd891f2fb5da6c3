#!/bin/bash
# system/ with a few hundred sockets: the daemon runs in a network
# namespace of its own (unshare -n; the mount stays in ours), so the
# sockets it shows are exactly the ones this test makes on loopback there.
# For every TCP and UDP socket, the listing and local, remote and state
# agree with ss; a socket that goes away between the listing and the read
# is ENOENT (reset, or closed into TIME-WAIT, where it is tw-COOKIE and
# not N any more), with the index fresh and with it old; names that never
# were are ENOENT.
. "$(dirname "$0")/lib.sh"

for tool in ss nsenter ip; do
	command -v $tool >/dev/null || { echo "skip: no $tool"; exit 77; }
done
unshare -n true 2>/dev/null || { echo "skip: cannot unshare -n"; exit 77; }

NETFS_WRAPPER="unshare -n ${NETFS_WRAPPER:-}" mount_netfs
NS="nsenter -t $NETFS_PID -n"
$NS ip link set lo up || fail "lo up in the daemon's namespace"

bounded 100 $NS python3 "$HERE/t_sysnet.py" system "$N" || fail "system/ against ss"
ok "system/tcp and system/udp against ss in the daemon's own namespace"
