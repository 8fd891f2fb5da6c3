#!/bin/bash
# Faults: a peer's reset, half-closes, writes after the peer left, clients
# killed while blocked, many connect/close cycles and running out of
# descriptors. Every byte sent before a reset arrives; errors are the
# socket's; the daemon's descriptors and threads return to where they were.
. "$(dirname "$0")/lib.sh"
mount_netfs

fds0=$(fds)
threads0=$(threads)

# 1. Peer reset mid-stream: 3 MB while netfs reads, then RST (SO_LINGER
# 0) once the peer's send queue is empty, i.e. every byte reached netfs.
python3 "$HERE/t_faults.py" reset "$N" || fail "reset"
ok "peer reset: every byte first (sha256 equal), then ECONNRESET"

# 2. Half-close in both directions, and 3. writing after the peer left.
python3 "$HERE/t_faults.py" half-close "$N" || fail "half-close"
ok "half-close both ways; EPIPE after the peer left; the daemon lives"

# 4. 50 readers killed while blocked.
start_peer hold hold
names=()
for i in $(seq 50); do names+=("$(net_ctl "connect 127.0.0.1!$PORT_hold")"); done
pids=()
for s in "${names[@]}"; do
	cat "$N/$s/data" > /dev/null &
	pids+=($!)
done
# Succeeds when $1 sockets have a reader parked; their count in $blocked.
blocked_are() {
	blocked=$(for s in $(sockets); do cat "$N/$s/status"; done |
		  grep -c '^blocked_readers 1$')
	[ "$blocked" = "$1" ]
}
wait_until 10 blocked_are 50 || fail "only $blocked readers blocked"
kill -KILL "${pids[@]}"
wait "${pids[@]}" 2>/dev/null
wait_until 5 blocked_are 0 || fail "$blocked parked requests left after SIGKILL"
for s in "${names[@]}"; do echo close > "$N/$s/ctl"; done
ok "50 readers killed while blocked: nothing left parked"

# 5. 300 connect/close cycles.
start_peer echo echo
for i in $(seq 300); do
	s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
	echo close > "$N/$s/ctl" || fail "cycle $i"
done
ok "300 connect/close cycles"

# 6. Out of descriptors: the daemon's limit lowered below its use.
now=$(fds)
hard=$(prlimit --pid "$NETFS_PID" --nofile --noheadings --output HARD)
soft=$(prlimit --pid "$NETFS_PID" --nofile --noheadings --output SOFT)
prlimit --pid "$NETFS_PID" --nofile=$((now + 3)):"$hard" || fail "prlimit"
made=0
for i in $(seq 10); do
	r=$(net_ctl socket)
	case $r in
	error*) break ;;
	*) made=$((made + 1)); echo close > "$N/$r/ctl" ;;
	esac
done
# Sockets that stay open use the room up.
keep=()
err=
for i in $(seq 10); do
	r=$(net_ctl socket)
	case $r in error*) err=$r; break ;; esac
	keep+=("$r")
done
if [ -z "$err" ] && [ -n "${NETFS_WRAPPER:-}" ]; then
	# valgrind keeps its own RLIMIT_NOFILE for the program it runs.
	echo "skip: no EMFILE under $NETFS_WRAPPER"
	prlimit --pid "$NETFS_PID" --nofile="$soft":"$hard"
	for s in "${keep[@]}"; do echo close > "$N/$s/ctl"; done
else
	echo "out of descriptors after ${#keep[@]} sockets: $err"
	case $err in
	"error EMFILE"*) ;;
	*) fail "expected EMFILE, got: $err" ;;
	esac
	ls "$N" > /dev/null || fail "daemon unusable"
	prlimit --pid "$NETFS_PID" --nofile="$soft":"$hard" || fail "prlimit back"
	r=$(net_ctl socket)
	case $r in error*) fail "no recovery: $r" ;; esac
	for s in "${keep[@]}" "$r"; do echo close > "$N/$s/ctl"; done
	ok "EMFILE reported, then recovered"
fi

# Close what the steps above left in the tree, then count.
for s in $(sockets); do echo close > "$N/$s/ctl"; done
[ -z "$(sockets)" ] || fail "sockets left: $(sockets)"
wait_until 5 counts_are "$fds0" "$threads0"
[ "$(fds)" = "$fds0" ] || fail "descriptors: $fds0 at start, $(fds) now"
[ "$(threads)" = "$threads0" ] || fail "threads: $threads0 at start, $(threads) now"
ok "descriptors ($fds0) and threads ($threads0) back to where they were"
