#!/usr/bin/env bash
# PID 1 of a lab sandbox: runs inside fresh network, mount and PID namespaces
# (made by `unshare`, see sandbox.ts). It makes the sandbox private, builds
# the uplink and the simulated internet, runs the payload ("$@") as its child
# and exits with the payload's status. When it exits, the kernel kills every
# process left in the PID namespace and the namespaces vanish with them: that
# is what keeps the host untouched even when the payload crashes or hangs.
#
# Input (environment):
#   VPC_SANDBOX_KEEP         newline-separated paths that stay visible and writable
#                            (project, target, reports) although /tmp, /etc, ... are replaced
#   VPC_SANDBOX_START_STATE  fresh (default) | docker-host
#   VPC_SANDBOX_NODE         node binary used for the internet host
#   VPC_SANDBOX_ROOT         package root (to find dist/lab/sandbox/inet-server.js)
#   VPC_SANDBOX_WORKDIR      working directory for the payload (default: a fresh /tmp/work)
#   VPC_SANDBOX_TMP_SIZE     size of the private /tmp and of the copy-on-write layers (default 512m):
#                            tmpfs lives in RAM, and a target that fills /tmp must hit ENOSPC, not the host
#   VPC_SANDBOX_UPLINK       name of the uplink interface (default eth0; a profile's "uplink")
#   VPC_SANDBOX_STATE_PATHS  newline-separated "PATH<TAB>FROM" lines (FROM may be empty): extra paths the
#                            target writes, made private (copy-on-write; FROM: a view of that folder there)
set -euo pipefail

say() { printf 'sandbox: %s\n' "$*" >&2; }

