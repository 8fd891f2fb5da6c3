#!/usr/bin/env python3
"""report.py: turns bench/run's raw results into docs/BENCH.md and the
data for docs/bench.png. Medians of the rounds; ratios to the direct
socket; each goal of the performance issue marked met or not."""
import datetime
import os
import platform
import statistics
import sys

res_file, readers_file, size, rounds, md_out, plot_out = sys.argv[1:7]
size = int(size)

vals = {}
for line in open(res_file):
    test, variant, v = line.split()
    vals.setdefault(test, {}).setdefault(variant, []).append(float(v))
med = {t: {v: statistics.median(x) for v, x in d.items()} for t, d in vals.items()}

readers = {}
try:
    f = open(readers_file).read().split()
    readers = dict(zip(f[0::2], f[1::2]))
except (OSError, IndexError):
    pass

GB = 1e9


def gbps(secs):
    return size / secs / GB


out = []
goals = []


def goal(text, ok):
    goals.append(f"| {text} | {'met' if ok else '**not met**'} |")


def throughput_table(test, title, baseline):
    d = med.get(test, {})
    if not d:
        return
    base = gbps(d[baseline])
    out.append(f"\n### {title}\n")
    out.append("| variant | GB/s (median) | ratio to direct 128 KiB | runs |")
    out.append("|---|---:|---:|---:|")
    for v, s in sorted(d.items(), key=lambda kv: kv[1]):
        out.append(f"| {v} | {gbps(s):.2f} | {gbps(s) / base:.2f} | {len(vals[test][v])} |")


throughput_table("recv", f"Bulk receive ({size >> 20} MiB from a C sender)", "direct-128k")
throughput_table("send", f"Bulk send ({size >> 20} MiB to a C sink)", "direct-128k")

for test, what in (("recv", "receive"), ("send", "send")):
    d = med.get(test, {})
    if "fuse-null-128k" in d and "netfs-128k" in d:
        out.append(f"\n`fuse-null-128k` is bench/nullfs.c, a FUSE file whose reads and writes do "
                   f"nothing: the ceiling of any FUSE file system here. netfs bulk {what} at 128 KiB "
                   f"is {d['fuse-null-128k'] / d['netfs-128k']:.2f}x of it, and that ceiling is "
                   f"{d['direct-128k'] / d['fuse-null-128k']:.2f}x the direct socket.")

r = med.get("recv", {})
if r:
    ratio = r["direct-128k"] / r["netfs-128k"]
    goal(f"bulk receive, 128 KiB reads: netfs {ratio:.2f}x the direct reader (goal >= 0.75)", ratio >= 0.75)
    faster = all(r["netfs-128k"] < r[t] for t in ("nc", "socat-default") if t in r)
    goal("bulk receive: netfs faster than nc and default socat", faster)
s = med.get("send", {})
if s:
    ratio = s["direct-128k"] / s["netfs-128k"]
    goal(f"bulk send, 128 KiB writes: netfs {ratio:.2f}x the direct writer (goal >= 0.70)", ratio >= 0.70)

t = med.get("rtt", {})
if t:
    out.append("\n### 64-byte request/response round trips\n")
    out.append("| variant | us per round trip (median) | ratio to direct |")
    out.append("|---|---:|---:|")
    for v in ("direct", "netfs"):
        out.append(f"| {v} | {t[v]:.1f} | {t[v] / t['direct']:.2f} |")
    goal(f"64-byte round trip: netfs {t['netfs'] / t['direct']:.2f}x the direct socket (goal <= 2.0)",
         t["netfs"] / t["direct"] <= 2.0)

w = med.get("small", {})
if w:
    out.append("\n### One small request: 64-byte writes to a sink\n")
    out.append("| variant | us per write (median) | ratio to direct |")
    out.append("|---|---:|---:|")
    for v in w:
        out.append(f"| {v} | {w[v]:.1f} | {w[v] / w['direct']:.2f} |")
    if t and "fuse-null" in w:
        out.append(f"\n`fuse-null` writes to bench/nullfs.c: {w['fuse-null']:.1f} us is what one FUSE "
                   f"request costs here before any work. A round trip through `data` is two FUSE "
                   f"requests (a write, then a read) around the socket's own round trip, so its "
                   f"floor is about 2 x {w['fuse-null']:.1f} + {t['direct']:.1f} = "
                   f"{2 * w['fuse-null'] + t['direct']:.1f} us, "
                   f"{(2 * w['fuse-null'] + t['direct']) / t['direct']:.2f}x the direct socket; "
                   f"netfs measured {t['netfs']:.1f} us.")

CONN_LABEL = {"direct": "direct", "netfs": "netfs (close: `echo close > NAME/ctl`)",
              "netfs-rmdir": "netfs-rmdir (close: `rmdir NAME`)"}
for test, title, key in (("conn", "Connections opened and closed", "connect+close"),
                         ("gai", "Resolver lookups of localhost", "lookups")):
    c = med.get(test, {})
    if not c:
        if test == "gai":
            out.append(f"\n### {title}\n\nSkipped: this mount has no `resolve/` directory.")
        continue
    out.append(f"\n### {title}\n")
    out.append(f"| variant | {key} per second (median) | ratio to direct |")
    out.append("|---|---:|---:|")
    for v in c:
        out.append(f"| {CONN_LABEL.get(v, v) if test == 'conn' else v} | {c[v]:.0f} | {c[v] / c['direct']:.2f} |")
    if test == "conn":
        goal(f"connect+close through /net/ctl, closed by `close` on its ctl: "
             f"{c['netfs'] / c['direct']:.2f}x direct (goal >= 0.30)",
             c["netfs"] / c["direct"] >= 0.30)
        if "netfs-rmdir" in c:
            goal(f"connect+close through /net/ctl, closed by rmdir: "
                 f"{c['netfs-rmdir'] / c['direct']:.2f}x direct (goal >= 0.30)",
                 c["netfs-rmdir"] / c["direct"] >= 0.30)

