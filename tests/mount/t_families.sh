#!/bin/bash
# Every family and type of the reference through /net/ctl `socket` and
# NAME/ctl `socket`: each row of the table in netfs(7) ("Families and
# types") either works or fails with the errno it names, and says why.
# Rows marked * depend on the machine: they must agree with what
# socket(2) does here, asked directly from Python.
. "$(dirname "$0")/lib.sh"
mount_netfs

python3 "$HERE/t_families.py" families "$N" "$HERE/../../docs/netfs.7" || fail "families"
ok "every family/type row of netfs(7) works or fails as documented"

# Names of the reference and the C spellings, and numbers, for each part.
for cmd in "socket AF_INET SOCK_DGRAM IPPROTO_UDP" "socket 2 2 17" \
	   "socket inet6 dgram udp" "socket unix seqpacket" \
	   "socket local stream" "socket inet stream mptcp"; do
	reply=$(net_ctl "$cmd")
	case $reply in
	[0-9]*) echo close > "$N/$reply/ctl" ;;
	"error EPROTONOSUPPORT"*mptcp*) ;;	# a kernel without MPTCP
	*) fail "$cmd: $reply" ;;
	esac
done
for bad in "socket bogus stream:EAFNOSUPPORT:unknown family" \
	   "socket inet bogus:ESOCKTNOSUPPORT:unknown socket type" \
	   "socket inet dgram bogus:EPROTONOSUPPORT:unknown protocol" \
	   "socket inet raw:EPROTONOSUPPORT:needs a protocol" \
	   "socket inet seqpacket:ESOCKTNOSUPPORT:inet offers stream, dgram and raw"; do
	IFS=: read -r cmd errno words <<<"$bad"
	reply=$(net_ctl "$cmd")
	case $reply in
	"error $errno "*"$words"*) ;;
	*) fail "$cmd: $reply" ;;
	esac
done
ok "family, type and protocol names, numbers, C spellings; clear errors"

# The datagram files show on message sockets only.
s=$(net_ctl "socket inet stream")
u=$(net_ctl "socket inet dgram")
mkdir "$N/idle"
ls "$N/$s" | grep -qx recvfrom && fail "recvfrom on a stream"
ls "$N/idle" | grep -qx sendto && fail "sendto before the socket exists"
ls "$N/$u" | grep -qx recvfrom || fail "no recvfrom on dgram"
echo "socket inet6 dgram" > "$N/idle/ctl"
[ -e "$N/idle/sendto" ] || fail "sendto after socket inet6 dgram"
ok "recvfrom and sendto only on message sockets"
