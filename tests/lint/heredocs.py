"""heredocs.py DIR: fails if a shell script under DIR hides more than 10
lines of Python: in a heredoc given to python (or tagged PY), or in a
multi-line `python3 -c '...'`. Longer Python belongs in a module beside
the script (tests/mount/t_NAME.py), where it can be read, imported and
byte-compiled (the pycompile test)."""
import pathlib
import re
import sys

LIMIT = 10


def hidden_python(text):
    """(line, length) of each piece of Python in a shell script's text."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.search(r"<<-?\s*(['\"]?)(\w+)\1", line)
        if m and "<<<" not in line:
            tag = m.group(2)
            end = i + 1
            while end < len(lines) and lines[end].strip() != tag:
                end += 1
            if tag == "PY" or "python" in line:
                yield i + 1, end - i - 1
            i = end + 1
            continue
        m = re.search(r"python3? -c (['\"])", line)
        if m and line.count(m.group(1)) % 2:
            end = i + 1
            while end < len(lines) and m.group(1) not in lines[end]:
                end += 1
            yield i + 1, end - i
            i = end + 1
            continue
        i += 1


def main(top):
    bad = 0
    for path in sorted(pathlib.Path(top).rglob("*.sh")):
        for line, n in hidden_python(path.read_text()):
            if n > LIMIT:
                print(f"{path}:{line}: {n} lines of Python in a shell "
                      f"script (at most {LIMIT}): move them to a module")
                bad += 1
    if bad:
        sys.exit(1)
    print(f"ok - no shell script under {top} hides more than {LIMIT} "
          "lines of Python")


if __name__ == "__main__":
    main(*sys.argv[1:])
