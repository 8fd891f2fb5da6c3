#!/bin/bash
# Every family and type of the reference through /net/ctl `socket` and
# NAME/ctl `socket`: each row of the table in netfs(7) ("Families and
# types") either works or fails with the errno it names, and says why.
# Rows marked * depend on the machine: they must agree with what
# socket(2) does here, asked directly from Python.
. "$(dirname "$0")/lib.sh"
mount_netfs

python3 - "$N" "$HERE/../../docs/netfs.7" <<'PY' || fail "families"
import errno, os, socket, sys
sys.path.insert(0, os.environ["HERE"])
from netfs_test import Session
net, page = sys.argv[1:]

text = open(page).read()
block = text.split('.\\" families:begin')[1].split('.\\" families:end')[0]
rows = [l.split() for l in block.splitlines()[1:]
        if l and not l.startswith(".")]
assert all(len(r) == 4 for r in rows), rows
assert len(rows) >= 25, rows

FAM = {"inet": socket.AF_INET, "inet6": socket.AF_INET6,
       "unix": socket.AF_UNIX, "netlink": socket.AF_NETLINK, "tipc": 30}
TYPE = {"stream": 1, "dgram": 2, "raw": 3, "seqpacket": 5, "rdm": 4}
PROTO = {"0": 0, "icmp": 1, "icmpv6": 58, "udp": 17, "tcp": 6, "route": 0}
# The table covers every family x type of the reference.
seen = {(r[0], r[1]) for r in rows}
missing = {(f, t) for f in FAM for t in TYPE} - seen
assert not missing, f"not in the table: {sorted(missing)}"

def direct(fam, typ, proto):
    """What socket(2) says here: 'works' or the errno's name."""
    try:
        socket.socket(FAM[fam], TYPE[typ], PROTO[proto]).close()
        return "works"
    except OSError as e:
        return errno.errorcode[e.errno]

def kernel_type(fam, typ, proto):
    """The type the kernel made (SO_TYPE): a unix raw socket is dgram."""
    with socket.socket(FAM[fam], TYPE[typ], PROTO[proto]) as k:
        t = k.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)
    return {v: n for n, v in TYPE.items()}[t]

ses = Session(net)
bad = []
for i, (fam, typ, proto, want) in enumerate(rows):
    varies = want.endswith("*")
    want = want.rstrip("*")
    here = direct(fam, typ, proto)
    if varies:
        want = here          # the machine decides; netfs must agree
    elif here != want:
        bad.append(f"{fam} {typ} {proto}: the table says {want}, "
                   f"socket(2) here says {here}")
        continue
    # Through /net/ctl: a name, or "error ERRNO ...: socket ...: why".
    reply = ses.cmd(f"socket {fam} {typ} {proto}")
    if want == "works":
        if not reply.isdigit():
            bad.append(f"/net/ctl socket {fam} {typ} {proto}: {reply}")
            continue
        d = f"{net}/{reply}"
        got = (open(f"{d}/family").read().strip(),
               open(f"{d}/type").read().strip())
        if got != (fam, kernel_type(fam, typ, proto)):
            bad.append(f"{fam} {typ}: family/type files say {got}")
        with open(f"{d}/ctl", "w") as f:
            f.write("close\n")
    elif not (reply.startswith(f"error {want} ") and
              f"socket {fam} {typ}" in reply and reply.count(":") >= 2):
        bad.append(f"/net/ctl socket {fam} {typ} {proto}: want {want} "
                   f"with a reason, got: {reply}")
    # Through mkdir and NAME/ctl: the write's errno and the error file.
    d = f"{net}/fam{i}"
    os.mkdir(d)
    try:
        with open(f"{d}/ctl", "w") as f:
            f.write(f"socket {fam} {typ} {proto}\n")
        got = "works"
    except OSError as e:
        got = errno.errorcode[e.errno]
    if got != want:
        bad.append(f"NAME/ctl socket {fam} {typ} {proto}: want {want}, "
                   f"got {got}")
    elif want != "works":
        err = open(f"{d}/error").read()
        if not err.startswith(want + " "):
            bad.append(f"{fam} {typ} {proto}: error file: {err!r}")
    os.rmdir(d)
for b in bad:
    print("FAIL:", b)
print(f"checked {len(rows)} rows")
sys.exit(1 if bad else 0)
PY
ok "every family/type row of netfs(7) works or fails as documented"

# Names of the reference and the C spellings, and numbers, for each part.
for cmd in "socket AF_INET SOCK_DGRAM IPPROTO_UDP" "socket 2 2 17" \
	   "socket inet6 dgram udp" "socket unix seqpacket" \
	   "socket local stream" "socket inet stream mptcp"; do
	reply=$(net_ctl "$cmd")
	case $reply in
	[0-9]*) echo close > "$N/$reply/ctl" ;;
	"error EPROTONOSUPPORT"*mptcp*) ;;	# a kernel without MPTCP
	*) fail "$cmd: $reply" ;;
	esac
done
for bad in "socket bogus stream:EAFNOSUPPORT:unknown family" \
	   "socket inet bogus:ESOCKTNOSUPPORT:unknown socket type" \
	   "socket inet dgram bogus:EPROTONOSUPPORT:unknown protocol" \
	   "socket inet raw:EPROTONOSUPPORT:needs a protocol" \
	   "socket inet seqpacket:ESOCKTNOSUPPORT:inet offers stream, dgram and raw"; do
	IFS=: read -r cmd errno words <<<"$bad"
	reply=$(net_ctl "$cmd")
	case $reply in
	"error $errno "*"$words"*) ;;
	*) fail "$cmd: $reply" ;;
	esac
done
ok "family, type and protocol names, numbers, C spellings; clear errors"

# The datagram files show on message sockets only.
s=$(net_ctl "socket inet stream")
u=$(net_ctl "socket inet dgram")
mkdir "$N/idle"
ls "$N/$s" | grep -qx recvfrom && fail "recvfrom on a stream"
ls "$N/idle" | grep -qx sendto && fail "sendto before the socket exists"
ls "$N/$u" | grep -qx recvfrom || fail "no recvfrom on dgram"
echo "socket inet6 dgram" > "$N/idle/ctl"
[ -e "$N/idle/sendto" ] || fail "sendto after socket inet6 dgram"
ok "recvfrom and sendto only on message sockets"
