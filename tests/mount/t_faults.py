"""t_faults.py: a peer's reset, half-closes and a peer that left, for
t_faults.sh."""
import errno
import fcntl
import hashlib
import os
import random
import socket
import struct
import sys
import termios
import threading
import time

from netfs_test import main, connected_pair, put, recv_all


def reset(net):
    """A peer sends 3 MB and resets once every byte reached netfs: the
    reader gets them all, then ECONNRESET."""
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


def half_close(net):
    """Half-closes both ways, and writes to a peer that left."""
    ses, srv, name, c = connected_pair(net)
    data = os.open(f"{net}/{name}/data", os.O_RDWR)
    def cmd(s):
        put(f"{net}/{name}/ctl", s)

    # netfs shuts down writing: the peer sees end of stream, still sends.
    os.write(data, b"last words")
    cmd("shutdown wr")
    got = recv_all(c)
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


if __name__ == "__main__":
    main(reset, half_close)
