#!/bin/bash
# The command line: --help and --version, the usage error, a mount as
# mount(8) does it through mount.fuse3 (which passes a source argument),
# `mount` showing "netfs on DIR type fuse.netfs", and the systemd unit.
. "$(dirname "$0")/lib.sh"

"$NETFS" --help | grep -q "max_user_sockets" || fail "--help"
"$NETFS" -h | grep -q "^usage:" || fail "-h"
"$NETFS" --version | grep -q "^netfs [0-9]" || fail "--version"
"$NETFS" 2>&1 | grep -q "usage" || fail "no mount point: no usage"
"$NETFS" > /dev/null 2>&1 && fail "no mount point: exit 0"
"$NETFS" -o timeout=soon "$N" 2>&1 | grep -q "timeout" || fail "bad -o value"
ok "--help, --version and usage errors"

# mount(8) runs: mount.fuse3 netfs DIR -o OPTS -t fuse.netfs, which runs
# "netfs netfs DIR -o OPTS" through the shell's PATH.
if command -v mount.fuse3 >/dev/null; then
	mkdir "$T/bin"
	ln -s "$NETFS" "$T/bin/netfs"
	PATH="$T/bin:$PATH" mount.fuse3 netfs "$N" -o rw,allow_other -t fuse.netfs ||
		fail "mount.fuse3"
	NETFS_PID=$(pgrep -f "netfs netfs $N" | head -1)
	grep -q "^netfs $N fuse.netfs " /proc/mounts || fail "/proc/mounts: $(grep "$N" /proc/mounts)"
	# mount(8) shows a source naming a file in its working directory
	# as that file's path (meson runs tests in build/, next to netfs).
	(cd / && mount) | grep -q "^netfs on $N type fuse.netfs" ||
		fail "mount(8) listing: $(cd / && mount | grep -F "$N")"
	[ -e "$N/ctl" ] || fail "mounted tree"
	# mount.fuse3 daemonizes netfs: stop it by unmounting.
	fusermount3 -u "$N"
	wait_until 5 exited "$NETFS_PID" || fail "daemon left after unmount"
	NETFS_PID=
	ok "mount.fuse3 netfs DIR -t fuse.netfs: netfs on DIR type fuse.netfs"
fi
# The whole mount(8) path, when netfs is installed where mount looks.
if PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v netfs >/dev/null; then
	mount -t fuse.netfs netfs "$N" || fail "mount -t fuse.netfs"
	[ -e "$N/ctl" ] || fail "mount -t: tree"
	fusermount3 -u "$N"
	ok "mount -t fuse.netfs netfs DIR"
fi

if command -v systemd-analyze >/dev/null; then
	# Verify the unit with ExecStart naming this build's binary.
	sed "s|/usr/sbin/netfs|$NETFS|" "$HERE/../../contrib/netfs.service" \
		> "$T/netfs.service"
	out=$(systemd-analyze verify --man=no "$T/netfs.service" 2>&1) ||
		fail "systemd-analyze verify: $out"
	ok "systemd-analyze verify contrib/netfs.service"
fi
