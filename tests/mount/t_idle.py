"""t_idle.py: a connect slower than the idle time, for t_idle.sh."""
import time

from netfs_test import main, Session, full_listener


def slow_connect(net):
    """A connect to a listener whose accept queue is full ends with its
    own 2.5 s timeout, not with idle=1."""
    srv, port, fillers = full_listener()
    t0 = time.monotonic()
    r = Session(net).cmd(f"connect 127.0.0.1!{port} timeout=2.5")
    dt = time.monotonic() - t0
    assert r.startswith("error ETIMEDOUT"), r
    assert 2.4 <= dt < 8, dt
    print(f"ok - a 2.5 s connect under idle=1: {r[:16]} after {dt:.2f} s")


if __name__ == "__main__":
    main(slow_connect)
