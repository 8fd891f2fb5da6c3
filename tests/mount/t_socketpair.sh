#!/bin/bash
# socketpair on /net/ctl: two names on one reply line, connected to each
# other; unix stream (bytes), seqpacket and dgram (message boundaries
# kept), the errors of pairs the kernel does not make, and no socket left
# behind by a failed one.
. "$(dirname "$0")/lib.sh"
mount_netfs

# Default: unix stream.
exec 3<>"$N/ctl"
echo socketpair >&3
read -r a b <&3
exec 3>&-
[ -d "$N/$a" ] && [ -d "$N/$b" ] || fail "socketpair reply: $a $b"
[ "$(cat "$N/$a/family") $(cat "$N/$a/type")" = "unix stream" ] || fail "default pair type"
grep -q '^state connected$' "$N/$a/status" || fail "state: $(head -1 "$N/$a/status")"
[ "$(wc -c < "$N/$a/peername")" = 1 ] || fail "unnamed peer is an empty line"
[ ! -e "$N/$a/recvfrom" ] || fail "recvfrom on a stream"
echo "across the pair" > "$N/$a/data"
read -r -t 5 line < "$N/$b/data" || fail "nothing across"
[ "$line" = "across the pair" ] || fail "got: $line"
echo "and back" > "$N/$b/data"
read -r -t 5 line < "$N/$a/data"
[ "$line" = "and back" ] || fail "back: $line"
# Closing one end is end of file on the other.
echo close > "$N/$a/ctl"
[ "$(bounded 5 cat "$N/$b/data")" = "" ] || fail "EOF after close"
ok "socketpair: unix stream, two names, end of file"

python3 - "$N" <<'PY' || fail "seqpacket"
import errno, os, sys
sys.path.insert(0, os.environ["HERE"])
from netfs_test import Session
net = sys.argv[1]
ses = Session(net)
for kind in ("seqpacket", "dgram"):
    reply = ses.cmd(f"socketpair unix {kind}")
    a, b = reply.split()
    assert open(f"{net}/{a}/type").read() == kind + "\n"
    assert "recvfrom" in os.listdir(f"{net}/{a}")
    fa = os.open(f"{net}/{a}/data", os.O_RDWR)
    fb = os.open(f"{net}/{b}/data", os.O_RDWR)
    msgs = [b"one", b"two two", b"x" * 100000, b"three\n"]
    for m in msgs:
        assert os.write(fa, m) == len(m)
    # Each read returns one message whatever size it asks for.
    for m in msgs:
        assert os.read(fb, 1 << 20) == m
    # A small read cuts the message and the rest is gone.
    os.write(fa, b"0123456789")
    os.write(fa, b"after")
    assert os.read(fb, 4) == b"0123"
    assert os.read(fb, 100) == b"after"
    # A read bigger than FUSE's 1 MiB chunks still takes one message.
    os.write(fa, b"y" * 5000)
    os.write(fa, b"z")
    assert os.read(fb, 8 << 20) == b"y" * 5000
    assert os.read(fb, 8 << 20) == b"z"
    # Too big for the socket: EMSGSIZE, reported in error.
    try:
        os.write(fa, b"w" * (1 << 20))
        raise AssertionError("1 MiB message accepted")
    except OSError as e:
        assert e.errno == errno.EMSGSIZE, e
    assert open(f"{net}/{a}/error").read().startswith("EMSGSIZE"), \
        open(f"{net}/{a}/error").read()
    # Over 1 MiB FUSE passes a write in pieces: refused, never split.
    try:
        os.write(fa, b"w" * (3 << 20))
        raise AssertionError("3 MiB message accepted")
    except OSError as e:
        assert e.errno == errno.EMSGSIZE, e
    assert "may come in pieces" in open(f"{net}/{a}/error").read()
    os.write(fa, b"small after")
    assert os.read(fb, 100) == b"small after"
    # recvfrom on a pair: the unnamed peer is an empty line.
    os.write(fa, b"via recvfrom")
    assert os.read(os.open(f"{net}/{b}/recvfrom", os.O_RDONLY), 100) == \
        b"\nvia recvfrom"
    print(f"ok - socketpair unix {kind}: message boundaries kept")

