"""t_plan9udp.py: the peers and the I/O of t_plan9udp.sh, which runs each
with fd 3 (a conversation's ctl) closed: a child holding it would keep the
conversation open."""
import os
import socket
import sys

from netfs_test import main


def client(host, port, payload, portfile, out):
    """A UDP client on loopback: sends PAYLOAD to HOST!PORT from a port of
    its own (written to PORTFILE), then writes the one reply it gets (or
    "timeout", after 60 s) and the reply's source port to OUT."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((host, 0))
    s.settimeout(60)  # the test checks the datagram before answering; slow under load
    open(portfile + ".tmp", "w").write(str(s.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    s.sendto(payload.encode(), (host, int(port)))
    try:
        data, src = s.recvfrom(65536)
        r = "%s %d" % (data.decode(errors="replace"), src[1])
    except socket.timeout:
        r = "timeout"
    open(out, "w").write(r)


def read(path, out):
    """One read(2) of PATH into OUT."""
    fd = os.open(path, os.O_RDONLY)
    data = os.read(fd, 65536)
    open(out, "wb").write(data)


def write(path, hexbytes, text=""):
    """The bytes of HEXBYTES, then TEXT, in one write(2) to PATH: prints the
    count, or the error's text (and fails)."""
    buf = bytes.fromhex(hexbytes) + text.encode()
    fd = os.open(path, os.O_WRONLY)
    try:
        n = os.write(fd, buf)
    except OSError as e:
        print(e.strerror)
        sys.exit(1)
    print(n)


def echo(portfile):
    """A UDP echo server on 127.0.0.1 (its port written to PORTFILE) that
    answers "echo:" and the datagram, four times at the most."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(20)
    open(portfile + ".tmp", "w").write(str(s.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    for _ in range(4):
        try:
            d, a = s.recvfrom(65536)
        except socket.timeout:
            break
        s.sendto(b"echo:" + d, a)


if __name__ == "__main__":
    main(client, read, write, echo)
