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
        out.append(f"\n`fuse-null-128k` and `fuse-null-1m` are bench/nullfs.c, a FUSE file whose "
                   f"reads and writes do nothing (its reads copy from the zero page, always in "
                   f"cache): the ceiling of any FUSE file system here. netfs bulk {what} at 128 KiB "
                   f"is {d['fuse-null-128k'] / d['netfs-128k']:.2f}x of it"
                   + (f", at 1 MiB {d['fuse-null-1m'] / d['netfs-1m']:.2f}x"
                      if "fuse-null-1m" in d and "netfs-1m" in d else "")
                   + f"; that ceiling is {d['direct-128k'] / d['fuse-null-128k']:.2f}x the "
                   f"direct socket at 128 KiB.")

# The daemon's own CPU time per 128 KiB request (the spin=0 daemon, so
# that polling between requests is not counted), against the time a
# direct socket takes for the same 128 KiB and the time a goal allows.
cpu = med.get("cpu", {})
machine = med.get("machine", {})
GOAL = 0.8     # of the do-nothing FUSE file (issue 19)
ncpu = os.cpu_count() or 1
if cpu:
    out.append("\n### CPU time per 128 KiB request\n")
    out.append("| test | daemon CPU (us) | whole machine's CPU (us) | direct socket per 128 KiB "
               f"(us) | the goal's time per request (us) | CPU time {ncpu} cores have in it (us) |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for test in ("recv", "send"):
        d = med.get(test, {})
        if test in cpu and "direct-128k" in d and "fuse-null-128k" in d:
            direct_us = d["direct-128k"] / (size / 131072) * 1e6
            allowed = d["fuse-null-128k"] / (size / 131072) * 1e6 / GOAL
            mach = f"{machine[test]:.0f}" if test in machine else "-"
            out.append(f"| {test} | {cpu[test]:.0f} | {mach} | {direct_us:.0f} | {allowed:.0f} "
                       f"| {ncpu * allowed:.0f} |")
    out.append("\nMeasured around the `netfs-128k-spin0` runs: the daemon's from /proc/PID/stat "
               "(utime + stime, all threads), the machine's from /proc/stat (user, nice, "
               "system, irq, softirq of all CPUs: sender or sink, daemon, reader or writer, "
               "and the kernel's work for them). netfs answers every request on one thread, "
               "so when the daemon's CPU time per request is above the goal's time per "
               "request the goal (0.8x the do-nothing FUSE file at 128 KiB) cannot be met; "
               "when the machine's is above what all its "
               "cores have in that time, no design with FUSE in the path meets it here.")

# Issue 19's goals, each a ratio within this run.
for test, what in (("recv", "bulk receive"), ("send", "bulk send")):
    d = med.get(test, {})
    for v, null, how in (("netfs-128k", "fuse-null-128k", "128 KiB"),
                         ("netfs-1m", "fuse-null-1m", "1 MiB")):
        if v in d and null in d:
            ratio = d[null] / d[v]
            goal(f"{what}, {how} {'reads' if test == 'recv' else 'writes'}: netfs {ratio:.2f}x "
                 f"of nullfs (goal >= 0.8)", ratio >= 0.8)
r = med.get("recv", {})
if "netfs-cat" in r:
    others = [t for t in ("nc", "socat-default") if t in r]
    goal("bulk receive, `cat data` (1 MiB reads): faster than " +
         " and ".join(others) + " (" + ", ".join(f"{r[t] / r['netfs-cat']:.2f}x {t}"
                                                 for t in others) + ")",
         all(r["netfs-cat"] < r[t] for t in others))

t = med.get("rtt", {})
if t:
    out.append("\n### 64-byte request/response round trips\n")
    out.append("| variant | us per round trip (median) | ratio to direct |")
    out.append("|---|---:|---:|")
    for v in ("direct", "netfs", "netfs-spin0", "netfs-uring"):
        if v in t:
            out.append(f"| {v} | {t[v]:.1f} | {t[v] / t['direct']:.2f} |")
    if "netfs-spin0" in t:
        out.append("\n`netfs-spin0` is the same daemon with `-o spin=0`: it sleeps as soon as it "
                   "has nothing to do, and each request must wake it.")
    goal(f"64-byte round trip: netfs {t['netfs'] / t['direct']:.2f}x the direct socket (goal <= 1.5)",
         t["netfs"] / t["direct"] <= 1.5)
    if "netfs-spin0" in t:
        goal(f"64-byte round trip, `-o spin=0`: netfs {t['netfs-spin0'] / t['direct']:.2f}x the "
             f"direct socket (goal <= 2.0)", t["netfs-spin0"] / t["direct"] <= 2.0)

w = med.get("small", {})
if w:
    out.append("\n### One small request: 64-byte writes to a sink\n")
    out.append("| variant | us per write (median) | ratio to direct |")
    out.append("|---|---:|---:|")
    for v in w:
        out.append(f"| {v} | {w[v]:.1f} | {w[v] / w['direct']:.2f} |")
    if "fuse-null" in w and "netfs" in w:
        goal(f"64-byte write to a sink: netfs {w['netfs'] / w['fuse-null']:.2f}x nullfs's cost "
             f"(goal <= 1.2)", w["netfs"] / w["fuse-null"] <= 1.2)
    if t and "fuse-null" in w:
        out.append(f"\n`fuse-null` writes to bench/nullfs.c: {w['fuse-null']:.1f} us is what one FUSE "
                   f"request costs here before any work. A round trip through `data` is two FUSE "
                   f"requests (a write, then a read) around the socket's own round trip, so its "
                   f"floor for a daemon that sleeps between requests is about "
                   f"2 x {w['fuse-null']:.1f} + {t['direct']:.1f} = "
                   f"{2 * w['fuse-null'] + t['direct']:.1f} us, "
                   f"{(2 * w['fuse-null'] + t['direct']) / t['direct']:.2f}x the direct socket. "
                   f"netfs measured {t['netfs']:.1f} us: polling after each request "
                   f"(`-o spin`) takes the daemon's wake-up out of the request.")

CONN_LABEL = {"direct": "direct (close(2))",
              "direct-rst": "direct-rst (SO_LINGER 0: RST, no FIN exchange)",
              "netfs": "netfs (close: `echo close > NAME/ctl`)",
              "netfs-rmdir": "netfs-rmdir (close: `rmdir NAME`)",
              "netfs-rmdir-spin0": "netfs-rmdir-spin0 (the same, `-o spin=0`)",
              "netfs-p9": "netfs-p9 (Plan 9: open tcp/clone, write connect, close it)",
              "netfs-uring": "netfs-uring (`close` on its ctl, `-o uring`)",
              "netfs-rmdir-uring": "netfs-rmdir-uring (rmdir, `-o uring`)"}
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
        # What a route's requests cost at a do-nothing daemon's price, in
        # this run: the direct connect+close plus nullfs's 64-byte write
        # for each request its caller waits for (bench/requests counts
        # them: the session's open, write and read, then lookups of NAME
        # and ctl, open and write of `close`; Plan 9's open and write of
        # connect; releases are not waited for). Not a bound: a polling
        # daemon (-o spin) answers faster than sleeping nullfs.
        def ceiling(nreq):
            if "fuse-null" not in w:
                return ""
            us = 1e6 / c["direct"]
            return (f"; its {nreq} requests at nullfs's cost in this run: "
                    f"{us / (us + nreq * w['fuse-null']):.2f}x")
        goal(f"connect+close: /net/ctl session + `echo close > NAME/ctl`: "
             f"{c['netfs'] / c['direct']:.2f}x direct (goal >= 0.40{ceiling(7)})",
             c["netfs"] / c["direct"] >= 0.40)
        if "netfs-p9" in c:
            goal(f"connect+close: Plan 9 clone: {c['netfs-p9'] / c['direct']:.2f}x direct "
                 f"(goal >= 0.50{ceiling(2)})", c["netfs-p9"] / c["direct"] >= 0.50)

# The io_uring transport beside /dev/fuse, where bench/run measured it.
# (test, variant, label, whether more is faster)
URING = (("recv", "netfs-128k", "bulk receive, 128 KiB", False),
         ("recv", "netfs-1m", "bulk receive, 1 MiB", False),
         ("send", "netfs-128k", "bulk send, 128 KiB", False),
         ("send", "netfs-1m", "bulk send, 1 MiB", False),
         ("rtt", "netfs", "64-byte round trip", False),
         ("small", "netfs", "64-byte write", False),
         ("conn", "netfs-rmdir", "connect+close by rmdir", True))
rows = [(what, med[test][v], med[test][v + "-uring"], more)
        for test, v, what, more in URING
        if v in med.get(test, {}) and v + "-uring" in med.get(test, {})]
if rows:
    out.append("\n### FUSE over io_uring (`-o uring`) beside /dev/fuse\n")
    out.append("| measure | /dev/fuse | io_uring | io_uring's speed, /dev/fuse = 1 |")
    out.append("|---|---:|---:|---:|")
    for what, dev, ur, more in rows:
        speed = ur / dev if more else dev / ur
        out.append(f"| {what} | {dev:.3g} | {ur:.3g} | {speed:.2f} |")
    out.append("\nThe same daemon mounted twice, the variants alternating within each round; "
               "bulk figures are seconds, round trips and writes microseconds, connections "
               "per second.")

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
    "Profiled with `perf record -g` on the daemon, `perf trace -s` for its system calls, "
    "and `bench/fuselat` (the kernel's fuse_request_send/fuse_request_end tracepoints: "
    "how long each request spends in the daemon, and the gap before the caller's next "
    "request). Figures below are from those runs on this machine.",
    "",
    "- **One FUSE request** is a wake-up each way between two processes on different "
    "cores of a virtual machine, where waking a halted virtual CPU costs about 12-15 us "
    "(a direct 64-byte round trip is two such wake-ups: ~30 us). With the daemon asleep "
    "a small request took ~20 us; with `-o spin` the daemon is awake when the request "
    "comes, the request spends 6-8 us in the kernel and daemon, and the caller's own "
    "wake-up (12-17 us between a reply and its next request) is the rest: no "
    "daemon-side change can take a request below ~20 us here.",
    "- **connect+close** is four requests by rmdir (write and read of ctl, lookup of "
    "NAME, rmdir) and seven by `close` on NAME/ctl (the same write and read, two lookups, "
    "open, write, release). Plan 9's clone (`netfs-p9`) needs two that the caller waits for "
    "(open, write of connect) and a release it does not wait for, and is the fastest way in. "
    "The daemon's part is the socket calls a direct client makes "
    "itself: connect(2) on loopback runs the whole handshake inside the call (~40 us "
    "traced), close(2) the FIN exchange (~20 us). netfs answers a loopback connect that "
    "is complete when connect(2) returns without a trip through epoll, and closes a "
    "dropped socket after the reply to rmdir/close rather than before. What remains is "
    "the requests: 4 x ~20 us beside ~45 us of direct connect+close.",
    "- **Bulk receive**: reads of 32 KiB or more splice the socket's pages into a pipe "
    "and the reply from the pipe to /dev/fuse (src/fuseio.c): the data is copied once, "
    "into the reader's buffer, and not at all through the daemon's memory. Still the "
    "daemon does per request everything a direct reader does (TCP receive, ACKs, waking "
    "the sender) and then the copy into the reader's pages, on one thread: its CPU time "
    "per 128 KiB request (table above) is above the time a direct reader needs for the "
    "whole 128 KiB, and above the goal's time per request. The do-nothing FUSE file "
    "(`fuse-null`) measured in the same run is the ceiling the goal is set against; "
    "on a quiet run it is faster than the direct socket itself, so the gap is netfs's "
    "own work per request, not the FUSE transport.",
    "- **Bulk send**: the kernel copies the writer's buffer into the daemon's request "
    "buffer (~25-30 us per 128 KiB), then send() copies it into the socket and runs "
    "loopback's receive side (~45-50 us): the daemon's CPU per request is again above "
    "what the goal allows. Writes of 1 MiB halve the per-request share and come closer. "
    "Splicing requests in (FUSE_CAP_SPLICE_READ) would not save the first copy: the "
    "kernel copies a writer's pages into the pipe (fs/fuse/dev.c: it cannot control the "
    "lifetime of pipe buffers holding user pages). Small writes (up to 4 KiB) to a "
    "writable TCP socket are answered before they are sent (issue 19, below); for 128 KiB "
    "writes that measured no gain, the daemon being busy for nearly all of each request.",
    "- **Polling and a shared CPU**: this virtual machine often runs the caller, the daemon "
    "and the peer on one CPU. A loop that polls without yielding kept a woken caller on "
    "its CPU from running (sched_switch traces: up to the whole window, at times "
    "milliseconds); the loop now yields on every empty poll. With a busy sender beside "
    "it, bulk receive is sometimes a little faster with `-o spin=0` (`netfs-128k-spin0`).",
    "- **What would close the gap** is the kernel doing the socket I/O on the caller's "
    "behalf. FUSE passthrough (FOPEN_PASSTHROUGH, Linux 6.9) does that for files, but "
    "the kernel reopens the backing file by path (backing_file_open), which a socket "
    "cannot be: passthrough to a socket is refused. FUSE over io_uring (Linux 6.14) "
    "saves a system call per request, not the copy nor the caller's wake-up that "
    "dominate here; netfs has it as `-o uring` (src/fuse_uring.c, its own ring beside "
    "libfuse 3.14, which has none), measured above where the kernel allows it "
    "(/sys/module/fuse/parameters/enable_uring, a setting for root).",
    "- **The machine's CPU**: the table above also counts every process's CPU time per "
    "128 KiB through netfs, beside what two cores have in the goal's time per request; "
    "where it is above, no design with FUSE in the path meets the goal on that run. "
    "This machine is shared and its speed moves 2x between runs, so the ceiling is "
    "always the `fuse-null` rows of the same run, never a figure from another.",
    "- **Blocked readers**: a parked read is a small allocation on a list, no thread; the "
    "daemon's threads are the loop and its resolver workers.",
]
# Sections other benchmarks write (bench/sysnet, bench/ninep) sit between
# "<!-- bench/NAME" and "<!-- /bench/NAME -->" lines: kept as they are.
kept = []
try:
    old = open(md_out).read().split("\n")
    i = 0
    while i < len(old):
        if old[i].startswith("<!-- bench/"):
            end = "<!-- /" + old[i][5:].split(":")[0].split(" ")[0].strip()
            j = i
            while j < len(old) and not old[j].startswith(end):
                j += 1
            kept += [""] + old[i:j + 1]
            i = j
        i += 1
except OSError:
    pass
open(md_out, "w").write("\n".join(head + goals + ["", "## Figures"] + out + kept + notes) + "\n")

# Plot data: one block per panel, "label value" rows.
with open(plot_out, "w") as p:
    for test in ("recv", "send"):
        for v, x in sorted(med.get(test, {}).items(), key=lambda kv: -gbps(kv[1])):
            p.write(f"{v} {gbps(x):.3f}\n")
        p.write("\n\n")
    for v in ("direct", "netfs", "netfs-spin0", "netfs-uring"):
        if v in med.get("rtt", {}):
            p.write(f"{v} {med['rtt'][v]:.2f}\n")
    p.write("\n\n")
    for v in med.get("conn", {}):
        p.write(f"{v} {med['conn'][v]:.0f}\n")
    p.write("\n\n")
print("\n".join(goals))
