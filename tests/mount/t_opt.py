"""t_opt.py: socket options as files against getsockopt(2) on netfs's own
descriptors, ss(8) and /proc/net/igmp{,6}, for t_opt.sh."""
import ctypes
import errno
import os
import re
import socket
import struct
import subprocess

from netfs_test import main, Session, errno_of, rd, wr


def options(net, netfs, pid, tmp):
    """NAME/opt/ of every kind of socket against the table of NETFS --list
    and against getsockopt on the daemon's (PID) own descriptors; ss(8),
    memberships, errors and the escape hatch on NAME/ctl. TMP holds unix
    socket files."""
    ses = Session(net)

    # The table, as --list prints it: NAME -> (level, type, access).
    table = {}
    for line in subprocess.run([netfs, "--list"], capture_output=True,
                               text=True, check=True).stdout.splitlines():
        m = re.match(r"/net/NAME/opt/(\w+)\t(\w+) (\w+)(, (read-only|write-only))?:",
                     line)
        if m:
            table[m[1]] = (m[2], m[3], m[5] or "rw")
    assert len(table) >= 60, len(table)
    consts = dict(l.split() for l in open(f"{net}/constants"))

    # --- a copy of netfs's descriptors, to ask the kernel directly ---
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = libc.syscall(434, int(pid), 0)          # pidfd_open
    assert pidfd >= 0, "pidfd_open"

    def kernel_sockets():
        out = []
        for n in os.listdir(f"/proc/{pid}/fd"):
            try:
                if not os.readlink(f"/proc/{pid}/fd/{n}").startswith("socket:"):
                    continue
            except OSError:
                continue
            fd = libc.syscall(438, pidfd, int(n), 0)  # pidfd_getfd
            if fd < 0:
                continue
            try:
                out.append(socket.socket(fileno=fd))
            except OSError:
                os.close(fd)
        return out

    def kernel_socket(family, kind, addr):
        found = None
        for s in kernel_sockets():
            try:
                name = s.getsockname()
            except OSError:
                name = None
            if (found is None and s.family == family and s.type == kind and
                    name == addr):
                found = s
            else:
                s.close()
        assert found, f"no descriptor of netfs is bound to {addr}"
        return found

    def kernel_text(ks, name):
        """The option as the kernel gives it, in netfs's text form."""
        level, typ, _ = table[name]
        try:
            b = ks.getsockopt(int(consts[level]), int(consts[name]), 512)
        except OSError as e:
            return e.errno
        if typ == "int":
            return "%d\n" % (b[0] if len(b) == 1 else struct.unpack("i", b[:4])[0])
        if typ == "bool":
            return "%d\n" % ((b[0] if len(b) == 1 else struct.unpack("i", b[:4])[0]) != 0)
        if typ == "linger":
            on, secs = struct.unpack("ii", b[:8])
            return f"{int(on != 0)} {secs}\n"
        if typ == "time":
            sec, usec = struct.unpack("qq", b[:16])
            t = f"{sec}.{usec:06d}".rstrip("0").rstrip(".")
            return t + "\n"
        if typ == "name":
            return b.split(b"\0")[0].decode() + "\n"
        if typ == "ucred":
            return "%d %d %d\n" % struct.unpack("iII", b[:12])
        return None

    def netfs_text(d, name):
        try:
            return rd(f"{d}/opt/{name}")
        except OSError as e:
            return e.errno

    # --- what a socket lists ---
    def applies(name, family, kind):
        inet = family in ("inet", "inet6")
        if name.startswith("TCP_"):
            return inet and kind == "stream"
        if name.startswith("UDP_"):
            return inet and kind == "dgram"
        if name.startswith("IPV6_"):
            return family == "inet6"
        if name.startswith("IP_"):
            return family == "inet"
        if name in ("SO_PEERCRED", "SO_PASSCRED"):
            return family == "unix"
        return True

    # Values to write and what reads back; booleans go 1, 0, 1 and integers
    # default to 5.
    special = {
        "SO_RCVBUF": ("65536", "131072\n"),     # the kernel doubles it
        "SO_SNDBUF": ("65536", "131072\n"),
        "SO_LINGER": ("1 5", "1 5\n"),
        "SO_RCVTIMEO": ("2", "2\n"),
        "SO_SNDTIMEO": ("0.5", "0.5\n"),
        "SO_BINDTODEVICE": ("lo", "lo\n"),
        "TCP_CONGESTION": ("reno", "reno\n"),
        "TCP_MAXSEG": ("1000", "1000\n"),
        "TCP_DEFER_ACCEPT": ("3", "3\n"),
        "TCP_USER_TIMEOUT": ("5000", "5000\n"),
        "TCP_WINDOW_CLAMP": ("20000", "20000\n"),
        "TCP_NOTSENT_LOWAT": ("16384", "16384\n"),
        "IP_TOS": ("16", "16\n"),
        "IPV6_TCLASS": ("16", "16\n"),
        "SO_RCVLOWAT": ("10", "10\n"),
    }
    # Left at 0: with it set, bind takes no port and the socket has no
    # address to be found by.
    end_zero = {"IP_BIND_ADDRESS_NO_PORT"}

    kinds = [("inet", "stream", socket.AF_INET, socket.SOCK_STREAM),
             ("inet6", "stream", socket.AF_INET6, socket.SOCK_STREAM),
             ("inet", "dgram", socket.AF_INET, socket.SOCK_DGRAM),
             ("inet6", "dgram", socket.AF_INET6, socket.SOCK_DGRAM),
             ("unix", "stream", socket.AF_UNIX, socket.SOCK_STREAM),
             ("unix", "dgram", socket.AF_UNIX, socket.SOCK_DGRAM)]
    total = 0
    for family, kind, af, st in kinds:
        name = ses.cmd(f"socket {family} {kind}")
        assert name.isdigit(), name
        d = f"{net}/{name}"
        listed = set(os.listdir(f"{d}/opt"))
        assert listed <= set(table), listed - set(table)
        want = {o for o in table if applies(o, family, kind)}
        if family == "unix":
            want -= {o for o in want if table[o][0] != "SOL_SOCKET"}
            want -= {"SO_BINDTODEVICE", "SO_BROADCAST", "SO_DONTROUTE",
                     "SO_KEEPALIVE", "SO_MARK", "SO_OOBINLINE", "SO_REUSEPORT"}
        if kind == "dgram":
            want -= {"SO_ACCEPTCONN", "SO_LINGER", "SO_PEERCRED",
                     "SO_KEEPALIVE", "SO_OOBINLINE", "TCP_INFO"}
        else:
            want -= {o for o in want if o in ("SO_BROADCAST", "UDP_CORK") or
                     "MULTICAST" in o or "MEMBERSHIP" in o or "GROUP" in o or
                     o in ("IP_PKTINFO", "IP_RECVTOS", "IP_RECVTTL",
                           "IPV6_RECVPKTINFO")}
        want -= {"IP_HDRINCL"}                  # raw sockets only
        if family == "inet6":
            want -= {"SO_BROADCAST"}
        assert listed == want, (family, kind, sorted(listed ^ want))
        for o in sorted(listed):
            level, typ, access = table[o]
            if access != "rw":
                continue
            if typ == "bool":
                steps = [("1", "1\n"), ("0", "0\n")]
                if o not in end_zero:
                    steps.append(("1", "1\n"))
            else:
                steps = [special.get(o, ("5", "5\n"))]
            for v, back in steps:
                wr(f"{d}/opt/{o}", v + "\n")
                got = rd(f"{d}/opt/{o}")
                assert got == back, (family, kind, o, v, got)
                total += 1
        # Bound to an address of its own, the socket is found among netfs's
        # descriptors and every option compared with getsockopt there.
        if family == "unix":
            addr = f"{tmp}/opt-{kind}.sock"
            wr(f"{d}/ctl", f"bind {addr}\n")
        else:
            wr(f"{d}/ctl", f"bind {'127.0.0.1' if af == socket.AF_INET else '::1'}!0\n")
            host, port = rd(f"{d}/sockname").split()[:2]
            addr = (host, int(port)) if af == socket.AF_INET else (host, int(port), 0, 0)
        ks = kernel_socket(af, st, addr)
        for o in sorted(listed):
            if table[o][2] == "write-only" or o in ("TCP_INFO", "SO_ERROR"):
                continue
            a, b = netfs_text(d, o), kernel_text(ks, o)
            assert a == b, (family, kind, o, a, b)
        ks.close()
        print(f"{family} {kind}: {len(listed)} options listed, all as the kernel "
              "reports them")
    print(f"ok: {total} writes read back as written")

    # --- a connected TCP socket, against ss(8) ---
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    c = ses.cmd(f"connect 127.0.0.1!{srv.getsockname()[1]}")
    peer, _ = srv.accept()
    d = f"{net}/{c}"
    lport = rd(f"{d}/sockname").split()[1]
    wr(f"{d}/opt/SO_KEEPALIVE", "1")
    wr(f"{d}/opt/TCP_KEEPIDLE", "30")
    wr(f"{d}/opt/SO_RCVBUF", "50000")
    wr(f"{d}/opt/TCP_CONGESTION", "reno")
    def ss(*args):
        return subprocess.run(["ss", "-tnH", *args, "state", "established",
                               f"( sport = :{lport} )"], capture_output=True,
                              text=True, check=True).stdout
    out = ss("-o")
    assert "timer:(keepalive," in out, out
    rb = re.search(r"rb(\d+)", ss("-m"))
    assert rb and rb[1] + "\n" == rd(f"{d}/opt/SO_RCVBUF") == "100000\n", (rb, ss("-m"))
    assert " reno " in ss("-i"), ss("-i")
    ti = dict(l.split() for l in rd(f"{d}/opt/TCP_INFO").splitlines())
    assert ti["state"] == "1" and int(ti["rtt"]) > 0, ti        # ESTABLISHED
    assert int(rd(f"{d}/opt/IP_MTU")) == 65536 or int(rd(f"{d}/opt/IP_MTU")) > 0
    assert int(rd(f"{d}/opt/TCP_MAXSEG")) > 0
    print(f"ss agrees: keepalive timer, rb{rb[1]}, reno; TCP_INFO state 1 rtt {ti['rtt']}")

    # SO_BINDTODEVICE shows as %lo in ss.
    b = ses.cmd("socket inet stream")
    wr(f"{net}/{b}/opt/SO_BINDTODEVICE", "lo")
    wr(f"{net}/{b}/ctl", "bind 127.0.0.1!0\nlisten\n")
    bport = rd(f"{net}/{b}/sockname").split()[1]
    out = subprocess.run(["ss", "-tlnH", f"( sport = :{bport} )"],
                         capture_output=True, text=True).stdout
    assert "%lo:" in out, out
    wr(f"{net}/{b}/opt/SO_BINDTODEVICE", "\n")
    assert rd(f"{net}/{b}/opt/SO_BINDTODEVICE") == "\n"
    print("SO_BINDTODEVICE: ss shows %lo; an empty write unbinds")

    # --- SO_PEERCRED on a unix stream ---
    path = f"{tmp}/peer.sock"
    us = socket.socket(socket.AF_UNIX)
    us.bind(path)
    us.listen()
    u = ses.cmd(f"connect {path}")
    assert u.isdigit(), u
    conn, _ = us.accept()
    assert rd(f"{net}/{u}/opt/SO_PEERCRED") == f"{os.getpid()} {os.getuid()} {os.getgid()}\n"
    pid_, uid_, gid_ = struct.unpack("iII", conn.getsockopt(socket.SOL_SOCKET,
                                     socket.SO_PEERCRED, 12))
    assert (uid_, gid_) == (0, 0) or uid_ == os.getuid()
    print("SO_PEERCRED: PID UID GID of the peer")

    # --- memberships: write-only, seen in /proc/net/igmp{,6} ---
    g = ses.cmd("socket inet dgram")
    grp = "239.77.1.2"
    hexgrp = "%08X" % struct.unpack("<I", socket.inet_aton(grp))[0]
    wr(f"{net}/{g}/opt/IP_ADD_MEMBERSHIP", f"{grp} 127.0.0.1")
    assert hexgrp in open("/proc/net/igmp").read()
    assert errno_of(rd, f"{net}/{g}/opt/IP_ADD_MEMBERSHIP") == errno.EACCES
    wr(f"{net}/{g}/opt/IP_DROP_MEMBERSHIP", f"{grp} lo")
    assert hexgrp not in open("/proc/net/igmp").read()
    g6 = ses.cmd("socket inet6 dgram")
    wr(f"{net}/{g6}/opt/IPV6_JOIN_GROUP", "ff02::77:1 lo")
    hex6 = "ff020000000000000000000000770001"
    assert hex6 in open("/proc/net/igmp6").read()
    wr(f"{net}/{g6}/opt/IPV6_LEAVE_GROUP", "ff02::77:1 1")
    assert hex6 not in open("/proc/net/igmp6").read()
    print("memberships: joined and left as /proc/net/igmp and igmp6 show")

    # --- errors ---
    x = f"{net}/{g}"
    assert not os.path.exists(f"{x}/opt/TCP_NODELAY")
    assert errno_of(rd, f"{x}/opt/TCP_NODELAY") == errno.ENOENT
    assert errno_of(rd, f"{x}/opt/SO_NOSUCH") == errno.ENOENT
    assert errno_of(wr, f"{x}/opt/IP_TTL", "many") == errno.EINVAL
    e = rd(f"{x}/error")
    assert e.startswith("EINVAL") and "IP_TTL" in e and "many" in e, e
    assert errno_of(wr, f"{x}/opt/SO_BROADCAST", "2") == errno.EINVAL
    assert errno_of(wr, f"{x}/opt/IP_TTL", "300") == errno.EINVAL   # the kernel's
    assert errno_of(wr, f"{x}/opt/SO_TYPE", "1") == errno.EACCES
    assert os.stat(f"{x}/opt/SO_TYPE").st_mode & 0o777 == 0o400
    assert os.stat(f"{x}/opt/IP_ADD_MEMBERSHIP").st_mode & 0o777 == 0o200
    assert errno_of(wr, f"{x}/opt/IP_ADD_MEMBERSHIP", "10.0.0.1") == errno.EINVAL
    # A socket without a descriptor lists no options.
    os.mkdir(f"{net}/bare")
    assert os.listdir(f"{net}/bare/opt") == []
    os.rmdir(f"{net}/bare")
    print(f"errors: ENOENT, EINVAL ({e.strip()}), EACCES")

    # --- the escape hatch on NAME/ctl: replies on the same open file ---
    fd = os.open(f"{d}/ctl", os.O_RDWR)
    def ctl(line):
        try:
            os.write(fd, line.encode())
        except OSError as e:
            return e.errno
        return os.read(fd, 4096).decode()
    assert ctl("setsockopt SOL_SOCKET SO_KEEPALIVE 0\n") == ""
    assert rd(f"{d}/opt/SO_KEEPALIVE") == "0\n"
    assert ctl("setsockopt 1 9 1\n") == ""
    assert ctl("getsockopt SOL_SOCKET SO_KEEPALIVE\n") == "1\n"
    assert ctl(f"getsockopt {socket.IPPROTO_TCP} {socket.TCP_KEEPIDLE}\n") == "30\n"
    assert ctl("setsockopt SOL_SOCKET SO_LINGER 0x0100000007000000\n") == ""
    assert rd(f"{d}/opt/SO_LINGER") == "1 7\n"
    assert ctl("getsockopt SOL_SOCKET SO_LINGER 8\n") == "0100000007000000\n"
    r = ctl("getsockopt IPPROTO_TCP TCP_CONGESTION 16\n")
    assert bytes.fromhex(r.strip()).rstrip(b"\0") == b"reno", r
    assert ctl("getsockopt SOL_SOCKET SO_NOSUCH\n") == errno.EINVAL
    assert "SO_NOSUCH" in rd(f"{d}/error")
    assert ctl("setsockopt SOL_SOCKET SO_RCVBUF lots\n") == errno.EINVAL
    assert ctl("getsockopt 1 12345\n") == errno.ENOPROTOOPT
    os.close(fd)
    print("setsockopt/getsockopt on NAME/ctl: names, numbers, hex; replies read back")


