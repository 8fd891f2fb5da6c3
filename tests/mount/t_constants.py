"""t_constants.py: /net/constants against Python's socket module, for
t_constants.sh."""
import socket

from netfs_test import main


def constants(net):
    """NET/constants: each name once, the system's values."""
    lines = open(f"{net}/constants").read().splitlines()
    consts = {}
    for l in lines:
        name, value = l.split(" ")
        assert name not in consts, f"{name} twice"
        consts[name] = int(value)
    assert len(consts) >= 150, len(consts)
    for name in ("SO_REUSEADDR", "AF_INET6", "SOMAXCONN", "MSG_PEEK",
                 "EAI_NONAME", "SOL_SOCKET", "IPPROTO_TCP", "INADDR_ANY",
                 "IPPORT_RESERVED", "IP_TTL", "IPV6_V6ONLY", "AI_PASSIVE",
                 "NI_NUMERICHOST", "TCP_NODELAY", "SCM_RIGHTS", "SHUT_RDWR",
                 "SOCK_STREAM"):
        assert consts[name] == int(getattr(socket, name)), name
    both = [n for n in consts if hasattr(socket, n)]
    bad = [n for n in both if int(getattr(socket, n)) != consts[n]]
    assert not bad, bad
    families = {n.split("_")[0] for n in consts}
    for f in ("AF", "SOCK", "SO", "SOL", "MSG", "IPPROTO", "IPPORT", "INADDR",
              "IP", "IPV6", "EAI", "AI", "NI", "TCP", "SCM", "SHUT", "SOMAXCONN"):
        assert f in families, f
    print(f"{len(consts)} constants; the {len(both)} that Python's socket "
          "module also has agree with it")


if __name__ == "__main__":
    main(constants)