# Every set-up command goes into the transcript (src/exec/transcript.ts format)
# when VPC_TRANSCRIPT names one, so a reader sees how the sandbox was made.
transcript=${VPC_TRANSCRIPT:-}
tid=9000000
now() { local t=$EPOCHREALTIME; printf '%(%Y-%m-%dT%H:%M:%S)T.%sZ' "${t%.*}" "$(printf '%.3s' "${t#*.}")"; }
json_argv() {
  local out='[' sep='' a
  for a in "$@"; do a=${a//\\/\\\\}; a=${a//\"/\\\"}; out+="$sep\"$a\""; sep=','; done
  printf '%s]' "$out"
}
# Until the keep-paths are bound back (the transcript lives in one), records wait in memory.
transcript_ready=0
pending=''
record() { if [ "$transcript_ready" = 1 ]; then printf '%s' "$1" >> "$transcript"; else pending+=$1; fi; }
t() {
  if [ -z "$transcript" ]; then "$@"; return; fi
  tid=$((tid + 1))
  local id=$tid start=$EPOCHREALTIME out rc ns=- rec stamp ms
  [ "${1:-} ${2:-} ${3:-}" = "ip netns exec" ] && ns=$4
  stamp=$(now)
  printf -v rec '%s #%s START ns=%s label=sandbox\n  $ %s\n  argv %s\n' "$stamp" "$id" "$ns" "$*" "$(json_argv "$@")"
  record "$rec"
  set +e; out=$("$@" 2>&1); rc=$?; set -e
  ms=$(( (${EPOCHREALTIME/./} - ${start/./}) / 1000 ))
  stamp=$(now)
  printf -v rec '%s #%s END exit=%s signal=- timedOut=false duration=%sms\n' "$stamp" "$id" "$rc" "$ms"
  if [ -n "$out" ]; then
    while IFS= read -r line; do rec+="  stdout| $line"$'\n'; done <<< "$out"
    printf '%s\n' "$out" >&2
  fi
  record "$rec"
  return "$rc"
}
die() { say "$*"; exit 125; }

[ "$$" = 1 ] || die "must run as PID 1 of a new PID namespace (use runInSandbox / vpc-verify sandbox)"

start_state=${VPC_SANDBOX_START_STATE:-fresh}
node_bin=${VPC_SANDBOX_NODE:-node}
root=${VPC_SANDBOX_ROOT:?VPC_SANDBOX_ROOT is required}
home=${HOME:-/root}

# --- 1. Keep-paths: open them now, before anything is mounted over them. ---
# A descriptor opened here points at the original directory; binding
# /proc/self/fd/N later brings it back at the same path.
declare -a keep_paths=() keep_fds=()
while IFS= read -r path; do
  [ -n "$path" ] || continue
  [ -e "$path" ] || die "keep path does not exist: $path"
  exec {fd}<"$path"
  keep_paths+=("$path")
  keep_fds+=("$fd")
done <<< "${VPC_SANDBOX_KEEP:-}"
# The sources of state paths, opened for the same reason.
declare -a state_paths=() state_fds=()
while IFS=$'\t' read -r path from; do
  [ -n "$path" ] || continue
  fd=-
  if [ -n "$from" ]; then
    [ -d "$from" ] || die "state path source is not a folder: $from (for $path)"
    exec {fd}<"$from"
  fi
  state_paths+=("$path")
  state_fds+=("$fd")
done <<< "${VPC_SANDBOX_STATE_PATHS:-}"

# --- 2. Private file system views. ---
tmp_size=${VPC_SANDBOX_TMP_SIZE:-512m}
t mount -t tmpfs -o "mode=1777,size=$tmp_size" vpc-tmp /tmp
mkdir -p /tmp/.vpc-sandbox
t mount -t tmpfs -o "mode=0700,size=$tmp_size" vpc-staging /tmp/.vpc-sandbox
: > /tmp/.vpc-sandbox/empty

# Copy-on-write views: the target sees the host's files, its writes stay here.
overlay() {
  local dir=$1 tag
  [ -d "$dir" ] || return 0
  tag=$(printf '%s' "$dir" | tr '/' '_')
  mkdir -p "/tmp/.vpc-sandbox/$tag/upper" "/tmp/.vpc-sandbox/$tag/work"
  t mount -t overlay "vpc-overlay$tag" \
    -o "lowerdir=$dir,upperdir=/tmp/.vpc-sandbox/$tag/upper,workdir=/tmp/.vpc-sandbox/$tag/work" "$dir" \
    || die "cannot make $dir private (overlayfs); the kernel must support overlay mounts"
}
overlay /etc
overlay /var/lib
overlay /var/log
overlay /run
case "$home" in /|/tmp|/tmp/*|/etc|/etc/*|/run|/run/*) ;; *) overlay "$home" ;; esac
[ -L /var/run ] || overlay /var/run

# State paths (a profile's "statePaths"): private like the trees above. A path
# that does not exist is made inside a private view of its nearest folder that
# does, so nothing is created on the host.
private_already() { case "$1" in /tmp|/tmp/*|/etc|/etc/*|/var/lib|/var/lib/*|/var/log|/var/log/*|/run|/run/*) return 0 ;; esac; return 1; }
for i in "${!state_paths[@]}"; do
  path=${state_paths[$i]}
  fd=${state_fds[$i]}
  existed=1
  if [ ! -e "$path" ]; then
    existed=0
    above=$(dirname "$path")
    while [ ! -e "$above" ]; do above=$(dirname "$above"); done
    [ "$above" != / ] || die "cannot make $path private: the folder above it would be /"
    private_already "$above" || overlay "$above"
    mkdir -p "$path"
  fi
  if [ "$fd" != - ]; then
    tag=$(printf '%s' "$path" | tr '/' '_')
    mkdir -p "/tmp/.vpc-sandbox/state$tag/upper" "/tmp/.vpc-sandbox/state$tag/work"
    t mount -t overlay "vpc-state$tag" \
      -o "lowerdir=/proc/self/fd/$fd,upperdir=/tmp/.vpc-sandbox/state$tag/upper,workdir=/tmp/.vpc-sandbox/state$tag/work" "$path" \
      || die "cannot show the target's folder at $path (overlayfs)"
    exec {fd}<&-
  elif [ "$existed" = 1 ] && ! private_already "$path"; then
    overlay "$path"
  fi
done

# sudo as root is the command itself: a tool that calls sudo gets it even where
# sudo is not installed, and no password prompt or sudoers rule stands in the way.
mkdir -p /run/vpc-sandbox/bin
cat > /run/vpc-sandbox/bin/sudo <<'SUDO'
#!/bin/sh
# vpc-sandbox: everything here runs as root already, so run the command directly.
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    -u|-g|-C|-D|-h|-p|-r|-t|-U|-T) shift 2 ;;
    --*=*|-[AbEeHiKklnPSsVv]*|--*) shift ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || exit 0
exec "$@"
SUDO
chmod 0755 /run/vpc-sandbox/bin/sudo
export PATH="/run/vpc-sandbox/bin:$PATH"

# python3 http.server does a reverse DNS lookup at bind time: no resolver, no hang.
t mount --bind /tmp/.vpc-sandbox/empty /etc/resolv.conf
mkdir -p /run/netns /run/vpc-sandbox /var/lib/vpcctl /run/vpcctl /etc/vpcctl /etc/netns
t mount -t tmpfs -o mode=0755 vpc-netns /run/netns
# The harness's own scratch space (captured command output): a target that fills /tmp must not blind it.
mkdir -p /run/vpc-sandbox/tmp
t mount -t tmpfs -o "mode=0700,size=$tmp_size" vpc-harness-tmp /run/vpc-sandbox/tmp
# /sys/class/net must show this sandbox's interfaces, not the host's.
t mount -t sysfs vpc-sysfs /sys

for i in "${!keep_paths[@]}"; do
  path=${keep_paths[$i]}
  fd=${keep_fds[$i]}
  # Never truncate: a mount point is only created where nothing is.
  if [ -d "/proc/self/fd/$fd" ]; then mkdir -p "$path"; else mkdir -p "$(dirname "$path")"; [ -e "$path" ] || : > "$path"; fi
  t mount -c --bind "/proc/self/fd/$fd" "$path" || die "cannot keep $path visible"
  exec {fd}<&-
done
# The overlays keep their own reference to the staging area; hide it (a keep
# path cannot cover /tmp itself: sandbox.ts refuses it, so this is always there).
umount -l /tmp/.vpc-sandbox
rmdir /tmp/.vpc-sandbox
if [ -n "$transcript" ]; then
  transcript_ready=1
  printf '%s' "$pending" >> "$transcript" || die "cannot write the transcript $transcript (keep its folder)"
  pending=''
fi

workdir=${VPC_SANDBOX_WORKDIR:-/tmp/work}
mkdir -p "$workdir"
cd "$workdir"

# --- 3. Network: the uplink (eth0 unless a profile names it) and the simulated internet (RFC 5737 only). ---
uplink=${VPC_SANDBOX_UPLINK:-eth0}
t ip link set lo up
t ip netns add inet
t ip link add "$uplink" type veth peer name wan0 netns inet
t ip addr add 203.0.113.10/24 dev "$uplink"
t ip link set "$uplink" up
t ip route add default via 203.0.113.1
t ip netns exec inet ip link set lo up
t ip netns exec inet ip addr add 198.51.100.10/32 dev lo
t ip netns exec inet ip addr add 203.0.113.1/24 dev wan0
t ip netns exec inet ip link set wan0 up
# Counts packets from private space that reach the internet un-NATed (a finding, not a criterion).
t ip netns exec inet iptables -w -A INPUT -s 10.0.0.0/8 -m comment --comment vpc-sandbox:unnatted

inet_log=/run/vpc-sandbox/inet-requests.jsonl
: > "$inet_log"
ip netns exec inet "$node_bin" "$root/dist/lab/sandbox/inet-server.js" \
  --address 198.51.100.10 --port 80 --log "$inet_log" > /run/vpc-sandbox/inet-server.out 2>&1 &
inet_pid=$!
for _ in $(seq 1 200); do
  grep -q '^ready' /run/vpc-sandbox/inet-server.out 2>/dev/null && break
  kill -0 "$inet_pid" 2>/dev/null || die "internet host failed to start: $(cat /run/vpc-sandbox/inet-server.out)"
  sleep 0.02
done
grep -q '^ready' /run/vpc-sandbox/inet-server.out || die "internet host did not become ready"

# --- 4. Fixed, documented start state. ---
case "$start_state" in
  fresh)
    t sh -c 'echo 0 > /proc/sys/net/ipv4/ip_forward'
    t iptables -w -P FORWARD ACCEPT
    ;;
  docker-host)
    # What a GitHub runner with Docker looks like: forwarding on, FORWARD DROP, Docker's chains.
    t sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
    t iptables-restore --noflush <<'RULES'
*filter
:FORWARD DROP [0:0]
:DOCKER - [0:0]
:DOCKER-USER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A DOCKER-USER -j RETURN
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
COMMIT
*nat
:DOCKER - [0:0]
COMMIT
RULES
    ;;
  *) die "unknown start state: $start_state (known: fresh, docker-host)" ;;
esac

cat > /run/vpc-sandbox/env <<ENV
VPC_SANDBOX=1
VPC_SANDBOX_START_STATE=$start_state
VPC_SANDBOX_INET_LOG=$inet_log
VPC_SANDBOX_INET_PID=$inet_pid
VPC_SANDBOX_HARNESS_TMP=/run/vpc-sandbox/tmp
VPC_SANDBOX_UPLINK=$uplink
ENV
export VPC_SANDBOX=1 VPC_SANDBOX_START_STATE="$start_state" VPC_SANDBOX_INET_LOG="$inet_log" VPC_SANDBOX_INET_PID="$inet_pid"
export VPC_SANDBOX_UPLINK="$uplink"
export VPC_SANDBOX_HARNESS_TMP=/run/vpc-sandbox/tmp

# --- 5. The payload, as a child we wait for (bash as PID 1 also reaps orphans). ---
set +e
# Targets run with stdin closed; an interactive shell (`vpc-verify sandbox -- bash`) keeps it.
if [ "${VPC_SANDBOX_STDIN:-}" = inherit ]; then "$@" & else "$@" < /dev/null & fi
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || break
done
exit "$status"
