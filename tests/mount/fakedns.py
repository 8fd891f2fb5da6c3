#!/usr/bin/env python3
"""fakedns.py: a DNS server for the name-service tests (stdlib only).

It answers UDP queries on --addr (127.0.0.1) port --port (53) from a
table file, one record a line:

    NAME TYPE VALUE...       e.g.  www.netfs.test A 10.1.2.3
                                   netfs.test MX 10 mail.netfs.test
                                   netfs.test TXT hello world
                                   alias.netfs.test CNAME www.netfs.test
                                   3.2.1.10.in-addr.arpa PTR www.netfs.test
                                   _x._tcp.netfs.test SRV 1 2 80 www.netfs.test
                                   netfs.test SOA ns.netfs.test root.netfs.test 1 2 3 4 5

Types: A AAAA MX TXT CNAME PTR NS SRV SOA. A name not in the table is
NXDOMAIN; a known name without the type asked is an empty NOERROR (CNAMEs
are followed). Misbehaviour on purpose, by the first label of the name:
  slow*      answered after --delay seconds (in its own thread)
  drop*      never answered (the client times out: EAI_AGAIN)
  servfail*  SERVFAIL        refused*  REFUSED
  wild*      any A query gets 10.9.9.9 (for many distinct slow names:
             slow-wild*)
Every query is appended to --log, one "NAME TYPE" line, so that a test can
count them. The port file gets the port once the socket is bound.
"""
import argparse
import ipaddress
import socket
import struct
import threading
import time

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15,
         "TXT": 16, "AAAA": 28, "SRV": 33}
NAMES = {v: k for k, v in TYPES.items()}


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rdata(rtype, value):
    f = value.split()
    if rtype == "A":
        return socket.inet_pton(socket.AF_INET, f[0])
    if rtype == "AAAA":
        return socket.inet_pton(socket.AF_INET6, f[0])
    if rtype in ("CNAME", "PTR", "NS"):
        return encode_name(f[0])
    if rtype == "MX":
        return struct.pack("!H", int(f[0])) + encode_name(f[1])
    if rtype == "TXT":
        b = value.encode()
        return b"".join(bytes([len(b[i:i + 255])]) + b[i:i + 255]
                        for i in range(0, max(len(b), 1), 255))
    if rtype == "SRV":
        return struct.pack("!HHH", int(f[0]), int(f[1]), int(f[2])) + \
            encode_name(f[3])
    if rtype == "SOA":
        return encode_name(f[0]) + encode_name(f[1]) + \
            struct.pack("!IIIII", *(int(x) for x in f[2:7]))
    raise ValueError(rtype)


def load(path):
    table = {}
    with open(path) as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, rtype, value = line.split(None, 2)
            table.setdefault(name.lower().rstrip("."), []).append(
                (rtype.upper(), value))
    return table


def parse_question(msg):
    pos, labels = 12, []
    while msg[pos]:
        n = msg[pos]
        labels.append(msg[pos + 1:pos + 1 + n].decode("ascii", "replace"))
        pos += 1 + n
    qtype, qclass = struct.unpack("!HH", msg[pos + 1:pos + 5])
    return ".".join(labels).lower(), qtype, qclass, pos + 5


def answer(table, msg):
    qid, flags = struct.unpack("!HH", msg[:4])
    name, qtype, qclass, end = parse_question(msg)
    first = name.split(".")[0]
    rcode, records = 0, []
    if first.startswith("servfail"):
        rcode = 2
    elif first.startswith("refused"):
        rcode = 5
    elif "wild" in first:
        if qtype == 1:
            records.append((name, "A", "10.9.9.9"))
    elif name not in table:
        rcode = 3
    else:
        cur, seen = name, set()
        while cur in table and cur not in seen:
            seen.add(cur)
            recs = table[cur]
            cname = [v for t, v in recs if t == "CNAME"]
            if cname and qtype != TYPES["CNAME"]:
                records.append((cur, "CNAME", cname[0]))
                cur = cname[0].lower().rstrip(".")
                continue
            records += [(cur, t, v) for t, v in recs
                        if TYPES.get(t) == qtype]
            break
    out = struct.pack("!HHHHHH", qid, 0x8000 | (flags & 0x0100) | 0x0080 |
                      rcode, 1, len(records), 0, 0)
    out += msg[12:end]
    for rname, rtype, value in records:
        rd = rdata(rtype, value)
        out += encode_name(rname) + struct.pack("!HHIH", TYPES[rtype], 1, 60,
                                                len(rd)) + rd
    return out, name, qtype, first


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("table")
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--delay", type=float, default=1.0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    a = ap.parse_args()
    table = load(a.table)
    fam = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    import os
    os.rename(a.port_file + ".tmp", a.port_file)
    lock = threading.Lock()

    def later(reply, peer):
        time.sleep(a.delay)
        s.sendto(reply, peer)

    while True:
        msg, peer = s.recvfrom(4096)
        try:
            reply, name, qtype, first = answer(table, msg)
        except (IndexError, struct.error, ValueError):
            continue
        if a.log:
            with lock, open(a.log, "a") as f:
                f.write(f"{name} {NAMES.get(qtype, qtype)}\n")
        if first.startswith("drop"):
            continue
        if first.startswith("slow"):
            threading.Thread(target=later, args=(reply, peer),
                             daemon=True).start()
        else:
            s.sendto(reply, peer)


if __name__ == "__main__":
    main()
