#!/usr/bin/env bash
# Times one build of the full two-VPC Stage 4 lab inside the sandbox it runs
# in (sandbox start-up is not counted): vpc1 + subnets + intra-VPC, NAT, the
# HTTP app, vpc2 + subnets + intra-VPC, isolation, peering, allow-cidr both
# ways, the JSON policy.
#   reference: the target's vpcctl ($VPCCTL) driven with the seed's command sequence;
#   seed:      bench/seed-lab.sh, the same lab as the seed's ip/iptables commands typed as a script.
# Then checks (untimed) that the lab answers, so a broken build never counts as a fast one.
# Run it inside a sandbox only:
#   VPCCTL=$PWD/bin/vpcctl vpc-verify sandbox -- bash bench/build-lab.sh reference
# Output (last lines):
#   cmd_ms=<ms> <command>                     (reference: one per vpcctl call)
#   build-lab: mode=<mode> ok=<0|1> build_ms=<ms> calls=<n> noop_ms=<ms> node_ms=<ms>
# noop_ms is the mean time of `vpcctl --version` (start-up cost of one call) and
# node_ms that of `node -e 0` (the runtime alone); both 0 for seed.
set -uo pipefail

mode=${1:?usage: build-lab.sh reference|seed}
here=$(cd "$(dirname "$0")" && pwd)
now_us() { echo "${EPOCHREALTIME/./}"; }

calls=0
v() {
  local t0 rc
  t0=$(now_us)
  "$VPCCTL" "$@" >/dev/null 2>&1
  rc=$?
  echo "cmd_ms=$((($(now_us) - t0) / 1000)) $*"
  calls=$((calls + 1))
  return "$rc"
}

reference_lab() {
  v create-vpc --name vpc1 --cidr 10.0.0.0/16 &&
    v add-subnet --vpc vpc1 --name publicsub --cidr 10.0.1.0/24 &&
    v add-subnet --vpc vpc1 --name privatesub --cidr 10.0.2.0/24 &&
    v allow-intra-vpc vpc1 &&
    v enable-nat --vpc vpc1 --subnet publicsub --wan eth0 &&
    v deploy-http --vpc vpc1 --subnet publicsub --port 80 &&
    v create-vpc --name vpc2 --cidr 10.1.0.0/16 &&
    v add-subnet --vpc vpc2 --name publicsub --cidr 10.1.1.0/24 &&
    v add-subnet --vpc vpc2 --name privatesub --cidr 10.1.2.0/24 &&
    v allow-intra-vpc vpc2 &&
    v isolate-vpcs --cidr-a 10.0.0.0/16 --cidr-b 10.1.0.0/16 &&
    v peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2 &&
    v allow-cidr --src 10.0.1.0/24 --dst 10.1.1.0/24 &&
    v allow-cidr --src 10.1.1.0/24 --dst 10.0.1.0/24 &&
    v apply-policy --vpc vpc1 --subnet publicsub --file "$policy"
}

noop_ms=0
node_ms=0
case "$mode" in
  reference)
    : "${VPCCTL:?VPCCTL must be the path of the target vpcctl}"
    policy=$(mktemp --suffix=.json)
    cat >"$policy" <<'EOF'
{
  "subnet": "10.0.1.0/24",
  "ingress": [
    {"port": 80, "protocol": "tcp", "action": "allow"},
    {"port": 22, "protocol": "tcp", "action": "deny"},
    {"port": 443, "protocol": "tcp", "action": "deny"}
  ]
}
EOF
    t0=$(now_us)
    for _ in 1 2 3 4 5; do "$VPCCTL" --version >/dev/null 2>&1; done
    noop_ms=$((($(now_us) - t0) / 5000))
    t0=$(now_us)
    for _ in 1 2 3 4 5; do node -e 0 >/dev/null 2>&1; done
    node_ms=$((($(now_us) - t0) / 5000))
    t0=$(now_us)
    reference_lab
    rc=$?
    build_ms=$((($(now_us) - t0) / 1000))
    ;;
  seed)
    t0=$(now_us)
    bash "$here/seed-lab.sh"
    rc=$?
    build_ms=$((($(now_us) - t0) / 1000))
    calls=1
    ;;
  *)
    echo "unknown mode: $mode (reference|seed)" >&2
    exit 2
    ;;
esac

# Untimed: the lab is really there (5 namespaces with the sandbox's inet, the app, peering, NAT).
# Pings retry: a bridge that just got a peering port may stall for a few seconds.
answers() { # namespace address
  local _
  for _ in $(seq 1 20); do ip netns exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 && return 0; done
  return 1
}
ok=0
if [ "$rc" = 0 ] &&
  [ "$(ip netns list | wc -l)" = 5 ] &&
  ip netns exec vpc1-privatesub curl -s -o /dev/null --max-time 5 -w '%{http_code}' http://10.0.1.2:80/ | grep -q 200 &&
  answers vpc1-publicsub 10.1.1.2 &&
  answers vpc1-publicsub 198.51.100.10; then
  ok=1
fi
echo "build-lab: mode=$mode ok=$ok build_ms=$build_ms calls=$calls noop_ms=$noop_ms node_ms=$node_ms"
[ "$ok" = 1 ]
