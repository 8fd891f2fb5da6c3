#!/bin/bash
# Socket options as files. For every kind of socket, NAME/opt/ lists what
# applies and nothing else; every writable option of the table (read from
# `netfs --list`) round-trips through its file, and what the files say is
# what the kernel says for that very socket: the test takes a copy of
# netfs's descriptors (pidfd_getfd) and asks getsockopt itself. Then
# ss(8) for keepalive, the doubled SO_RCVBUF, the congestion algorithm and
# the bound device; /proc/net/igmp{,6} for memberships; the reference's
# SO_REUSEADDR example; bad values, unknown names, read-only and
# write-only files; getsockopt/setsockopt on NAME/ctl.
. "$(dirname "$0")/lib.sh"
mount_netfs

python3 "$HERE/t_opt.py" options "$N" "$NETFS" "$NETFS_PID" "$T" || fail "options"
ok "options: listing, round trips, the kernel's view, errors, the escape hatch"

# The reference's SO_REUSEADDR example: a server closes with a connection
# in TIME-WAIT and a new one binds the same port at once.
python3 "$HERE/t_opt.py" reuseaddr "$N" || fail "SO_REUSEADDR"
ok "SO_REUSEADDR: rebind at once over TIME-WAIT"
