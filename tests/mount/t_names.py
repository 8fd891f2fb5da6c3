"""t_names.py: the name services against the C library (Python's socket
module), for t_names.sh, which runs them in namespaces of its own with a
fake DNS server."""
import os
import signal
import socket
import subprocess
import time

from netfs_test import main, blocked_cat, ended_by


def resolve(net):
    """resolve/ answers what getaddrinfo answers."""
    FAM = {socket.AF_INET: "inet", socket.AF_INET6: "inet6"}
    TYPE = {socket.SOCK_STREAM: "stream", socket.SOCK_DGRAM: "dgram",
            socket.SOCK_RAW: "raw"}
    PROTO = {0: "ip", 6: "tcp", 17: "udp"}

    def fmt(ai):
        fam, typ, proto, canon, sa = ai
        addr = " ".join(str(x) for x in sa)
        return f"{FAM[fam]} {TYPE[typ]} {PROTO[proto]} {addr}"

    def expect(query, *args, flags=0):
        got = open(f"{net}/resolve/{query}").read()
        want = [fmt(ai) for ai in socket.getaddrinfo(*args, flags=flags)]
        if flags & socket.AI_CANONNAME:
            want.insert(0, "canonname " + socket.getaddrinfo(*args, flags=flags)[0][3])
        want = "".join(w + "\n" for w in want)
        assert got == want, f"{query}:\n{got}want:\n{want}"
        return got

    out = expect("localhost", "localhost", None)
    assert "inet stream tcp 127.0.0.1 0\n" in out, out
    out = expect("tcp!localhost!http", "localhost", "http", 0, socket.SOCK_STREAM,
                 socket.IPPROTO_TCP)
    assert "inet stream tcp 127.0.0.1 80\n" in out, out
    out = expect("udp6!localhost!53", "localhost", 53, socket.AF_INET6,
                 socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    assert out == "inet6 dgram udp ::1 53 0 0\n", out
    expect("127.0.0.1!80", "127.0.0.1", 80)
    expect("::1!80", "::1", 80)
    expect("[::1]!80", "::1", 80)
    expect("tcp4!127.0.0.1!8080?numerichost,numericserv", "127.0.0.1", 8080,
           socket.AF_INET, socket.SOCK_STREAM, 6,
           flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV)
    expect("tcp!*!80?passive", None, 80, 0, socket.SOCK_STREAM, 6,
           flags=socket.AI_PASSIVE)
    out = expect("www.netfs.test", "www.netfs.test", None)
    assert "inet stream tcp 10.1.2.3 0\n" in out and "inet6 stream tcp fd00::3 0 0 0\n" in out, out
    out = expect("tcp!alias.netfs.test!443?canonname", "alias.netfs.test", 443, 0,
                 socket.SOCK_STREAM, 6, flags=socket.AI_CANONNAME)
    assert out.startswith("canonname www.netfs.test\n"), out
    print("resolve: localhost, tcp!localhost!http, udp6!localhost!53, literals, "
          "flags, names of the fake DNS")


def reverse(net):
    """reverse/, services/, protocols/, hostname and fqdn answer what the
    library and getent answer."""
    def read(p):
        return open(f"{net}/{p}").read()

    def reverse_want(addr, port=None, ni=0):
        name, aliases, addrs = socket.gethostbyaddr(addr)
        host, serv = socket.getnameinfo((addr, port or 0), ni)
        lines = [f"name {host}"] + [f"alias {a}" for a in aliases] + \
                [f"address {a}" for a in addrs]
        if port is not None:
            lines.append(f"service {serv}")
        return "".join(l + "\n" for l in lines)

    for q, args in (("127.0.0.1", ("127.0.0.1",)),
                    ("127.0.0.1!80", ("127.0.0.1", 80)),
                    ("127.0.1.1", ("127.0.1.1",)),
                    ("127.0.1.1?nofqdn", ("127.0.1.1", None, socket.NI_NOFQDN)),
                    ("10.1.2.3!53?dgram", ("10.1.2.3", 53, socket.NI_DGRAM))):
        got, want = read(f"reverse/{q}"), reverse_want(*args)
        assert got == want, f"reverse/{q}:\n{got}want:\n{want}"
    assert read("reverse/10.1.2.3").startswith("name www.netfs.test\n")
    got = read("reverse/127.0.0.1!80?numerichost,numericserv")
    assert got == "name 127.0.0.1\naddress 127.0.0.1\nservice 80\n", got

    def getent(db, key):
        out = subprocess.run(["getent", db, key], capture_output=True, text=True,
                             check=True).stdout.split()
        return out

    def service_lines(text):
        return [l.split() for l in text.splitlines()]

    for key in ("http", "22", "domain", "http!tcp", "53!udp"):
        lines = service_lines(read(f"services/{key}"))
        name = key.split("!")[0]
        protos = [key.split("!")[1]] if "!" in key else ["tcp", "udp", "sctp", "dccp"]
        want = []
        for proto in protos:
            try:
                if name.isdigit():
                    sname = socket.getservbyport(int(name), proto)
                else:
                    sname = name
                port = socket.getservbyname(sname, proto)
            except OSError:
                continue
            want.append((sname, str(port), proto))
        assert [tuple(l[:3]) for l in lines] == want, (key, lines, want)
        # getent prints the first entry: name port/proto aliases
        g = getent("services", key.replace("!", "/") if "!" in key else key)
        assert lines[0][0] == g[0] and f"{lines[0][1]}/{lines[0][2]}" == g[1] and \
            lines[0][3:] == g[2:], (lines[0], g)
    assert service_lines(read("services/http"))[0] == ["http", "80", "tcp", "www"]
    assert service_lines(read("services/22"))[0][:3] == ["ssh", "22", "tcp"]

    for key in ("icmp", "6", "udp"):
        got = read(f"protocols/{key}").split()
        assert got == getent("protocols", key), (key, got)
        num = socket.getprotobyname(got[0])
        assert got[1] == str(num)
    assert read("protocols/icmp").split()[:2] == ["icmp", "1"]

    assert read("hostname") == socket.gethostname() + "\n"
    assert read("hostname") == subprocess.run(["hostname"], capture_output=True,
                                              text=True).stdout
    assert read("fqdn") == socket.getfqdn() + "\n", (read("fqdn"), socket.getfqdn())
    assert read("fqdn") == "netfsbox.netfs.test\n", read("fqdn")
    print("reverse, services, protocols, hostname, fqdn agree with the library")


def interrupt(net):
    """A lookup the fake DNS never answers ends within a second of SIGINT
    and of SIGKILL."""
    for sig in (signal.SIGINT, signal.SIGKILL):
        p = blocked_cat(f"{net}/resolve/drop.netfs.test",
                        stderr=subprocess.DEVNULL)
        assert p.poll() is None, "the dropped lookup did not wait"
        dt = ended_by(p, sig, 5)
        print(f"lookup interrupted by {sig.name}: ended in {dt * 1000:.1f} ms")
        assert dt < 1.0, dt


def stall(net, fd):
    """While slow lookups are outstanding, ls of NET and an echo round trip
    through FD (a connected data file) answer at once."""
    fd = int(fd)
    worst_ls = worst_echo = 0.0
    for i in range(20):
        t0 = time.monotonic()
        names = os.listdir(net)
        worst_ls = max(worst_ls, time.monotonic() - t0)
        assert "resolve" in names
        t0 = time.monotonic()
        os.write(fd, b"ping %d\n" % i)
        got = os.read(fd, 100)
        worst_echo = max(worst_echo, time.monotonic() - t0)
        assert got == b"ping %d\n" % i, got
        time.sleep(0.05)
    print(f"with 40 slow lookups outstanding: ls {worst_ls * 1000:.1f} ms, "
          f"echo round trip {worst_echo * 1000:.1f} ms (worst of 20)")
    open(os.environ["T"] + "/figures", "w").write(
        f"ls {worst_ls * 1000:.1f} ms, echo {worst_echo * 1000:.1f} ms\n")
    assert worst_ls < 0.5 and worst_echo < 0.5, (worst_ls, worst_echo)


def busy(net, fast):
    """While another user holds what hold.py holds, ls of NET and a fast
    lookup (FAST under resolve/) still answer; prints the worst times."""
    worst_ls = 0.0
    for i in range(20):
        t0 = time.monotonic()
        names = os.listdir(net)
        worst_ls = max(worst_ls, time.monotonic() - t0)
        assert "resolve" in names
        time.sleep(0.02)
    t0 = time.monotonic()
    with open(os.path.join(net, "resolve", fast)) as f:
        answer = f.read()
    fast_s = time.monotonic() - t0
    assert answer, "no answer for " + fast
    print(f"while another user holds 1000 reads, 100 ctl files, 50 slow "
          f"lookups and a path connect: ls worst {worst_ls * 1000:.1f} ms "
          f"of 20, a fast lookup {fast_s * 1000:.1f} ms")


if __name__ == "__main__":
    main(resolve, reverse, interrupt, stall, busy)
