"""t_examples.py: the peers of t_examples.sh that its examples talk to."""
import socket

from netfs_test import main, recv_all


def udp_receiver(portfile, out):
    """Binds a UDP port on 127.0.0.1, writes its number to PORTFILE and the
    first datagram (within 10 s) to OUT."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    open(portfile, "w").write(str(s.getsockname()[1]))
    s.settimeout(10)
    open(out, "wb").write(s.recv(100))


def unix_echo(path):
    """A unix stream server at PATH for one client: answers "you said: "
    and all the client sent, once it shuts down writing."""
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen()
    c, _ = s.accept()
    c.sendall(b"you said: " + recv_all(c))
    c.close()


if __name__ == "__main__":
    main(udp_receiver, unix_echo)
