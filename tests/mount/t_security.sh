#!/bin/bash
# Security (netfs(7) SECURITY): every call netfs makes for a user runs as
# that user, and no user can stop the daemon for the others. Each case
# makes the same call directly, as the same user (direct.py), and passes
# only when netfs grants no more than that. The users are nobody and one
# the test creates (and removes at exit).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
command -v setpriv >/dev/null || { echo "skip: no setpriv"; exit 77; }
command -v useradd >/dev/null || { echo "skip: no useradd"; exit 77; }
chmod 755 "$T"		# the users must reach the mount point
U2=netfs-t$$
useradd --system --no-create-home --shell /usr/sbin/nologin "$U2" ||
	fail "cannot create a user"
trap 'st=$?; userdel "$U2" 2>/dev/null; (exit $st); cleanup' EXIT
NB=65534
U2ID=$(id -u "$U2")
U2GID=$(id -g "$U2")
# The users run the system's python3 (root's may be a private install)
# and a copy of direct.py they can read.
cp "$HERE/direct.py" "$T/direct.py"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
DIRECT="$PY $T/direct.py"
mount_netfs -o allow_other

# as_u USER CMD...: runs the program CMD as the user (its own group, no
# others); a program, so that `bounded` can run it too.
as_u() {
	local u=$1
	shift
	setpriv --reuid="$u" --regid="$(id -g "$u")" --clear-groups -- "$@"
}
# same WHAT NETFS DIRECT: the two answers agree.
same() {
	[ "$2" = "$3" ] || fail "$1: through netfs '$2', directly '$3'"
}
mkdir -m 755 "$T/pub"

# 1. A unix path inside the mount: the call waits on a worker, not on the
# loop thread, and gets the kernel's answer; the mount stays usable.
as_u $NB mkdir "$N/f1"
# Valgrind runs one thread at a time and does not let go during bind(2),
# which it takes for a call that never blocks: a bind whose path lookup
# waits on this same daemon would hold the loop thread out (only there).
cmds=("connect $N/none/y")
case ${NETFS_WRAPPER:-} in *valgrind*) ;; *) cmds+=("bind $N/s") ;; esac
for cmd in "${cmds[@]}"; do
	got=$(bounded 10 setpriv --reuid=$NB --regid=$NB --clear-groups -- $DIRECT write "$N/f1/ctl" "$cmd")
	[ $? = 124 ] && fail "'$cmd' through netfs hung"
	want=$(as_u $NB $DIRECT "${cmd%% *}" "${cmd#* }" 2>&1)
	same "$cmd" "$got" "$want"
	bounded 5 ls "$N" > /dev/null || fail "the mount froze after '$cmd'"
done
d=$(as_u $NB $DIRECT ctl "$N" "socket unix dgram")
got=$(bounded 10 setpriv --reuid=$NB --regid=$NB --clear-groups -- $DIRECT write "$N/$d/sendto" "$N/none/y\nhi")
[ $? = 124 ] && fail "sendto a path in the mount hung"
same "sendto $N/none/y" "$got" "$(as_u $NB $DIRECT sendto "$N/none/y")"
bounded 5 ls "$N" > /dev/null || fail "the mount froze after sendto"
ok "paths inside the mount: the kernel's answer ($got), the daemon free"

# 2. A datagram to a socket in root's 0700 directory.
mkdir -m 700 "$T/priv"
bg $DIRECT creds "$T/priv/r.sock" 1 10 > "$T/priv.out"
wait_file "$T/priv.out"
want=$(as_u $NB $DIRECT sendto "$T/priv/r.sock")
got=$(as_u $NB $DIRECT write "$N/$d/sendto" "$T/priv/r.sock\nhi")
same "sendto into a 0700 directory" "$got" "$want"
[ "$want" = EACCES ] || fail "the direct call was not refused: $want"
ok "sendto into root's 0700 directory: $got, as directly"

