# Probes and checks for vpcctl's integration scripts (sourced; they run only inside a lab sandbox).
# Every check prints one line the vitest side parses:
#   CHECK<TAB>id<TAB>PASS|FAIL<TAB>detail
# Plain probes only: ping, curl, and TCP connects (bash /dev/tcp) to listeners the test starts.

helpers="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/helpers"
RUN_TAG="${RUN_TAG:-run}"
LISTENER_PIDS=()

check() { # check ID PASS|FAIL DETAIL
  printf 'CHECK\t%s:%s\t%s\t%s\n' "$RUN_TAG" "$1" "$2" "${3//$'\n'/ | }"
}

info() { printf 'INFO\t%s:%s\t%s\n' "$RUN_TAG" "$1" "${2//$'\n'/ | }"; }

expect_eq() { # expect_eq ID ACTUAL EXPECTED [DETAIL]
  if [ "$2" = "$3" ]; then check "$1" PASS "${4:-$2}"; else check "$1" FAIL "expected [$3] got [$2] ${4:-}"; fi
}

# One ICMP echo from namespace $1 to $2: connected | timeout | unreachable | error:...
probe_icmp() {
  local out rc
  out=$(ip netns exec "$1" ping -n -c1 -W1 "$2" 2>&1)
  rc=$?
  if [ $rc = 0 ]; then echo connected
  elif grep -qiE 'unreachable|prohibited' <<<"$out"; then echo unreachable
  elif [ $rc = 1 ]; then echo timeout
  else echo "error:$(tail -1 <<<"$out")"
  fi
}

# One TCP connect from namespace $1 to $2:$3: connected:<address the listener saw> | refused | timeout | unreachable | error:...
probe_tcp() {
  local out rc
  out=$(ip netns exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3 && head -n1 <&3" 2>&1)
  rc=$?
  if [ $rc = 0 ]; then echo "connected:$(tail -1 <<<"$out")"
  elif [ $rc = 124 ]; then echo timeout
  elif grep -q 'refused' <<<"$out"; then echo refused
  elif grep -qiE 'no route|unreachable' <<<"$out"; then echo unreachable
  else echo "error:$(tail -1 <<<"$out")"
  fi
}

# HTTP GET from namespace $1: "<status> <body first line...>" or "000 <curl error>"
probe_http() {
  local code body errors
  body=$(mktemp)
  errors=$(mktemp)
  code=$(ip netns exec "$1" curl -sS -m 3 -o "$body" -w '%{http_code}' "$2" 2>"$errors")
  echo "$code $(tr '\n' ' ' <"$body")$(tr '\n' ' ' <"$errors")"
  rm -f "$body" "$errors"
}

# A "must connect" probe retries within a deadline (ARP, routes settle); prints the last outcome and the tries.
retry_until_connected() { # retry_until_connected PROBE ARGS...
  local outcome tries=0 deadline=$((SECONDS + 8))
  while :; do
    tries=$((tries + 1))
    outcome=$("$@")
    [[ $outcome == connected* || $outcome == 200* ]] && break
    [ $SECONDS -ge $deadline ] && break
    sleep 0.2
  done
  echo "$outcome tries=$tries"
}

must_connect() { # must_connect ID PROBE ARGS... ; the listener must see $EXPECT_SOURCE when set
  local id=$1 outcome
  shift
  outcome=$(retry_until_connected "$@")
  if [[ $outcome != connected* && $outcome != 200* ]]; then
    check "$id" FAIL "expected connected, got $outcome ($*)"
  elif [ -n "${EXPECT_SOURCE:-}" ] && [[ $outcome != *":$EXPECT_SOURCE "* && $outcome != *"client $EXPECT_SOURCE "* &&
    $outcome != *"\"seen\":\"$EXPECT_SOURCE\""* ]]; then
    check "$id" FAIL "connected but the far end saw [$outcome], expected source $EXPECT_SOURCE ($*)"
  else
    check "$id" PASS "$outcome"
  fi
}

# Blocked probes wait for their timeout: run a group of them concurrently, then wait_probes.
BG_PIDS=()
must_block_bg() {
  must_block "$@" &
  BG_PIDS+=($!)
}
wait_probes() {
  local pid
  for pid in "${BG_PIDS[@]}"; do wait "$pid"; done
  BG_PIDS=()
}

must_block() { # must_block ID PROBE ARGS... (run only after the phase's positive controls passed)
  local id=$1 outcome
  shift
  outcome=$("$@")
  case $outcome in
    timeout* | unreachable* | 000*) check "$id" PASS "$outcome" ;;
    *) check "$id" FAIL "expected blocked, got $outcome ($*)" ;;
  esac
}

start_listener() { # start_listener NAMESPACE ADDRESS PORT...
  local ns=$1 log
  shift
  log=$(mktemp)
  ip netns exec "$ns" node "$helpers/listener.mjs" "$@" >"$log" 2>&1 &
  LISTENER_PIDS+=($!)
  for _ in $(seq 200); do
    grep -q listening "$log" && return 0
    sleep 0.02
  done
  check "listener:$ns" FAIL "listener in $ns did not start: $(cat "$log")"
}

stop_listeners() {
  local pid
  for pid in "${LISTENER_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${LISTENER_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  LISTENER_PIDS=()
}

# Everything teardown must restore: namespaces, links, IPv4 addresses, routes, iptables rules
# (every table, without counters), ip_forward, processes.
snapshot() {
  echo '## netns'
  ip netns list | sort
  echo '## links'
  ip -o link show | sed -E 's/^[0-9]+: //; s/@[^:]+:/:/; s/:.*//' | sort
  echo '## addresses'
  ip -o -4 addr show | awk '{print $2, $4}' | sort
  echo '## routes'
  ip -4 route show table all | sort
  echo '## iptables'
  iptables-save | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]//'
  echo '## sysctl'
  cat /proc/sys/net/ipv4/ip_forward
  echo '## processes'
  # Not the snapshot's own pipeline, the scripts' shells, or processes without a command line
  # (`[bash]`: a shell between fork and exec, or a zombie about to be reaped).
  ps -e -o args= | grep -vE '^(ps|sort|grep|sed|bash)( |$)|^\[.*\]$' | sort
}

now_ms() { date +%s%3N; }
