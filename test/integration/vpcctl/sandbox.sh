#!/usr/bin/env bash
# A minimal stand-in for lab/sandbox, for vpcctl's own integration tests.
# Never run it directly on a host: run it inside a throwaway namespace set,
#   unshare --net --mount --pid --fork --mount-proc --propagation private --kill-child \
#     bash test/integration/vpcctl/sandbox.sh COMMAND...
# It builds the DESIGN.md sandbox (uplink eth0 203.0.113.10/24 via 203.0.113.1,
# namespace `inet` with the internet host 198.51.100.10 answering ICMP and
# HTTP :80 and logging each request's source), then runs COMMAND.
set -euo pipefail

if [ "${VPCCTL_IN_SANDBOX:-}" = 1 ] || [ "$$" != 1 ]; then
  echo "sandbox.sh: refusing to run outside a fresh PID namespace (use unshare, see the header)" >&2
  exit 97
fi
export VPCCTL_IN_SANDBOX=1

repo="$(cd "$(dirname "$0")/../../.." && pwd)"
mount -t tmpfs tmpfs /run/netns
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mkdir -p /tmp/etc
: >/tmp/etc/resolv.conf
mount --bind /tmp/etc/resolv.conf /etc/resolv.conf

ip link set lo up
ip netns add inet
ip link add eth0 type veth peer name uplink netns inet
ip addr add 203.0.113.10/24 dev eth0
ip link set eth0 up
ip route add default via 203.0.113.1
ip -n inet link set lo up
ip -n inet addr add 203.0.113.1/24 dev uplink
ip -n inet link set uplink up
ip -n inet addr add 198.51.100.10/32 dev lo

# Documented start state: FORWARD policy ACCEPT, routing off.
iptables -P FORWARD ACCEPT
echo 0 >/proc/sys/net/ipv4/ip_forward

export SANDBOX_DIR=/tmp/sandbox
mkdir -p "$SANDBOX_DIR"
ip netns exec inet node "$repo/dist/src/vpcctl/http-server.js" 198.51.100.10 80 >>"$SANDBOX_DIR/internet-http.log" 2>&1 &
for _ in $(seq 100); do
  grep -q listening "$SANDBOX_DIR/internet-http.log" 2>/dev/null && break
  sleep 0.02
done

export VPCCTL_STATE_DIR=/tmp/vpcctl-state
export PATH="$repo/test/integration/vpcctl/bin:$PATH"
"$@"
