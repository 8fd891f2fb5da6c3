"""t_errors.py: what `error` and `status` say after failed reads, writes,
accepts and connects, and after the peer closes or resets, for t_errors.sh."""
import errno
import os
import signal
import socket
import struct
import time

from netfs_test import main, Session, errno_of, rd, wr


def errors(net, hold):
    """error after timeouts, EAGAIN, EINTR, a refused connect, no
    descriptor; status after the peer's FIN or RST, and on a unix pair."""
    hold = int(hold)
    ses = Session(net)

    def error_of(name):
        return rd(f"{net}/{name}/error")

    def expect(name, ename, why):
        e = error_of(name)
        assert e.startswith(ename + " "), f"{why}: error is {e!r}"
        print(f"ok - {why}: {e.strip()}")

    def read_once(path, flags=os.O_RDONLY):
        fd = os.open(path, flags)
        try:
            return errno_of(os.read, fd, 100)
        finally:
            os.close(fd)

    # Reads: a timeout, non-blocking, an interrupt.
    s = ses.cmd(f"connect 127.0.0.1!{hold}")
    wr(f"{net}/{s}/timeout", "0.3")
    assert read_once(f"{net}/{s}/data") == errno.ETIMEDOUT
    expect(s, "ETIMEDOUT", "a read that timed out")
    wr(f"{net}/{s}/timeout", "none")
    assert read_once(f"{net}/{s}/data", os.O_RDONLY | os.O_NONBLOCK) == errno.EAGAIN
    expect(s, "EAGAIN", "a non-blocking read with nothing there")
    class Alarm(Exception):
        pass

    def alarm(*a):
        raise Alarm()     # else Python retries the interrupted read

    fd = os.open(f"{net}/{s}/data", os.O_RDONLY)
    signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        os.read(fd, 100)
        raise AssertionError("the read returned")
    except Alarm:
        pass
    os.close(fd)
    expect(s, "EINTR", "an interrupted read")

    # Writes: a peer that never reads, a timeout.
    wr(f"{net}/{s}/timeout", "0.3")
    fd = os.open(f"{net}/{s}/data", os.O_WRONLY)
    chunk = b"x" * (1 << 20)
    for i in range(200):
        try:
            os.write(fd, chunk)
        except OSError as e:
            assert e.errno == errno.ETIMEDOUT, e
            break
    else:
        raise AssertionError("the writes never stopped")
    os.close(fd)
    expect(s, "ETIMEDOUT", "a write that timed out")

    # Accepts: a timeout, non-blocking.
    l = ses.cmd("listen 127.0.0.1!0")
    wr(f"{net}/{l}/timeout", "0.3")
    assert read_once(f"{net}/{l}/accept") == errno.ETIMEDOUT
    expect(l, "ETIMEDOUT", "an accept that timed out")
    wr(f"{net}/{l}/timeout", "0")
    assert read_once(f"{net}/{l}/accept") == errno.EAGAIN
    expect(l, "EAGAIN", "a non-blocking accept")

    # Connects, and a socket with no descriptor.
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    c = ses.cmd("socket")
    assert errno_of(wr, f"{net}/{c}/ctl",
                    f"connect 127.0.0.1!{closed.getsockname()[1]}") == errno.ECONNREFUSED
    expect(c, "ECONNREFUSED", "a refused connect")
    os.mkdir(f"{net}/bare")
    assert read_once(f"{net}/bare/data") == errno.ENOTCONN
    expect("bare", "ENOTCONN", "a read before the socket exists")

    # status: the peer closes its side, then the peer resets.
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    port = srv.getsockname()[1]

    def state(name):
        return rd(f"{net}/{name}/status").splitlines()[0]

    a = ses.cmd(f"connect 127.0.0.1!{port}")
    peer, _ = srv.accept()
    assert state(a) == "state connected", state(a)
    peer.shutdown(socket.SHUT_WR)
    time.sleep(0.2)
    assert state(a) == "state peer-closed", state(a)
    peer.close()
    print("ok - status: peer-closed after the peer's FIN")

    b = ses.cmd(f"connect 127.0.0.1!{port}")
    peer, _ = srv.accept()
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    peer.close()
    time.sleep(0.2)
    assert state(b) == "state reset", state(b)
    assert read_once(f"{net}/{b}/data") == errno.ECONNRESET
    expect(b, "ECONNRESET", "the read after a reset")
    assert state(b) == "state reset", state(b)
    print("ok - status: reset after the peer's RST, and after reading it")

    # A unix pair: one end closed, the other is peer-closed.
    x, y = ses.cmd("socketpair").split()
    wr(f"{net}/{x}/ctl", "close")
    assert state(y) == "state peer-closed", state(y)
    print("ok - status: peer-closed on a unix pair")


if __name__ == "__main__":
    main(errors)
