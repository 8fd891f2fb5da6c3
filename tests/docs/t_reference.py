"""t_reference.py NETFS PAGE LISTFILE: each name of LISTFILE has its entry
in the THE REFERENCE section of PAGE, naming a file or a command of the
tree (see t_reference.sh)."""
import glob
import re
import subprocess
import sys


def main(netfs, page, listfile):
    bad = []

    names = [l.strip() for l in open(listfile) if l.strip() and not l.startswith("#")]
    seeds = glob.glob("../shared/seeds/000_*.txt")
    if seeds:
        text = open(seeds[0], errors="replace").read()
        found = [re.sub(r"\(.*", "", m) for m in
                 re.findall(r"\.\. (?:function|method|data|exception|attribute|class):: (\S+)", text)]
        if found != names:
            bad.append(f"{listfile} is not the reference's list: {sorted(set(found) ^ set(names))}")

    listing = subprocess.run([netfs, "--list"], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    paths, verbs = set(), set()
    for line in listing:
        if line.startswith("command "):
            verbs.add(line.split("\t")[1].split()[0])
        else:
            p = line.split("\t")[0][len("/net/"):].rstrip("/")
            paths.add(p)

    man = open(page).read()
    if ".SH THE REFERENCE" not in man:
        sys.exit("netfs(7) has no THE REFERENCE section")
    sec = man.split(".SH THE REFERENCE")[1].split("\n.SH ")[0]

    def plain(s):
        s = re.sub(r"\\f[BIRP]", "", s)
        s = re.sub(r"^\.(B|I|BR|IR|RB|RI|BI|IB)\s+", "", s)
        return s.replace('"', "").replace("\\-", "-").strip()

    # Entries: .TP, then the tag line, then the body up to the next .TP/.SS.
    # Tags in a row with no body between share the next body.
    entries, tags, body = {}, [], []
    lines = sec.splitlines()
    i = 0
    while i < len(lines):
        l = lines[i]
        if l == ".TP":
            if body:
                for t in tags:
                    entries[t] = " ".join(body)
                tags, body = [], []
            tags.append(plain(lines[i + 1]))
            i += 2
            continue
        if l.startswith(".SS") or l.startswith(".PP"):
            if body:
                for t in tags:
                    entries[t] = " ".join(body)
            tags, body = [], []
        elif not l.startswith(".\\\""):
            body.append(plain(l))
        i += 1
    if body:
        for t in tags:
            entries[t] = " ".join(body)

    DYN = {"NAME", "N", "QUERY", "ADDRESS", "HOST", "PORT", "NUMBER", "IFACE"}
    patterns = [re.compile("/".join("[^/]+" if c in DYN else re.escape(c)
                                    for c in q.split("/"))) for q in paths]

    def known_path(p):
        p = p.rstrip("/.,;:)")
        return p in paths or any(r.fullmatch(p) for r in patterns)

    for name in names:
        b = entries.get(name)
        if b is None:
            bad.append(f"netfs(7) THE REFERENCE has no entry for '{name}'")
            continue
        if "Not applicable" in b:
            if len(b) < len("Not applicable: ") + 12:
                bad.append(f"'{name}': not applicable without a reason")
            continue
        words = re.findall(r"[A-Za-z_][A-Za-z0-9_./!-]*", b)
        tree = [w for w in words if "/" in w or w in paths]
        cmds = [w for w in words if w in verbs]
        if not tree and not cmds:
            bad.append(f"'{name}': names neither a file nor a command: {b[:80]}")
        for w in tree:
            base = w.split("!")[0]
            if "/" in base and not known_path(base) and not base.startswith("/"):
                bad.append(f"'{name}': {base} is not a file of the tree")
    for b in bad:
        print(b)
    if bad:
        sys.exit(1)
    print(f"ok - netfs(7) maps all {len(names)} names of the reference")


if __name__ == "__main__":
    main(*sys.argv[1:])
