#!/usr/bin/env python3
"""http-get.py HOST PORT [PATH]: an HTTP/1.0 GET through netfs with
nothing but open(), read() and write(); writes the body to stdout.
NETFS_DIR is the mount point (/net)."""
import os
import sys

net = os.environ.get("NETFS_DIR", "/net")
host, port = sys.argv[1], sys.argv[2]
path = sys.argv[3] if len(sys.argv) > 3 else "/"

# A /net/ctl session: the reply line is read back from the same file.
with open(f"{net}/ctl", "r+b", buffering=0) as ctl:
    ctl.write(f"connect {host}!{port}\n".encode())
    name = ctl.readline().decode().strip()

with open(f"{net}/{name}/data", "wb", buffering=0) as data:
    data.write(f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
with open(f"{net}/{name}/data", "rb") as data:
    response = data.read()              # recv() until the server closes
with open(f"{net}/{name}/ctl", "w") as ctl:
    ctl.write("close\n")

header, _, body = response.partition(b"\r\n\r\n")
sys.stdout.buffer.write(body)