# 3. The credentials a unix peer sees (SO_PASSCRED): the sender's, on a
# datagram to a path, a connected datagram socket and a stream.
bg $DIRECT creds "$T/pub/c.sock" 2 10 > "$T/creds.out"
wait_file "$T/creds.out"
got=$(as_u $NB $DIRECT write "$N/$d/sendto" "$T/pub/c.sock\nhi")
[ "$got" = ok ] || fail "sendto as nobody: $got"
c=$(as_u "$U2" $DIRECT ctl "$N" "connect unix!$T/pub/c.sock type=dgram")
case $c in error*) c=$(as_u "$U2" $DIRECT ctl "$N" "socket unix dgram")
	as_u "$U2" $DIRECT write "$N/$c/ctl" "connect $T/pub/c.sock" >/dev/null ;; esac
got=$(as_u "$U2" $DIRECT write "$N/$c/data" "hi")
[ "$got" = ok ] || fail "connected send as $U2: $got"
for i in $(seq 1 50); do
	[ "$(wc -l < "$T/creds.out")" -ge 3 ] && break
	sleep 0.1
done
same "credentials of 2 datagrams" "$(tail -n +2 "$T/creds.out" | tr '\n' ' ')" \
	"$NB $NB $U2ID $U2GID "
bg $DIRECT streamcreds "$T/pub/s.sock" 1 10 > "$T/screds.out"
wait_file "$T/screds.out"
s=$(as_u $NB $DIRECT ctl "$N" "connect unix!$T/pub/s.sock")
as_u $NB $DIRECT write "$N/$s/data" "hi" > /dev/null
for i in $(seq 1 50); do
	[ "$(wc -l < "$T/screds.out")" -ge 2 ] && break
	sleep 0.1
done
same "credentials on a stream" "$(sed -n 2p "$T/screds.out")" "$NB $NB"
ok "unix peers see the sender's uid and gid, not root's"

# 4. A listener made through netfs: SO_PEERCRED names its user; the socket
# file is the user's, with the user's umask, as a direct bind makes it.
l=$(as_u $NB $DIRECT ctl "$N" "listen unix!@netfs-sec-$$")
case $l in error*) fail "listen as nobody: $l" ;; esac
same "SO_PEERCRED of an abstract listener" \
	"$($DIRECT peercred "@netfs-sec-$$")" "$NB $NB"
mkdir -m 777 "$T/pub/u2"
l2=$(as_u "$U2" bash -c "umask 027; $DIRECT ctl '$N' 'listen unix!$T/pub/u2/l.sock'")
case $l2 in error*) fail "listen as $U2: $l2" ;; esac
same "SO_PEERCRED of a path listener" "$($DIRECT peercred "$T/pub/u2/l.sock")" \
	"$U2ID $U2GID"
same "the socket file's mode and owner" "$(stat -c '%a %u' "$T/pub/u2/l.sock")" \
	"$(as_u "$U2" bash -c "umask 027; $DIRECT mode '$T/pub/u2/d.sock'")"
ok "listeners claim their user (SO_PEERCRED, owner, umask), not root"

# 5. getsockopt on NAME/ctl: as the user, and never a descriptor left in
# the daemon.
# A connected unix socket (one end of a pair) has a peer pidfd to give.
pair=$(as_u $NB $DIRECT ctl "$N" "socketpair unix stream")
g=${pair%% *}
fds_before=$(ls /proc/$NETFS_PID/fd | wc -l)
for i in $(seq 1 20); do
	got=$(as_u $NB $DIRECT write "$N/$g/ctl" "getsockopt SOL_SOCKET 77")
done
fds_after=$(ls /proc/$NETFS_PID/fd | wc -l)
[ "$fds_after" -le "$fds_before" ] ||
	fail "SO_PEERPIDFD left $((fds_after - fds_before)) descriptors in netfs"
[ "$got" = EOPNOTSUPP ] || [ "$got" = ENOTSUP ] || fail "SO_PEERPIDFD through netfs: $got"
# IPT_SO_GET_INFO (IPPROTO_IP 64) needs CAP_NET_ADMIN.
g=$(as_u $NB $DIRECT ctl "$N" "socket inet stream")
same "a CAP_NET_ADMIN getsockopt" \
	"$(as_u $NB $DIRECT write "$N/$g/ctl" "getsockopt 0 64 84")" \
	"$(as_u $NB $DIRECT getsockopt 0 64)"
ok "getsockopt as the user; SO_PEERPIDFD refused, no descriptor kept"

