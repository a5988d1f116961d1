#!/usr/bin/env bash
# The seed's "Automating with vpcctl" sequence plus apply-policy, checked with
# plain probes against every Stage 4 criterion (docs/architecture.md) (and the advisory
# ones vpcctl can show by itself). Runs inside a lab sandbox (lab/sandbox),
# once per RUN_TAG given, all in the same sandbox: the second run proves that
# teardown left a host on which the same flow works again.
#   usage: seed-flow.sh RUN_TAG...   (e.g. seed-flow.sh run1 run2)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
STATE_FILE="${VPCCTL_STATE_DIR:-/var/lib/vpcctl}/state.json"

# Several runs: one baseline snapshot before the first, then each run in a fresh shell.
if [ -z "${BASELINE:-}" ]; then
  BASELINE=$(mktemp)
  snapshot >"$BASELINE"
  export BASELINE
  for tag in "$@"; do bash "$0" "$tag"; done
  exit 0
fi
RUN_TAG=$1

work=$(mktemp -d)
cd "$work" || exit 1
mkdir policies
cp "$repo/docs/examples/policies/vpc1-public-http-only.json" policies/

# Every vpcctl call of the flow: timed, and its failure is a check failure.
VPCCTL_MS=0
v() {
  local start end out rc
  start=$(now_ms)
  out=$(vpcctl "$@" 2>&1)
  rc=$?
  end=$(now_ms)
  VPCCTL_MS=$((VPCCTL_MS + end - start))
  if [ $rc != 0 ]; then check "command:vpcctl $*" FAIL "exit $rc: $out"; fi
  return $rc
}

# --dry-run changes nothing (system and state) and prints exactly the commands the real run then runs
# (as --verbose traces them); the real run follows, as part of the flow.
dry_then_real() { # dry_then_real ID VPCCTL-ARGS...
  local id=$1 before after printed traced
  shift
  before="$(snapshot)$(cat "$STATE_FILE" 2>/dev/null)"
  printed=$(vpcctl --dry-run "$@" 2>&1 | grep -v '^# ')
  after="$(snapshot)$(cat "$STATE_FILE" 2>/dev/null)"
  if [ "$before" = "$after" ]; then check "dry-run:$id:changes-nothing" PASS "$(wc -l <<<"$printed") lines printed"
  else check "dry-run:$id:changes-nothing" FAIL "$(diff <(echo "$before") <(echo "$after") | head -5)"; fi
  traced=$(vpcctl -v "$@" 2>&1 >/dev/null | grep -vE '^  \[|^vpcctl: done' | sed 's/^+ //')
  expect_eq "dry-run:$id:same-commands" "$traced" "$printed" "$(wc -l <<<"$traced") lines"
}

# Packets from private space that reach the internet un-NATed (a private subnet "blocked" only because
# the internet cannot answer would still leak): counted where they arrive.
ip netns exec inet iptables -t raw -A PREROUTING -s 10.0.0.0/8 -m comment --comment test-unnatted
ip netns exec inet iptables -t raw -A PREROUTING -s 203.0.113.10 -m comment --comment test-natted
packets() { ip netns exec inet iptables -t raw -L PREROUTING -v -x -n | awk -v c="$1" '$0 ~ c {print $1}'; }

snapshot >"$work/before"
if diff -q "$BASELINE" "$work/before" >/dev/null; then check start-state PASS 'sandbox as before the first run'
else check start-state FAIL "$(diff "$BASELINE" "$work/before" | head -20)"; fi

# --- the seed's sequence: clean start, VPC1 ---
v teardown-vpc --name vpc1 || true
v teardown-vpc --name vpc2 || true
dry_then_real create-vpc create-vpc --name vpc1 --cidr 10.0.0.0/16
dry_then_real add-subnet add-subnet --vpc vpc1 --name publicsub --cidr 10.0.1.0/24
v add-subnet --vpc vpc1 --name privatesub --cidr 10.0.2.0/24
v allow-intra-vpc vpc1
dry_then_real enable-nat enable-nat --vpc vpc1 --subnet publicsub --wan eth0
v deploy-http --vpc vpc1 --subnet publicsub --port 80

