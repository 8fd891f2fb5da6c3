"""t_mantree.py NETFS PAGE: the files and commands of `NETFS --list`
against the SYNOPSIS and the text of netfs(7) (see t_mantree.sh)."""
import itertools
import re
import subprocess
import sys


def main(netfs, page):
    listing = subprocess.run([netfs, "--list"], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    man = open(page).read()

    def roff_plain(s):
        s = re.sub(r"\\f[BIRP]", "", s)
        return re.sub(r'^\.(B|BI|BR|I|IR|IB|RB)\s+', "", s).replace('"', "")

    def expand(p):
        parts = re.split(r"(\{[^}]*\})", p)
        options = [x[1:-1].split(",") if x.startswith("{") else [x] for x in parts]
        return {"".join(c) for c in itertools.product(*options)}

    syn = man.split(".SH SYNOPSIS")[1].split(".SH")[0]
    documented = set()
    for line in syn.splitlines():
        if line.startswith(".B"):
            documented |= expand(roff_plain(line).strip())
    # The synopsis writes the dynamic names as the text does (IFACE for an
    # interface); the tables call them NAME or N.
    documented = {d.replace("/ipifc/IFACE/", "/ipifc/NAME/") for d in documented}

    files = set()
    for line in listing:
        if line.startswith("command "):
            continue
        path = line.split("\t")[0]
        if not path.endswith("/"):
            files.add(path)
    # tcp_info shows only in system/tcp/N (the tables list it everywhere).
    files = {f for f in files if not re.match(r"/net/system/(udp|raw|unix)/N/tcp_info$", f)}

    bad = False
    for f in sorted(files - documented):
        print(f"in the tree, not in netfs(7)'s SYNOPSIS: {f}")
        bad = True
    for f in sorted(documented - files):
        print(f"in netfs(7)'s SYNOPSIS, not in the tree: {f}")
        bad = True

    for line in listing:
        if not line.startswith("command "):
            continue
        where, usage = line[len("command "):].split("\t")
        verb = usage.split()[0]
        if not re.search(r'(\.B[IR]? "?|\\fB)' + re.escape(verb) + r'\b', man):
            print(f"command not documented in netfs(7): {where}: {usage}")
            bad = True
    if bad:
        sys.exit(1)
    print(f"ok - netfs(7) documents the {len(files)} files of the tree and every command")


if __name__ == "__main__":
    main(*sys.argv[1:])
