"""t_interrupt.py: signals to readers blocked in netfs, for
t_interrupt.sh."""
import signal
import subprocess
import sys

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


if __name__ == "__main__":
    main(interrupts)
