"""ninep_client.py: a small 9P2000.L client for protocol-level tests.

The kernel's v9fs client only sends well-formed traffic, one request per
tag as it needs them; the tests of netfs's 9P server also need what it
never sends: malformed sizes (send_raw), fid reuse, a flush of an unknown
tag, and a thousand reads outstanding on one connection (send() without
waiting, then wait() for each tag in any order). So this client keeps the
wire format in two tables, encodes and decodes both T- and R-messages
(a test may play either side), and leaves every policy to the caller.

Transports: Client.unix(path), Client.tcp(host, port), or
Client(rfd, wfd) for a pipe pair or an inherited descriptor (trans=fd).

    c = Client.unix("/run/netfs.9p")
    c.version()
    root = c.attach(0)
    c.walk(0, 1, ["tcp", "clone"])
    c.lopen(1, os.O_RDWR)
    print(c.read(1, 0, 100))
"""
import collections
import os
import select
import socket
import struct

NOTAG = 0xFFFF
NOFID = 0xFFFFFFFF
NONUNAME = 0xFFFFFFFF
MAXWELEM = 16
HDRSZ = 7
VERSION = "9P2000.L"

Qid = collections.namedtuple("Qid", "type version path")
Dirent = collections.namedtuple("Dirent", "qid offset type name")

# name: (type number, field formats, field names). Formats:
#   b u8, w u16, d u32, q u64, s string (len[2] bytes; str or bytes in,
#   str out), Q qid, D count[4] + data (bytes), W nwname[2] + strings
#   (a list), M nwqid[2] + qids (a list), N an optional trailing u32
#   (Tauth/Tattach's n_uname, absent from 9P2000 clients' messages: None).
MESSAGES = {
    "Tlerror": (6, "", ()),
    "Rlerror": (7, "d", ("ecode",)),
    "Tstatfs": (8, "d", ("fid",)),
    "Rstatfs": (9, "ddqqqqqqd", ("type", "bsize", "blocks", "bfree",
                                 "bavail", "files", "ffree", "fsid",
                                 "namelen")),
    "Tlopen": (12, "dd", ("fid", "flags")),
    "Rlopen": (13, "Qd", ("qid", "iounit")),
    "Tlcreate": (14, "dsddd", ("fid", "name", "flags", "mode", "gid")),
    "Rlcreate": (15, "Qd", ("qid", "iounit")),
    "Tsymlink": (16, "dssd", ("dfid", "name", "symtgt", "gid")),
    "Rsymlink": (17, "Q", ("qid",)),
    "Tmknod": (18, "dsdddd", ("dfid", "name", "mode", "major", "minor",
                              "gid")),
    "Rmknod": (19, "Q", ("qid",)),
    "Trename": (20, "dds", ("fid", "dfid", "name")),
    "Rrename": (21, "", ()),
    "Treadlink": (22, "d", ("fid",)),
    "Rreadlink": (23, "s", ("target",)),
    "Tgetattr": (24, "dq", ("fid", "request_mask")),
    "Rgetattr": (25, "qQdddqqqqqqqqqqqqqqq",
                 ("valid", "qid", "mode", "uid", "gid", "nlink", "rdev",
                  "size", "blksize", "blocks", "atime_sec", "atime_nsec",
                  "mtime_sec", "mtime_nsec", "ctime_sec", "ctime_nsec",
                  "btime_sec", "btime_nsec", "gen", "data_version")),
    "Tsetattr": (26, "dddddqqqqq", ("fid", "valid", "mode", "uid", "gid",
                                    "size", "atime_sec", "atime_nsec",
                                    "mtime_sec", "mtime_nsec")),
    "Rsetattr": (27, "", ()),
    "Txattrwalk": (30, "dds", ("fid", "newfid", "name")),
    "Rxattrwalk": (31, "q", ("size",)),
    "Txattrcreate": (32, "dsqd", ("fid", "name", "attr_size", "flags")),
    "Rxattrcreate": (33, "", ()),
    "Treaddir": (40, "dqd", ("fid", "offset", "count")),
    "Rreaddir": (41, "D", ("data",)),
    "Tfsync": (50, "dd", ("fid", "datasync")),
    "Rfsync": (51, "", ()),
    "Tlock": (52, "dbdqqds", ("fid", "type", "flags", "start", "length",
                              "proc_id", "client_id")),
    "Rlock": (53, "b", ("status",)),
    "Tgetlock": (54, "dbqqds", ("fid", "type", "start", "length",
                                "proc_id", "client_id")),
    "Rgetlock": (55, "bqqds", ("type", "start", "length", "proc_id",
                               "client_id")),
    "Tlink": (70, "dds", ("dfid", "fid", "name")),
    "Rlink": (71, "", ()),
    "Tmkdir": (72, "dsdd", ("dfid", "name", "mode", "gid")),
    "Rmkdir": (73, "Q", ("qid",)),
    "Trenameat": (74, "dsds", ("olddirfid", "oldname", "newdirfid",
                               "newname")),
    "Rrenameat": (75, "", ()),
    "Tunlinkat": (76, "dsd", ("dirfid", "name", "flags")),
    "Runlinkat": (77, "", ()),
    "Tversion": (100, "ds", ("msize", "version")),
    "Rversion": (101, "ds", ("msize", "version")),
    "Tauth": (102, "dssN", ("afid", "uname", "aname", "n_uname")),
    "Rauth": (103, "Q", ("aqid",)),
    "Tattach": (104, "ddssN", ("fid", "afid", "uname", "aname", "n_uname")),
    "Rattach": (105, "Q", ("qid",)),
    "Tflush": (108, "w", ("oldtag",)),
    "Rflush": (109, "", ()),
    "Twalk": (110, "ddW", ("fid", "newfid", "wnames")),
    "Rwalk": (111, "M", ("qids",)),
    "Tread": (116, "dqd", ("fid", "offset", "count")),
    "Rread": (117, "D", ("data",)),
    "Twrite": (118, "dqD", ("fid", "offset", "data")),
    "Rwrite": (119, "d", ("count",)),
    "Tclunk": (120, "d", ("fid",)),
    "Rclunk": (121, "", ()),
    "Tremove": (122, "d", ("fid",)),
    "Rremove": (123, "", ()),
}
NAMES = {num: name for name, (num, _, _) in MESSAGES.items()}
TYPES = {name: num for name, (num, _, _) in MESSAGES.items()}

