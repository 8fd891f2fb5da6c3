#!/bin/bash
# netfs(7)'s list of socket options is the option table: each option that
# `netfs --list` prints has its entry, with the same level, type, access
# and text, and there are no others.
set -u
: "${NETFS:?}"
cd "$(dirname "$0")/../.."
python3 tests/docs/t_optdoc.py "$NETFS" docs/netfs.7
