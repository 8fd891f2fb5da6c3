"""t_uring.py: the ring's backlog, for t_uring.sh."""
import os
import signal
import threading
import time

from netfs_test import main, connect_many


def backlog(net, port, pid):
    """200 readers on one CPU read at once while the daemon (PID) is
    stopped: the first of them take every free ring entry of that CPU's
    queue and the kernel queues the rest behind them, to be handed out
    only as entries commit. Once the daemon runs again, every reader must
    reach it (blocked_readers 1), as seen from another CPU, and a request
    from the readers' CPU must be answered."""
    COUNT = 200
    pid = int(pid)
    cpus = sorted(os.sched_getaffinity(0))
    here, there = cpus[0], cpus[1]

    names = connect_many(net, port, COUNT)
    fds = [os.open(f"{net}/{n}/data", os.O_RDONLY) for n in names]

    go = threading.Barrier(COUNT + 1)

    def reader(fd):
        os.sched_setaffinity(0, {here})
        go.wait()
        try:
            os.read(fd, 100)
        except OSError:
            pass

    ts = [threading.Thread(target=reader, args=(fd,), daemon=True)
          for fd in fds]
    for t in ts:
        t.start()
    os.sched_setaffinity(0, {there})
    os.kill(pid, signal.SIGSTOP)
    try:
        go.wait()
        # Not a measure: time for the reads to reach the kernel's queue.
        # Fewer of them queued would only test less.
        time.sleep(1)
    finally:
        os.kill(pid, signal.SIGCONT)

    def blocked():
        return sum(1 for n in names
                   if "blocked_readers 1\n" in
                   open(f"{net}/{n}/status").read())

    deadline = time.monotonic() + 60
    while blocked() < COUNT and time.monotonic() < deadline:
        time.sleep(0.2)
    assert blocked() == COUNT, f"only {blocked()} of {COUNT} readers arrived"

    done = []

    def probe():
        os.sched_setaffinity(0, {here})
        done.append(len(os.listdir(net)))

    t = threading.Thread(target=probe, daemon=True)
    t.start()
    t.join(60)
    assert done, "a listing from the readers' CPU got no answer"


main(backlog)
