#!/usr/bin/env python3
"""hold.py: one user holding as much of netfs as a user may at once, for
the test that the daemon still answers everyone else (t_names.sh).

  hold.py MNT READY SLOWNAME-PREFIX

holds, as the user running it: 1,000 blocked reads (both ends of 500
socket pairs), unread replies on 100 ctl files, 50 lookups of slow names
(PREFIX0 ... PREFIX49 under resolve/) and a unix connect to a path inside
the mount whose lookup is slow. Writes READY once all are in place, then
waits until killed (at most 60 s).
"""
import os
import sys
import threading
import time


def reader(path):
    try:
        fd = os.open(path, os.O_RDONLY)
        os.read(fd, 100)
    except OSError:
        pass


def lookup(path):
    try:
        with open(path) as f:
            f.read()
    except OSError:
        pass


def connect(ctl, target):
    try:
        fd = os.open(ctl, os.O_WRONLY)
        os.write(fd, b"connect " + target.encode() + b"\n")
    except OSError:
        pass


def session(mnt, command):
    fd = os.open(os.path.join(mnt, "ctl"), os.O_RDWR)
    os.write(fd, command + b"\n")
    return fd


def main(mnt, ready, prefix):
    threading.stack_size(64 * 1024)
    threads = []

    def start(fn, *args):
        t = threading.Thread(target=fn, args=args, daemon=True)
        t.start()
        threads.append(t)

    names = []
    for _ in range(500):
        fd = session(mnt, b"socketpair unix stream")
        names += os.read(fd, 100).decode().split()
        os.close(fd)
    for name in names:
        start(reader, os.path.join(mnt, name, "data"))
    held = [session(mnt, b"socket inet stream") for _ in range(100)]
    fd = session(mnt, b"socket unix stream")
    sock = os.read(fd, 100).decode().strip()
    os.close(fd)
    for i in range(50):
        start(lookup, os.path.join(mnt, "resolve", "%s%d" % (prefix, i)))
    start(connect, os.path.join(mnt, sock, "ctl"),
          os.path.join(mnt, "resolve", prefix + "path", "sock"))
    time.sleep(0.2)
    with open(ready, "w") as f:
        f.write("%d reads, %d ctl files\n" % (len(names), len(held)))
    time.sleep(60)


if __name__ == "__main__":
    main(*sys.argv[1:])
