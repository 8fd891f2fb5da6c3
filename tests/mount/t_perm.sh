#!/bin/bash
# Permissions under -o allow_other: the root is 1777 (anyone creates, only
# owners remove), a socket and its files belong to their creator, 0700 and
# 0600, and the owner opens them to others with chmod. Another user is
# `nobody`, run through setpriv.
. "$(dirname "$0")/lib.sh"
need_nobody
mount_netfs -o "allow_other${PERM_OPTS:-}"
start_peer echo echo

# expect_fail TEXT CMD...: the command fails and says TEXT.
expect_fail() {
	local want=$1 msg
	shift
	msg=$("$@" 2>&1) && fail "'$*' succeeded"
	case $msg in *"$want"*) ;; *) fail "'$*': $msg" ;; esac
}

mkdir "$N/mine"
echo "connect 127.0.0.1 $PORT_echo" > "$N/mine/ctl" || fail "root connect"
[ "$(stat -c '%a %U' "$N/mine")" = "700 root" ] || fail "dir mode/owner"
[ "$(stat -c '%a %U' "$N/mine/data")" = "600 root" ] || fail "file mode"

as_nobody ls "$N" > /dev/null || fail "nobody cannot list the root"
expect_fail "Permission denied" as_nobody cat "$N/mine/status"
expect_fail "Permission denied" as_nobody bash -c "echo close > $N/mine/ctl"
expect_fail "Permission denied" as_nobody ls "$N/mine"
expect_fail "Operation not permitted" as_nobody rmdir "$N/mine"
expect_fail "Operation not permitted" as_nobody chmod 777 "$N/mine"
[ -d "$N/mine" ] || fail "nobody closed root's socket"
ok "another user can neither read, write, list nor close a socket"

# nobody makes and uses its own socket.
as_nobody mkdir "$N/theirs" || fail "nobody mkdir"
[ "$(stat -c %U "$N/theirs")" = nobody ] || fail "owner of theirs"
as_nobody bash -c "echo 'connect 127.0.0.1 $PORT_echo' > $N/theirs/ctl" ||
	fail "nobody connect"
as_nobody bash -c "printf hi > $N/theirs/data" || fail "nobody send"
[ "$(as_nobody timeout 5 head -c 2 "$N/theirs/data")" = hi ] || fail "echo"
s=$(nobody_ctl socket)
[ "$(stat -c %U "$N/$s")" = nobody ] || fail "/net/ctl socket owner"
ok "a user makes and uses their own sockets"

# Root may do anything to nobody's socket; nobody only to its own.
cat "$N/theirs/status" > /dev/null || fail "root reads"

# The owner opens a socket to others: chmod of the directory, of a file.
chmod 755 "$N/mine"
as_nobody cat "$N/mine/status" > /dev/null || fail "status after chmod 755"
# 755 lets others read every file that only shows (status, peername...)
# and write none; it grants no read of data, accept or recvfrom, which
# would take the owner's bytes and connections: only a chmod of that file
# itself does.
[ "$(stat -c %a "$N/mine/data")" = 600 ] || fail "data after 755"
[ "$(stat -c %a "$N/mine/accept")" = 400 ] || fail "accept after 755"
expect_fail "Permission denied" as_nobody bash -c "timeout 2 cat $N/mine/data"
expect_fail "Permission denied" as_nobody bash -c "printf x > $N/mine/data"
[ "$(stat -c %a "$N/mine/peername")" = 444 ] || fail "peername after 755"
chmod 666 "$N/mine/data"
[ "$(stat -c %a "$N/mine/data")" = 666 ] || fail "data mode"
as_nobody bash -c "printf yo > $N/mine/data" || fail "nobody writes data"
[ "$(bounded 5 head -c 2 "$N/mine/data")" = yo ] || fail "echo of yo"
chmod 666 "$N/mine/peername"
[ "$(stat -c %a "$N/mine/peername")" = 444 ] || fail "a read-only file became writable"
expect_fail "Permission denied" as_nobody bash -c "echo close > $N/mine/ctl"
chmod 700 "$N/mine"
expect_fail "Permission denied" as_nobody cat "$N/mine/status"
ok "chmod of the directory and of single files"

# chown: the group by the owner, the owner by root only.
chown nobody "$N/mine" || fail "root chown"
[ "$(stat -c %U "$N/mine/data")" = nobody ] || fail "files follow the owner"
as_nobody cat "$N/mine/status" > /dev/null || fail "new owner reads"
expect_fail "Operation not permitted" as_nobody chown root "$N/mine"
ok "chown"

as_nobody rmdir "$N/theirs" || fail "nobody removes its own"
as_nobody rmdir "$N/mine" || fail "nobody removes what it owns now"
ok "owners remove their sockets"

# A root daemon acts for its caller: the kernel refuses nobody what it
# would refuse nobody directly.
as_nobody mkdir "$N/low"
expect_fail "Permission denied" as_nobody bash -c "echo 'bind 127.0.0.1 80' > $N/low/ctl"
grep -q "^EACCES" "$N/low/error" || fail "error: $(cat "$N/low/error")"
expect_fail "Operation not permitted" as_nobody bash -c "echo 'socket inet raw icmp' > $N/low/ctl"
expect_fail "Operation not permitted" as_nobody bash -c "echo 'socket packet raw' > $N/low/ctl"
expect_fail "Permission denied" as_nobody bash -c "echo 'connect 127.0.0.1!$PORT_echo source=127.0.0.1:99' > $N/ctl"
mkdir "$N/root80"
echo "bind 127.0.0.1 0" > "$N/root80/ctl" || fail "root bind"
echo "socket inet raw icmp" > "$N/ctl" || fail "root raw socket"
ok "nobody gets no low port, raw or packet socket; root does"

# Unix paths are resolved with the caller's rights: a socket in a
# directory nobody cannot search stays out of reach.
mkdir -m 700 "$T/private"
bg python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); time.sleep(60)' "$T/private/sock"
wait_until 5 test -S "$T/private/sock"
mkdir "$N/u"
echo "connect $T/private/sock" > "$N/u/ctl" || fail "root unix connect"
as_nobody mkdir "$N/nu"
expect_fail "Permission denied" as_nobody bash -c "echo 'connect $T/private/sock' > $N/nu/ctl"
# And a unix socket nobody binds is nobody's file.
mkdir -m 777 "$T/pub"
as_nobody bash -c "echo 'bind $T/pub/nobodys.sock' > $N/nu/ctl" || fail "nobody bind"
[ "$(stat -c %U "$T/pub/nobodys.sock")" = nobody ] || fail "socket file owner"
ok "unix paths: the caller's search rights, the caller's ownership"