# A full receiver: writes park, time out, and finish whole when it reads.
import time
a, b = ses.cmd("socketpair unix dgram").split()
nb = os.open(f"{net}/{a}/data", os.O_WRONLY | os.O_NONBLOCK)
fb = os.open(f"{net}/{b}/data", os.O_RDONLY)
n = 0
while n < 10000:
    try:
        os.write(nb, b"%06d" % n)
    except OSError as e:
        assert e.errno == errno.EAGAIN, e
        break
    n += 1
assert 0 < n < 10000, n
with open(f"{net}/{a}/timeout", "w") as f:
    f.write("0.3")
wa = os.open(f"{net}/{a}/data", os.O_WRONLY)
t0 = time.monotonic()
try:
    os.write(wa, b"late")
    raise AssertionError("a write to a full socket went through")
except OSError as e:
    assert e.errno == errno.ETIMEDOUT, e
assert 0.2 < time.monotonic() - t0 < 5
with open(f"{net}/{a}/timeout", "w") as f:
    f.write("none")
st = os.open(f"{net}/{a}/sendto", os.O_WRONLY)
pid = os.fork()
if pid == 0:
    # Blocks until the reader makes room; the count includes the line.
    os._exit(0 if os.write(st, b"\nparked message") == 15 else 1)
time.sleep(0.2)
for i in range(n):
    assert os.read(fb, 100) == b"%06d" % i
got = os.read(fb, 100)
assert got == b"parked message", got
assert os.waitpid(pid, 0)[1] == 0
print("ok - full receiver: EAGAIN, ETIMEDOUT, a parked message sent whole")
PY
ok "socketpair seqpacket and dgram"

# Pairs the kernel does not make: the errno, a reason, no socket left.
before=$(sockets | wc -l)
for args in "inet stream:EOPNOTSUPP" "inet6 dgram:EOPNOTSUPP" \
	    "unix rdm:ESOCKTNOSUPPORT" "bogus:EAFNOSUPPORT" \
	    "unix stream 6:EPROTONOSUPPORT" "unix stream 0 extra:EINVAL"; do
	reply=$(net_ctl "socketpair ${args%%:*}")
	case $reply in
	"error ${args##*:} "*) ;;
	*) fail "socketpair ${args%%:*}: $reply" ;;
	esac
done
reply=$(net_ctl "socketpair inet stream")
case $reply in *"only unix sockets come in pairs"*) ;; *) fail "no reason: $reply" ;; esac
[ "$(sockets | wc -l)" = "$before" ] || fail "a failed socketpair left sockets"
ok "socketpair errors: errno, reason, nothing left behind"

# SIGINT, SIGTERM and SIGKILL end a reader blocked in recvfrom at once; the
# socket stays usable.
exec 3<>"$N/ctl"; echo "socketpair unix dgram" >&3; read -r a b <&3; exec 3>&-
python3 - "$N/$b/recvfrom" <<'PY' || fail "recvfrom interrupt"
import signal, subprocess, sys, time
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
    # A shell runs background jobs with SIGINT ignored: restore it.
    p = subprocess.Popen(["cat", sys.argv[1]], stdout=subprocess.DEVNULL,
                         preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                          signal.SIG_DFL))
    time.sleep(0.3)
    assert p.poll() is None, "cat did not block"
    t0 = time.monotonic()
    p.send_signal(sig)
    try:
        p.wait(timeout=2)
    except subprocess.TimeoutExpired:
        p.kill()
        sys.exit(f"signal {sig} did not end a blocked recvfrom")
    assert time.monotonic() - t0 < 1.5
PY
printf 'still' > "$N/$a/data"
[ "$(bounded 5 dd bs=100 count=1 status=none < "$N/$b/data")" = still ] || fail "unusable after interrupt"
ok "INT, TERM and KILL end a blocked recvfrom at once"
