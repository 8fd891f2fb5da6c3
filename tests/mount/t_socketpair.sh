#!/bin/bash
# socketpair on /net/ctl: two names on one reply line, connected to each
# other; unix stream (bytes), seqpacket and dgram (message boundaries
# kept), the errors of pairs the kernel does not make, and no socket left
# behind by a failed one.
. "$(dirname "$0")/lib.sh"
mount_netfs

# Default: unix stream.
exec 3<>"$N/ctl"
echo socketpair >&3
read -r a b <&3
exec 3>&-
[ -d "$N/$a" ] && [ -d "$N/$b" ] || fail "socketpair reply: $a $b"
[ "$(cat "$N/$a/family") $(cat "$N/$a/type")" = "unix stream" ] || fail "default pair type"
grep -q '^state connected$' "$N/$a/status" || fail "state: $(head -1 "$N/$a/status")"
[ "$(wc -c < "$N/$a/peername")" = 1 ] || fail "unnamed peer is an empty line"
[ ! -e "$N/$a/recvfrom" ] || fail "recvfrom on a stream"
echo "across the pair" > "$N/$a/data"
read -r -t 5 line < "$N/$b/data" || fail "nothing across"
[ "$line" = "across the pair" ] || fail "got: $line"
echo "and back" > "$N/$b/data"
read -r -t 5 line < "$N/$a/data"
[ "$line" = "and back" ] || fail "back: $line"
# Closing one end is end of file on the other.
echo close > "$N/$a/ctl"
[ "$(bounded 5 cat "$N/$b/data")" = "" ] || fail "EOF after close"
ok "socketpair: unix stream, two names, end of file"

python3 - "$N" <<'PY' || fail "seqpacket"
import errno, os, sys
sys.path.insert(0, os.environ["HERE"])
from netfs_test import Session
net = sys.argv[1]
ses = Session(net)
for kind in ("seqpacket", "dgram"):
    reply = ses.cmd(f"socketpair unix {kind}")
    a, b = reply.split()
    assert open(f"{net}/{a}/type").read() == kind + "\n"
    assert "recvfrom" in os.listdir(f"{net}/{a}")
    fa = os.open(f"{net}/{a}/data", os.O_RDWR)
    fb = os.open(f"{net}/{b}/data", os.O_RDWR)
    msgs = [b"one", b"two two", b"x" * 100000, b"three\n"]
    for m in msgs:
        assert os.write(fa, m) == len(m)
    # Each read returns one message whatever size it asks for.
    for m in msgs:
        assert os.read(fb, 1 << 20) == m
    # A small read cuts the message and the rest is gone.
    os.write(fa, b"0123456789")
    os.write(fa, b"after")
    assert os.read(fb, 4) == b"0123"
    assert os.read(fb, 100) == b"after"
    # A read bigger than FUSE's 1 MiB chunks still takes one message.
    os.write(fa, b"y" * 5000)
    os.write(fa, b"z")
    assert os.read(fb, 8 << 20) == b"y" * 5000
    assert os.read(fb, 8 << 20) == b"z"
    # Too big for the socket: EMSGSIZE, reported in error.
    try:
        os.write(fa, b"w" * (1 << 20))
        raise AssertionError("1 MiB message accepted")
    except OSError as e:
        assert e.errno == errno.EMSGSIZE, e
    assert open(f"{net}/{a}/error").read().startswith("EMSGSIZE"), \
        open(f"{net}/{a}/error").read()
    # recvfrom on a pair: the unnamed peer is an empty line.
    os.write(fa, b"via recvfrom")
    assert os.read(os.open(f"{net}/{b}/recvfrom", os.O_RDONLY), 100) == \
        b"\nvia recvfrom"
    print(f"ok - socketpair unix {kind}: message boundaries kept")
PY
ok "socketpair seqpacket and dgram"

# Pairs the kernel does not make: the errno, a reason, no socket left.
before=$(sockets | wc -l)
for args in "inet stream:EOPNOTSUPP" "inet6 dgram:EOPNOTSUPP" \
	    "unix rdm:ESOCKTNOSUPPORT" "bogus:EAFNOSUPPORT" \
	    "unix stream 6:EPROTONOSUPPORT" "unix stream 0 extra:EINVAL"; do
	reply=$(net_ctl "socketpair ${args%%:*}")
	case $reply in
	"error ${args##*:} "*) ;;
	*) fail "socketpair ${args%%:*}: $reply" ;;
	esac
done
reply=$(net_ctl "socketpair inet stream")
case $reply in *"only unix sockets come in pairs"*) ;; *) fail "no reason: $reply" ;; esac
[ "$(sockets | wc -l)" = "$before" ] || fail "a failed socketpair left sockets"
ok "socketpair errors: errno, reason, nothing left behind"
