#!/bin/bash
# Faults: a peer's reset, half-closes, writes after the peer left, clients
# killed while blocked, many connect/close cycles and running out of
# descriptors. Every byte sent before a reset arrives; errors are the
# socket's; the daemon's descriptors and threads return to where they were.
. "$(dirname "$0")/lib.sh"
mount_netfs

fds() { ls /proc/$NETFS_PID/fd | wc -l; }
threads() { ls /proc/$NETFS_PID/task | wc -l; }
fds0=$(fds)
threads0=$(threads)

# 1. Peer reset mid-stream: 3 MB while netfs reads, then RST (SO_LINGER
# 0) once the peer's send queue is empty, i.e. every byte reached netfs.
python3 - "$N" <<'PY' || fail "reset"
import errno, fcntl, hashlib, os, random, socket, struct, sys, termios
import threading, time
sys.path.insert(0, os.environ["HERE"])
from netfs_test import connected_pair
net = sys.argv[1]
ses, srv, name, c = connected_pair(net)
result = {}

def reader():
    h, got = hashlib.sha256(), 0
    fd = os.open(f"{net}/{name}/data", os.O_RDONLY)
    while True:
        try:
            d = os.read(fd, 65536)
        except OSError as e:
            result["err"] = e.errno
            break
        if not d:
            result["err"] = 0
            break
        h.update(d)
        got += len(d)
    result["got"], result["sha"] = got, h.hexdigest()

t = threading.Thread(target=reader)
t.start()
payload = random.Random(7).randbytes(3_000_000)
c.sendall(payload)
for _ in range(500):            # until every byte is acknowledged
    if struct.unpack("i", fcntl.ioctl(c, termios.TIOCOUTQ, b"\0" * 4))[0] == 0:
        break
    time.sleep(0.01)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()                       # RST
t.join(10)
err = result.get("err")
print(f"read {result.get('got')} bytes, then {errno.errorcode.get(err, err)}")
assert result["got"] == len(payload), result["got"]
assert result["sha"] == hashlib.sha256(payload).hexdigest()
assert err == errno.ECONNRESET, err
assert open(f"{net}/{name}/error").read().startswith("ECONNRESET")
PY
ok "peer reset: every byte first (sha256 equal), then ECONNRESET"

# 2. Half-close in both directions, and 3. writing after the peer left.
python3 - "$N" <<'PY' || fail "half-close"
import errno, os, socket, sys, time
sys.path.insert(0, os.environ["HERE"])
from netfs_test import connected_pair
net = sys.argv[1]
ses, srv, name, c = connected_pair(net)
data = os.open(f"{net}/{name}/data", os.O_RDWR)
def cmd(s):
    with open(f"{net}/{name}/ctl", "w") as f:
        f.write(s)

# netfs shuts down writing: the peer sees end of stream, still sends.
os.write(data, b"last words")
cmd("shutdown wr")
got = b""
while True:
    d = c.recv(100)
    if not d:
        break
    got += d
assert got == b"last words", got
c.sendall(b"still here")
assert os.read(data, 100) == b"still here"
try:
    os.write(data, b"x")
    sys.exit("write after shutdown wr succeeded")
except OSError as e:
    assert e.errno == errno.EPIPE, e
# The peer shuts down writing: netfs reads end of stream.
c.shutdown(socket.SHUT_WR)
assert os.read(data, 100) == b""
assert "shutdown wr" in open(f"{net}/{name}/status").read()
print("half-close both ways")

# A peer that left: the first write may go out, later ones fail EPIPE
# (or ECONNRESET), never a signal to the daemon.
name2 = ses.cmd(f"connect 127.0.0.1!{srv.getsockname()[1]}")
c2, _ = srv.accept()
c2.close()
d2 = os.open(f"{net}/{name2}/data", os.O_WRONLY)
errs = set()
for i in range(20):
    try:
        os.write(d2, b"y" * 1000)
    except OSError as e:
        errs.add(e.errno)
    time.sleep(0.01)
assert errs and errs <= {errno.EPIPE, errno.ECONNRESET}, errs
print("writes after the peer left:", sorted(errno.errorcode[e] for e in errs))
PY
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
for ((i = 0; i < 100; i++)); do
	blocked=$(for s in $(sockets); do cat "$N/$s/status"; done |
		  grep -c '^blocked_readers 1$')
	[ "$blocked" = 50 ] && break
	sleep 0.1
done
[ "$blocked" = 50 ] || fail "only $blocked readers blocked"
kill -KILL "${pids[@]}"
wait "${pids[@]}" 2>/dev/null
for ((i = 0; i < 50; i++)); do
	blocked=$(for s in $(sockets); do cat "$N/$s/status"; done |
		  grep -c '^blocked_readers 1$')
	[ "$blocked" = 0 ] && break
	sleep 0.1
done
[ "$blocked" = 0 ] || fail "$blocked parked requests left after SIGKILL"
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
for ((i = 0; i < 50; i++)); do
	[ "$(fds)" = "$fds0" ] && [ "$(threads)" = "$threads0" ] && break
	sleep 0.1
done
[ "$(fds)" = "$fds0" ] || fail "descriptors: $fds0 at start, $(fds) now"
[ "$(threads)" = "$threads0" ] || fail "threads: $threads0 at start, $(threads) now"
ok "descriptors ($fds0) and threads ($threads0) back to where they were"
