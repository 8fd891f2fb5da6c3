# dial.sh: Plan 9's dial and listen1 for sh, over netfs. Source it:
#
#   . dial.sh
#   s=$(dial tcp!example.com!80)	# a connected socket's name
#   listen tcp!*!7007 cat		# run cat for every call, its stdin and
#					# stdout the call's data (an echo server)
#
# NETFS_DIR is the mount point (/net).

dial() {
	_net=${NETFS_DIR:-/net}
	exec 9<>"$_net/ctl"
	echo "connect $1" >&9 || { exec 9>&-; return 1; }
	read -r _s <&9
	exec 9>&-
	echo "$_s"
}

listen() {
	_net=${NETFS_DIR:-/net}
	_addr=$1
	shift
	exec 9<>"$_net/ctl"
	echo "listen $_addr" >&9 || { exec 9>&-; return 1; }
	read -r _l <&9
	exec 9>&-
	while read -r _c < "$_net/$_l/accept"; do
		(
			# stdin through a pipe: GNU cat, for one, refuses a
			# stdin that is its stdout (netfs(7), BUGS).
			cat "$_net/$_c/data" | "$@" > "$_net/$_c/data"
			echo close > "$_net/$_c/ctl"
		) &
	done
}
