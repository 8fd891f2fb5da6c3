"""t_udp.py: UDP through data, sendto and recvfrom against Python peers,
for t_udp.sh."""
import errno
import os
import select
import socket
import time

from netfs_test import main, Session, errno_of as err_of, rd as text, put


def udp(net):
    """Connected UDP through data, truncation, sendto and recvfrom."""
    ses = Session(net)

    # --- connected UDP through data ---
    peer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    peer.bind(("127.0.0.1", 0))
    pport = peer.getsockname()[1]
    u = ses.cmd("socket inet dgram")
    assert u.isdigit(), u
    d = f"{net}/{u}"
    assert text(f"{d}/type") == "dgram\n" and text(f"{d}/proto") == "udp\n"
    assert {"recvfrom", "sendto"} <= set(os.listdir(d)), os.listdir(d)
    put(f"{d}/ctl", f"connect 127.0.0.1 {pport}\n")
    host, port = text(f"{d}/sockname").split()
    assert host == "127.0.0.1"
    assert text(f"{d}/peername") == f"127.0.0.1 {pport}\n"
    fd = os.open(f"{d}/data", os.O_RDWR)
    assert os.write(fd, b"first") == 5
    assert os.write(fd, b"second") == 6
    assert peer.recvfrom(100) == (b"first", ("127.0.0.1", int(port)))
    assert peer.recv(100) == b"second"
    peer.sendto(b"reply-1", ("127.0.0.1", int(port)))
    peer.sendto(b"reply-2", ("127.0.0.1", int(port)))
    # One read, one datagram: a big buffer does not merge them.
    assert os.read(fd, 65536) == b"reply-1"
    assert os.read(fd, 65536) == b"reply-2"
    print("ok - connected UDP through data")

    # --- truncation: a 2000-byte datagram read with 10 bytes ---
    peer.sendto(bytes(range(256)) * 8, ("127.0.0.1", int(port)))
    peer.sendto(b"next", ("127.0.0.1", int(port)))
    assert os.read(fd, 10) == bytes(range(10))
    assert os.read(fd, 100) == b"next", "the rest of a cut datagram is dropped"
    # A read larger than max_pages (1 MiB) still returns one datagram and
    # leaves the next one alone.
    peer.sendto(b"A" * 1000, ("127.0.0.1", int(port)))
    peer.sendto(b"B" * 10, ("127.0.0.1", int(port)))
    assert os.read(fd, 4 << 20) == b"A" * 1000
    assert os.read(fd, 4 << 20) == b"B" * 10
    print("ok - truncation to the size asked, and 4 MiB reads")

    # --- sendto and recvfrom ---
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind(("127.0.0.1", 0))
    oport = other.getsockname()[1]
    v = ses.cmd("socket inet dgram")
    dv = f"{net}/{v}"
    put(f"{dv}/ctl", "bind 127.0.0.1 0\n")
    vport = int(text(f"{dv}/sockname").split()[1])
    st = os.open(f"{dv}/sendto", os.O_WRONLY)
    rf = os.open(f"{dv}/recvfrom", os.O_RDONLY)
    # Every written address form; the reply counts the header line.
    for line in (f"127.0.0.1 {oport}", f"127.0.0.1:{oport}",
                 f"127.0.0.1!{oport}", f"udp!127.0.0.1!{oport}",
                 f"localhost {oport}"):
        msg = line.encode() + b"\n" + b"payload " + line.encode()
        assert os.write(st, msg) == len(msg), line
        data, src = other.recvfrom(1000)
        assert data == b"payload " + line.encode(), data
        assert src == ("127.0.0.1", vport), src
    # A name in non-blocking mode (timeout 0, and O_NONBLOCK) is looked up
    # all the same.
    put(f"{dv}/timeout", "0")
    nst = os.open(f"{dv}/sendto", os.O_WRONLY | os.O_NONBLOCK)
    assert os.write(nst, f"localhost {oport}\nnb".encode()) == 13 + len(str(oport))
    assert other.recv(100) == b"nb"
    put(f"{dv}/timeout", "none")
    other.sendto(b"hello\nwith newline", ("127.0.0.1", vport))
    assert os.read(rf, 1000) == f"127.0.0.1 {oport}\n".encode() + \
        b"hello\nwith newline"
    # A zero-length datagram: the address line alone.
    other.sendto(b"", ("127.0.0.1", vport))
    assert os.read(rf, 1000) == f"127.0.0.1 {oport}\n".encode()
    # And one sent through sendto: an address line alone, then the close.
    e = os.open(f"{dv}/sendto", os.O_WRONLY)
    assert os.write(e, f"127.0.0.1 {oport}\n".encode()) == len(f"127.0.0.1 {oport}\n")
    os.close(e)
    assert other.recvfrom(10) == (b"", ("127.0.0.1", vport))
    # Truncation counts the address line: the datagram is cut, not queued.
    other.sendto(b"0123456789", ("127.0.0.1", vport))
    hdr = f"127.0.0.1 {oport}\n".encode()
    assert os.read(rf, len(hdr) + 3) == hdr + b"012"
    other.sendto(b"z", ("127.0.0.1", vport))
    assert os.read(rf, 100) == hdr + b"z"
    print("ok - sendto in every written form, recvfrom with the sender")


