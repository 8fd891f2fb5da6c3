"""t_timeouts.py: connects and writes that time out, for t_timeouts.sh."""
import errno
import os
import socket
import time

from netfs_test import main, Session, errno_of, full_listener, wr


def timeouts(net):
    """A connect to a full accept queue and writes to a peer that does not
    read time out, or fail at once with timeout 0."""
    srv, port, fillers = full_listener()
    print(f"accept queue full after {len(fillers) - 1} connections")

    ses = Session(net)
    t0 = time.monotonic()
    r = ses.cmd(f"connect 127.0.0.1!{port} timeout=1")
    dt = time.monotonic() - t0
    assert r.startswith("error ETIMEDOUT"), r
    assert 0.9 <= dt < 6, dt
    print(f"/net/ctl connect timeout=1: {r} after {dt:.2f} s")

    s = ses.cmd("socket")
    wr(f"{net}/{s}/timeout", "0.5")
    t0 = time.monotonic()
    e = errno_of(wr, f"{net}/{s}/ctl", f"connect 127.0.0.1!{port}")
    dt = time.monotonic() - t0
    assert e == errno.ETIMEDOUT, e
    assert 0.45 <= dt < 6, dt
    assert open(f"{net}/{s}/error").read().startswith("ETIMEDOUT")
    print(f"NAME/ctl connect with timeout 0.5: ETIMEDOUT after {dt:.2f} s")

    s = ses.cmd("socket")
    wr(f"{net}/{s}/timeout", "0")
    t0 = time.monotonic()
    e = errno_of(wr, f"{net}/{s}/ctl", f"connect 127.0.0.1!{port}")
    assert e == errno.EINPROGRESS, e
    assert time.monotonic() - t0 < 1
    assert open(f"{net}/{s}/status").readline() == "state connecting\n"
    print("timeout 0: EINPROGRESS at once, state connecting")
    for c in fillers:
        c.close()
    srv.close()

    # A peer that never reads: writes fill the buffers, then wait at most
    # the timeout. Bytes already sent are reported (a short write); the next
    # write that cannot send anything is ETIMEDOUT.
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    c = ses.cmd(f"connect 127.0.0.1!{srv.getsockname()[1]}")
    peer, _ = srv.accept()
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    wr(f"{net}/{c}/timeout", "0.5")
    fd = os.open(f"{net}/{c}/data", os.O_WRONLY)
    chunk = b"x" * (1 << 20)
    for i in range(64):
        t0 = time.monotonic()
        try:
            os.write(fd, chunk)
        except OSError as e:
            assert e.errno == errno.ETIMEDOUT, e
            dt = time.monotonic() - t0
            assert 0.45 <= dt < 6, dt
            break
    else:
        raise SystemExit("64 MB went to a peer that does not read")
    print(f"write: ETIMEDOUT after {dt:.2f} s, {i} MB written before")
    wr(f"{net}/{c}/timeout", "0")
    t0 = time.monotonic()
    assert errno_of(os.write, fd, chunk) == errno.EAGAIN
    assert time.monotonic() - t0 < 1
    print("timeout 0: the write is EAGAIN at once")
    os.close(fd)


if __name__ == "__main__":
    main(timeouts)
