"""t_hostnet.py: system/ shows sockets made outside netfs, for
t_hostnet.sh."""
import os
import socket
import sys

from netfs_test import main


def system(net):
    """A TCP connection and a unix listener made here show in system/."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    cli = socket.create_connection(srv.getsockname())
    acc, _ = srv.accept()
    def find(port, state):
        for n in os.listdir(f"{net}/system/tcp"):
            d = f"{net}/system/tcp/{n}"
            try:
                local = open(f"{d}/local").read().split()
                st = open(f"{d}/state").read().strip()
            except FileNotFoundError:
                continue            # gone meanwhile
            if int(local[1]) == port and st == state:
                return d
        sys.exit(f"no {state} socket on port {port}")
    lport = srv.getsockname()[1]
    cport = cli.getsockname()[1]
    find(lport, "listen")
    d = find(cport, "established")
    assert open(f"{d}/remote").read().split()[:2] == ["127.0.0.1", str(lport)]
    assert int(open(f"{d}/inode").read()) == os.fstat(cli.fileno()).st_ino
    assert int(open(f"{d}/uid").read()) == os.getuid()
    assert "rtt " in open(f"{d}/tcp_info").read()
    print(f"found {d.split('/')[-1]}: 127.0.0.1 {cport} -> 127.0.0.1 {lport} established")
    u = socket.socket(socket.AF_UNIX)
    path = os.path.dirname(net) + "/u.sock"
    u.bind(path)
    u.listen()
    def local_of(n):
        try:
            return open(f"{net}/system/unix/{n}/local").read().strip()
        except FileNotFoundError:
            return None             # gone meanwhile
    hits = [n for n in os.listdir(f"{net}/system/unix") if local_of(n) == path]
    assert len(hits) == 1, hits
    assert open(f"{net}/system/unix/{hits[0]}/state").read() == "listen\n"


if __name__ == "__main__":
    main(system)