_INTS = {"b": "<B", "w": "<H", "d": "<I", "q": "<Q"}


class ProtocolError(Exception):
    """The peer sent bytes that are not a well-formed 9P2000.L message."""


class Error9P(OSError):
    """An Rlerror: errno is the server's ecode."""

    def __init__(self, ecode, request=""):
        super().__init__(ecode, "%s: %s" % (request, os.strerror(ecode))
                         if request else os.strerror(ecode))


class Msg:
    """A decoded message: mtype ("Rwalk"), tag, and its fields as
    attributes and in .fields (mtype, not name or type: those are
    fields of Tlcreate and Rgetlock)."""

    def __init__(self, mtype, tag, fields):
        self.__dict__.update(fields)
        self.mtype, self.tag, self.fields = mtype, tag, fields

    def __repr__(self):
        return "Msg(%s tag=%d %r)" % (self.mtype, self.tag, self.fields)


def _b(s):
    return s.encode() if isinstance(s, str) else bytes(s)


def pack_str(s):
    s = _b(s)
    return struct.pack("<H", len(s)) + s


def pack_qid(q):
    return struct.pack("<BIQ", *q)


def encode(mtype, tag, /, **fields):
    """The bytes of message mtype ("Twalk") with tag and its fields by
    name (positional-only, as "name" is a field of several messages)."""
    num, fmt, names = MESSAGES[mtype]
    missing = [n for n, c in zip(names, fmt) if n not in fields and c != "N"]
    if missing or set(fields) - set(names):
        raise TypeError("%s takes %s" % (mtype, ", ".join(names)))
    body = b""
    for c, n in zip(fmt, names):
        v = fields.get(n)
        if c in _INTS:
            body += struct.pack(_INTS[c], v)
        elif c == "N":
            if v is not None:
                body += struct.pack("<I", v)
        elif c == "s":
            body += pack_str(v)
        elif c == "Q":
            body += pack_qid(v)
        elif c == "D":
            body += struct.pack("<I", len(v)) + bytes(v)
        elif c == "W":
            body += struct.pack("<H", len(v)) + b"".join(map(pack_str, v))
        elif c == "M":
            body += struct.pack("<H", len(v)) + b"".join(map(pack_qid, v))
    return struct.pack("<IBH", HDRSZ + len(body), num, tag) + body


