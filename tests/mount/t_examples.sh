#!/bin/bash
# Every example in contrib/examples runs against a real peer on loopback,
# and its output is checked: HTTP GETs from sh, Python, Perl, awk and
# Node.js get byte-identical bodies.
. "$(dirname "$0")/lib.sh"
mount_netfs
export NETFS_DIR=$N
EX=$HERE/../../contrib/examples

# Waits (10 s at the most) for a listener on 127.0.0.1 port $1.
wait_port() {
	wait_until 10 "$EX/port-check.sh" 127.0.0.1 "$1" > /dev/null
}

# A web server with a body of printable text and CRLFs, no \001 (awk
# reads the response as one record split on it).
mkdir "$T/www"
python3 -c 'import random,sys; r=random.Random(5); sys.stdout.write("".join(r.choice("abcdefghij \r\n.,;XYZ0123") for _ in range(300000)) + "\n")' > "$T/www/page.txt"
port=$(free_port)
bg python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$port"
wait_port "$port"
want=$(sha256sum < "$T/www/page.txt")

check_body() {	# NAME COMMAND...
	local name=$1
	shift
	bounded 20 "$@" > "$T/body.$name" || fail "$name failed"
	[ "$(sha256sum < "$T/body.$name")" = "$want" ] ||
		fail "$name: body differs ($(stat -c %s "$T/body.$name") bytes)"
	ok "$name: byte-identical body"
}
check_body http-get.sh "$EX/http-get.sh" 127.0.0.1 "$port" /page.txt
check_body http-get.py python3 "$EX/http-get.py" 127.0.0.1 "$port" /page.txt
check_body http-get.pl perl "$EX/http-get.pl" 127.0.0.1 "$port" /page.txt
check_body http-get.awk awk -v net="$N" -v host=127.0.0.1 -v port="$port" \
	-v path=/page.txt -f "$EX/http-get.awk"
if command -v node >/dev/null; then
	check_body http-get.js node "$EX/http-get.js" 127.0.0.1 "$port" /page.txt
else
	echo "skip: no node"
fi

# port-check: open and closed.
out=$("$EX/port-check.sh" 127.0.0.1 "$port") || fail "port-check open: $out"
closed=$(free_port)
out=$("$EX/port-check.sh" 127.0.0.1 "$closed") && fail "port-check closed: $out"
case $out in *"closed (ECONNREFUSED"*) ;; *) fail "port-check: $out" ;; esac
ok "port-check.sh: $out"

# echo-server: three clients at once.
eport=$(free_port)
bg "$EX/echo-server.sh" "$eport"
wait_port "$eport"
for i in 1 2 3; do
	(printf "client $i" | bounded 5 socat -t 2 - "TCP:127.0.0.1:$eport" > "$T/echo.$i") &
done
wait_file "$T/echo.3"
sleep 0.5
for i in 1 2 3; do
	[ "$(cat "$T/echo.$i")" = "client $i" ] || fail "echo client $i: $(cat "$T/echo.$i")"
done
ok "echo-server.sh: three clients at once"

# udp-send: a python receiver gets the datagram.
python3 "$HERE/t_examples.py" udp-receiver "$T/udp.port" "$T/udp.got" &
wait_file "$T/udp.port"
"$EX/udp-send.sh" 127.0.0.1 "$(cat "$T/udp.port")" "hello over udp" || fail udp-send
wait_file "$T/udp.got"
[ "$(cat "$T/udp.got")" = "hello over udp" ] || fail "udp got: $(cat "$T/udp.got")"
ok "udp-send.sh"

# unix-client: a python unix echo server.
python3 "$HERE/t_examples.py" unix-echo "$T/echo.sock" &
wait_until 5 test -S "$T/echo.sock"
out=$(bounded 5 "$EX/unix-client.sh" "$T/echo.sock" "hi there") || fail unix-client
[ "$out" = "you said: hi there" ] || fail "unix-client: $out"
ok "unix-client.sh"

# dial.sh: listen with cat (an echo service) and dial it.
lport=$(free_port)
bg bash -c ". $EX/dial.sh; listen tcp!127.0.0.1!$lport cat"
wait_port "$lport"
s=$(. "$EX/dial.sh"; dial "tcp!127.0.0.1!$lport") || fail dial
printf 'plan 9' > "$N/$s/data"
echo "shutdown wr" > "$N/$s/ctl"
[ "$(bounded 5 cat "$N/$s/data")" = "plan 9" ] || fail "dial/listen echo"
ok "dial.sh: dial and listen"
