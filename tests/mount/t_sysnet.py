"""t_sysnet.py: system/tcp and system/udp against ss, run by t_sysnet.sh
in the daemon's network namespace."""
import os
import socket
import struct
import subprocess
import sys
import time

from netfs_test import main


def system(net):
    """A few hundred sockets: the listing and local, remote and state agree
    with ss; sockets gone between the listing and the read are ENOENT."""
    CONNS4, CONNS6, TW, UDP = 150, 40, 20, 30

    def ss(*args):
        return subprocess.run(["ss", "-nHe"] + list(args), capture_output=True,
                              text=True, check=True).stdout.splitlines()

    def addr(text):
        """ss's 127.0.0.1:80, [::1]:80, 0.0.0.0:* in the read form of local."""
        host, port = text.rsplit(":", 1)
        port = "0" if port == "*" else port
        if host.startswith("["):
            host = host[1:-1].split("%")[0]
            return f"{host} {port} 0 0"
        return f"{host} {port}"

    STATES = {"ESTAB": "established", "UNCONN": "close"}

    def rows(proto):
        """name -> (local, remote, state) as ss sees the sockets."""
        out = {}
        for line in ss("-a", "-" + proto[0]):
            f = line.split()
            ext = dict(x.split(":", 1) for x in f[5:] if ":" in x)
            ino, cookie = int(ext["ino"]), int(ext["sk"], 16)
            name = str(ino) if ino else "tw-%016x" % cookie
            out[name] = (addr(f[3]), addr(f[4]),
                         STATES.get(f[0], f[0].lower()))
        return out

    def files(d):
        return tuple(open(f"{d}/{f}").read().rstrip("\n")
                     for f in ("local", "remote", "state"))

    def agree(proto, least):
        want = rows(proto)
        have = set(os.listdir(f"{net}/system/{proto}"))
        assert have == set(want), (proto, sorted(have ^ set(want))[:5])
        assert len(want) >= least, (proto, len(want))
        for name, row in want.items():
            got = files(f"{net}/system/{proto}/{name}")
            assert got == row, (proto, name, got, row)
        return len(want)

    def gone(path):
        try:
            open(path).read()
        except FileNotFoundError:
            return True
        return False

    def settle(bound=5.0):
        """Until no connection is half closed (bounded)."""
        end = time.monotonic() + bound
        while time.monotonic() < end:
            if not [l for l in ss("-t") if l.split()[0] in
                    ("FIN-WAIT-1", "FIN-WAIT-2", "LAST-ACK", "CLOSING")]:
                return
            time.sleep(0.05)
        sys.exit("connections did not settle")

    def pairs(family, host, n):
        srv = socket.socket(family)
        srv.bind((host, 0))
        srv.listen(512)
        out = []
        for _ in range(n):
            c = socket.create_connection(srv.getsockname()[:2])
            a, _ = srv.accept()
            out.append((c, a))
        return srv, out

    srv4, conns = pairs(socket.AF_INET, "127.0.0.1", CONNS4)
    try:
        srv6, conns6 = pairs(socket.AF_INET6, "::1", CONNS6)
        conns += conns6
    except OSError:
        srv6 = None             # no IPv6 on this lo
    # Some in TIME-WAIT: the client closes first.
    for c, a in conns[:TW]:
        c.close()
        a.close()
    del conns[:TW]
    settle()
    udp = []
    for i in range(UDP):
        six = srv6 and i % 4 >= 2
        u = socket.socket(socket.AF_INET6 if six else socket.AF_INET,
                          socket.SOCK_DGRAM)
        u.bind(("::1" if six else "127.0.0.1", 0))
        if i % 2:
            u.connect((srv6 if six else srv4).getsockname()[:2])
        udp.append(u)

    n = agree("tcp", 2 * CONNS4 + TW)
    m = agree("udp", UDP)
    print(f"ok - local, remote and state agree with ss for {n} TCP and {m} UDP sockets")

    tcp = f"{net}/system/tcp"
    for name in ("999999999", "tw-0123456789abcdef", "x", "0", "12a"):
        assert gone(f"{tcp}/{name}/remote"), name
        assert not os.path.exists(f"{tcp}/{name}"), name
    print("ok - names that never were are ENOENT")

    def reset(c):
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()

    # Gone between the listing and the read: the index the listing left is
    # fresh (the lookup answers from it, the open asks the kernel) ...
    c, a = conns.pop()
    ino = os.fstat(c.fileno()).st_ino
    assert str(ino) in os.listdir(tcp)
    reset(c)
    assert gone(f"{tcp}/{ino}/remote") and gone(f"{tcp}/{ino}/state")
    assert str(ino) not in os.listdir(tcp)
    # ... or old (the lookup asks the kernel too).
    c, a = conns.pop()
    ino = os.fstat(c.fileno()).st_ino
    assert str(ino) in os.listdir(tcp)
    time.sleep(1.2)
    reset(c)
    assert gone(f"{tcp}/{ino}/local")
    assert not os.path.exists(f"{tcp}/{ino}")
    # A lookup first, then the socket goes, then the open: the kernel holds
    # the name's inode meanwhile.
    c, a = conns.pop()
    ino = os.fstat(c.fileno()).st_ino
    d = os.open(f"{tcp}/{ino}", os.O_RDONLY | os.O_DIRECTORY)
    reset(c)
    try:
        os.open("remote", os.O_RDONLY, dir_fd=d)
        sys.exit("read a reset socket through a held directory")
    except FileNotFoundError:
        pass
    os.close(d)
    print("ok - a reset socket is ENOENT, the index fresh, old, or held")

    # Closed into TIME-WAIT: the same tuple and cookie live on without the
    # inode, so N is gone and the listing names tw-COOKIE with that tuple.
    c, a = conns.pop()
    ino = os.fstat(c.fileno()).st_ino
    local, remote, state = files(f"{tcp}/{ino}")
    assert state == "established", state
    c.close()
    a.close()
    settle()
    assert gone(f"{tcp}/{ino}/remote")
    tw = [n for n in os.listdir(tcp) if n.startswith("tw-") and
          files(f"{tcp}/{n}") == (local, remote, "time-wait")]
    assert len(tw) == 1, tw
    print(f"ok - closed, {ino} is ENOENT and {tw[0]} has its tuple")

    # Afterwards the listing still agrees with ss.
    agree("tcp", 2 * CONNS4)
    print("ok - the listing agrees with ss after the changes")


if __name__ == "__main__":
    main(system)