class _Reader:
    def __init__(self, buf):
        self.buf, self.off = buf, HDRSZ

    def take(self, n):
        if len(self.buf) - self.off < n:
            raise ProtocolError("field runs past the end")
        v = self.buf[self.off:self.off + n]
        self.off += n
        return v

    def int(self, c):
        f = _INTS[c]
        return struct.unpack(f, self.take(struct.calcsize(f)))[0]

    def str(self):
        return self.take(self.int("w")).decode(errors="surrogateescape")

    def qid(self):
        return Qid(*struct.unpack("<BIQ", self.take(13)))


def decode(buf):
    """A Msg from one whole message's bytes; ProtocolError if malformed
    (size field, bounds, unknown type, leftover bytes)."""
    buf = bytes(buf)
    if len(buf) < HDRSZ:
        raise ProtocolError("shorter than the 7-byte header")
    size, num, tag = struct.unpack("<IBH", buf[:HDRSZ])
    if size != len(buf):
        raise ProtocolError("size %d for %d bytes" % (size, len(buf)))
    if num not in NAMES:
        raise ProtocolError("unknown message type %d" % num)
    name = NAMES[num]
    _, fmt, names = MESSAGES[name]
    r, fields = _Reader(buf), {}
    for c, n in zip(fmt, names):
        if c in _INTS:
            fields[n] = r.int(c)
        elif c == "N":
            fields[n] = r.int("d") if r.off < len(buf) else None
        elif c == "s":
            fields[n] = r.str()
        elif c == "Q":
            fields[n] = r.qid()
        elif c == "D":
            fields[n] = r.take(r.int("d"))
        elif c == "W":
            fields[n] = [r.str() for _ in range(r.int("w"))]
        elif c == "M":
            fields[n] = [r.qid() for _ in range(r.int("w"))]
    if r.off != len(buf):
        raise ProtocolError("%d bytes left over in %s"
                            % (len(buf) - r.off, name))
    return Msg(name, tag, fields)


def pack_dirent(qid, offset, dtype, name):
    """One Rreaddir entry: qid[13] offset[8] type[1] name[s]."""
    return pack_qid(qid) + struct.pack("<QB", offset, dtype) + pack_str(name)


def parse_dirents(data):
    """Rreaddir's data as a list of Dirent."""
    r, out = _Reader(b"\0" * HDRSZ + bytes(data)), []
    while r.off < len(r.buf):
        qid = r.qid()
        off, dtype = struct.unpack("<QB", r.take(9))
        out.append(Dirent(qid, off, dtype, r.str()))
    return out


def frame(buf, msize=None):
    """The size of the whole message at the start of buf, or None while
    it is incomplete; ProtocolError for a size < 7 or > msize."""
    if len(buf) < 4:
        return None
    size = struct.unpack("<I", buf[:4])[0]
    if size < HDRSZ or (msize is not None and size > msize):
        raise ProtocolError("message size %d" % size)
    return size if len(buf) >= size else None


