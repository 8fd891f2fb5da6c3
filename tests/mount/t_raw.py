"""t_raw.py: ICMP echo through raw sockets, for t_raw.sh."""
import errno
import os
import socket
import struct

from netfs_test import main, Session, rd, wr, put


def csum(b):
    """The Internet checksum (RFC 1071) of b."""
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def echo_request(ident, seq, payload, icmp_type=8):
    """An ICMP echo request with its checksum."""
    h = struct.pack("!BBHHH", icmp_type, 0, 0, ident, seq) + payload
    return h[:2] + struct.pack("!H", csum(h)) + h[4:]


def icmp_of(packet):
    """An IPv4 packet as a raw socket reads it: skip the IP header."""
    assert packet[0] >> 4 == 4, packet[:4]
    return packet[(packet[0] & 15) * 4:]


def wait_reply(fd, ident, seq, v6=False):
    """Reads until the echo reply (type 0, or 129 for ICMPv6) to ident/seq;
    the request itself shows on loopback too. Bounded."""
    for _ in range(50):
        pkt = os.read(fd, 65536)
        icmp = pkt if v6 else icmp_of(pkt)
        t, _, _, i, s = struct.unpack("!BBHHH", icmp[:8])
        if t == (129 if v6 else 0) and i == ident and s == seq:
            return icmp[8:], pkt
    raise AssertionError("no echo reply")


def echo(net):
    """Echo requests through data and sendto, IPv4 and IPv6; ping(8) seen;
    ICMP datagram sockets as ping_group_range says; bad input."""
    ses = Session(net)

    r = ses.cmd("socket inet raw icmp")
    d = f"{net}/{r}"
    assert open(f"{d}/type").read() == "raw\n"
    assert open(f"{d}/proto").read() == "icmp\n"
    put(f"{d}/timeout", "5")
    put(f"{d}/ctl", "connect 127.0.0.1 0\n")
    fd = os.open(f"{d}/data", os.O_RDWR)
    ident = os.getpid() & 0xffff
    req = echo_request(ident, 1, b"netfs ping 1")
    assert os.write(fd, req) == len(req)
    payload, pkt = wait_reply(fd, ident, 1)
    assert payload == b"netfs ping 1", payload
    assert pkt[9] == 1 and pkt[12:16] == bytes([127, 0, 0, 1]), pkt[:20]
    print("ok - echo request through data, reply read with its IP header")

    # sendto: the address line, then the ICMP message (the port is ignored).
    r2 = ses.cmd("socket inet raw icmp")
    d2 = f"{net}/{r2}"
    put(f"{d2}/timeout", "5")
    st = os.open(f"{d2}/sendto", os.O_WRONLY)
    rf = os.open(f"{d2}/recvfrom", os.O_RDONLY)
    msg = b"127.0.0.1 0\n" + echo_request(ident, 2, b"via sendto")
    assert os.write(st, msg) == len(msg)
    for _ in range(50):
        got = os.read(rf, 65536)
        line, pkt = got.split(b"\n", 1)
        assert line == b"127.0.0.1 0", line
        icmp = icmp_of(pkt)
        if icmp[0] == 0 and struct.unpack("!H", icmp[6:8])[0] == 2:
            break
    else:
        raise AssertionError("no reply on recvfrom")
    assert icmp[8:] == b"via sendto"
    print("ok - echo request through sendto, reply on recvfrom")

    # IPv6: the kernel fills the ICMPv6 checksum; reads carry no IP header.
    r6 = ses.cmd("socket inet6 raw icmpv6")
    assert r6.isdigit(), r6
    d6 = f"{net}/{r6}"
    put(f"{d6}/timeout", "5")
    put(f"{d6}/ctl", "connect ::1 0\n")
    fd6 = os.open(f"{d6}/data", os.O_RDWR)
    os.write(fd6, struct.pack("!BBHHH", 128, 0, 0, ident, 3) + b"netfs ping6")
    payload, _ = wait_reply(fd6, ident, 3, v6=True)
    assert payload == b"netfs ping6"
    print("ok - ICMPv6 echo through data")

    # A raw socket sees what ping(8) sends.
    r3 = ses.cmd("socket inet raw icmp")
    d3 = f"{net}/{r3}"
    put(f"{d3}/timeout", "5")
    fd3 = os.open(f"{d3}/data", os.O_RDONLY)
    rc = os.system("ping -c 1 -W 2 -p 6e657466735f70696e67 127.0.0.1 >/dev/null 2>&1")
    if rc == 0:
        for _ in range(50):
            icmp = icmp_of(os.read(fd3, 65536))
            if icmp[0] == 8 and b"netfs_ping" in icmp:
                break
        else:
            raise AssertionError("ping's request not seen")
        print("ok - a raw socket sees ping(8)'s echo request")
    else:
        print("# ping(8) unavailable here; skipped watching it")

    # Unprivileged ICMP sockets: as the ping_group_range says.
    lo, hi = map(int, open("/proc/sys/net/ipv4/ping_group_range").read().split())
    reply = ses.cmd("socket inet dgram icmp")
    if lo <= os.getgid() <= hi:
        assert reply.isdigit(), reply
        dd = f"{net}/{reply}"
        put(f"{dd}/timeout", "5")
        put(f"{dd}/ctl", "connect 127.0.0.1 0\n")
        fdd = os.open(f"{dd}/data", os.O_RDWR)
        os.write(fdd, echo_request(0, 4, b"dgram ping"))
        got = os.read(fdd, 1000)       # no IP header; the kernel sets the id
        assert got[0] == 0 and got[8:] == b"dgram ping", got
        print("ok - ICMP datagram socket (ping_group_range allows us)")
    else:
        assert reply.startswith("error EACCES") and "ping_group_range" in reply, reply
        print(f"ok - ICMP datagram socket refused: {reply}")

    # Bad input: a raw socket with no protocol, and garbage to sendto.
    reply = ses.cmd("socket inet raw")
    assert reply.startswith("error EPROTONOSUPPORT") and "needs a protocol" in reply, reply
    try:
        os.write(st, b"127.0.0.1\n" + b"x")
        raise AssertionError("no port accepted")
    except OSError as e:
        assert e.errno == errno.EINVAL


