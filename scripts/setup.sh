#!/usr/bin/env bash
# Sets up this checkout for labs: the packages a lab needs (when their commands
# are missing), with `test` also a browser for the report test (optional: without
# one that test is skipped, never the set-up failed), the npm dependencies (when
# package-lock.json changed) and the build (when a source changed).
# Idempotent and quick when nothing changed; `npm start` and `npm test` run it first.
#
#   scripts/setup.sh [test]          set up
#   scripts/setup.sh --plan [test]   print the decisions and install nothing
#
# Exit 3: a required command is missing and cannot be installed here.
set -euo pipefail
# Builtins only until the plan is made: its tests run it over a fake PATH.
here=${BASH_SOURCE[0]%/*}
[ "$here" != "${BASH_SOURCE[0]}" ] || here=.
cd "$here/.."
. scripts/setup-plan.sh

plan_only=0
if [ "${1:-}" = --plan ]; then plan_only=1; shift; fi
mode=${1:-}
plan_setup "$mode"

if [ "$plan_only" = 1 ]; then
  printf 'plan: %s\n' "${PLAN[@]}"
  [ ${#PLAN_INSTALL[@]} -eq 0 ] || printf 'plan: install: %s\n' "${PLAN_INSTALL[*]}"
  [ -z "$PLAN_BROWSER_PACKAGE" ] || printf 'plan: install (optional): %s\n' "$PLAN_BROWSER_PACKAGE"
  if [ ${#PLAN_MISSING[@]} -gt 0 ]; then setup_missing_message >&2; exit 3; fi
  exit 0
fi

can_install=0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then can_install=1; fi
export DEBIAN_FRONTEND=noninteractive
apt_updated=0
# Another set-up (a second checkout, a parallel CI job) may hold apt's lock: wait for it rather than fail.
apt_lock_wait=(-o DPkg::Lock::Timeout=600)
apt_update() {
  [ "$apt_updated" = 1 ] || { apt-get "${apt_lock_wait[@]}" update -qq && apt_updated=1; }
}
apt_install() {
  apt_update && apt-get "${apt_lock_wait[@]}" install -y -qq --no-install-recommends "$@" >/dev/null
}

# A fresh machine's apt has no package lists yet (apt-cache knows nothing): read them, then decide again.
if [ "$can_install" = 1 ] && { [ ${#PLAN_MISSING[@]} -gt 0 ] || { [ "$mode" = test ] && [ -z "$BROWSER" ] && [ -z "$PLAN_BROWSER_PACKAGE" ]; }; }; then
  echo "setup: reading apt's package lists (apt-get update), as apt-cache lacks a package needed here"
  apt_update || echo "setup: apt-get update failed (output above)" >&2
  plan_setup "$mode"
fi

if [ ${#PLAN_MISSING[@]} -gt 0 ]; then setup_missing_message >&2; exit 3; fi

if [ ${#PLAN_INSTALL[@]} -gt 0 ]; then
  if [ "$can_install" = 1 ]; then
    echo "setup: installing packages: ${PLAN_INSTALL[*]}"
    apt_install "${PLAN_INSTALL[@]}" || {
      echo "setup: E_ENVIRONMENT: apt-get could not install ${PLAN_INSTALL[*]} (output above); fix apt, or install them yourself, then run the set-up again" >&2
      exit 3
    }
  else
    echo "setup: E_ENVIRONMENT: missing packages: ${PLAN_INSTALL[*]} (installing needs root and apt-get)" >&2
    echo "setup: install them with: sudo apt-get update && sudo apt-get install -y ${PLAN_INSTALL[*]}" >&2
    exit 3
  fi
fi

if [ "$mode" = test ]; then
  if [ -z "$BROWSER" ] && [ -n "$PLAN_BROWSER_PACKAGE" ] && [ "$can_install" = 1 ]; then
    echo "setup: installing $PLAN_BROWSER_PACKAGE for the report test"
    apt_install "$PLAN_BROWSER_PACKAGE" || echo "setup: could not install $PLAN_BROWSER_PACKAGE (output above); going on without it" >&2
    find_browser || true
  fi
  if [ -n "$BROWSER" ]; then
    echo "setup: report test browser: $BROWSER ($BROWSER_FROM)"
  else
    echo "setup: the report test will be skipped: ${BROWSER_WHY}" >&2
  fi
fi

stamp=node_modules/.setup-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm dependencies (npm ci)"
  # npm ci runs the package's prepare script: scripts/build-if-changed.sh.
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
else
  bash scripts/build-if-changed.sh
fi
