"""t_tools.py: a peer for t_tools.sh."""
import socket

from netfs_test import main


def back_peer(path):
    """Listens, prints its port, sends a line to the one that connects,
    reads a line back (or up to the end or a reset) and writes what it got
    to PATH."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    print(srv.getsockname()[1], flush=True)
    c, _ = srv.accept()
    c.sendall(b"back to you\n")
    got = b""
    try:
        while not got.endswith(b"\n"):
            d = c.recv(100)
            if not d:
                break
            got += d
    except OSError:
        pass                # reset: netfs closed with the line unread
    c.close()
    open(path, "wb").write(got)


if __name__ == "__main__":
    main(back_peer)
