#!/bin/bash
# What the kernel may keep of the tree, and what it must ask again:
# a socket's files keep their names once its type is known (a second
# listing of the directory makes no lookup of its files), never before
# (accept disappears when the socket turns out to be a datagram one), and
# never a socket's own name: a closed socket is gone for every later
# operation, by its path and from a shell whose working directory is in it.
. "$(dirname "$0")/lib.sh"
mount_netfs -d

# Lookups the daemon answered for NAME under any directory, so far.
lookups() {
	grep -c "LOOKUP (1), nodeid: $1," "$T/netfs.log"
}

# lookups_by DIR CMD...: the lookups under directory inode DIR that CMD
# made (the sleeps are not measures: the log lines of the last replies).
lookups_by() {
	local dir=$1 before after
	shift
	sleep 0.2
	before=$(lookups "$dir")
	"$@" > /dev/null || fail "$*"
	sleep 0.2
	after=$(lookups "$dir")
	echo $((after - before))
}

# Before the type is known everything shows, and nothing is kept.
mkdir "$N/u"
[ -e "$N/u/accept" ] || fail "accept before the type is known"
ino=$(stat -c %i "$N/u")
echo "socket inet dgram" > "$N/u/ctl" || fail "socket dgram"
[ ! -e "$N/u/accept" ] || fail "accept kept after the type said datagram"
[ -e "$N/u/recvfrom" ] || fail "recvfrom on a datagram socket"
ok "names a socket's type may hide are asked for until it is known"

# Once known, a second ls -l makes no lookup under the socket.
mkdir "$N/s"
echo "socket inet stream" > "$N/s/ctl" || fail "socket"
echo "bind 127.0.0.1 0" > "$N/s/ctl" || fail "bind"
sino=$(stat -c %i "$N/s")
ls -l "$N/s" > /dev/null || fail "ls -l"
[ "$(lookups "$sino")" -gt 0 ] || fail "no lookup under the socket in the log"
n=$(lookups_by "$sino" ls -l "$N/s")
[ "$n" = 0 ] || fail "a second ls -l looked up $n names again"
ok "a socket's files keep their names once its type is known"

# A listing carries the attributes of what the kernel may keep: ls -l of
# a socket whose type is known looks up none of its files, even the
# first time, and ls -l of system/tcp none of the host's sockets.
mkdir "$N/p"
echo "socket inet stream" > "$N/p/ctl" || fail "socket p"
pino=$(stat -c %i "$N/p")
n=$(lookups_by "$pino" ls -l "$N/p")
[ "$n" = 0 ] || fail "the first ls -l looked up $n files"
echo close > "$N/p/ctl"
tino=$(stat -c %i "$N/system/tcp")
total=$(ls "$N/system/tcp" | wc -l)
[ "$total" -gt 0 ] || fail "system/tcp lists no socket (s is bound)"
n=$(lookups_by "$tino" ls -l "$N/system/tcp")
[ "$n" = 0 ] || fail "ls -l of $total sockets looked up $n of them"
ok "a listing's entries come with their attributes"

# The socket's own name is asked for every time: gone once closed.
read -r addr port < "$N/s/sockname"
[ "$addr" = 127.0.0.1 ] || fail "sockname: $addr"
(
	cd "$N/s" || exit 1
	cat sockname > /dev/null || exit 1
	echo close > ctl || exit 1
	if stat -c %s sockname 2>/dev/null; then
		echo "stat of sockname from within a closed socket" >&2
		exit 1
	fi
	if cat sockname 2>/dev/null; then
		echo "read of sockname from within a closed socket" >&2
		exit 1
	fi
	exit 0
) || fail "a closed socket's files, from its own directory"
[ ! -e "$N/s" ] || fail "a closed socket by its path"
[ ! -e "$N/s/sockname" ] || fail "a closed socket's file by its path"
ls "$N" | grep -qx s && fail "a closed socket listed"
ok "a closed socket is gone by its path and from within"

# The same through rmdir, with the files looked up just before.
mkdir "$N/r"
echo "socket inet stream" > "$N/r/ctl" || fail "socket r"
cat "$N/r/status" "$N/r/type" > /dev/null || fail "status of r"
rmdir "$N/r" || fail "rmdir r"
[ ! -e "$N/r/status" ] || fail "status after rmdir"
ok "rmdir: the files go with the socket"
echo close > "$N/u/ctl"
[ "$ino" != "$sino" ] || fail "two sockets, one inode"
