# lib.sh: the frame of every mount test, sourced by tests/mount/t_*.sh.
#
# It gives the test a scratch directory $T and a fresh netfs mount $N
# (after mount_netfs), starts helpers with bg (their pids are recorded),
# and on exit stops exactly those pids, unmounts, and fails the test if
# the daemon did not exit cleanly (so sanitizer and leak reports count).
# Every wait is bounded. Tests talk only to 127.0.0.1 and ::1.
set -u

: "${NETFS:?NETFS must name the netfs binary}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export HERE		# with the tests' Python: t_NAME.py, netfs_test.py
PEER="python3 $HERE/peer.py"

if [ ! -c /dev/fuse ] || ! command -v fusermount3 >/dev/null; then
	echo "skip: no /dev/fuse or fusermount3"
	exit 77
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/netfs-test.XXXXXX")
N=$T/net
mkdir "$N"
PIDS=()
NETFS_PID=

fail() {
	echo "FAIL: $*" >&2
	if [ -s "$T/netfs.log" ]; then
		sed 's/^/  netfs.log: /' "$T/netfs.log" | tail -40 >&2
	fi
	exit 1
}

ok() {
	echo "ok - $*"
}

# Runs a helper in the background; cleanup stops it by pid.
bg() {
	"$@" &
	PIDS+=($!)
}

# Runs CMD... every 0.05 s until it succeeds, for at most $1 (whole)
# seconds; returns the status of the last try.
wait_until() {
	local i lim=$(( $1 * 20 ))
	shift
	for ((i = 1; i < lim; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	"$@"
}

# Waits (at most $2 seconds, default 10) for file $1 to be non-empty.
wait_file() {
	wait_until "${2:-10}" test -s "$1" || fail "timed out waiting for $1"
}

# Succeeds once process $1 is gone.
exited() {
	! kill -0 "$1" 2>/dev/null
}

# NETFS_WRAPPER runs the daemon under a tool, e.g. valgrind. NETFS_9P=1
# serves the same tree over 9P as well (-o 9p=unix!...), so that the suite
# shows the FUSE side unchanged with the 9P front-end running beside it.
# NETFS_URING=1 mounts with -o uring (FUSE over io_uring, where the
# kernel allows it: /sys/module/fuse/parameters/enable_uring).
mount_netfs() {
	local extra=()
	[ -n "${NETFS_9P:-}" ] && extra=(-o "9p=unix!$T/9p-$RANDOM.sock")
	[ -n "${NETFS_URING:-}" ] && extra+=(-o uring)
	${NETFS_WRAPPER:-} "$NETFS" -f "${extra[@]}" "$@" "$N" 2>>"$T/netfs.log" &
	NETFS_PID=$!
	local i
	for ((i = 0; i < 600; i++)); do
		if mountpoint -q "$N"; then
			ROOT_FILES=$(ls "$N")
			return 0
		fi
		kill -0 "$NETFS_PID" 2>/dev/null || break
		sleep 0.05
	done
	fail "netfs did not mount"
}

# Unmounts and checks that the daemon exits with status 0 within 10 s.
unmount_netfs() {
	local st=0
	# A dead daemon leaves a mount that `mountpoint` cannot stat: go by
	# the mount table.
	if grep -q " $N fuse" /proc/mounts; then
		fusermount3 -u "$N" 2>/dev/null || fusermount3 -u -z "$N"
	fi
	[ -n "$NETFS_PID" ] || return 0
	if ! wait_until 10 exited "$NETFS_PID"; then
		kill -KILL "$NETFS_PID" 2>/dev/null
		wait "$NETFS_PID" 2>/dev/null
		NETFS_PID=
		echo "FAIL: netfs did not exit after unmount" >&2
		return 1
	fi
	wait "$NETFS_PID" || st=$?
	NETFS_PID=
	if [ "$st" != 0 ]; then
		echo "FAIL: netfs exited with status $st" >&2
		sed 's/^/  netfs.log: /' "$T/netfs.log" | tail -60 >&2
		return 1
	fi
}

cleanup() {
	local st=$? p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	unmount_netfs || st=1
	rm -rf "$T"
	exit "$st"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Runs a command with a bound on its time; 124 means it hung.
bounded() {
	timeout -k 2 "$@"
}

# A peer listening on loopback: prints its port once listening.
# usage: start_peer NAME KIND [ARGS...]   (sets $PORT_<NAME>)
start_peer() {
	local name=$1
	shift
	bg $PEER "$@" --port-file "$T/port.$name"
	wait_file "$T/port.$name"
	eval "PORT_$name=\$(cat \"\$T/port.$name\")"
}

# For scripts run in a new mount namespace (unshare -m, ip netns exec):
# the namespace starts with copies of every mount, other tests' netfs
# mounts too, and a copy keeps a daemon alive after its test unmounts the
# original. Drop them (all FUSE mounts but $1) before anything else.
drop_foreign_mounts() {
	awk '$3 ~ /^fuse/ { print $2 }' /proc/self/mounts |
	while read -r m; do
		[ "$m" = "${1:-}" ] || umount -l "$m" 2>/dev/null
	done
}

# The sockets in the root: its entries but those of a fresh mount.
sockets() {
	ls "$N" | grep -vxF -f <(printf '%s\n' $ROOT_FILES)
}

# Runs one command on a /net/ctl session and prints its reply line: the
# new socket's name, or "error ..." (the write fails then, and the reply
# line says why).
net_ctl() {
	local reply fd
	exec {fd}<>"$N/ctl" || return 1
	echo "$*" >&$fd 2>/dev/null
	read -r reply <&$fd
	exec {fd}>&-
	echo "$reply"
}

# A TCP port of 127.0.0.1 that nobody listens on: bound, then closed.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The daemon's open descriptors and its threads.
fds() {
	ls "/proc/$NETFS_PID/fd" | wc -l
}
threads() {
	ls "/proc/$NETFS_PID/task" | wc -l
}
# Succeeds when the daemon holds $1 descriptors (and, given $2, threads).
counts_are() {
	[ "$(fds)" = "$1" ] && { [ -z "${2:-}" ] || [ "$(threads)" = "$2" ]; }
}

# For tests of other users' rights (run as root): skips without root or
# setpriv, and lets others reach the mount point. Mount with allow_other.
need_nobody() {
	[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
	command -v setpriv >/dev/null || { echo "skip: no setpriv"; exit 77; }
	chmod 755 "$T"
}

# Runs a command as uid and gid 65534 (nobody), without other groups.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

# net_ctl as nobody.
nobody_ctl() {
	as_nobody bash -c "$(declare -f net_ctl)"'; N=$1; shift; net_ctl "$@"' \
		_ "$N" "$@"
}
