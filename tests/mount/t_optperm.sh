#!/bin/bash
# A daemon running as root sets options as the writer: what the kernel
# refuses a user (CAP_NET_ADMIN options, priorities above 6) netfs refuses
# them too, through opt/ and through setsockopt on NAME/ctl; root may.
. "$(dirname "$0")/lib.sh"
need_nobody
mount_netfs -o allow_other

s=$(nobody_ctl socket inet stream)
case $s in [0-9]*) ;; *) fail "nobody's socket: $s" ;; esac
o=$N/$s/opt
for v in "SO_MARK 7" "SO_PRIORITY 7" "IP_TRANSPARENT 1"; do
	set -- $v
	msg=$(as_nobody bash -c "echo $2 > $o/$1" 2>&1) && fail "nobody set $1"
	case $msg in *"not permitted"*) ;; *) fail "$1: $msg" ;; esac
	grep -q '^EPERM' "$N/$s/error" || fail "$1: error $(cat "$N/$s/error")"
done
[ "$(as_nobody cat "$o/SO_MARK")" = 0 ] || fail "SO_MARK changed"
as_nobody bash -c "echo 6 > $o/SO_PRIORITY" || fail "nobody: SO_PRIORITY 6"
[ "$(as_nobody cat "$o/SO_PRIORITY")" = 6 ] || fail "SO_PRIORITY 6"
msg=$(as_nobody bash -c "echo 'setsockopt SOL_SOCKET SO_MARK 7' > $N/$s/ctl" 2>&1) &&
	fail "nobody: setsockopt SO_MARK"
case $msg in *"not permitted"*) ;; *) fail "setsockopt: $msg" ;; esac
ok "nobody: SO_MARK, SO_PRIORITY 7, IP_TRANSPARENT refused with EPERM"

r=$(net_ctl "socket inet stream")
echo 7 > "$N/$r/opt/SO_MARK" || fail "root: SO_MARK"
[ "$(cat "$N/$r/opt/SO_MARK")" = 7 ] || fail "root: SO_MARK read back"
ok "root: SO_MARK 7"
