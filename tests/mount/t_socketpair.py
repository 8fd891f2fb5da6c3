"""t_socketpair.py: message pairs and interrupted reads, for
t_socketpair.sh."""
import errno
import os
import signal
import subprocess
import sys
import time

from netfs_test import main, Session, blocked_cat, ended_by, put


def messages(net):
    """seqpacket and dgram pairs keep message boundaries; a full receiver
    parks writes."""
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
    put(f"{net}/{a}/timeout", "0.3")
    wa = os.open(f"{net}/{a}/data", os.O_WRONLY)
    t0 = time.monotonic()
    try:
        os.write(wa, b"late")
        raise AssertionError("a write to a full socket went through")
    except OSError as e:
        assert e.errno == errno.ETIMEDOUT, e
    assert 0.2 < time.monotonic() - t0 < 5
    put(f"{net}/{a}/timeout", "none")
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


def recvfrom_interrupt(path):
    """SIGINT, SIGTERM and SIGKILL end a cat blocked on recvfrom at once."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        p = blocked_cat(path)
        assert p.poll() is None, "cat did not block"
        try:
            dt = ended_by(p, sig, 2)
        except subprocess.TimeoutExpired:
            p.kill()
            sys.exit(f"signal {sig} did not end a blocked recvfrom")
        assert dt < 1.5


if __name__ == "__main__":
    main(messages, recvfrom_interrupt)
