"""t_python.py: Python's file objects on netfs's files, for t_python.sh."""
import errno
import io
import os

from netfs_test import main


def file_objects(net, port):
    """The request/reply files with open()'s defaults ('r+'); data as a
    stream: no seek, 'r+b' unbuffered, 'rb' + 'wb', 'r' + 'w'."""
    # /net/ctl with open()'s defaults: text, buffered, read-write.
    with open(f"{net}/ctl", "r+") as ctl:
        assert ctl.seekable()
        # As with any file, flush (or seek) between a write and a read.
        ctl.write(f"connect 127.0.0.1!{port}\n")
        ctl.flush()
        name = ctl.readline().strip()
        assert name.isdigit(), name
        ctl.write("socket inet dgram\n")
        ctl.flush()
        udp = ctl.readline().strip()
        assert udp.isdigit() and udp != name, udp
    print(f"ok - open('{net}/ctl', 'r+'): {name}, {udp}")

    # NAME/ctl: a command and the reply read back from the same object.
    with open(f"{net}/{name}/ctl", "r+") as c:
        c.write("getsockopt SOL_SOCKET SO_TYPE\n")
        c.flush()
        assert c.readline() == "1\n"
    print("ok - NAME/ctl 'r+': getsockopt's reply")

    # cs and the Plan 9 clone and ctl files.
    with open(f"{net}/cs", "r+") as cs:
        cs.write(f"tcp!127.0.0.1!{port}\n")
        cs.flush()
        assert cs.readline() == f"{net}/tcp/clone 127.0.0.1!{port}\n"
    with open(f"{net}/tcp/clone", "r+") as clone:
        n = clone.readline().strip()
        clone.write(f"connect 127.0.0.1!{port}\n")
        clone.flush()
        assert open(f"{net}/tcp/{n}/status").read().startswith("Established")
        with open(f"{net}/tcp/{n}/ctl", "r+") as c9:
            assert c9.readline() == f"{n}\n"
    print("ok - cs, tcp/clone and tcp/N/ctl with 'r+'")

    # data is a stream: no seek, and open()'s default 'r+' says so.
    fd = os.open(f"{net}/{name}/data", os.O_RDWR)
    try:
        os.lseek(fd, 0, os.SEEK_CUR)
        raise AssertionError("data can seek")
    except OSError as e:
        assert e.errno == errno.ESPIPE, e
    os.close(fd)
    try:
        open(f"{net}/{name}/data", "r+")
        raise AssertionError("buffered r+ on data")
    except io.UnsupportedOperation:
        pass

    # The idioms of netfs(7): unbuffered 'r+b' ...
    with open(f"{net}/{name}/data", "r+b", buffering=0) as d:
        assert d.write(b"unbuffered\n") == 11
        got = b""
        while not got.endswith(b"\n"):
            got += d.read(100)
        assert got == b"unbuffered\n", got
    # ... or one buffered object for each direction, in text too.
    with open(f"{net}/{name}/data", "rb") as rx, \
            open(f"{net}/{name}/data", "wb") as tx:
        tx.write(b"line one\nline two\n")
        tx.flush()
        assert rx.readline() == b"line one\n"
        assert rx.readline() == b"line two\n"
    with open(f"{net}/{name}/data", "r") as rx, \
            open(f"{net}/{name}/data", "w") as tx:
        print("text mode", file=tx, flush=True)
        assert rx.readline() == "text mode\n"
    print("ok - data: 'r+b' unbuffered, 'rb' + 'wb', 'r' + 'w'")


if __name__ == "__main__":
    main(file_objects)
