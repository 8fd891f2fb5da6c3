#!/usr/bin/env python3
"""peer.py: real peers on loopback for the mount tests.

Every server binds port 0 on 127.0.0.1 (or ::1 with -6), writes its port
to --port-file once listening, and runs until killed. Kinds:

  echo            echo every connection back (one thread each)
  send N          send N bytes of a fixed pseudo-random stream, then close
                  (with --hold: keep the connection open afterwards)
  sink FILE       read each connection to the end, write its sha256 to FILE
  hold            accept and hold connections open without sending
  http N          answer each HTTP request with N bytes of the send stream
  udpecho         a UDP socket that sends each datagram back
  oneline TEXT    send TEXT to each connection and keep it open
"""
import argparse
import hashlib
import os
import random
import socket
import sys
import threading


def stream(n, seed=1):
    """The same N pseudo-random bytes each time."""
    return random.Random(seed).randbytes(n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind")
    ap.add_argument("arg", nargs="?")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("-6", dest="v6", action="store_true")
    ap.add_argument("--hold", action="store_true")
    a = ap.parse_args()

    fam = socket.AF_INET6 if a.v6 else socket.AF_INET
    host = "::1" if a.v6 else "127.0.0.1"
    srv = socket.socket(fam, socket.SOCK_STREAM)
    if a.kind == "udpecho":
        u = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                          socket.SOCK_DGRAM)
        u.bind((host, 0))
        with open(a.port_file + ".tmp", "w") as f:
            f.write(str(u.getsockname()[1]))
        os.rename(a.port_file + ".tmp", a.port_file)
        while True:
            d, peer = u.recvfrom(65536)
            u.sendto(d, peer)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, 0))
    srv.listen(1024)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.rename(tmp, a.port_file)

    held = []
    payload = stream(int(a.arg)) if a.kind in ("send", "http") else None

    def serve(c):
        try:
            if a.kind == "echo":
                while True:
                    d = c.recv(65536)
                    if not d:
                        break
                    c.sendall(d)
            elif a.kind == "send":
                c.sendall(payload)
                if a.hold:
                    held.append(c)
                    return
            elif a.kind == "http":
                req = b""
                while b"\r\n\r\n" not in req:
                    d = c.recv(4096)
                    if not d:
                        break
                    req += d
                c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n"
                          % len(payload) + payload)
            elif a.kind == "sink":
                h = hashlib.sha256()
                while True:
                    d = c.recv(65536)
                    if not d:
                        break
                    h.update(d)
                with open(a.arg + ".tmp", "w") as f:
                    f.write(h.hexdigest())
                os.rename(a.arg + ".tmp", a.arg)
            elif a.kind == "oneline":
                c.sendall(a.arg.encode() + b"\n")
                held.append(c)
                return
            elif a.kind == "hold":
                held.append(c)
                return
        except OSError:
            pass
        c.close()

    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