if readers:
    n = int(readers["sockets"])
    out.append(f"\n### {n} sockets, each with a blocked reader\n")
    out.append("| measure | value |")
    out.append("|---|---:|")
    for k, label in (("blocked", "readers blocked"), ("daemon_threads", "daemon threads"),
                     ("bytes_per_socket", "daemon RSS per socket (bytes)"),
                     ("ls_ms", "`ls` of the root (ms)"), ("connect_ms", "one more connect (ms)")):
        out.append(f"| {label} | {readers[k]} |")
    goal(f"{n} blocked readers: {readers['daemon_threads']} daemon threads (goal <= 8)",
         int(readers["daemon_threads"]) <= 8)
    goal(f"{n} blocked readers: {float(readers['bytes_per_socket']):.0f} bytes per socket (goal <= 4096)",
         float(readers["bytes_per_socket"]) <= 4096)
    goal(f"{n} blocked readers: ls {readers['ls_ms']} ms (goal < 50)", float(readers["ls_ms"]) < 50)

def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


cmd = os.environ.get("CMD", "bench/run")
head = [
    "# Benchmarks",
    "",
    f"Produced by `{cmd}` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC: "
    f"{os.cpu_count()} cores ({cpu_model()}), "
    f"Linux {platform.release()}, loopback TCP, {rounds} rounds per test, each round running "
    "every variant once in a rotating order; medians shown. `direct` is a C program "
    "using the socket itself (bench/netbench.c); `netfs` variants do the same through "
    "the files (`recv-file`/`send-file`: the same C loop on `data`; `dd`/`cat`: the tools).",
    "",
    "The machine is shared: other work runs beside the benchmark, so single figures move by "
    "tens of percent between runs; the variants of one test alternate within each round, "
    "so their ratios are steadier than the absolute figures.",
    "",
    "![bench](bench.png)",
    "",
    "## Goals",
    "",
    "| goal | |",
    "|---|---|",
]
notes = [
    "",
    "## Where the time goes",
    "",
    "- Bulk receive: reads of 32 KiB or more splice the socket's pages into a pipe and the "
    "reply from the pipe to /dev/fuse (src/fuseio.c), so the data is copied once, into the "
    "reader's buffer, as with a direct socket; smaller reads and message sockets use recv "
    "into one preallocated buffer. The rest is FUSE: every read is a request and a reply "
    "between three processes (sender, daemon, reader) on two cores, where a direct socket "
    "has two. Replies are at most 512 KiB (the splice pipe, within the unprivileged "
    "pipe-max-size); libfuse 3.14 and this kernel negotiate max_write 1 MiB, max_pages 256, "
    "no max_read limit.",
    "Neither end is short of CPU: during a 128 KiB receive the daemon is busy about 60% "
    "of one core, sender and reader about 20% and 15% (/proc/PID/stat), so the gap is "
    "latency: per request the daemon does the work a direct reader does itself (TCP "
    "receive, ACKs, the copy), then waits for the reader's next request. Reading ahead "
    "into the pipe would overlap the two but change what the socket shows (poll, SIOCINQ, "
    "a reset when closed with unread data); not done.",
    "- Bulk send: the kernel copies the writer's buffer into the daemon's request buffer, "
    "the daemon's send() copies it again into the socket (perf: the two copies and pinning "
    "the pages are most of the daemon's time). Splicing requests in (FUSE_CAP_SPLICE_READ) "
    "would save one copy, but libfuse 3.14 then reads requests through the splice hook "
    "instead of the read hook, which netfs needs to mark stream files FOPEN_STREAM; not done.",
    "- Round trips and connect+close are counted in FUSE requests: a round trip through "
    "`data` is a write and a read, connect+close through ctl is six (write and read of ctl, "
    "two lookups, open, write of `close`), through rmdir four. The daemon does one read of "
    "/dev/fuse, the socket call and one reply per request (strace); the cost is the "
    "request itself, see the `fuse-null` line.",
    "- Blocked readers: a parked read is a small allocation on a list, no thread; the "
    "daemon's threads are the loop and its resolver workers.",
]
open(md_out, "w").write("\n".join(head + goals + ["", "## Figures"] + out + notes) + "\n")

# Plot data: one block per panel, "label value" rows.
with open(plot_out, "w") as p:
    for test in ("recv", "send"):
        for v, x in sorted(med.get(test, {}).items(), key=lambda kv: -gbps(kv[1])):
            p.write(f"{v} {gbps(x):.3f}\n")
        p.write("\n\n")
    for v in ("direct", "netfs"):
        p.write(f"{v} {med.get('rtt', {}).get(v, 0):.2f}\n")
    p.write("\n\n")
    for v in med.get("conn", {}):
        p.write(f"{v} {med['conn'][v]:.0f}\n")
    p.write("\n\n")
print("\n".join(goals))
