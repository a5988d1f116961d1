#!/usr/bin/env bash
# The Stage 4 lab built the way the seed walkthrough does it by hand: one ip /
# iptables command at a time, no batching. The bench times it against the
# reference vpcctl building the same lab. Run it inside a sandbox only
# (vpc-verify sandbox -- bash bench/seed-lab.sh).
set -euo pipefail
WAN=${WAN:-eth0}

echo 1 > /proc/sys/net/ipv4/ip_forward

subnet() { # vpc kind(public|private) third-octet prefix
  local vpc=$1 kind=$2 n=$3 prefix=$4 ns="$1-$2sub"
  ip netns add "$ns"
  ip link add "v-$vpc-$kind" type veth peer name "b-$vpc-$kind"
  ip link set "b-$vpc-$kind" master "br-$vpc"
  ip link set "b-$vpc-$kind" up
  ip link set "v-$vpc-$kind" netns "$ns"
  ip -n "$ns" addr add "$prefix.$n.2/24" dev "v-$vpc-$kind"
  ip -n "$ns" link set "v-$vpc-$kind" up
  ip -n "$ns" link set lo up
  ip -n "$ns" route add default via "$prefix.$n.1"
}

vpc() { # name prefix (10.0 / 10.1)
  local vpc=$1 prefix=$2
  ip link add name "br-$vpc" type bridge
  ip addr add "$prefix.1.1/24" dev "br-$vpc"
  ip addr add "$prefix.2.1/24" dev "br-$vpc"
  ip link set "br-$vpc" up
  subnet "$vpc" public 1 "$prefix"
  subnet "$vpc" private 2 "$prefix"
  iptables -A FORWARD -i "br-$vpc" -o "br-$vpc" -j ACCEPT
}

# VPC1, NAT for its public subnet only, and the app.
vpc vpc1 10.0
iptables -t nat -A POSTROUTING -s 10.0.1.0/24 -o "$WAN" -j MASQUERADE
iptables -P FORWARD DROP
iptables -A FORWARD -i br-vpc1 -o "$WAN" -s 10.0.1.0/24 -m state --state NEW,RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -i "$WAN" -o br-vpc1 -m state --state RELATED,ESTABLISHED -j ACCEPT
ip netns exec vpc1-publicsub python3 -m http.server 80 --bind 10.0.1.2 >/dev/null 2>&1 &
for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 http://10.0.1.2:80/ && break; sleep 0.05; done

# VPC2 and isolation.
vpc vpc2 10.1
iptables -A FORWARD -s 10.0.0.0/16 -d 10.1.0.0/16 -j DROP
iptables -A FORWARD -s 10.1.0.0/16 -d 10.0.0.0/16 -j DROP

# Peering: a veth between the bridges, then public <-> public only (before the drops).
ip link add vpc1-peer type veth peer name vpc2-peer
ip link set vpc1-peer master br-vpc1
ip link set vpc2-peer master br-vpc2
ip link set vpc1-peer up
ip link set vpc2-peer up
iptables -I FORWARD 1 -s 10.0.1.0/24 -d 10.1.1.0/24 -j ACCEPT
iptables -I FORWARD 1 -s 10.1.1.0/24 -d 10.0.1.0/24 -j ACCEPT

# The JSON policy, as INPUT rules inside vpc1's public namespace.
ip netns exec vpc1-publicsub iptables -A INPUT -p tcp --dport 80 -j ACCEPT
ip netns exec vpc1-publicsub iptables -A INPUT -p tcp --dport 22 -j DROP
ip netns exec vpc1-publicsub iptables -A INPUT -p tcp --dport 443 -j DROP
