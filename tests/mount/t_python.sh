#!/bin/bash
# Python's file objects as people write them. The request/reply files
# (/net/ctl, NAME/ctl, cs, tcp/clone, N/ctl) work with open()'s defaults,
# text and buffered 'r+', which needs a file that can seek; data stays a
# stream (no seek, so a reader and a writer can share it) and is used as
# netfs(7) shows: 'r+b' with buffering=0, or one 'rb' and one 'wb'.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer echo echo

python3 "$HERE/t_python.py" file-objects "$N" "$PORT_echo" || fail "python file objects"

# The contrib example uses the same idioms against a line server.
out=$(printf 'hello\nworld\n' |
	NETFS_DIR=$N bounded 10 python3 "$HERE/../../contrib/examples/line-client.py" 127.0.0.1 "$PORT_echo") ||
	fail "line-client.py: $out"
[ "$out" = "$(printf 'hello\nworld')" ] || fail "line-client.py said: $out"
ok "contrib/examples/line-client.py"
