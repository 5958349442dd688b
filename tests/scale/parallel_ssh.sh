#!/bin/sh
# contrib/licit-parallel over ssh: two "hosts" on 127.0.0.1 (an sshd
# started here on a free loopback port with generated keys), 4 shards:
# the KPIs of the single run, byte for byte, and its flagged records
# (sent back with -k). Skipped where sshd, ssh,
# rsync or GNU parallel is missing or sshd cannot start.
for p in parallel ssh ssh-keygen rsync; do
  command -v $p >/dev/null || { echo "skip: no $p"; exit 77; }
done
sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || { echo "skip: no sshd (apt-get install openssh-server)"; exit 77; }
. "$(dirname "$0")/common.sh"
cleanup() { [ -f "$work/sshd.pid" ] && kill "$(cat "$work/sshd.pid")" 2>/dev/null; rm -rf "$work"; }
ssh-keygen -q -t ed25519 -N '' -f host_key
ssh-keygen -q -t ed25519 -N '' -f user_key
cp user_key.pub authorized_keys
port=$((20000 + $$ % 20000))
cat > sshd_config <<EOC
Port $port
ListenAddress 127.0.0.1
HostKey $work/host_key
AuthorizedKeysFile $work/authorized_keys
PidFile $work/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
SetEnv PATH=$build:/usr/local/bin:/usr/bin:/bin
EOC
cat > ssh_config <<EOC
Host h1 h2
  HostName 127.0.0.1
  Port $port
  IdentityFile $work/user_key
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
  BatchMode yes
EOC
[ "$(id -u)" != 0 ] || mkdir -p /run/sshd 2>/dev/null || true
"$sshd" -f "$work/sshd_config" -E "$work/sshd.log" 2>/dev/null || { echo "skip: sshd cannot start here"; exit 77; }
i=0
until ssh -F ssh_config h1 true 2>/dev/null; do
  i=$((i + 1))
  [ $i -lt 20 ] || { echo "skip: sshd started but takes no login"; exit 77; }
  sleep 0.2
done
"$src/contrib/licit-parallel" -n 4 -k -S "1/ssh -F $work/ssh_config h1,1/ssh -F $work/ssh_config h2" \
  -w parts -o ssh.csv raw.csv
cmp ssh.csv single.csv
same_flags parts 4
logins=$(grep -c 'Accepted publickey' sshd.log || true)
echo "licit-parallel over ssh (h1, h2 on 127.0.0.1:$port), 4 shards: the single run's KPIs ($logins logins)"
