"""netfs_test.py: small helpers for the Python parts of the mount tests.

Each t_NAME.sh keeps its Python in t_NAME.py beside it, one function a
check, run as `python3 "$HERE/t_NAME.py" CHECK ARGS...` (main() below);
those modules import this one from their own directory."""
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time


def main(*checks):
    """Runs the check that argv[1] names (a function's name, with - for _)
    with the rest of argv as its arguments."""
    table = {f.__name__.replace("_", "-"): f for f in checks}
    if len(sys.argv) < 2 or sys.argv[1] not in table:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(table)}}} ARGS...")
    table[sys.argv[1]](*sys.argv[2:])


class Session:
    """A /net/ctl session: each command returns its reply line."""

    def __init__(self, net):
        self.fd = os.open(f"{net}/ctl", os.O_RDWR)

    def cmd(self, line):
        try:
            os.write(self.fd, line.encode())
        except OSError:
            pass                # the reply line says why
        return os.read(self.fd, 4096).decode().strip()


def connect_many(net, port, count):
    """count sockets connected to 127.0.0.1 PORT through one /net/ctl
    session, the commands written before any reply is read: their
    names."""
    ctl = os.open(f"{net}/ctl", os.O_RDWR)
    for _ in range(count):
        os.write(ctl, f"connect 127.0.0.1!{port}\n".encode())
    buf = b""
    while buf.count(b"\n") < count:
        d = os.read(ctl, 65536)
        assert d, "short reply"
        buf += d
    names = buf.decode().split()
    assert len(names) == count and "error" not in names, buf[:200]
    return names


def drain(sock):
    """Receives from sock in a thread until end of file: (thread, list of
    the pieces received)."""
    got = []

    def run():
        while True:
            d = sock.recv(1 << 20)
            if not d:
                break
            got.append(d)
    t = threading.Thread(target=run)
    t.start()
    return t, got


def connected_pair(net):
    """A netfs socket connected to a peer socket of this process:
    (session, listener, name, peer)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    ses = Session(net)
    name = ses.cmd(f"connect 127.0.0.1!{srv.getsockname()[1]}")
    peer, _ = srv.accept()
    return ses, srv, name, peer


def rd(path):
    """The whole text of a netfs file."""
    with open(path) as f:
        return f.read()


def put(path, v):
    """Writes v as a shell's `echo >` does: an open with O_TRUNC, then the
    text in one write(2) (Python's buffer sends it at close)."""
    with open(path, "w") as f:
        f.write(v)


def wr(path, v):
    """One write of v, as echo does: the value in one write(2)."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, v.encode())
    finally:
        os.close(fd)


def errno_of(fn, *a):
    """The errno fn(*a) fails with, or 0."""
    try:
        fn(*a)
    except OSError as e:
        return e.errno
    return 0


def blocked_cat(path, **popen):
    """cat PATH as a terminal would run it in the foreground (SIGINT at its
    default action: a shell starts background jobs with it ignored), given
    0.3 s to block on its read. Returns the Popen."""
    p = subprocess.Popen(["cat", path], stdout=subprocess.DEVNULL,
                         preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                          signal.SIG_DFL),
                         **popen)
    time.sleep(0.3)
    return p


def ended_by(p, sig, timeout):
    """Sends sig to p and returns the seconds it took to end; raises
    subprocess.TimeoutExpired if it is still there after timeout."""
    t0 = time.monotonic()
    p.send_signal(sig)
    p.wait(timeout=timeout)
    return time.monotonic() - t0


def full_listener():
    """A listener on loopback that never accepts, its accept queue filled:
    Linux drops the SYNs of further connections, so their connects wait.
    Returns (listener, port, fillers); keep all three alive."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    for _ in range(20):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        fillers.append(c)
        if not select.select([], [c], [], 1.5)[1]:
            return srv, port, fillers   # this one hangs: the queue is full
    raise SystemExit("the accept queue never filled")


def recv_all(sock):
    """What sock receives up to the end of the stream, 100 bytes a recv."""
    got = b""
    while True:
        d = sock.recv(100)
        if not d:
            return got
        got += d