class Client:
    """One 9P connection. Requests are sent with send() (returns the tag)
    and their replies collected with wait(tag) in any order; the helpers
    (version, walk, read, ...) are send+wait and raise Error9P for an
    Rlerror. timeout (seconds) bounds each wait for the peer."""

    def __init__(self, rfd, wfd=None, sock=None, timeout=10.0):
        self.rfd, self.wfd = rfd, rfd if wfd is None else wfd
        self.sock = sock          # kept open for as long as the client
        self.timeout = timeout
        self.msize = 8192         # until version() says otherwise
        self.inbuf = b""
        self.replies = {}         # tag -> Msg that arrived before wait()
        self.free_tags = collections.deque(range(NOTAG))
        self.busy = set()
        self.next_fid = 0

    @classmethod
    def unix(cls, path, **kw):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        return cls(s.fileno(), sock=s, **kw)

    @classmethod
    def tcp(cls, host, port, **kw):
        s = socket.create_connection((host, port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(s.fileno(), sock=s, **kw)

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        else:
            for fd in {self.rfd, self.wfd}:
                os.close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- the wire ---

    def send_raw(self, data):
        """Writes bytes as they are: malformed messages, split messages."""
        data = memoryview(bytes(data))
        while data:
            n = os.write(self.wfd, data)
            data = data[n:]

    def alloc_tag(self):
        tag = self.free_tags.popleft()
        self.busy.add(tag)
        return tag

    def release_tag(self, tag):
        if tag in self.busy:
            self.busy.discard(tag)
            self.free_tags.append(tag)

    def newfid(self):
        self.next_fid += 1
        return self.next_fid

    def send(self, mtype, tag=None, /, **fields):
        """Sends a T-message; tag None takes a free one. Returns the tag."""
        if tag is None:
            tag = self.alloc_tag()
        self.send_raw(encode(mtype, tag, **fields))
        return tag

    def _fill(self, timeout):
        r, _, _ = select.select([self.rfd], [], [], timeout)
        if not r:
            raise TimeoutError("no reply from the 9P peer")
        data = os.read(self.rfd, 1 << 16)
        if not data:
            raise EOFError("the 9P peer closed the connection")
        self.inbuf += data

    def recv(self, timeout=None):
        """The next message on the connection, whatever its tag."""
        timeout = self.timeout if timeout is None else timeout
        while True:
            size = frame(self.inbuf, self.msize)
            if size is not None:
                msg, self.inbuf = self.inbuf[:size], self.inbuf[size:]
                return decode(msg)
            self._fill(timeout)

    def wait(self, tag, timeout=None):
        """The reply to tag (others that arrive first are kept); the tag
        is free again afterwards."""
        while tag not in self.replies:
            m = self.recv(timeout)
            self.replies[m.tag] = m
        self.release_tag(tag)
        return self.replies.pop(tag)

    def rpc(self, mtype, /, **fields):
        m = self.wait(self.send(mtype, **fields))
        if m.mtype == "Rlerror":
            raise Error9P(m.ecode, mtype)
        if m.mtype != "R" + mtype[1:]:
            raise ProtocolError("%s answered with %s" % (mtype, m.mtype))
        return m

    # --- requests ---

    def version(self, msize=65536, version=VERSION):
        m = self.wait(self.send("Tversion", NOTAG, msize=msize,
                                version=version))
        if m.mtype != "Rversion":
            raise ProtocolError("Tversion answered with %s" % m.mtype)
        self.msize = m.msize
        return m

    def attach(self, fid, uname="", aname="", n_uname=NONUNAME,
               afid=NOFID):
        return self.rpc("Tattach", fid=fid, afid=afid, uname=uname,
                        aname=aname, n_uname=n_uname).qid

    def walk(self, fid, newfid, names):
        return self.rpc("Twalk", fid=fid, newfid=newfid,
                        wnames=list(names)).qids

    def lopen(self, fid, flags=os.O_RDONLY):
        m = self.rpc("Tlopen", fid=fid, flags=flags)
        return m.qid, m.iounit

    def read(self, fid, offset=0, count=None):
        if count is None:
            count = self.msize - 24
        return self.rpc("Tread", fid=fid, offset=offset, count=count).data

    def write(self, fid, data, offset=0):
        return self.rpc("Twrite", fid=fid, offset=offset,
                        data=_b(data)).count

    def clunk(self, fid):
        self.rpc("Tclunk", fid=fid)

    def flush(self, oldtag):
        """Flushes oldtag. Returns oldtag's reply if it came before
        Rflush (the request had finished), else None; either way oldtag
        is free afterwards, as flush(5) says."""
        tag = self.send("Tflush", oldtag=oldtag)
        while tag not in self.replies:
            m = self.recv()
            self.replies[m.tag] = m
        self.release_tag(tag)
        r = self.replies.pop(tag)
        if r.mtype != "Rflush":
            raise ProtocolError("Tflush answered with %s" % r.mtype)
        self.release_tag(oldtag)
        return self.replies.pop(oldtag, None)

    def getattr(self, fid, mask=0x3FFF):
        return self.rpc("Tgetattr", fid=fid, request_mask=mask)

    def readdir(self, fid, offset=0, count=None):
        if count is None:
            count = self.msize - 24
        return parse_dirents(self.rpc("Treaddir", fid=fid, offset=offset,
                                      count=count).data)

    def readdir_all(self, fid):
        out, off = [], 0
        while True:
            ents = self.readdir(fid, off)
            if not ents:
                return out
            out += ents
            off = ents[-1].offset

    def mkdir(self, dfid, name, mode=0o755, gid=0):
        return self.rpc("Tmkdir", dfid=dfid, name=name, mode=mode,
                        gid=gid).qid

    def unlinkat(self, dirfid, name, flags=0):
        self.rpc("Tunlinkat", dirfid=dirfid, name=name, flags=flags)
