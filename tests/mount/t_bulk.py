"""t_bulk.py: bulk data through NAME/data for t_bulk.sh."""
import hashlib
import os
import random
import threading

from netfs_test import main, connected_pair, put


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
    back = []
    def recv():
        while True:
            d = peer.recv(1 << 20)
            if not d:
                break
            back.append(d)
    t = threading.Thread(target=recv)
    t.start()
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


if __name__ == "__main__":
    main(bulk)
