#!/bin/bash
# The three modes of the reference: blocking (timeout none), timeout
# (ETIMEDOUT after the seconds), non-blocking (timeout 0, or O_NONBLOCK on
# the open file, also set later with fcntl): EAGAIN. And select, poll and
# epoll on data wake when the peer sends.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer echo echo

s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
[ "$(cat "$N/$s/timeout")" = none ] || fail "default timeout"

python3 - "$N/$s" <<'PY' || fail "modes"
import errno, fcntl, os, select, sys, time
d = sys.argv[1]

def set_timeout(v):
    with open(f"{d}/timeout", "w") as f:
        f.write(v)
    assert open(f"{d}/timeout").read() == v + "\n"

def read_errno(fd):
    try:
        os.read(fd, 100)
    except OSError as e:
        return e.errno
    return 0

set_timeout("0.5")
fd = os.open(f"{d}/data", os.O_RDONLY)
t0 = time.monotonic()
assert read_errno(fd) == errno.ETIMEDOUT
dt = time.monotonic() - t0
print(f"timeout 0.5: ETIMEDOUT after {dt:.3f} s")
assert 0.45 <= dt < 5, dt

set_timeout("0")
t0 = time.monotonic()
assert read_errno(fd) == errno.EAGAIN
print(f"timeout 0: EAGAIN after {(time.monotonic()-t0)*1000:.2f} ms")
os.close(fd)

set_timeout("none")
fd = os.open(f"{d}/data", os.O_RDONLY | os.O_NONBLOCK)
assert read_errno(fd) == errno.EAGAIN
os.close(fd)
print("O_NONBLOCK at open: EAGAIN")

fd = os.open(f"{d}/data", os.O_RDWR)
fl = fcntl.fcntl(fd, fcntl.F_GETFL)
fcntl.fcntl(fd, fcntl.F_SETFL, fl | os.O_NONBLOCK)
assert read_errno(fd) == errno.EAGAIN
print("O_NONBLOCK by fcntl: EAGAIN")
fcntl.fcntl(fd, fcntl.F_SETFL, fl)

# select: not readable while nothing came; readable once the peer sends.
r, _, _ = select.select([fd], [], [], 0.2)
assert r == [], "readable before the peer sent"
w = os.open(f"{d}/data", os.O_WRONLY)
os.write(w, b"ping")
r, _, _ = select.select([fd], [], [], 5)
assert r == [fd], "select did not wake"
assert os.read(fd, 100) == b"ping"
print("select wakes when the peer sends")

p = select.poll()
p.register(fd, select.POLLIN)
assert p.poll(200) == []
os.write(w, b"pong")
ev = p.poll(5000)
assert ev and ev[0][1] & select.POLLIN, ev
assert os.read(fd, 100) == b"pong"
print("poll wakes when the peer sends")

ep = select.epoll()
ep.register(fd, select.EPOLLIN | select.EPOLLET)
assert ep.poll(0.2) == []
os.write(w, b"again")
ev = ep.poll(5)
assert ev and ev[0][1] & select.EPOLLIN, ev
assert os.read(fd, 100) == b"again"
# Edge triggered: a second message is a second edge.
os.write(w, b"more")
ev = ep.poll(5)
assert ev and ev[0][1] & select.EPOLLIN, ev
assert os.read(fd, 100) == b"more"
print("epoll (edge triggered) wakes when the peer sends")
os.close(w)
os.close(fd)
PY
ok "blocking, timeout and non-blocking modes; select, poll, epoll"

# accept in the same three modes
l=$(net_ctl "listen 127.0.0.1!0")
echo 0.3 > "$N/$l/timeout"
msg=$(bounded 5 cat "$N/$l/accept" 2>&1) && fail "accept returned: $msg"
case $msg in *"timed out"*) ;; *) fail "accept: $msg" ;; esac
echo 0 > "$N/$l/timeout"
msg=$(bounded 5 cat "$N/$l/accept" 2>&1) && fail "accept returned: $msg"
case $msg in *"temporarily unavailable"*) ;; *) fail "accept: $msg" ;; esac
ok "accept: ETIMEDOUT and EAGAIN"

# Bad values are refused with a reason.
echo soon > "$N/$s/timeout" 2>/dev/null && fail "took 'soon'"
grep -q "EINVAL" "$N/$s/error" || fail "no error text"
ok "bad timeout refused: $(cat "$N/$s/error")"