def reuseaddr(net):
    """The reference's SO_REUSEADDR example: a server closes with a
    connection in TIME-WAIT and a new one binds the same port at once."""
    ses = Session(net)

    def server(port, reuse):
        s = ses.cmd("socket inet stream")
        wr(f"{net}/{s}/opt/SO_REUSEADDR", "1" if reuse else "0")
        try:
            wr(f"{net}/{s}/ctl", f"bind 127.0.0.1!{port}\nlisten 5\n")
        except OSError as e:
            wr(f"{net}/{s}/ctl", "close")
            return None, e.errno
        return s, 0

    l, _ = server(0, True)
    port = int(open(f"{net}/{l}/sockname").read().split()[1])
    c = socket.create_connection(("127.0.0.1", port))
    fd = os.open(f"{net}/{l}/accept", os.O_RDONLY)
    a = os.read(fd, 100).decode().strip()
    os.close(fd)
    wr(f"{net}/{a}/data", "bye\n")
    wr(f"{net}/{a}/ctl", "close")          # the server closes first: TIME-WAIT
    assert c.recv(10) == b"bye\n" and c.recv(10) == b""
    c.close()
    wr(f"{net}/{l}/ctl", "close")
    tw = subprocess.run(["ss", "-tanH", "state", "time-wait",
                         f"( sport = :{port} )"], capture_output=True,
                        text=True).stdout
    assert tw.strip(), "no connection in TIME-WAIT"
    s, err = server(port, False)
    assert err == errno.EADDRINUSE, (s, err)
    s, err = server(port, True)
    assert err == 0, err
    print(f"port {port}: with a connection in TIME-WAIT, bind fails with "
          "EADDRINUSE without SO_REUSEADDR and works at once with it")


if __name__ == "__main__":
    main(options, reuseaddr)
