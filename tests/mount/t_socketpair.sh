#!/bin/bash
# socketpair on /net/ctl: two names on one reply line, connected to each
# other; unix stream (bytes), seqpacket and dgram (message boundaries
# kept), the errors of pairs the kernel does not make, and no socket left
# behind by a failed one.
. "$(dirname "$0")/lib.sh"
mount_netfs

# Default: unix stream.
read -r a b <<<"$(net_ctl socketpair)"
[ -d "$N/$a" ] && [ -d "$N/$b" ] || fail "socketpair reply: $a $b"
[ "$(cat "$N/$a/family") $(cat "$N/$a/type")" = "unix stream" ] || fail "default pair type"
grep -q '^state connected$' "$N/$a/status" || fail "state: $(head -1 "$N/$a/status")"
[ "$(wc -c < "$N/$a/peername")" = 1 ] || fail "unnamed peer is an empty line"
[ ! -e "$N/$a/recvfrom" ] || fail "recvfrom on a stream"
echo "across the pair" > "$N/$a/data"
read -r -t 5 line < "$N/$b/data" || fail "nothing across"
[ "$line" = "across the pair" ] || fail "got: $line"
echo "and back" > "$N/$b/data"
read -r -t 5 line < "$N/$a/data"
[ "$line" = "and back" ] || fail "back: $line"
# Closing one end is end of file on the other.
echo close > "$N/$a/ctl"
[ "$(bounded 5 cat "$N/$b/data")" = "" ] || fail "EOF after close"
ok "socketpair: unix stream, two names, end of file"

python3 "$HERE/t_socketpair.py" messages "$N" || fail "seqpacket"
ok "socketpair seqpacket and dgram"

# Pairs the kernel does not make: the errno, a reason, no socket left.
before=$(sockets | wc -l)
for args in "inet stream:EOPNOTSUPP" "inet6 dgram:EOPNOTSUPP" \
	    "unix rdm:ESOCKTNOSUPPORT" "bogus:EAFNOSUPPORT" \
	    "unix stream 6:EPROTONOSUPPORT" "unix stream 0 extra:EINVAL"; do
	reply=$(net_ctl "socketpair ${args%%:*}")
	case $reply in
	"error ${args##*:} "*) ;;
	*) fail "socketpair ${args%%:*}: $reply" ;;
	esac
done
reply=$(net_ctl "socketpair inet stream")
case $reply in *"only unix sockets come in pairs"*) ;; *) fail "no reason: $reply" ;; esac
[ "$(sockets | wc -l)" = "$before" ] || fail "a failed socketpair left sockets"
ok "socketpair errors: errno, reason, nothing left behind"

# SIGINT, SIGTERM and SIGKILL end a reader blocked in recvfrom at once; the
# socket stays usable.
read -r a b <<<"$(net_ctl socketpair unix dgram)"
python3 "$HERE/t_socketpair.py" recvfrom-interrupt "$N/$b/recvfrom" || fail "recvfrom interrupt"
printf 'still' > "$N/$a/data"
[ "$(bounded 5 dd bs=100 count=1 status=none < "$N/$b/data")" = still ] || fail "unusable after interrupt"
ok "INT, TERM and KILL end a blocked recvfrom at once"
