#!/usr/bin/env python3
"""direct.py: the same calls a netfs test makes through the mount, made
directly by the user running this script, so that a security test can
compare netfs with what that user gets without it. Each prints one line:
"ok", an errno name, or the value asked for.

  connect PATH|@NAME        unix stream connect
  bind PATH|@NAME           unix stream bind
  sendto PATH|@NAME         one unix datagram
  getsockopt LEVEL NAME     on a fresh TCP socket
  creds PATH COUNT SECS     bind a unix dgram socket with SO_PASSCRED at
                            PATH (mode 0777), print "uid gid" of each of
                            COUNT datagrams, waiting SECS at most
  streamcreds PATH COUNT SECS   the same on a unix stream listener: each
                            connection's first message's "uid gid"
  peercred PATH|@NAME       connect and print the listener's SO_PEERCRED
                            "uid gid"
  mode PATH                 bind a unix stream socket at PATH, print the
                            socket file's "mode uid"
And two that go through netfs, as the user running the script:
  write FILE TEXT           one write(2) of TEXT (\n and \\ escapes)
  ctl MNT COMMAND           a MNT/ctl session: the reply line
  replies FILE N CMD        opens FILE read-write and writes CMD N times
                            in writes of 100 lines, reading nothing back:
                            "ok N", or the errno that stopped it and the
                            lines written; then reads all replies back
                            and writes once more ("ok"/errno)
  bigwrite FILE LINE N      one write(2) of LINE N times (past FUSE's
                            1 MiB pieces): "ok" or the errno
  fill MNT                  makes sockets on MNT/ctl sessions until one
                            fails: "COUNT ERRNO-NAME"
  flood FILE TEXT N PID     N write-only opens of FILE, each written TEXT
                            (no reply read): "ok" or the first errno, and
                            process PID's resident kB while all are open
"""
import errno
import os
import socket
import struct
import sys


def addr(a):
    return "\0" + a[1:] if a.startswith("@") else a


def errname(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def attempt(fn):
    try:
        fn()
        print("ok")
    except OSError as e:
        print(errname(e))


def recv_creds(sock, count):
    size = socket.CMSG_SPACE(struct.calcsize("3i"))
    for _ in range(count):
        _, anc, _, _ = sock.recvmsg(4096, size)
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                _, uid, gid = struct.unpack("3i", data[:12])
                print(uid, gid, flush=True)


def main(argv):
    cmd = argv[0]
    if cmd == "connect":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        attempt(lambda: s.connect(addr(argv[1])))
    elif cmd == "bind":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        attempt(lambda: s.bind(addr(argv[1])))
    elif cmd == "sendto":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        attempt(lambda: s.sendto(b"direct", addr(argv[1])))
    elif cmd == "getsockopt":
        s = socket.socket()
        attempt(lambda: s.getsockopt(int(argv[1]), int(argv[2]), 256))
    elif cmd in ("creds", "streamcreds"):
        path, count = argv[1], int(argv[2])
        kind = socket.SOCK_DGRAM if cmd == "creds" else socket.SOCK_STREAM
        s = socket.socket(socket.AF_UNIX, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        s.bind(path)
        os.chmod(path, 0o777)
        s.settimeout(float(argv[3]))
        if kind == socket.SOCK_STREAM:
            s.listen(8)
            print("listening", flush=True)
            for _ in range(count):
                c, _ = s.accept()
                c.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
                recv_creds(c, 1)
                c.close()
        else:
            print("listening", flush=True)
            recv_creds(s, count)
    elif cmd == "mode":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(argv[1])
        st = os.stat(argv[1])
        print("%o %d" % (st.st_mode & 0o7777, st.st_uid))
    elif cmd == "write":
        text = argv[2].encode().decode("unicode_escape").encode("latin-1")
        def write():
            fd = os.open(argv[1], os.O_WRONLY)
            try:
                os.write(fd, text)
            finally:
                os.close(fd)
        attempt(write)
    elif cmd == "ctl":
        with open(os.path.join(argv[1], "ctl"), "r+b", buffering=0) as f:
            try:
                f.write(argv[2].encode() + b"\n")
            except OSError:
                pass
            print(f.readline().decode().strip())
    elif cmd == "replies":
        n, line = int(argv[2]), argv[3].encode() + b"\n"
        fd = os.open(argv[1], os.O_RDWR)
        done, err = 0, "ok"
        try:
            while done < n:
                os.write(fd, line * min(100, n - done))
                done += min(100, n - done)
        except OSError as e:
            err = errname(e)
        print(err, done)
        os.set_blocking(fd, False)
        try:
            while os.read(fd, 1 << 20):
                pass
        except BlockingIOError:
            pass
        attempt(lambda: os.write(fd, line))
        os.close(fd)
    elif cmd == "bigwrite":
        text = (argv[2].encode() + b"\n") * int(argv[3])
        def big():
            fd = os.open(argv[1], os.O_WRONLY)
            try:
                n = os.write(fd, text)
                if n != len(text):
                    raise OSError(errno.EIO, "short write %d" % n)
            finally:
                os.close(fd)
        attempt(big)
    elif cmd == "flood":
        text = argv[2].encode().decode("unicode_escape").encode("latin-1")
        fds = []
        def flood():
            for _ in range(int(argv[3])):
                fds.append(os.open(argv[1], os.O_WRONLY))
                os.write(fds[-1], text)
        attempt(flood)
        with open("/proc/%s/status" % argv[4]) as f:
            print([l.split()[1] for l in f if l.startswith("VmRSS")][0])
        for fd in fds:
            os.close(fd)
    elif cmd == "fill":
        n = 0
        for _ in range(100000):
            fd = os.open(os.path.join(argv[1], "ctl"), os.O_RDWR)
            try:
                os.write(fd, b"socket inet stream\n")
            except OSError:
                pass
            reply = os.read(fd, 200).decode()
            os.close(fd)
            if reply.startswith("error"):
                print(n, reply.split()[1])
                break
            n += 1
    elif cmd == "peercred":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(addr(argv[1]))
        cred = s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                            struct.calcsize("3i"))
        _, uid, gid = struct.unpack("3i", cred)
        print(uid, gid)
    else:
        sys.exit(f"direct.py: unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv[1:])