def dd_peer(d):
    """Connects D to a peer of its own, which sends two datagrams to it."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    put(f"{d}/ctl", f"connect 127.0.0.1 {s.getsockname()[1]}\n")
    port = int(open(f"{d}/sockname").read().split()[1])
    s.sendto(b"0123456789abcdefghij", ("127.0.0.1", port))
    s.sendto(b"second", ("127.0.0.1", port))


def udp6_modes(net):
    """IPv6 UDP, the modes of recvfrom, bad input, a refused connected
    send."""
    ses = Session(net)

    # --- IPv6 UDP ---
    peer = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    peer.bind(("::1", 0))
    pport = peer.getsockname()[1]
    u = ses.cmd("socket inet6 dgram")
    d = f"{net}/{u}"
    put(f"{d}/ctl", "bind ::1 0\n")
    host, port, flow, scope = text(f"{d}/sockname").split()
    assert host == "::1", host
    st = os.open(f"{d}/sendto", os.O_WRONLY)
    rf = os.open(f"{d}/recvfrom", os.O_RDONLY)
    for line in (f"::1 {pport}", f"[::1]:{pport}", f"::1 {pport} 0 0",
                 f"udp6!::1!{pport}"):
        os.write(st, line.encode() + b"\nv6 " + line.encode())
        data, src = peer.recvfrom(100)
        assert data == b"v6 " + line.encode() and src[1] == int(port), src
    peer.sendto(b"back", ("::1", int(port)))
    assert os.read(rf, 100) == f"::1 {pport} 0 0\n".encode() + b"back"
    # connected IPv6 through data
    put(f"{d}/ctl", f"connect [::1]:{pport}\n")
    fd = os.open(f"{d}/data", os.O_RDWR)
    os.write(fd, b"v6 data")
    assert peer.recv(100) == b"v6 data"
    peer.sendto(b"v6 reply", ("::1", int(port)))
    assert os.read(fd, 100) == b"v6 reply"
    print("ok - IPv6 UDP: sendto, recvfrom, data")

    # --- modes on recvfrom: timeout, O_NONBLOCK, poll, blocking wake-up ---
    put(f"{d}/timeout", "0.3")
    t0 = time.monotonic()
    assert err_of(lambda: os.read(rf, 100)) == errno.ETIMEDOUT
    assert 0.2 < time.monotonic() - t0 < 5
    put(f"{d}/timeout", "none")
    nb = os.open(f"{d}/recvfrom", os.O_RDONLY | os.O_NONBLOCK)
    assert err_of(lambda: os.read(nb, 100)) == errno.EAGAIN
    p = select.poll()
    p.register(nb, select.POLLIN)
    assert p.poll(0) == []
    peer.sendto(b"wake", ("::1", int(port)))
    assert p.poll(5000), "poll on recvfrom did not wake"
    assert os.read(nb, 100).endswith(b"\nwake")
    pid = os.fork()
    if pid == 0:
        time.sleep(0.3)
        peer.sendto(b"late", ("::1", int(port)))
        os._exit(0)
    assert os.read(rf, 100).endswith(b"\nlate")    # blocked until it came
    os.waitpid(pid, 0)
    print("ok - recvfrom: timeout, O_NONBLOCK, poll, blocking")

    # --- bad input: clear errnos, text in error, the daemon lives ---
    v = ses.cmd("socket inet dgram")
    dv = f"{net}/{v}"
    st = os.open(f"{dv}/sendto", os.O_WRONLY)
    cases = [
        (b"no newline at all", errno.EINVAL, "no newline"),
        (b"garbage\nx", errno.EINVAL, "missing port"),
        (b"127.0.0.1 99999\nx", errno.EINVAL, "port"),
        (b"::1 53\nx", errno.EAFNOSUPPORT, "IPv6 address for an inet socket"),
        (b"/tmp/x\nx", errno.EAFNOSUPPORT, "unix path"),
        (b"127.0.0.1\0 1\nx", errno.EINVAL, "NUL"),
        (b"\nnot connected", errno.EDESTADDRREQ, "not connected"),
        (b"127.0.0.1 9\n" + b"x" * 70000, errno.EMSGSIZE, "70000-byte message"),
        (b"<broadcast> 9\nx", errno.EACCES, ""),
    ]
    for msg, want, words in cases:
        e = err_of(lambda: os.write(st, msg))
        etext = text(f"{dv}/error")
        if want is None:
            assert e != 0, msg
        else:
            assert e == want, (msg, e, etext)
        assert words in etext, (msg, etext)
    # Huge datagrams through data: EMSGSIZE, and the socket goes on.
    fd = os.open(f"{dv}/data", os.O_RDWR)
    put(f"{dv}/ctl", "connect 127.0.0.1 9\n")
    assert err_of(lambda: os.write(fd, b"y" * 65536)) == errno.EMSGSIZE
    assert "EMSGSIZE" in text(f"{dv}/error")
    print("ok - bad headers, wrong family, huge datagrams, <broadcast> "
          "without SO_BROADCAST")

    # --- a connected send to a closed port: ECONNREFUSED on the next call ---
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    closed = probe.getsockname()[1]
    probe.close()
    r = ses.cmd("socket inet dgram")
    dr = f"{net}/{r}"
    put(f"{dr}/ctl", f"connect 127.0.0.1 {closed}\n")
    put(f"{dr}/timeout", "5")
    fd = os.open(f"{dr}/data", os.O_RDWR)
    os.write(fd, b"anyone?")
    assert err_of(lambda: os.read(fd, 100)) == errno.ECONNREFUSED
    assert text(f"{dr}/error").startswith("ECONNREFUSED Connection refused")
    print("ok - connected UDP to a closed port: ECONNREFUSED in error")


if __name__ == "__main__":
    main(udp, dd_peer, udp6_modes)
