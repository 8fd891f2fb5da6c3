#!/bin/bash
# netfs(7)'s table of everyday tools that treat regular files specially:
# each line's "what happens" and its netfs way, as the page says them.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer lines oneline "$(printf 'l1\nl2\nl3\nl4')"
start_peer echo echo

conn() { net_ctl "connect 127.0.0.1!$1"; }
# rest S: what is left in S's data after a moment (nothing: empty).
rest() { bounded 1 cat "$N/$1/data" | tr '\n' ' '; }

# read -t: bash ignores the timeout on a regular file ...
s=$(conn "$PORT_echo")
bounded 2 bash -c 'read -t 0.3 line < "$1"' _ "$N/$s/data"
[ $? = 124 ] || fail "read -t returned"
# ... the timeout file ends the read instead.
echo 0.3 > "$N/$s/timeout"
SECONDS=0
out=$(bounded 5 bash -c 'read -r line < "$1"' _ "$N/$s/data" 2>&1) &&
	fail "read returned"
[ $SECONDS -lt 3 ] || fail "read took $SECONDS s"
case $out in *"timed out"*) ;; *) fail "read: $out" ;; esac
grep -q '^ETIMEDOUT' "$N/$s/error" || fail "error: $(cat "$N/$s/error")"
ok "read -t waits on; echo 0.3 > timeout; read fails: $out"

# head -n: reads ahead, cannot seek back, the rest is lost ...
s=$(conn "$PORT_lines")
sleep 0.2
[ "$(bounded 5 head -n 2 "$N/$s/data" 2>/dev/null | tr '\n' ' ')" = "l1 l2 " ] ||
	fail "head -n 2"
[ -z "$(rest "$s")" ] || fail "head -n left something"
# ... sed -u and read take one line at a time.
s=$(conn "$PORT_lines")
[ "$(bounded 5 sed -u 2q "$N/$s/data" | tr '\n' ' ')" = "l1 l2 " ] || fail "sed -u 2q"
[ "$(rest "$s")" = "l3 l4 " ] || fail "after sed -u: $(rest "$s")"
s=$(conn "$PORT_lines")
{ read -r a; read -r b; } < "$N/$s/data"
[ "$a $b" = "l1 l2" ] || fail "read, read: $a $b"
[ "$(rest "$s")" = "l3 l4 " ] || fail "after read: $(rest "$s")"
s=$(conn "$PORT_lines")
[ "$(bounded 5 head -c 3 "$N/$s/data")" = l1 ] || fail "head -c 3"
[ "$(rest "$s")" = "l2 l3 l4 " ] || fail "after head -c: $(rest "$s")"
ok "head -n loses the rest; sed -u 2q, read and head -c keep it"

# grep -m1: the same read-ahead; sed -u with a pattern stops at its line.
s=$(conn "$PORT_lines")
[ "$(bounded 5 grep -m1 l2 < "$N/$s/data")" = l2 ] || fail "grep -m1"
[ -z "$(rest "$s")" ] || fail "grep -m1 left something"
s=$(conn "$PORT_lines")
[ "$(bounded 5 sed -u -n '/l2/{p;q}' "$N/$s/data")" = l2 ] || fail "sed -u /l2/"
[ "$(rest "$s")" = "l3 l4 " ] || fail "after sed -u /l2/: $(rest "$s")"
ok "grep -m1 loses the rest; sed -u -n '/l2/{p;q}' keeps it"

# tail and tail -f wait for an end of file that a live stream lacks ...
s=$(conn "$PORT_lines")
[ -z "$(bounded 1 tail -f "$N/$s/data")" ] || fail "tail -f showed something"
s=$(conn "$PORT_lines")
[ -z "$(bounded 1 tail -n 1 "$N/$s/data")" ] || fail "tail showed something"
# ... cat follows the stream.
s=$(conn "$PORT_lines")
[ "$(rest "$s")" = "l1 l2 l3 l4 " ] || fail "cat"
ok "tail -f shows nothing; cat data follows the stream"

# cat data > data: GNU cat refuses; a pipe between two cats, or dd, works.
# The peer sends a line, reads it back, and hangs up.
backpeer() { python3 "$HERE/t_tools.py" back-peer "$1"; }
for way in "cat data > data" "cat data | cat > data" "dd if=data of=data bs=64k"; do
	f=$T/back.${way// /_}
	coproc BACK { backpeer "$f"; }
	bp=$BACK_PID		# bash unsets it when the coproc ends
	PIDS+=("$bp")
	read -r port <&"${BACK[0]}"
	s=$(conn "$port")
	d=$N/$s/data
	case $way in
	"cat data > data") out=$(bounded 5 cat "$d" 2>&1 > "$d") && fail "cat > data worked"
		case $out in *"input file is output file"*) ;; *) fail "cat: $out" ;; esac
		echo close > "$N/$s/ctl" ;;
	"cat data | cat > data") bounded 5 cat "$d" | bounded 5 cat > "$d" ;;
	"dd if=data of=data bs=64k") bounded 5 dd if="$d" of="$d" bs=64k status=none ;;
	esac
	wait "$bp" 2>/dev/null
	if [ "$way" != "cat data > data" ]; then
		[ "$(cat "$f")" = "back to you" ] || fail "$way: peer got '$(cat "$f" 2>/dev/null)'"
	fi
done
ok "cat data > data refused; cat data | cat > data and dd bs=64k work"

# Python: buffered read-write needs seek; buffering=0 works (t_python).
s=$(conn "$PORT_echo")
python3 - "$N/$s/data" <<'PY' || fail "python"
import io, sys
try:
    open(sys.argv[1], "r+")
    raise SystemExit("buffered r+ opened")
except io.UnsupportedOperation:
    pass
with open(sys.argv[1], "r+b", buffering=0) as d:
    d.write(b"x")
    assert d.read(10) == b"x"
PY
ok "python: open(data, 'r+') refused, 'r+b' with buffering=0 works"
