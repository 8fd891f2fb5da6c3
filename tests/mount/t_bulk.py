"""t_bulk.py: bulk data through NAME/data for t_bulk.sh."""
import errno
import hashlib
import os
import random
import socket
import struct
import threading
import time

from netfs_test import main, connected_pair, drain, errno_of, put, rd, wr


def bulk(net):
    """Receives and sends 24 MiB through a connected socket in reads and
    writes of changing sizes; every byte arrives, in order."""
    SIZES = [1, 100, 4096, 32767, 32768, 65536, 131072, 1 << 20, 2 << 20, 200000, 8191]
    payload = random.Random(11).randbytes(24 << 20)

    # Receive: the peer sends, netfs reads with changing sizes.
    ses, srv, name, peer = connected_pair(net)
    def send():
        peer.sendall(payload)
        peer.shutdown(1)
    t = threading.Thread(target=send)
    t.start()
    fd = os.open(f"{net}/{name}/data", os.O_RDONLY)
    h, got, i = hashlib.sha256(), 0, 0
    while True:
        size = SIZES[i % len(SIZES)]
        d = os.read(fd, size)
        assert len(d) <= size, (len(d), size)
        if not d:
            break
        h.update(d)
        got += len(d)
        i += 1
    t.join(10)
    os.close(fd)
    assert got == len(payload), got
    assert h.hexdigest() == hashlib.sha256(payload).hexdigest()
    print(f"received {got} bytes in {i} reads")
    peer.close()

    # Send: netfs writes large and small pieces, the peer reads.
    ses, srv, name, peer = connected_pair(net)
    t, back = drain(peer)
    fd = os.open(f"{net}/{name}/data", os.O_WRONLY)
    off, i = 0, 0
    while off < len(payload):
        size = SIZES[i % len(SIZES)]
        off += os.write(fd, payload[off:off + size])
        i += 1
    os.close(fd)
    put(f"{net}/{name}/ctl", "shutdown wr")
    t.join(20)
    data = b"".join(back)
    assert len(data) == len(payload), len(data)
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(payload).hexdigest()
    print(f"sent {len(data)} bytes in {i} writes")


def small_writes(net):
    """Small writes are answered before they are sent (data.c early_write):
    with both buffers made small and the peer not reading, non-blocking
    writes of 1 to 4096 bytes fill the socket until one fails with EAGAIN;
    the peer then receives exactly the bytes the writes reported written,
    in order, and blocking writes after that all arrive too. Bounded: at
    most 100,000 writes."""
    ses, srv, name, peer = connected_pair(net)
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    put(f"{net}/{name}/opt/SO_SNDBUF", "4096")
    payload = random.Random(12).randbytes(8 << 20)
    sizes = [1, 64, 4096, 1000, 7, 4095, 300]
    fd = os.open(f"{net}/{name}/data", os.O_WRONLY | os.O_NONBLOCK)
    off, i, full = 0, 0, False
    while i < 100000 and off < len(payload):
        size = sizes[i % len(sizes)]
        i += 1
        try:
            n = os.write(fd, payload[off:off + size])
        except BlockingIOError:
            full = True
            break
        assert 0 < n <= size, (n, size)
        off += n
    assert full, f"{off} bytes written in {i} writes and never EAGAIN"
    os.close(fd)
    t, back = drain(peer)
    fd = os.open(f"{net}/{name}/data", os.O_WRONLY)
    for j in range(2000):
        size = sizes[j % len(sizes)]
        off += os.write(fd, payload[off:off + size])
    os.close(fd)
    put(f"{net}/{name}/ctl", "shutdown wr")
    t.join(20)
    data = b"".join(back)
    assert len(data) == off, (len(data), off)
    assert data == payload[:off]
    print(f"{off} bytes in {i + 2000} small writes, in order")


def small_write_errors(net):
    """A small write is never answered early where a send would fail: to
    a peer that reset the connection (the first write fails), and after
    `shutdown wr` (EPIPE)."""
    ses, srv, name, peer = connected_pair(net)
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))
    peer.close()
    for _ in range(100):
        if "reset" in rd(f"{net}/{name}/status"):
            break
        time.sleep(0.05)
    e = errno_of(wr, f"{net}/{name}/data", "x" * 64)
    assert e in (errno.ECONNRESET, errno.EPIPE), e
    ses, srv, name, peer = connected_pair(net)
    put(f"{net}/{name}/ctl", "shutdown wr")
    e = errno_of(wr, f"{net}/{name}/data", "x" * 64)
    assert e == errno.EPIPE, e
    print("reset and shut down: small writes fail")


if __name__ == "__main__":
    main(bulk, small_writes, small_write_errors)
