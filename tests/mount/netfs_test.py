"""netfs_test.py: small helpers for the Python parts of the mount tests,
imported with `sys.path.insert(0, os.environ["HERE"])`."""
import os
import socket


class Session:
    """A /net/ctl session: each command returns its reply line."""

    def __init__(self, net):
        self.fd = os.open(f"{net}/ctl", os.O_RDWR)

    def cmd(self, line):
        try:
            os.write(self.fd, line.encode())
        except OSError:
            pass                # the reply line says why
        return os.read(self.fd, 4096).decode().strip()


def connected_pair(net):
    """A netfs socket connected to a peer socket of this process:
    (session, listener, name, peer)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    ses = Session(net)
    name = ses.cmd(f"connect 127.0.0.1!{srv.getsockname()[1]}")
    peer, _ = srv.accept()
    return ses, srv, name, peer


def rd(path):
    """The whole text of a netfs file."""
    with open(path) as f:
        return f.read()


def wr(path, v):
    """One write of v, as echo does: the value in one write(2)."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, v.encode())
    finally:
        os.close(fd)


def errno_of(fn, *a):
    """The errno fn(*a) fails with, or 0."""
    try:
        fn(*a)
    except OSError as e:
        return e.errno
    return 0
