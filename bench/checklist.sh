#!/usr/bin/env bash
# The seed's verification checklist done the obvious way: the seed's
# "Automating with vpcctl" commands one by one, each criterion checked with
# the seed's own tools (ping -c2, curl, timeout 2 bash -c '</dev/tcp/...'),
# one check after another. It covers the Stage 4 criteria that vpc-verify
# judges, so the bench can compare the two on the same target. Written for the
# bench, not for grading: a check that fails prints FAIL and the script goes on.
#
# Run it inside a sandbox only (it builds networks):
#   VPCCTL=$PWD/bin/vpcctl vpc-verify sandbox -- bash bench/checklist.sh
# Output: one "PASS <check>" / "FAIL <check>" line per check, then
#   checklist: passed=N failed=N vpcctl_ms=N checks_ms=N total_ms=N
# The internet host is the sandbox's 198.51.100.10 (the seed pings a public resolver instead).
set -uo pipefail

VPCCTL=${VPCCTL:?VPCCTL must be the path of the target vpcctl}
WAN=${WAN:-eth0}
INET=198.51.100.10
LISTEN_PORT=8080

now_us() { echo "${EPOCHREALTIME/./}"; }
started=$(now_us)
vpcctl_us=0
checks_us=0
passed=0
failed=0

# The target's command, timed; output kept out of the way, as the seed's demo would scroll past it.
v() {
  local t0 rc
  t0=$(now_us)
  "$VPCCTL" "$@" >/dev/null 2>&1
  rc=$?
  vpcctl_us=$((vpcctl_us + $(now_us) - t0))
  return "$rc"
}

# check NAME CMD...: PASS when CMD succeeds.
check() {
  local name=$1 t0
  shift
  t0=$(now_us)
  if "$@" >/dev/null 2>&1; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    failed=$((failed + 1))
  fi
  checks_us=$((checks_us + $(now_us) - t0))
}

# blocked NAME CMD...: PASS when CMD fails (the seed's `... || echo "blocked as expected"`).
blocked() {
  local name=$1
  shift
  check "$name" not "$@"
}
not() { ! "$@"; }

ping2() { ip netns exec "$1" ping -c2 "$2"; }
tcp() { ip netns exec "$1" timeout 2 bash -c "</dev/tcp/$2/$3"; }
http_200() { ip netns exec "$1" curl -sI --max-time 5 "$2" | head -n1 | grep -q ' 200'; }

# Each subnet: name, address, gateway.
declare -A ADDR=([vpc1-publicsub]=10.0.1.2 [vpc1-privatesub]=10.0.2.2 [vpc2-publicsub]=10.1.1.2 [vpc2-privatesub]=10.1.2.2)
declare -A GW=([vpc1-publicsub]=10.0.1.1 [vpc1-privatesub]=10.0.2.1 [vpc2-publicsub]=10.1.1.1 [vpc2-privatesub]=10.1.2.1)

# The sandbox before the lab: teardown must bring it back to this.
snapshot() {
  ip netns list | awk '{print $1}' | sort
  ip -o link | awk -F': ' '{print $2}' | sort
  iptables-save | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]//'
}
before=$(snapshot)

listener_pids=()
listen() { # namespace address port
  ip netns exec "$1" python3 -m http.server "$3" --bind "$2" >/dev/null 2>&1 &
  listener_pids+=($!)
}

subnet_ok() { # namespace: has its address and a default route whose gateway answers
  ip -n "$1" -4 addr show | grep -q "inet ${ADDR[$1]}/" &&
    ip -n "$1" route show default | grep -q "via ${GW[$1]}" &&
    ping2 "$1" "${GW[$1]}"
}

both_ways() { # prefix a b: ICMP and TCP, both directions
  check "$1 ICMP $2 -> $3" ping2 "$2" "${ADDR[$3]}"
  check "$1 ICMP $3 -> $2" ping2 "$3" "${ADDR[$2]}"
  check "$1 TCP $2 -> $3" tcp "$2" "${ADDR[$3]}" "$LISTEN_PORT"
  check "$1 TCP $3 -> $2" tcp "$3" "${ADDR[$2]}" "$LISTEN_PORT"
}

blocked_one_way() { # prefix from to
  blocked "$1 ICMP $2 -> $3" ping2 "$2" "${ADDR[$3]}"
  blocked "$1 TCP $2 -> $3" tcp "$2" "${ADDR[$3]}" "$LISTEN_PORT"
}

# Clean start, as the seed does.
v teardown-vpc --name vpc1 || true
v teardown-vpc --name vpc2 || true

