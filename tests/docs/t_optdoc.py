"""t_optdoc.py NETFS PAGE: the option table of `NETFS --list` against
netfs(7)'s list of socket options (see t_optdoc.sh)."""
import re
import subprocess
import sys


def main(netfs, page):
    want = {}
    for line in subprocess.run([netfs, "--list"], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        m = re.match(r"/net/NAME/opt/(\w+)\t(\w+) (\w+)(, (read-only|write-only))?: (.*)", line)
        if m:
            acc = f", {m[5]}" if m[5] else ""
            want[m[1]] = f'.BR {m[1]} " ({m[2]}, {m[3]}{acc})"\n{m[6][0].upper()}{m[6][1:]}.'
    man = open(page).read()
    entry = r'^(\.BR ((?:SO|TCP|UDP|IP|IPV6)_\w+) " \([^)]*\)"\n[^\n]*)$'
    have = {n: e for e, n in re.findall(entry, man, re.M)}
    bad = False
    for n in sorted(set(want) | set(have)):
        if want.get(n) != have.get(n):
            print(f"netfs(7) and the option table differ on {n}:\n"
                  f"  table: {want.get(n)!r}\n  page:  {have.get(n)!r}")
            bad = True
    if bad:
        sys.exit(1)
    print(f"ok - netfs(7) lists the {len(want)} options of the table")


if __name__ == "__main__":
    main(*sys.argv[1:])
