#!/bin/bash
# Bad input anywhere gets a clear errno and a text in error; the daemon
# neither crashes nor hangs.
. "$(dirname "$0")/lib.sh"
mount_netfs
start_peer echo echo

# expect ERRNO-TEXT FILE COMMAND: the write fails with that strerror text.
expect() {
	local want=$1 file=$2 msg
	shift 2
	msg=$(printf '%b' "$*" 2>&1 > "$file") && fail "'$*' succeeded"
	case $msg in
	*"$want"*) ;;
	*) fail "'$*': $msg" ;;
	esac
}

mkdir "$N/s"
expect "Invalid argument" "$N/s/ctl" "frobnicate"
grep -q "unknown command 'frobnicate' (socket, bind" "$N/s/error" ||
	fail "error: $(cat "$N/s/error")"
expect "Invalid argument" "$N/s/ctl" "bind"
grep -q "usage: bind ADDRESS" "$N/s/error" || fail "no usage"
expect "Invalid argument" "$N/s/ctl" "connect 127.0.0.1 65536"
grep -q "out of range" "$N/s/error" || fail "error: $(cat "$N/s/error")"
expect "Invalid argument" "$N/s/ctl" "connect 127.0.0.1 -1"
expect "Invalid argument" "$N/s/ctl" "connect 127.0.0.1\\0 80"
grep -q "NUL" "$N/s/error" || fail "error: $(cat "$N/s/error")"
expect "Invalid argument" "$N/s/ctl" "connect 127.0.0.1"
expect "Invalid argument" "$N/s/ctl" "shutdown sideways"
expect "Address family not supported" "$N/s/ctl" "socket martian stream"
expect "Socket type not supported" "$N/s/ctl" "socket inet sideways"
expect "too long" "$N/s/ctl" "connect $(head -c 300 /dev/zero | tr '\0' a) 80"
expect "too long" "$N/s/ctl" "connect $(head -c 1000 /dev/zero | tr '\0' a) 80"
expect "Transport endpoint is not connected" "$N/s/ctl" "shutdown rd"
# A 200-byte unix path does not fit sun_path: refused, never truncated.
expect "too long" "$N/s/ctl" "connect /$(head -c 199 /dev/zero | tr '\0' p)"
grep -q "ENAMETOOLONG" "$N/s/error" || fail "error: $(cat "$N/s/error")"
expect "too long" "$N/s/ctl" "bind @$(head -c 199 /dev/zero | tr '\0' p)"
ok "malformed commands: $(cat "$N/s/error")"

# Wrong state: listen on a connected socket, bind twice, connect twice.
echo "connect 127.0.0.1 $PORT_echo" > "$N/s/ctl" || fail "connect"
expect "Invalid argument" "$N/s/ctl" "listen"
grep -q "state connected" "$N/s/error" || fail "error: $(cat "$N/s/error")"
expect "already connected" "$N/s/ctl" "connect 127.0.0.1 $PORT_echo"
mkdir "$N/b"
echo "bind 127.0.0.1 0" > "$N/b/ctl" || fail "bind"
expect "Invalid argument" "$N/b/ctl" "bind 127.0.0.1 0"
expect "Address family not supported" "$N/b/ctl" "connect ::1 $PORT_echo"
ok "wrong states: $(cat "$N/b/error")"

# A mebibyte of random bytes, on both control files.
head -c 1048576 /dev/urandom > "$T/junk"
cat "$T/junk" > "$N/ctl" 2>/dev/null && fail "/net/ctl took junk"
cat "$T/junk" > "$N/s/ctl" 2>/dev/null && fail "ctl took junk"
ok "1 MiB of random bytes refused"

# Names: reserved, taken, too long.
mkdir "$N/42" 2>/dev/null && fail "numeric name"
mkdir "$N/ctl" 2>/dev/null && fail "mkdir ctl"
mkdir "$N/s" 2>/dev/null && fail "mkdir over a socket"
mkdir "$N/$(head -c 65 /dev/zero | tr '\0' n)" 2>/dev/null && fail "long name"
msg=$(mkdir "$N/$(head -c 300 /dev/zero | tr '\0' n)" 2>&1) && fail "300-byte name"
case $msg in *"too long"*) ;; *) fail "300-byte name: $msg" ;; esac
touch "$N/newfile" 2>/dev/null && fail "created a file"
rm "$N/s/data" 2>/dev/null && fail "removed a file"
echo x > "$N/s/peername" 2>/dev/null && fail "wrote a read-only file"
mkdir "$N/s/sub" 2>/dev/null && fail "mkdir inside a socket"
ok "the tree refuses what it cannot be"

# Files of a socket closed under them: EBADF, not a crash.
exec 3<>"$N/s/data"
echo close > "$N/s/ctl"
msg=$(cat <&3 2>&1) && fail "read on a closed socket"
case $msg in *"Bad file descriptor"*) ;; *) fail "read: $msg" ;; esac
exec 3>&-
[ ! -e "$N/s" ] || fail "closed socket still listed"
ok "closed under an open file: EBADF"

ls "$N" > /dev/null || fail "daemon dead"
kill -0 "$NETFS_PID" || fail "daemon dead"
ok "daemon alive"