# deploy-http returns only once the server answers: probe once, no retry.
out=$(probe_http vpc1-privatesub http://10.0.1.2:80/)
[[ $out == 200* ]] && check deploy-http-ready PASS "$out" || check deploy-http-ready FAIL "first GET right after deploy-http: $out"

start_listener vpc1-publicsub 10.0.1.2 9000 22 443
start_listener vpc1-privatesub 10.0.2.2 9000

vpc_created() { # vpc_created VPC SUBNET CIDR_PREFIX HOST GW
  local ns="$1-$2" addr route
  addr=$(ip -n "$ns" -4 -o addr show | awk '{print $4}' | grep -v '^127\.')
  route=$(ip -n "$ns" route show default)
  if [ "$addr" = "$4/24" ] && [[ $route == "default via $5 "* ]]; then
    must_connect "vpc-created:$1/$2" probe_icmp "$ns" "$5"
  else
    check "vpc-created:$1/$2" FAIL "namespace $ns: address [$addr] default route [$route]"
  fi
}
vpc_created vpc1 publicsub 10.0.1 10.0.1.2 10.0.1.1
vpc_created vpc1 privatesub 10.0.2 10.0.2.2 10.0.2.1

must_connect "intra-vpc-routing:vpc1:private->public:icmp" probe_icmp vpc1-privatesub 10.0.1.2
must_connect "intra-vpc-routing:vpc1:public->private:icmp" probe_icmp vpc1-publicsub 10.0.2.2
EXPECT_SOURCE=10.0.2.2 must_connect "intra-vpc-routing:vpc1:private->public:tcp" probe_tcp vpc1-privatesub 10.0.1.2 9000
EXPECT_SOURCE=10.0.1.2 must_connect "intra-vpc-routing:vpc1:public->private:tcp" probe_tcp vpc1-publicsub 10.0.2.2 9000
EXPECT_SOURCE=10.0.2.2 must_connect app-deployed probe_http vpc1-privatesub http://10.0.1.2:80/

must_connect nat-public-egress:icmp probe_icmp vpc1-publicsub 198.51.100.10
EXPECT_SOURCE=203.0.113.10 must_connect nat-public-egress:http probe_http vpc1-publicsub http://198.51.100.10/
seen=$(grep -c '"source":"203.0.113.10"' "$VPC_SANDBOX_INET_LOG")
[ "$seen" -gt 0 ] && check nat-public-egress:internet-log PASS "internet host saw 203.0.113.10 ($seen requests)" ||
  check nat-public-egress:internet-log FAIL "internet host log: $(tail -3 "$VPC_SANDBOX_INET_LOG")"

# Positive control from the same source first, then the blocked probes.
must_connect nat-private-blocked:control probe_icmp vpc1-privatesub 10.0.1.2
must_block_bg nat-private-blocked:icmp probe_icmp vpc1-privatesub 198.51.100.10
must_block_bg nat-private-blocked:http probe_http vpc1-privatesub http://198.51.100.10/
must_block_bg nat-private-blocked:tcp probe_tcp vpc1-privatesub 198.51.100.10 80
wait_probes
expect_eq nat-private-blocked:no-unnatted-packets "$(packets test-unnatted)" 0 'packets from 10/8 that reached the internet'
[ "$(packets test-natted)" -gt 0 ] && check nat-counter-control PASS "$(packets test-natted) NATed packets counted" ||
  check nat-counter-control FAIL 'the counter of NATed packets saw nothing: the un-NATed count proves nothing'

# --- VPC2, isolation ---
v create-vpc --name vpc2 --cidr 10.1.0.0/16
v add-subnet --vpc vpc2 --name publicsub --cidr 10.1.1.0/24
v add-subnet --vpc vpc2 --name privatesub --cidr 10.1.2.0/24
v allow-intra-vpc vpc2
v isolate-vpcs --cidr-a 10.0.0.0/16 --cidr-b 10.1.0.0/16
start_listener vpc2-publicsub 10.1.1.2 9000
start_listener vpc2-privatesub 10.1.2.2 9000

vpc_created vpc2 publicsub 10.1.1 10.1.1.2 10.1.1.1
vpc_created vpc2 privatesub 10.1.2 10.1.2.2 10.1.2.1
must_connect "intra-vpc-routing:vpc2:private->public:icmp" probe_icmp vpc2-privatesub 10.1.1.2
must_connect "intra-vpc-routing:vpc2:public->private:icmp" probe_icmp vpc2-publicsub 10.1.2.2
EXPECT_SOURCE=10.1.2.2 must_connect "intra-vpc-routing:vpc2:private->public:tcp" probe_tcp vpc2-privatesub 10.1.1.2 9000
EXPECT_SOURCE=10.1.1.2 must_connect "intra-vpc-routing:vpc2:public->private:tcp" probe_tcp vpc2-publicsub 10.1.2.2 9000
must_block no-nat-without-enable-nat:vpc2-public probe_icmp vpc2-publicsub 198.51.100.10

declare -A HOST=([vpc1/publicsub]=10.0.1.2 [vpc1/privatesub]=10.0.2.2 [vpc2/publicsub]=10.1.1.2 [vpc2/privatesub]=10.1.2.2)
ns_of() { echo "${1/\//-}"; }
cross_pairs() { # every (src dst) pair across VPCs
  local s d
  for s in vpc1/publicsub vpc1/privatesub vpc2/publicsub vpc2/privatesub; do
    for d in vpc1/publicsub vpc1/privatesub vpc2/publicsub vpc2/privatesub; do
      [ "${s%%/*}" != "${d%%/*}" ] && echo "$s $d"
    done
  done
}
# Positive controls for every source (its own VPC), then every cross-VPC pair must be blocked.
must_connect isolation-default:control:vpc1/publicsub probe_icmp vpc1-publicsub 10.0.2.2
must_connect isolation-default:control:vpc1/privatesub probe_icmp vpc1-privatesub 10.0.1.2
must_connect isolation-default:control:vpc2/publicsub probe_icmp vpc2-publicsub 10.1.2.2
must_connect isolation-default:control:vpc2/privatesub probe_icmp vpc2-privatesub 10.1.1.2
while read -r s d; do
  must_block_bg "isolation-default:$s->$d:icmp" probe_icmp "$(ns_of "$s")" "${HOST[$d]}"
  must_block_bg "isolation-default:$s->$d:tcp" probe_tcp "$(ns_of "$s")" "${HOST[$d]}" 9000
done < <(cross_pairs)
wait_probes

# --- peering: public <-> public only, one direction at a time ---
mac1=$(cat /sys/class/net/br-vpc1/address)
mac2=$(cat /sys/class/net/br-vpc2/address)
dry_then_real peer-vpcs peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2
expect_eq bridge-mac-fixed:br-vpc1 "$(cat /sys/class/net/br-vpc1/address)" "$mac1"
expect_eq bridge-mac-fixed:br-vpc2 "$(cat /sys/class/net/br-vpc2/address)" "$mac2"
must_connect peering-none-yet:control probe_icmp vpc1-publicsub 10.0.2.2
must_block "peering-none-yet:vpc1/publicsub->vpc2/publicsub" probe_icmp vpc1-publicsub 10.1.1.2

v allow-cidr --src 10.0.1.0/24 --dst 10.1.1.0/24
EXPECT_SOURCE=10.0.1.2 must_connect "one-way:vpc1/publicsub->vpc2/publicsub:tcp" probe_tcp vpc1-publicsub 10.1.1.2 9000
must_connect one-way:control probe_icmp vpc2-publicsub 10.1.2.2
must_block_bg "one-way:vpc2/publicsub->vpc1/publicsub:icmp" probe_icmp vpc2-publicsub 10.0.1.2
must_block_bg "one-way:vpc2/publicsub->vpc1/publicsub:tcp" probe_tcp vpc2-publicsub 10.0.1.2 9000
wait_probes

v allow-cidr --src 10.1.1.0/24 --dst 10.0.1.0/24
must_connect "peering-public:vpc1->vpc2:icmp" probe_icmp vpc1-publicsub 10.1.1.2
must_connect "peering-public:vpc2->vpc1:icmp" probe_icmp vpc2-publicsub 10.0.1.2
EXPECT_SOURCE=10.0.1.2 must_connect "peering-public:vpc1->vpc2:tcp" probe_tcp vpc1-publicsub 10.1.1.2 9000
EXPECT_SOURCE=10.1.1.2 must_connect "peering-public:vpc2->vpc1:tcp" probe_tcp vpc2-publicsub 10.0.1.2 9000
EXPECT_SOURCE=10.1.1.2 must_connect "peering-public:vpc2->vpc1:http" probe_http vpc2-publicsub http://10.0.1.2:80/
must_connect peering-private-blocked:control:vpc1/privatesub probe_icmp vpc1-privatesub 10.0.1.2
must_connect peering-private-blocked:control:vpc2/privatesub probe_icmp vpc2-privatesub 10.1.1.2
while read -r s d; do
  [[ $s == */publicsub && $d == */publicsub ]] && continue
  must_block_bg "peering-private-blocked:$s->$d:icmp" probe_icmp "$(ns_of "$s")" "${HOST[$d]}"
  must_block_bg "peering-private-blocked:$s->$d:tcp" probe_tcp "$(ns_of "$s")" "${HOST[$d]}" 9000
done < <(cross_pairs)
wait_probes

# --- policy: the seed's JSON on vpc1 public ---
must_connect policy-before:tcp22 probe_tcp vpc1-privatesub 10.0.1.2 22
must_connect policy-before:tcp443 probe_tcp vpc1-privatesub 10.0.1.2 443
dry_then_real apply-policy apply-policy --vpc vpc1 --subnet publicsub --file policies/vpc1-public-http-only.json
must_connect policy-allowed:http probe_http vpc1-privatesub http://10.0.1.2:80/
must_connect policy-allowed:http-from-peer probe_http vpc2-publicsub http://10.0.1.2:80/
must_connect policy-denied:control probe_tcp vpc1-privatesub 10.0.1.2 9000
must_block_bg policy-denied:tcp22 probe_tcp vpc1-privatesub 10.0.1.2 22
must_block_bg policy-denied:tcp443 probe_tcp vpc1-privatesub 10.0.1.2 443
must_block_bg policy-denied:tcp22-from-peer probe_tcp vpc2-publicsub 10.0.1.2 22
wait_probes
rules1=$(ip netns exec vpc1-publicsub iptables-save | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]//')
v apply-policy --vpc vpc1 --subnet publicsub --file policies/vpc1-public-http-only.json
rules2=$(ip netns exec vpc1-publicsub iptables-save | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]//')
expect_eq policy-reapply-no-duplicates "$rules2" "$rules1" "$(grep -c -- '-A ' <<<"$rules2") rules"
# Replacing, not appending: a policy that denies 80 and says nothing about 22 must open 22 again.
cat >policies/replace.json <<'EOF'
{"subnet": "10.0.1.0/24", "ingress": [{"port": 80, "protocol": "tcp", "action": "deny"}]}
EOF
v apply-policy --vpc vpc1 --subnet publicsub --file policies/replace.json
must_connect policy-replaced:tcp22-open-again probe_tcp vpc1-privatesub 10.0.1.2 22
must_block policy-replaced:http-denied probe_http vpc1-privatesub http://10.0.1.2:80/
v apply-policy --vpc vpc1 --subnet publicsub --file policies/vpc1-public-http-only.json
must_connect policy-restored:http probe_http vpc1-privatesub http://10.0.1.2:80/
must_block policy-restored:tcp22 probe_tcp vpc1-privatesub 10.0.1.2 22

# --- inspect ---
out=$(vpcctl inspect 2>&1)
rc=$?
if [ $rc = 0 ] && grep -q 'br-vpc1' <<<"$out" && grep -q 'vpc1-publicsub' <<<"$out" &&
  grep -q 'default via 10.0.1.1' <<<"$out" && grep -q 'Drift: none' <<<"$out"; then
  check inspect-works PASS 'shows bridges, namespaces, routes; no drift'
else
  check inspect-works FAIL "exit $rc: $out"
fi
json=$(vpcctl inspect --json 2>&1)
summary=$(node -e 'const r = JSON.parse(process.argv[1]); console.log(r.vpcs.map((v) => `${v.name}:${v.subnets.length}`).join(","), r.peerings.length, r.drift.length)' "$json" 2>&1)
expect_eq inspect-json "$summary" 'vpc1:2,vpc2:2 1 0'

# --- idempotent create: same arguments again change nothing ---
before=$(snapshot)
state_before=$(cat "$STATE_FILE")
v create-vpc --name vpc1 --cidr 10.0.0.0/16
v add-subnet --vpc vpc1 --name publicsub --cidr 10.0.1.0/24
v allow-intra-vpc vpc1
v enable-nat --vpc vpc1 --subnet publicsub --wan eth0
v deploy-http --vpc vpc1 --subnet publicsub --port 80
v peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2
v allow-cidr --src 10.0.1.0/24 --dst 10.1.1.0/24
v isolate-vpcs --cidr-a 10.0.0.0/16 --cidr-b 10.1.0.0/16
after=$(snapshot)
expect_eq idempotent-create:system "$after" "$before" 'system unchanged'
expect_eq idempotent-create:state "$(cat "$STATE_FILE")" "$state_before" 'state unchanged'

# --- teardown: vpc1 alone, vpc2 keeps working, then vpc2 ---
http_pid=$(node -e 'const s = require(process.argv[1]); console.log(s.vpcs[0].subnets[0].servers[0].pid)' "$STATE_FILE")
stop_listeners
start_listener vpc2-publicsub 10.1.1.2 9000
start_listener vpc2-privatesub 10.1.2.2 9000
v teardown-vpc --name vpc1
if kill -0 "$http_pid" 2>/dev/null; then check teardown:http-server-stopped FAIL "pid $http_pid still runs"
else check teardown:http-server-stopped PASS "pid $http_pid gone"; fi
left=$(ip netns list | grep '^vpc1-'; ip -o link | grep -E 'br-vpc1|p1-2|p2-1|v1s')
expect_eq teardown:vpc1-gone "$left" '' 'no vpc1 namespace, bridge, veth or peering link'
must_connect teardown-independent:vpc2:icmp probe_icmp vpc2-privatesub 10.1.1.2
EXPECT_SOURCE=10.1.1.2 must_connect teardown-independent:vpc2:tcp probe_tcp vpc2-publicsub 10.1.2.2 9000
stop_listeners
dry_then_real teardown-vpc teardown-vpc --name vpc2

snapshot >"$work/after"
if diff -q "$BASELINE" "$work/after" >/dev/null; then check teardown-clean PASS 'netns, links, addresses, routes, iptables, ip_forward, processes as before'
else check teardown-clean FAIL "$(diff "$BASELINE" "$work/after" | head -30)"; fi
v teardown-vpc --name vpc1
v teardown-all
snapshot >"$work/after2"
diff -q "$BASELINE" "$work/after2" >/dev/null && check teardown-idempotent PASS 'second teardown changed nothing' ||
  check teardown-idempotent FAIL "$(diff "$BASELINE" "$work/after2" | head -10)"

ip netns exec inet iptables -t raw -F PREROUTING
info vpcctl-time "${VPCCTL_MS} ms in vpcctl calls"
cd / && rm -rf "$work"