# 1-4. VPC1, NAT for its public subnet, the app.
v create-vpc --name vpc1 --cidr 10.0.0.0/16
v add-subnet --vpc vpc1 --name publicsub --cidr 10.0.1.0/24
v add-subnet --vpc vpc1 --name privatesub --cidr 10.0.2.0/24
v allow-intra-vpc vpc1
v enable-nat --vpc vpc1 --subnet publicsub --wan "$WAN"
v deploy-http --vpc vpc1 --subnet publicsub --port 80
listen vpc1-publicsub 10.0.1.2 "$LISTEN_PORT"
listen vpc1-privatesub 10.0.2.2 "$LISTEN_PORT"
sleep 1

check "vpc-created vpc1-publicsub" subnet_ok vpc1-publicsub
check "vpc-created vpc1-privatesub" subnet_ok vpc1-privatesub
both_ways intra-vpc-routing vpc1-publicsub vpc1-privatesub
check "app-deployed curl -I http://10.0.1.2 is 200" http_200 vpc1-privatesub http://10.0.1.2:80
check "nat-public-egress ping $INET" ping2 vpc1-publicsub "$INET"
check "nat-public-egress curl $INET sees 203.0.113.10" \
  bash -c "ip netns exec vpc1-publicsub curl -s --max-time 5 http://$INET/ | grep -q '\"seen\":\"203.0.113.10\"'"
blocked "nat-private-blocked ping $INET" ping2 vpc1-privatesub "$INET"
blocked "nat-private-blocked curl $INET" ip netns exec vpc1-privatesub curl -s --max-time 5 "http://$INET/"

# 5. VPC2 and isolation.
v create-vpc --name vpc2 --cidr 10.1.0.0/16
v add-subnet --vpc vpc2 --name publicsub --cidr 10.1.1.0/24
v add-subnet --vpc vpc2 --name privatesub --cidr 10.1.2.0/24
v allow-intra-vpc vpc2
v isolate-vpcs --cidr-a 10.0.0.0/16 --cidr-b 10.1.0.0/16
listen vpc2-publicsub 10.1.1.2 "$LISTEN_PORT"
listen vpc2-privatesub 10.1.2.2 "$LISTEN_PORT"
sleep 1

check "vpc-created vpc2-publicsub" subnet_ok vpc2-publicsub
check "vpc-created vpc2-privatesub" subnet_ok vpc2-privatesub
both_ways intra-vpc-routing vpc2-publicsub vpc2-privatesub
for a in vpc1-publicsub vpc1-privatesub; do
  for b in vpc2-publicsub vpc2-privatesub; do
    blocked_one_way isolation-default "$a" "$b"
    blocked_one_way isolation-default "$b" "$a"
  done
done

# 6. Peering, public <-> public only.
v peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2
v allow-cidr --src 10.0.1.0/24 --dst 10.1.1.0/24
v allow-cidr --src 10.1.1.0/24 --dst 10.0.1.0/24

both_ways peering-public vpc1-publicsub vpc2-publicsub
for pair in "vpc1-publicsub vpc2-privatesub" "vpc1-privatesub vpc2-publicsub" "vpc1-privatesub vpc2-privatesub"; do
  read -r a b <<<"$pair"
  blocked_one_way peering-private-blocked "$a" "$b"
  blocked_one_way peering-private-blocked "$b" "$a"
done

# 7. The JSON policy; listeners on 22 and 443 so "blocked" needs the firewall.
listen vpc1-publicsub 10.0.1.2 22
listen vpc1-publicsub 10.0.1.2 443
sleep 1
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
v apply-policy --vpc vpc1 --subnet publicsub --file "$policy"

check "policy-allowed curl -I http://10.0.1.2:80 is 200" http_200 vpc1-privatesub http://10.0.1.2:80
blocked "policy-denied tcp/22" tcp vpc1-privatesub 10.0.1.2 22
blocked "policy-denied tcp/443" tcp vpc1-privatesub 10.0.1.2 443

# 8. Inspect, teardown (vpc1 first, vpc2 must still work), nothing left.
v inspect
inspect_rc=$?
check "inspect-works vpcctl inspect" test "$inspect_rc" = 0
kill "${listener_pids[@]}" 2>/dev/null
wait "${listener_pids[@]}" 2>/dev/null
v teardown-vpc --name vpc1
check "teardown-independent vpc2 still routes" ping2 vpc2-publicsub 10.1.2.2
v teardown-vpc --name vpc2
check "teardown-clean sandbox as before (ip netns list, links, iptables-save)" \
  bash -c '[ "$1" = "$2" ]' _ "$before" "$(snapshot)"

total_ms=$((($(now_us) - started) / 1000))
echo "checklist: passed=$passed failed=$failed vpcctl_ms=$((vpcctl_us / 1000)) checks_ms=$((checks_us / 1000)) total_ms=$total_ms"
[ "$failed" = 0 ]
