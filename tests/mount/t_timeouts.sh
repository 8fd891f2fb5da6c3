#!/bin/bash
. "$(dirname "$0")/lib.sh"
exit 0
