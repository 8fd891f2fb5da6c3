#!/usr/bin/env python3
"""ping.py HOST [COUNT]: ICMP echo over netfs, with nothing but files.

Makes a raw socket (socket inet raw icmp: needs CAP_NET_RAW), connects it
to HOST (a literal or a name), writes echo requests to data and reads the
replies. A raw IPv4 socket reads whole IP packets, so each reply starts
with the IP header; on loopback the socket also sees its own requests,
which are skipped. NETFS_DIR is the mount point (/net)."""
import os
import struct
import sys
import time

net = os.environ.get("NETFS_DIR", "/net")


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff


def main():
    host = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    ctl = os.open(f"{net}/ctl", os.O_RDWR)
    try:
        os.write(ctl, b"socket inet raw icmp\n")
    except OSError:
        pass                    # the reply line says why
    name = os.read(ctl, 4096).decode().strip()
    os.close(ctl)
    if name.startswith("error"):
        sys.exit(f"ping: {name}")
    d = f"{net}/{name}"
    try:
        with open(f"{d}/ctl", "w") as f:
            f.write(f"connect {host} 0\n")
        with open(f"{d}/timeout", "w") as f:
            f.write("2")
        # (peername is ENOTCONN: Linux names no peer of a raw socket)
        fd = os.open(f"{d}/data", os.O_RDWR)
        ident, got = os.getpid() & 0xffff, 0
        for seq in range(1, count + 1):
            msg = struct.pack("!BBHHHd", 8, 0, 0, ident, seq, time.time())
            msg = msg[:2] + struct.pack("!H", checksum(msg)) + msg[4:]
            os.write(fd, msg)
            while True:
                try:
                    pkt = os.read(fd, 65536)
                except TimeoutError:
                    print(f"no reply for seq {seq}")
                    break
                icmp = pkt[(pkt[0] & 15) * 4:]
                t, _, _, i, s, sent = struct.unpack("!BBHHHd", icmp[:16])
                if t == 0 and i == ident and s == seq:
                    ms = (time.time() - sent) * 1000
                    print(f"{len(icmp)} bytes from {host}: icmp_seq={seq} "
                          f"ttl={pkt[8]} time={ms:.3f} ms")
                    got += 1
                    break
        return 0 if got else 1
    finally:
        with open(f"{d}/ctl", "w") as f:
            f.write("close\n")


if __name__ == "__main__":
    sys.exit(main())
