"""t_many.py: a thousand blocked readers, for t_many.sh."""
import errno
import os
import threading
import time

from netfs_test import main, connect_many, put


def readers(net, port, pid, threads0, spare="0"):
    """A thousand sockets to the hold peer at PORT, each with a blocked
    reader: the tree still answers and the daemon (PID) keeps THREADS0
    threads, or at most SPARE more (the ring's kick threads, which start
    when a burst of parked requests fills a queue)."""
    threads0 = int(threads0)
    COUNT = 1000

    fixed = set(os.listdir(net))
    names = connect_many(net, port, COUNT)

    results = {}
    def reader(name):
        fd = os.open(f"{net}/{name}/data", os.O_RDONLY)
        try:
            results[name] = os.read(fd, 100)
        except OSError as e:
            results[name] = e.errno
        os.close(fd)

    ts = [threading.Thread(target=reader, args=(n,), daemon=True) for n in names]
    for t in ts:
        t.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        blocked = sum(1 for n in names if "blocked_readers 1\n" in open(f"{net}/{n}/status").read())
        if blocked == COUNT:
            break
        time.sleep(0.2)
    assert blocked == COUNT, f"only {blocked} readers blocked"

    def timed(f):
        t0 = time.monotonic()
        f()
        return (time.monotonic() - t0) * 1000

    ls_ms = timed(lambda: os.listdir(net))
    assert len(set(os.listdir(net)) - fixed) == COUNT
    peer_ms = timed(lambda: open(f"{net}/{names[COUNT // 2]}/peername").read())
    ctl = os.open(f"{net}/ctl", os.O_RDWR)

    def connect():
        os.write(ctl, f"connect 127.0.0.1!{port}\n".encode())
        assert os.read(ctl, 100).strip().isdigit()
    conn_ms = timed(connect)
    threads = len(os.listdir(f"/proc/{pid}/task"))
    print(f"{COUNT} blocked readers: ls {ls_ms:.1f} ms, peername {peer_ms:.1f} ms, "
          f"connect {conn_ms:.1f} ms, daemon threads {threads} (at start {threads0})")
    assert threads0 <= threads <= threads0 + int(spare), \
        "the daemon grew threads"
    for v in (ls_ms, peer_ms, conn_ms):
        assert v < 5000, "an operation hung"

    # Closing each socket ends its blocked reader (EBADF).
    for n in names:
        put(f"{net}/{n}/ctl", "close")
    for t in ts:
        t.join(10)
    assert not any(t.is_alive() for t in ts), "readers still blocked"
    assert all(v == errno.EBADF for v in results.values()), set(results.values())
    os.close(ctl)


if __name__ == "__main__":
    main(readers)
