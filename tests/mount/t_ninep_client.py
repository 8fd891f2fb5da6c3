"""t_ninep_client.py: ninep_client.py checked without a 9P server, so
that the protocol tests built on it later fail for the server's faults
and not the client's. Messages are compared with bytes written out by
hand from the 9P2000.L description; every message kind is encoded and
decoded back; and a Client over a pipe pair, with this script playing
the peer from canned replies, sends 1000 reads at once and matches the
replies, given in reverse, to their tags, then flushes and sees Rlerror.
Run by meson in the unit suite: python3 t_ninep_client.py."""
import errno
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ninep_client as p9  # noqa: E402


def check_hand_made():
    """Layouts against bytes spelled out field by field."""
    # Tversion: size 21, type 100, tag NOTAG, msize 8192, "9P2000.L".
    want = (b"\x15\x00\x00\x00" b"\x64" b"\xff\xff" b"\x00\x20\x00\x00"
            b"\x08\x00" b"9P2000.L")
    assert p9.encode("Tversion", p9.NOTAG, msize=8192,
                     version="9P2000.L") == want
    m = p9.decode(want)
    assert (m.mtype, m.tag, m.msize, m.version) == \
        ("Tversion", p9.NOTAG, 8192, "9P2000.L")

    # Twalk fid 1 newfid 2 ["tcp", "0"].
    want = (b"\x19\x00\x00\x00" b"\x6e" b"\x01\x00" b"\x01\x00\x00\x00"
            b"\x02\x00\x00\x00" b"\x02\x00" b"\x03\x00tcp" b"\x01\x000")
    assert p9.encode("Twalk", 1, fid=1, newfid=2,
                     wnames=["tcp", "0"]) == want

    # Twrite fid 3 offset 2^32 "hi".
    want = (b"\x19\x00\x00\x00" b"\x76" b"\x05\x00" b"\x03\x00\x00\x00"
            b"\x00\x00\x00\x00\x01\x00\x00\x00" b"\x02\x00\x00\x00" b"hi")
    assert p9.encode("Twrite", 5, fid=3, offset=1 << 32, data=b"hi") == want

    # Tattach with and without n_uname (a 9P2000 client's).
    a = p9.encode("Tattach", 1, fid=0, afid=p9.NOFID, uname="u", aname="",
                  n_uname=1000)
    assert a[-4:] == b"\xe8\x03\x00\x00" and len(a) == 7 + 4 + 4 + 3 + 2 + 4
    assert p9.decode(a).n_uname == 1000
    b = p9.encode("Tattach", 1, fid=0, afid=p9.NOFID, uname="u", aname="",
                  n_uname=None)
    assert b[4:] == a[4:-4] and struct.unpack("<I", b[:4])[0] == len(b)
    assert p9.decode(b).n_uname is None

    # Rlerror ENOENT.
    m = p9.decode(b"\x0b\x00\x00\x00\x07\x09\x00\x02\x00\x00\x00")
    assert (m.mtype, m.tag, m.ecode) == ("Rlerror", 9, errno.ENOENT)

    # Rwalk with one qid: dir, version 1, path 0x0102030405060708.
    m = p9.decode(b"\x16\x00\x00\x00\x6f\x01\x00\x01\x00"
                  b"\x80\x01\x00\x00\x00\x08\x07\x06\x05\x04\x03\x02\x01")
    assert m.qids == [p9.Qid(0x80, 1, 0x0102030405060708)]

    # Rread "abc".
    m = p9.decode(b"\x0e\x00\x00\x00\x75\x02\x00\x03\x00\x00\x00abc")
    assert (m.mtype, m.data) == ("Rread", b"abc")

    # Rreaddir entries: qid[13] offset[8] type[1] name[s].
    ent = (b"\x80\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00"
           b"\x01\x00\x00\x00\x00\x00\x00\x00" b"\x04" b"\x03\x00tcp")
    assert p9.pack_dirent(p9.Qid(0x80, 0, 5), 1, 4, "tcp") == ent
    assert p9.parse_dirents(ent + ent) == \
        [p9.Dirent(p9.Qid(0x80, 0, 5), 1, 4, "tcp")] * 2

    # Rgetattr is 7 + 8 + 13 + 3*4 + 15*8 = 160 bytes.
    fields = dict.fromkeys(p9.MESSAGES["Rgetattr"][2], 0)
    fields["qid"] = p9.Qid(0, 0, 0)
    assert len(p9.encode("Rgetattr", 1, **fields)) == 160


def sample(c, n):
    """A value for a field of format c, different for each field n."""
    if c == "s":
        return "name%d" % n
    if c == "Q":
        return p9.Qid(0x80, n, 1 << 40 | n)
    if c == "D":
        return bytes(range(n))
    if c == "W":
        return ["a", "bb", ".."][: n % 4]
    if c == "M":
        return [p9.Qid(0, i, i) for i in range(n % 17)]
    return {"b": 0xF0, "w": 0xBEEF, "d": 0xDEADBEEF,
            "q": 0x0123456789ABCDEF, "N": n}[c] - n


