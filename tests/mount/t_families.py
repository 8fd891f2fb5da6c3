"""t_families.py: each family/type row of netfs(7) through /net/ctl and
NAME/ctl, against socket(2) here, for t_families.sh."""
import errno
import os
import socket
import sys

from netfs_test import main, Session, put


def families(net, page):
    """Each row of the families table of netfs(7) (the file PAGE) works or
    fails as it says, through /net/ctl and through NAME/ctl."""
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
            put(f"{d}/ctl", "close\n")
        elif not (reply.startswith(f"error {want} ") and
                  f"socket {fam} {typ}" in reply and reply.count(":") >= 2):
            bad.append(f"/net/ctl socket {fam} {typ} {proto}: want {want} "
                       f"with a reason, got: {reply}")
        # Through mkdir and NAME/ctl: the write's errno and the error file.
        d = f"{net}/fam{i}"
        os.mkdir(d)
        try:
            put(f"{d}/ctl", f"socket {fam} {typ} {proto}\n")
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


if __name__ == "__main__":
    main(families)
