#!/usr/bin/env python3
"""t_9pproto.py: netfs's 9P server at the protocol level, with what the
kernel's client never sends (t_9pproto.sh runs each check against a
`netfs --9p unix!PATH` daemon; the FUSE mount of the same daemon, when
there is one, shows its state).

  basic SOCK             version, attach, walk, read resolve/localhost,
                         ctl session, readdir, getattr, clunk
  malformed SOCK         bad sizes close only that connection
  fids SOCK              fid reuse and walks from bad fids
  flush SOCK PORT        flush of an unknown tag; a parked read flushed;
                         1000 reads outstanding, all flushed
  owner SOCK NET         a socket made over 9P belongs to the peer's uid
"""
import errno
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ninep_client import Client, Error9P  # noqa: E402


def session(path):
    c = Client.unix(path)
    c.version(msize=65536)
    c.attach(0)
    return c


def ctl_session(c, fid, command):
    """A /net/ctl session on fid: the reply line."""
    c.walk(0, fid, ["ctl"])
    c.lopen(fid, os.O_RDWR)
    c.write(fid, command + "\n")
    return c.read(fid, 0, 200).decode().strip()


def basic(path):
    c = session(path)
    c.walk(0, 1, [])
    c.lopen(1, os.O_RDONLY)
    names = [d.name for d in c.readdir_all(1)]
    assert "ctl" in names and "resolve" in names, names
    c.clunk(1)
    c.walk(0, 2, ["resolve", "localhost"])
    c.lopen(2, os.O_RDONLY)
    text = c.read(2).decode()
    assert "127.0.0.1" in text, text
    c.clunk(2)
    name = ctl_session(c, 3, "socket inet stream")
    assert name.isdigit(), name
    qids = c.walk(0, 4, [name, "status"])
    assert len(qids) == 2 and qids[0].type & 0x80, qids
    a = c.getattr(4)
    assert a.mode & 0o170000 == 0o100000, oct(a.mode)
    c.clunk(4)
    # A walk that stops part of the way: the qids so far, no new fid.
    qids = c.walk(0, 5, [name, "nosuch"])
    assert len(qids) == 1, qids
    try:
        c.clunk(5)
        raise AssertionError("a partial walk made a fid")
    except Error9P as e:
        assert e.errno == errno.EBADF, e
    c.close()
    print("basic ok:", name)


def malformed(path):
    good = session(path)
    for bad in (b"\x03\x00\x00\x00",                 # size < 7
                b"\x00\x00\x00\x10" + b"x" * 8,      # size > msize
                # Twalk of 17 names, past the 16 9P allows
                struct.pack("<IBHIIH", 17, 110, 1, 0, 1, 17)):
        c = Client.unix(path)
        c.version(msize=8192)
        c.send_raw(bad)
        try:
            while True:
                c.recv(timeout=5)
        except EOFError:
            pass
        c.close()
    # The other connection never noticed.
    good.walk(0, 1, ["resolve", "localhost"])
    good.close()
    print("malformed ok: three connections closed, the fourth unharmed")


def fids(path):
    c = session(path)
    c.walk(0, 1, ["resolve"])
    # Attach again on a fid in use: it now names the root.
    c.attach(1)
    assert c.walk(1, 2, ["ctl"])
    for fid, newfid, want in ((99, 3, errno.EBADF), (0, 2, errno.EBADF)):
        try:
            c.walk(fid, newfid, ["ctl"])
            raise AssertionError("walk %d -> %d succeeded" % (fid, newfid))
        except Error9P as e:
            assert e.errno == want, (fid, newfid, e)
    c.lopen(2, os.O_RDWR)
    try:
        c.walk(2, 4, [])
        raise AssertionError("walk from an open fid")
    except Error9P as e:
        assert e.errno == errno.EBUSY, e
    c.close()
    print("fids ok")


def flush(path, port):
    c = session(path)
    # An unknown tag: Rflush all the same.
    assert c.flush(1234) is None
    name = ctl_session(c, 1, "connect 127.0.0.1 %s" % port)
    c.walk(0, 2, [name, "data"])
    c.lopen(2, os.O_RDWR)
    # One parked read, flushed: Rflush and nothing for the read.
    tag = c.send("Tread", fid=2, offset=0, count=100)
    time.sleep(0.1)
    assert c.flush(tag) is None
    # A thousand reads outstanding on one connection, then all flushed.
    tags = [c.send("Tread", fid=2, offset=0, count=100)
            for _ in range(1000)]
    t0 = time.monotonic()
    c.walk(0, 3, [name, "status"])     # the server still answers
    c.lopen(3)
    status = c.read(3).decode()
    c.clunk(3)
    assert "blocked_readers 1000" in status, status
    for tag in tags:
        assert c.flush(tag) is None
    c.walk(0, 3, [name, "status"])
    c.lopen(3)
    status = c.read(3).decode()
    assert "blocked_readers 0" in status, status
    c.close()
    print("flush ok: 1000 parked reads flushed in %.2f s" %
          (time.monotonic() - t0))


def owner(path, net):
    c = session(path)
    name = ctl_session(c, 1, "socket inet stream")
    st = os.stat(os.path.join(net, name))
    print("owner ok:", name, st.st_uid)
    assert st.st_uid == os.getuid(), (st.st_uid, os.getuid())
    c.close()


if __name__ == "__main__":
    {"basic": basic, "malformed": malformed, "fids": fids, "flush": flush,
     "owner": owner}[sys.argv[1]](*sys.argv[2:])
