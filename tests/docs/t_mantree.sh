#!/bin/bash
# netfs(7) and the tree agree: the SYNOPSIS names exactly the files that
# `netfs --list` prints from the tables (no more, no fewer), and every
# control command of every table is documented.
set -u
: "${NETFS:?}"
cd "$(dirname "$0")/../.."
python3 tests/docs/t_mantree.py "$NETFS" docs/netfs.7
