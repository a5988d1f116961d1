#!/usr/bin/env bash
# Runs each bad-input case against a small lab and reports, per case, the exit
# code, whether anything changed (system snapshot and state file), and stderr:
#   CASE<TAB>name<TAB>exit code<TAB>unchanged|changed: diff<TAB>stderr
# usage (inside a lab sandbox): bad-input.sh CASES_FILE POLICY_DIR
# CASES_FILE: one case per line, `name<TAB>arg<TAB>arg...` (the vpcctl argv).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
cases=$1
cd "$2" || exit 1

setup() {
  vpcctl create-vpc --name vpc1 --cidr 10.0.0.0/16 &&
    vpcctl add-subnet --vpc vpc1 --name publicsub --cidr 10.0.1.0/24 --type public &&
    vpcctl add-subnet --vpc vpc1 --name privatesub --cidr 10.0.2.0/24 --type private &&
    vpcctl create-vpc --name vpc2 --cidr 10.1.0.0/16 &&
    vpcctl add-subnet --vpc vpc2 --name publicsub --cidr 10.1.1.0/24
}
if ! out=$(setup 2>&1); then
  echo "SETUP-FAILED $out"
  exit 1
fi

state() { cat "${VPCCTL_STATE_DIR:-/var/lib/vpcctl}/state.json"; }
while IFS=$'\t' read -r -a fields; do
  [ ${#fields[@]} -eq 0 ] && continue
  name=${fields[0]}
  before="$(snapshot)$(state)"
  err=$(vpcctl "${fields[@]:1}" 2>&1 >/dev/null)
  rc=$?
  after="$(snapshot)$(state)"
  if [ "$before" = "$after" ]; then changed=unchanged
  else changed="changed: $(diff <(echo "$before") <(echo "$after") | head -8 | tr '\n' ' ')"; fi
  printf 'CASE\t%s\t%s\t%s\t%s\n' "$name" "$rc" "$changed" "${err//$'\n'/ | }"
done <"$cases"

vpcctl teardown-all >/dev/null 2>&1
echo "DONE $(ip netns list | wc -l) namespaces left"
