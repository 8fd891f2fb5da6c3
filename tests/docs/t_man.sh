#!/bin/bash
# The man pages render without a single groff warning.
set -u
cd "$(dirname "$0")/../.."
st=0
for page in docs/netfs.1 docs/netfs.7; do
	out=$(groff -ww -man -z "$page" 2>&1)
	if [ -n "$out" ]; then
		echo "FAIL: $page: $out"
		st=1
	fi
	if ! MANWIDTH=80 man -l "$page" >/dev/null 2>&1; then
		echo "FAIL: man -l $page"
		st=1
	fi
done
[ $st = 0 ] && echo "ok - man pages render cleanly"
exit $st
