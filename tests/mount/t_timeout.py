"""t_timeout.py: the blocking, timeout and non-blocking modes of data,
and select, poll and epoll on it, for t_timeout.sh."""
import errno
import fcntl
import os
import select
import time

from netfs_test import main, put


def modes(d):
    """Reads of D/data in the three modes; select, poll and epoll on it."""
    def set_timeout(v):
        put(f"{d}/timeout", v)
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


if __name__ == "__main__":
    main(modes)
