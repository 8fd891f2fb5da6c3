#!/usr/bin/env python3
"""line-client.py HOST PORT: sends each line of its input to a line-based
server (an echo service, SMTP, Redis's inline commands...) and prints the
line that answers it, with nothing but Python's own file objects.
NETFS_DIR is the mount point (/net).

/net/ctl is a request/reply file: open()'s defaults (text, buffered,
'r+') work on it. data is a stream that cannot seek, and a buffered
read-write object ('r+' or 'r+b') needs seek: open it twice, 'rb' for
what comes and 'wb' for what goes, as here, or once as
open(path, 'r+b', buffering=0)."""
import os
import sys

net = os.environ.get("NETFS_DIR", "/net")
host, port = sys.argv[1], sys.argv[2]

with open(f"{net}/ctl", "r+") as ctl:
    ctl.write(f"connect {host}!{port}\n")
    ctl.flush()                         # as with any file: write, flush,
    name = ctl.readline().strip()       # then read the reply
if not name.isdigit():
    sys.exit(f"line-client: {name}")

data = f"{net}/{name}/data"
with open(data, "rb") as rx, open(data, "wb") as tx:
    for line in sys.stdin.buffer:
        tx.write(line)
        tx.flush()                      # one write(2), one send
        answer = rx.readline()
        if not answer:
            break                       # the server closed
        sys.stdout.buffer.write(answer)
        sys.stdout.flush()

with open(f"{net}/{name}/ctl", "w") as ctl:
    ctl.write("close\n")
