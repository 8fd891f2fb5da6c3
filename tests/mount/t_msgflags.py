"""t_msgflags.py: NAME/recvflags and NAME/sendflags, for t_msgflags.sh."""
import errno
import os
import socket
import threading
import time

from netfs_test import main, connected_pair, errno_of, rd, wr


def flags(net):
    """PEEK, WAITALL, DONTWAIT and OOB through recvflags and sendflags."""
    ses, srv, name, peer = connected_pair(net)
    d = f"{net}/{name}"
    assert rd(f"{d}/recvflags") == "none\n" and rd(f"{d}/sendflags") == "none\n"
    wr(f"{d}/timeout", "5")
    data = os.open(f"{d}/data", os.O_RDWR)

    wr(f"{d}/recvflags", "PEEK")
    assert rd(f"{d}/recvflags") == "MSG_PEEK\n"
    peer.sendall(b"hello")
    assert os.read(data, 100) == b"hello"
    assert os.read(data, 100) == b"hello"      # still there
    wr(f"{d}/recvflags", "none")
    assert os.read(data, 100) == b"hello"
    print("MSG_PEEK: the data stays queued")

    wr(f"{d}/recvflags", "msg_waitall")
    assert rd(f"{d}/recvflags") == "MSG_WAITALL\n"
    peer.sendall(b"ab")
    threading.Timer(0.3, peer.sendall, (b"cdef",)).start()
    t0 = time.monotonic()
    assert os.read(data, 6) == b"abcdef"
    assert time.monotonic() - t0 >= 0.25
    print("MSG_WAITALL: one read waits for all 6 bytes")

    # More than the receive queue can ever hold: the read gathers it as it
    # comes (SO_RCVBUF 65536: the queue holds 128 KiB at most).
    wr(f"{d}/opt/SO_RCVBUF", "65536")
    blob = bytes(range(256)) * 4096            # 1 MiB, FUSE's largest read
    sender = threading.Thread(target=peer.sendall, args=(blob,))
    t0 = time.monotonic()
    sender.start()
    got = os.read(data, len(blob))
    sender.join()
    assert got == blob, (len(got), "bytes")
    assert time.monotonic() - t0 < 4, "waited for the timeout"
    print("MSG_WAITALL: 1 MiB through a 128 KiB receive queue, in one read")

    # Cut short by the timeout, the read returns what it has, as recv(2) does.
    wr(f"{d}/timeout", "0.5")
    peer.sendall(b"abc")
    t0 = time.monotonic()
    assert os.read(data, 10) == b"abc"
    assert time.monotonic() - t0 >= 0.4
    wr(f"{d}/timeout", "5")
    print("MSG_WAITALL: the timeout returns the 3 bytes that came")

    wr(f"{d}/recvflags", "DONTWAIT")
    t0 = time.monotonic()
    assert errno_of(os.read, data, 10) == errno.EAGAIN
    assert time.monotonic() - t0 < 1
    wr(f"{d}/recvflags", "")
    print("MSG_DONTWAIT: EAGAIN at once although the timeout is 5 s")

    wr(f"{d}/sendflags", "OOB")
    assert rd(f"{d}/sendflags") == "MSG_OOB\n"
    os.write(data, b"!")
    wr(f"{d}/sendflags", "none")
    for i in range(50):
        try:
            got = peer.recv(1, socket.MSG_OOB)
            break
        except BlockingIOError:
            time.sleep(0.05)
        except OSError as e:
            if e.errno != errno.EINVAL:
                raise
            time.sleep(0.05)
    assert got == b"!", got
    peer.send(b"U", socket.MSG_OOB)
    time.sleep(0.2)
    wr(f"{d}/recvflags", "OOB")
    assert os.read(data, 10) == b"U"
    wr(f"{d}/recvflags", "none")
    print("MSG_OOB: the urgent byte, both ways")

    # WAITALL ends at the end of the stream with what there is.
    wr(f"{d}/recvflags", "WAITALL")
    peer.sendall(b"xy")
    peer.shutdown(socket.SHUT_WR)
    assert os.read(data, 10) == b"xy"
    assert os.read(data, 10) == b""
    os.close(data)

    assert errno_of(wr, f"{d}/recvflags", "TRUNC") == errno.EINVAL
    assert "TRUNC" in rd(f"{d}/error")
    assert errno_of(wr, f"{d}/sendflags", "PEEK") == errno.EINVAL
    assert rd(f"{d}/recvflags") == "MSG_WAITALL\n"
    wr(f"{d}/sendflags", "MORE,DONTROUTE")
    assert rd(f"{d}/sendflags") == "MSG_DONTROUTE MSG_MORE\n"
    print("bad flags: EINVAL with the flag named in error")


if __name__ == "__main__":
    main(flags)