def check_round_trips():
    """Every message kind, encoded then decoded to the same fields."""
    for name, (num, fmt, names) in p9.MESSAGES.items():
        fields = {n: sample(c, i) for i, (c, n) in
                  enumerate(zip(fmt, names))}
        raw = p9.encode(name, 0x1234, **fields)
        assert raw[4] == num and struct.unpack("<I", raw[:4])[0] == len(raw)
        m = p9.decode(raw)
        assert (m.mtype, m.tag, m.fields) == (name, 0x1234, fields), name
        assert p9.frame(raw) == len(raw) and p9.frame(raw[:-1]) is None


def check_malformed():
    """decode and frame refuse what the server's codec refuses."""
    good = p9.encode("Tclunk", 1, fid=1)
    bad = [good[:6],                                    # short
           struct.pack("<I", 12) + good[4:],            # size mismatch
           good + b"\0",                                # leftover
           struct.pack("<IBH", 7, 99, 1),               # unknown type
           p9.encode("Tversion", 1, msize=1, version="x")[:-1]]  # string
    for raw in bad:
        try:
            p9.decode(raw)
        except p9.ProtocolError:
            continue
        raise AssertionError("decoded %r" % raw)
    for size in (0, 6, 8193):
        try:
            p9.frame(struct.pack("<I", size), 8192)
        except p9.ProtocolError:
            continue
        raise AssertionError("framed size %d" % size)
    assert p9.frame(b"\x07\x00\x00") is None


def peer_pair():
    """A Client on two pipes and the peer's ends of them."""
    c2s_r, c2s_w = os.pipe()
    s2c_r, s2c_w = os.pipe()
    return p9.Client(s2c_r, c2s_w, timeout=5), c2s_r, s2c_w


def upcoming(c, k):
    """The next k tags the client will take: replies to blocking calls
    are written before the calls."""
    return list(c.free_tags)[:k]


def read_frames(fd, count):
    """count whole messages from the client, decoded."""
    buf, out = b"", []
    while len(out) < count:
        buf += os.read(fd, 1 << 16)
        while (n := p9.frame(buf)) is not None:
            out.append(p9.decode(buf[:n]))
            buf = buf[n:]
    return out


def check_client():
    """Outstanding tags, out-of-order replies, flush, errors, raw sends."""
    c, cin, cout = peer_pair()

    os.write(cout, p9.encode("Rversion", p9.NOTAG, msize=4096,
                             version="9P2000.L"))
    assert c.version(65536).msize == 4096 and c.msize == 4096
    assert read_frames(cin, 1)[0].mtype == "Tversion"

    # 1000 reads at once, each with its own tag; replies in reverse.
    tags = [c.send("Tread", fid=1, offset=i, count=100) for i in range(1000)]
    assert len(set(tags)) == 1000 and p9.NOTAG not in tags
    reqs = read_frames(cin, 1000)
    assert [r.tag for r in reqs] == tags
    replies = b"".join(p9.encode("Rread", r.tag, data=b"%d" % r.offset)
                       for r in reversed(reqs))
    # Written in odd-sized pieces, as a stream may deliver them.
    for i in range(0, len(replies), 333):
        os.write(cout, replies[i:i + 333])
    for i, t in enumerate(tags):
        assert c.wait(t).data == b"%d" % i
    assert not c.busy and not c.replies

    # Flush of a read that never finished, and of one that did.
    t, tf = upcoming(c, 2)
    assert c.send("Tread", fid=1, offset=0, count=10) == t
    os.write(cout, p9.encode("Rflush", tf))
    assert c.flush(t) is None
    m = read_frames(cin, 2)[1]
    assert (m.mtype, m.oldtag, m.tag) == ("Tflush", t, tf)
    t, tf = upcoming(c, 2)
    c.send("Tread", fid=1, offset=0, count=10)
    os.write(cout, p9.encode("Rread", t, data=b"x") +
             p9.encode("Rflush", tf))
    assert c.flush(t).data == b"x" and not c.busy
    read_frames(cin, 2)

    # Rlerror is an OSError with the errno.
    os.write(cout, p9.encode("Rlerror", upcoming(c, 1)[0],
                             ecode=errno.ENOENT))
    try:
        c.walk(0, 1, ["nonesuch"])
        raise AssertionError("no error")
    except p9.Error9P as e:
        assert e.errno == errno.ENOENT
    assert read_frames(cin, 1)[0].wnames == ["nonesuch"]

    # A readdir across two replies, then the empty one.
    e1 = p9.pack_dirent(p9.Qid(0x80, 0, 1), 1, 4, "tcp")
    e2 = p9.pack_dirent(p9.Qid(0, 0, 2), 2, 8, "ctl")
    for tag, data in zip(upcoming(c, 3), (e1, e2, b"")):
        os.write(cout, p9.encode("Rreaddir", tag, data=data))
    assert [d.name for d in c.readdir_all(2)] == ["tcp", "ctl"]
    assert [r.offset for r in read_frames(cin, 3)] == [0, 1, 2]

    # Raw bytes reach the peer untouched; a bad reply is a ProtocolError.
    c.send_raw(b"\x03\x00\x00\x00")
    assert os.read(cin, 16) == b"\x03\x00\x00\x00"
    os.write(cout, b"\x05\x00\x00\x00\x00")
    try:
        c.recv()
        raise AssertionError("framed a 5-byte message")
    except p9.ProtocolError:
        pass
    c.close()
    os.close(cin)
    os.close(cout)


def main():
    check_hand_made()
    check_round_trips()
    check_malformed()
    check_client()
    print("ninep_client: ok")


if __name__ == "__main__":
    main()
