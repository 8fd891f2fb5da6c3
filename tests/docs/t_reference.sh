#!/bin/bash
# netfs(7)'s THE REFERENCE section maps every function, method, constant,
# exception and example of the reference manual to the tree: each name of
# tests/docs/reference.txt has an entry there, each entry names a file of
# the tree (one that `netfs --list` prints) or a command of its tables, or
# says "Not applicable" and why. When the reference itself is beside the
# checkout (../shared/seeds), the list is checked against it too.
set -u
: "${NETFS:?}"
cd "$(dirname "$0")/../.."
python3 tests/docs/t_reference.py "$NETFS" docs/netfs.7 tests/docs/reference.txt
