"""t_interrupt.py: signals to readers blocked in netfs, for
t_interrupt.sh."""
import random
import signal
import subprocess
import sys
import time

from netfs_test import main, blocked_cat, ended_by


def interrupts(net, s, l):
    """A cat blocked reading NET/S/data or NET/L/accept ends within a second
    of SIGINT (a terminal's Ctrl-C), SIGTERM and SIGKILL."""
    for path in (f"{net}/{s}/data", f"{net}/{l}/accept"):
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            p = blocked_cat(path)
            assert p.poll() is None, f"cat {path} did not block"
            try:
                dt = ended_by(p, sig, 5)
            except subprocess.TimeoutExpired:
                sys.exit(f"cat {path} still there 5 s after {sig.name}")
            print(f"{path.split('/')[-1]:6s} {sig.name:7s} ended in {dt*1000:.1f} ms")
            assert dt < 1.0, f"{sig.name} took {dt:.2f} s"


def signals_in_flight(net, l, rounds="200"):
    """A signal sent while the read is still on its way to the daemon ends
    the reader too. On FUSE over io_uring the kernel sends no INTERRUPT
    for a caller signalled between the request's assignment to a ring
    entry and its arrival; netfs finds the signal in the caller's status.
    Round after round, a cat of NET/L/accept gets SIGTERM or SIGINT 0-4
    ms after it starts, and must end (the bound is for a hang: 5 s)."""
    rng = random.Random(19)
    for i in range(int(rounds)):
        sig = (signal.SIGTERM, signal.SIGINT)[i % 2]
        p = subprocess.Popen(["cat", f"{net}/{l}/accept"],
                             stdout=subprocess.DEVNULL,
                             preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                              signal.SIG_DFL))
        time.sleep(rng.random() * 0.004)
        try:
            ended_by(p, sig, 5)
        except subprocess.TimeoutExpired:
            sys.exit(f"round {i}: cat of accept still there 5 s after "
                     f"{sig.name}")
    print(f"{rounds} readers signalled in flight all ended")


if __name__ == "__main__":
    main(interrupts, signals_in_flight)