# 7. Memory held for a user: unread replies stop at a cap with ENOBUFS
# until read; a write-only file keeps none, so write-only floods leave the
# daemon's size alone.
m=$(as_u $NB $DIRECT ctl "$N" "socket inet stream")
capped=$(as_u $NB $DIRECT replies "$N/$m/ctl" 5000 "getsockopt 6 11 256")
case $capped in "ENOBUFS "*"
ok") ;; *) fail "unread replies: $capped" ;; esac
rss() { awk '/^VmRSS/ { print $2 }' /proc/$NETFS_PID/status; }
rss0=$(rss)
line="getsockopt 6 11 256\n"
got=$(as_u $NB $DIRECT flood "$N/$m/ctl" "$(printf "$line%.0s" $(seq 1 4000))" 16 \
	$NETFS_PID)
[ "${got%%$'\n'*}" = ok ] || fail "write-only ctl writes: $got"
rss1=${got##*$'\n'}
[ $((rss1 - rss0)) -lt 16384 ] ||
	fail "16 write-only ctl files grew netfs from $rss0 to $rss1 kB"
ok "unread replies capped (${capped%%$'\n'*} lines), write-only files keep none (RSS $rss0 -> $rss1 kB)"

# 8. Ownership is not borrowed: mkdir of a name another user made fails
# as mkdir(2) does, and the README's pattern stops there.
as_u $NB mkdir "$N/squat"
as_u $NB chmod 777 "$N/squat"
mkdir "$T/pub/dir"
same "mkdir of an existing name" "$(mkdir "$N/squat" 2>&1 | sed 's/.*: //')" \
	"$(mkdir "$T/pub/dir" 2>&1 | sed 's/.*: //')"
bash -c "mkdir '$N/squat' 2>/dev/null || exit 1; echo 'bind * 0' > '$N/squat/ctl'" &&
	fail "the README pattern adopted another user's socket"
[ "$(cat "$N/squat/state" 2>/dev/null || echo idle)" != bound ] ||
	fail "the squatted socket was bound"
ok "another user's name is not adopted (mkdir: File exists)"

# 9. The small ones. A ctl write longer than FUSE's 1 MiB pieces: no
# command is cut in two.
b=$(as_u $NB $DIRECT ctl "$N" "socket inet stream")
got=$(as_u $NB $DIRECT bigwrite "$N/$b/ctl" "setsockopt SOL_SOCKET SO_KEEPALIVE 1" 40000)
[ "$got" = ok ] || fail "a 1.4 MB ctl write: $got, $(cat "$N/$b/error")"
[ -z "$(cat "$N/$b/error")" ] || fail "a cut command: $(cat "$N/$b/error")"
# symlink and link: EPERM, as mknod and rename.
same "symlink" "$(ln -s x "$N/y" 2>&1 | sed 's/.*: //')" "Operation not permitted"
# A name with a newline cannot forge a log line; failures flood no log.
as_u $NB cat "$N/resolve/x$(printf '\n')netfs: FORGED" 2>/dev/null
grep -q "^netfs: FORGED" "$T/netfs.log" && fail "a user forged a log line"
for i in $(seq 1 200); do
	cat "$N/resolve/bad@name$i" 2>/dev/null
done
sleep 1.1
cat "$N/resolve/bad@last" 2>/dev/null
logged=$(grep -c "bad@name" "$T/netfs.log")
[ "$logged" -lt 100 ] || fail "200 failed lookups logged $logged lines"
grep -q "messages suppressed" "$T/netfs.log" || fail "no word of suppressed lines"
ok "ctl lines survive split writes; symlink EPERM; logs escaped, $logged of 200 lines"

# Descriptor caps two users cannot exhaust together: with 400 descriptors
# each user gets a quarter of what netfs does not keep, and lookups still
# work when both are at their caps.
if [ -z "${NETFS_WRAPPER:-}" ]; then
	unmount_netfs || fail "unmount"
	NETFS_WRAPPER="prlimit --nofile=400:400" mount_netfs -o allow_other
	for u in $NB "$U2"; do
		got=$(as_u "$u" $DIRECT fill "$N")
		case $got in *EMFILE*) ;; *) fail "$u at the cap: $got" ;; esac
	done
	grep -q "^inet" "$N/resolve/localhost" 2>/dev/null ||
		grep -q . "$N/resolve/localhost" || fail "lookups failed with two users at their caps"
	ok "two users at their socket caps ($got) leave netfs room for lookups"
fi
