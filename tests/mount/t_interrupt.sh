#!/bin/bash
# Ctrl-C (SIGINT), SIGTERM and SIGKILL end a process blocked reading data
# or accept within a second, and the socket stays usable.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer echo echo

s=$(net_ctl "connect 127.0.0.1!$PORT_echo")
l=$(net_ctl "listen 127.0.0.1!0")
read -r _ lport < "$N/$l/sockname"

python3 - "$N" "$s" "$l" <<'PY' || fail "interrupts"
import os, signal, subprocess, sys, time
net, s, l = sys.argv[1:]

def default_signals():
    # A shell runs background jobs with SIGINT ignored; a terminal's
    # Ctrl-C reaches a foreground cat with the default action.
    signal.signal(signal.SIGINT, signal.SIG_DFL)

for path in (f"{net}/{s}/data", f"{net}/{l}/accept"):
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        p = subprocess.Popen(["cat", path], stdout=subprocess.DEVNULL,
                             preexec_fn=default_signals)
        time.sleep(0.3)
        assert p.poll() is None, f"cat {path} did not block"
        t0 = time.monotonic()
        p.send_signal(sig)
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            sys.exit(f"cat {path} still there 5 s after {sig.name}")
        dt = time.monotonic() - t0
        print(f"{path.split('/')[-1]:6s} {sig.name:7s} ended in {dt*1000:.1f} ms")
        assert dt < 1.0, f"{sig.name} took {dt:.2f} s"
PY
ok "blocked readers of data and accept end at once on INT, TERM, KILL"

grep -q '^blocked_readers 0$' "$N/$s/status" || fail "readers left parked"
grep -q '^blocked_accepts 0$' "$N/$l/status" || fail "accepts left parked"
printf ping > "$N/$s/data"
[ "$(bounded 5 dd bs=100 count=1 status=none < "$N/$s/data")" = ping ] ||
	fail "data unusable after the interrupts"
printf hi | bounded 5 socat - "TCP:127.0.0.1:$lport" &
read -r c < "$N/$l/accept" || fail "accept unusable after the interrupts"
[ "$(bounded 5 cat "$N/$c/data")" = hi ] || fail "accepted socket"
ok "data and accept still work afterwards"
