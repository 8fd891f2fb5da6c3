#!/bin/bash
# contrib/examples/ssh-proxy as OpenSSH's ProxyCommand, against a real
# sshd on loopback with its own config, host key and authorized_keys in
# the test's directory. 20 sessions: some end normally (two copy 2 MiB
# through and back), some have their ssh killed with SIGKILL or SIGTERM
# once logged in. Afterwards no socket is left in netfs and no
# connection to sshd in CLOSE-WAIT.
. "$(dirname "$0")/lib.sh"

SSHD=/usr/sbin/sshd
if [ ! -x "$SSHD" ] || ! command -v ssh >/dev/null || ! command -v ssh-keygen >/dev/null; then
	echo "skip: no sshd or ssh (Debian's openssh-server, openssh-client)"
	exit 77
fi
if [ "$(id -u)" != 0 ]; then
	echo "skip: sshd runs as root here"
	exit 77
fi
EX=$(cd "$HERE/../../contrib/examples" && pwd)

mount_netfs
export NETFS_DIR=$N

# The server: everything in $T/ssh, on a free loopback port.
K=$T/ssh
mkdir -m 700 "$K"
ssh-keygen -q -t ed25519 -N '' -f "$K/host_ed25519" || fail "host key"
ssh-keygen -q -t ed25519 -N '' -f "$K/id" || fail "client key"
cp "$K/id.pub" "$K/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$K/sshd_config" <<EOF
ListenAddress 127.0.0.1:$port
HostKey $K/host_ed25519
AuthorizedKeysFile $K/authorized_keys
PidFile $K/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UseDNS no
PrintMotd no
MaxStartups 100
LogLevel ERROR
EOF
mkdir -p /run/sshd		# sshd's privilege separation directory
bg "$SSHD" -D -f "$K/sshd_config" -E "$K/sshd.log"
for ((i = 0; i < 100; i++)); do
	python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
		"$port" 2>/dev/null && break
	sleep 0.1
done
[ $i -lt 100 ] || fail "sshd did not start: $(cat "$K/sshd.log")"

SSH=(ssh -F /dev/null -i "$K/id" -o IdentitiesOnly=yes
     -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
     -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=20
     -o "ProxyCommand=$EX/ssh-proxy %h %p" -p "$port" "$(id -un)@127.0.0.1")
head -c 2097152 /dev/urandom > "$T/blob"

# One session of a kind; its result goes to $T/res.I.
session() {	# I KIND
	local i=$1 kind=$2 out=$T/out.$1 p j
	case $kind in
	normal)
		bounded 30 "${SSH[@]}" -n "echo session $i" > "$out" 2> "$T/err.$i" &&
			[ "$(cat "$out")" = "session $i" ] && echo ok > "$T/res.$i"
		;;
	copy)
		bounded 60 "${SSH[@]}" cat < "$T/blob" > "$out" 2> "$T/err.$i" &&
			cmp -s "$T/blob" "$out" && echo ok > "$T/res.$i"
		;;
	KILL|TERM)
		"${SSH[@]}" -n 'echo ready; sleep 5' > "$out" 2> "$T/err.$i" &
		p=$!
		for ((j = 0; j < 200; j++)); do
			[ -s "$out" ] && break
			sleep 0.05
		done
		kill -"$kind" "$p"
		wait "$p" 2>/dev/null
		[ "$(cat "$out")" = ready ] && echo ok > "$T/res.$i"
		;;
	esac
	[ -e "$T/res.$i" ] || echo "$kind: $(cat "$out" "$T/err.$i" 2>/dev/null | head -3)" > "$T/res.$i"
}

kinds=(normal KILL TERM normal copy KILL normal TERM normal KILL
       TERM normal copy KILL normal TERM normal KILL TERM normal)
for ((b = 0; b < 20; b += 4)); do	# four at a time
	batch=()
	for ((i = b; i < b + 4; i++)); do
		session "$i" "${kinds[i]}" &
		batch+=($!)
	done
	wait "${batch[@]}"
done
for ((i = 0; i < 20; i++)); do
	[ "$(cat "$T/res.$i")" = ok ] || fail "session $i: $(cat "$T/res.$i")"
done
ok "20 ssh sessions through ssh-proxy: 8 normal, 2 copying 2 MiB, 5 SIGKILL, 5 SIGTERM"

# Nothing left behind: no socket in netfs, no CLOSE-WAIT on either side.
for ((i = 0; i < 100; i++)); do
	[ -z "$(sockets)" ] &&
		[ -z "$(ss -tanH state close-wait "( sport = :$port or dport = :$port )")" ] &&
		break
	sleep 0.1
done
[ -z "$(sockets)" ] || fail "sockets left in netfs: $(sockets | tr '\n' ' ')"
left=$(ss -tanH state close-wait "( sport = :$port or dport = :$port )")
[ -z "$left" ] || fail "CLOSE-WAIT left: $left"
ok "no socket left in netfs, no CLOSE-WAIT ($(ss -tanH "( sport = :$port or dport = :$port )" | awk '{print $1}' | sort | uniq -c | tr -s ' \n' ' '))"
