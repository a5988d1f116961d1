#!/usr/bin/env bash
# Concurrent invocations and a three-VPC peering mesh, inside a lab sandbox.
# - Commands started together must all take effect exactly once (the state
#   lock serialises them; the state file stays valid).
# - Three VPCs peered pairwise form a loop of bridges: the peering ports are
#   isolated, so no frame circles (no broadcast storm) and traffic still flows.
# - Tearing everything down concurrently leaves the sandbox as it was.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
RUN_TAG=concurrency
STATE_FILE="${VPCCTL_STATE_DIR:-/var/lib/vpcctl}/state.json"
baseline=$(snapshot)

together() { # together "CMD ARGS" "CMD ARGS"...: start all, wait, report any failure
  local pids=() line pid rc=0 out
  out=$(mktemp -d)
  local i=0
  for line in "$@"; do
    # shellcheck disable=SC2086
    vpcctl $line >"$out/$i" 2>&1 &
    pids+=($!)
    i=$((i + 1))
  done
  i=0
  for pid in "${pids[@]}"; do
    if ! wait "$pid"; then
      rc=1
      check "together:${*:$((i + 1)):1}" FAIL "$(cat "$out/$i")"
    fi
    i=$((i + 1))
  done
  rm -rf "$out"
  return $rc
}

together "create-vpc --name vpc1 --cidr 10.0.0.0/16" "create-vpc --name vpc2 --cidr 10.1.0.0/16" \
  "create-vpc --name vpc3 --cidr 10.2.0.0/16"
subnets=()
for v in 1 2 3; do
  for s in 1 2 3; do subnets+=("add-subnet --vpc vpc$v --name s$s --cidr 10.$((v - 1)).$s.0/24"); done
done
together "${subnets[@]}"
together "allow-intra-vpc vpc1" "allow-intra-vpc vpc2" "allow-intra-vpc vpc3" \
  "enable-nat --vpc vpc1 --subnet s1 --wan eth0" "enable-nat --vpc vpc2 --subnet s1 --wan eth0" \
  "deploy-http --vpc vpc1 --subnet s1 --port 80" "deploy-http --vpc vpc3 --subnet s2 --port 8080"

summary=$(node -e '
const s = require(process.argv[1]);
const names = s.vpcs.map((v) => `${v.name}:${v.subnets.map((x) => x.name).sort().join("+")}`).sort().join(" ");
const veths = s.vpcs.flatMap((v) => v.subnets.map((x) => x.hostIf));
const servers = s.vpcs.flatMap((v) => v.subnets.flatMap((x) => x.servers)).length;
const nat = s.vpcs.flatMap((v) => v.subnets.filter((x) => x.nat)).length;
console.log(names, new Set(veths).size, servers, nat, s.vpcs.filter((v) => v.intraVpc).length);
' "$STATE_FILE" 2>&1)
expect_eq state-after-concurrent-creates "$summary" 'vpc1:s1+s2+s3 vpc2:s1+s2+s3 vpc3:s1+s2+s3 9 2 2 3'
expect_eq namespaces "$(ip netns list | grep -c '^vpc')" 9
out=$(vpcctl inspect 2>&1)
grep -q 'Drift: none' <<<"$out" && check inspect-no-drift PASS 'state and system agree' || check inspect-no-drift FAIL "$out"
must_connect http-vpc1 probe_http vpc1-s2 http://10.0.1.2:80/
must_connect http-vpc3 probe_http vpc3-s1 http://10.2.2.2:8080/

# A full mesh of peerings, created concurrently.
together "peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2" "peer-vpcs --bridge-a br-vpc2 --bridge-b br-vpc3" \
  "peer-vpcs --vpc-a vpc3 --vpc-b vpc1"
expect_eq peerings "$(node -e 'console.log(require(process.argv[1]).peerings.length)' "$STATE_FILE")" 3
together "allow-cidr --src 10.0.1.0/24 --dst 10.2.1.0/24" "allow-cidr --src 10.2.1.0/24 --dst 10.0.1.0/24"
start_listener vpc3-s1 10.2.1.2 9000
start_listener vpc2-s1 10.1.1.2 9000
EXPECT_SOURCE=10.0.1.2 must_connect mesh:vpc1-s1-to-vpc3-s1 probe_tcp vpc1-s1 10.2.1.2 9000
must_connect mesh:control probe_icmp vpc1-s1 10.0.2.2
must_block mesh:vpc1-s1-to-vpc2-s1 probe_tcp vpc1-s1 10.1.1.2 9000
# Broadcasts (ARP) were sent on every bridge; a loop would multiply them without end.
sleep 2
frames=$(for l in $(ip -o link show | sed -E 's/^[0-9]+: ([^@:]+).*/\1/' | grep -E '^p[0-9]+-[0-9]+'); do
  ip -s -j link show "$l" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const l=JSON.parse(s)[0];console.log(l.stats64.tx.packets+l.stats64.rx.packets)})'
done | awk '{t+=$1} END {print t+0}')
[ "$frames" -lt 1000 ] && check no-broadcast-storm PASS "$frames frames on all peering ports" ||
  check no-broadcast-storm FAIL "$frames frames on the peering ports: frames are looping"
stop_listeners

together "teardown-vpc --name vpc1" "teardown-vpc --name vpc2" "teardown-vpc --name vpc3"
expect_eq teardown-clean "$(snapshot)" "$baseline"
expect_eq state-empty "$(node -e 'const s=require(process.argv[1]);console.log(s.vpcs.length+s.peerings.length+s.allows.length)' "$STATE_FILE")" 0
log="${VPCCTL_STATE_DIR:-/var/lib/vpcctl}/vpcctl.log"
expect_eq log-has-every-invocation "$(grep -c ' \$ vpcctl ' "$log")" "$(grep -c ' exit 0$' "$log")"
echo DONE
