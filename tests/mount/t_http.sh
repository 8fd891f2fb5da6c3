#!/bin/bash
# An HTTP GET of a multi-megabyte file from a real HTTP server on loopback
# (python3 -m http.server), through data, byte-identical.
. "$(dirname "$0")/lib.sh"
mount_netfs

mkdir "$T/www"
head -c 6000000 /dev/urandom > "$T/www/big.bin"
want=$(sha256sum < "$T/www/big.bin" | cut -d' ' -f1)
port=$(free_port)
bg python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$port"
for ((i = 0; i < 100; i++)); do
	s=$(net_ctl "connect 127.0.0.1!$port") && [ "${s#error}" = "$s" ] && break
	sleep 0.1
done
[ "${s#error}" = "$s" ] || fail "http.server did not start: $s"

printf 'GET /big.bin HTTP/1.0\r\nHost: localhost\r\n\r\n' > "$N/$s/data"
bounded 20 cat "$N/$s/data" > "$T/response" || fail "reading the response"
# Drop the header: everything up to the first empty line.
python3 - "$T/response" "$T/body" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
i = d.index(b"\r\n\r\n")
assert d.startswith(b"HTTP/1.0 200"), d[:40]
open(sys.argv[2], "wb").write(d[i + 4:])
PY
got=$(sha256sum < "$T/body" | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "body differs ($(stat -c %s "$T/body") bytes)"
ok "6 MB HTTP GET through data is byte-identical"

# The same through a named socket and a connect by name (resolver).
mkdir "$N/web"
echo "connect localhost!$port" > "$N/web/ctl" || fail "connect by name"
printf 'GET /big.bin HTTP/1.0\r\n\r\n' > "$N/web/data"
bounded 20 cat "$N/web/data" | tail -c 6000000 | sha256sum | grep -q "$want" ||
	fail "by name: body differs"
ok "connect localhost!PORT through the resolver"