def hdrincl(net):
    """The reference's raw-socket example: IP_HDRINCL through opt/, an IPv4
    header made here, the echo reply read back with recvfrom."""
    ses = Session(net)
    s = ses.cmd("socket inet raw icmp")
    d = f"{net}/{s}"
    wr(f"{d}/opt/IP_HDRINCL", "1")
    assert rd(f"{d}/opt/IP_HDRINCL") == "1\n"
    wr(f"{d}/timeout", "5")

    ident, seq = os.getpid() & 0xffff, 7
    icmp = echo_request(ident, seq, b"hdrincl")
    lo = socket.inet_aton("127.0.0.1")
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0, 64,
                     socket.IPPROTO_ICMP, 0, lo, lo)
    fd = os.open(f"{d}/sendto", os.O_WRONLY)
    n = os.write(fd, b"127.0.0.1 0\n" + ip + icmp)
    os.close(fd)
    assert n == len(b"127.0.0.1 0\n") + len(ip) + len(icmp), n
    r = os.open(f"{d}/recvfrom", os.O_RDONLY)
    for i in range(100):        # other tests' ICMP may come first
        line, _, body = os.read(r, 4096).partition(b"\n")
        hl = (body[0] & 15) * 4
        typ, _, _, rid, rseq = struct.unpack("!BBHHH", body[hl:hl + 8])
        if typ == 0 and rid == ident and rseq == seq:
            assert body[hl + 8:] == b"hdrincl", body
            assert line == b"127.0.0.1 0", line
            break
    else:
        raise AssertionError("no echo reply to the hand-made packet")
    os.close(r)
    print("IP_HDRINCL: a hand-made IPv4 header went out, the echo reply came back")


if __name__ == "__main__":
    main(echo, hdrincl)
