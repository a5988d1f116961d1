#!/usr/bin/env bash
# The one search for the browser the report test opens report.html in
# (README "Set-up, CI and GitHub runners"). Set-up and the test both use it.
#
# Run:    bash scripts/find-browser.sh   prints the browser's path (exit 0), or why none
#                                        was found (exit 1); candidates it turned down go to stderr.
# Source: find_browser                   sets BROWSER and BROWSER_FROM, or BROWSER_WHY
#                                        (returns 1); BROWSER_REJECTED lists what was turned down.
#
# Order: VPC_BROWSER, CHROME_BIN, CHROMIUM_BIN (GitHub's runners set CHROME_BIN), then chromium,
# chromium-browser, google-chrome, google-chrome-stable on PATH, then the
# Playwright cache. Nothing is installed or run here: a decision over PATH and files only.

# A snap "package" (Ubuntu's chromium-browser) is a wrapper that needs snapd:
# it fails as root in CI. Reject anything under /snap and any script that hands over to a snap
# (names a /snap/ path or runs `snap`); a word like "snapshot" in a real browser's wrapper is no sign.
browser_snap_stub() {
  local path=$1 head=''
  case "$path" in /snap/*) return 0 ;; esac
  IFS= read -r -n 2 head < "$path" 2>/dev/null || true
  [ "$head" = '#!' ] || return 1
  local line
  while IFS= read -r line; do
    case "$line" in */snap/* | *'snap install'* | *'snap run'*) return 0 ;; esac
  done < "$path"
  return 1
}

# The file a candidate finally is (google-chrome is usually a chain of symlinks).
# readlink comes from the system's default PATH, so a fake PATH in the tests does not hide it.
browser_resolve() {
  command -p readlink -f -- "$1" 2>/dev/null || printf '%s' "$1"
}

# browser_try PATH FROM: takes the candidate if it is usable.
browser_try() {
  local path=$1 from=$2 real
  if [ ! -f "$path" ] || [ ! -x "$path" ]; then
    BROWSER_REJECTED+=("$path ($from): not an executable file")
    return 1
  fi
  real=$(browser_resolve "$path")
  if browser_snap_stub "$real"; then
    BROWSER_REJECTED+=("$path ($from): a snap wrapper (needs snapd; never used)")
    return 1
  fi
  BROWSER=$path
  BROWSER_FROM=$from
  return 0
}

find_browser() {
  BROWSER='' BROWSER_FROM='' BROWSER_WHY=''
  BROWSER_REJECTED=()
  if [ "${VPC_BROWSER:-}" = none ]; then
    BROWSER_WHY='VPC_BROWSER=none'
    return 1
  fi
  local var path name
  for var in VPC_BROWSER CHROME_BIN CHROMIUM_BIN; do
    path=${!var:-}
    [ -n "$path" ] || continue
    # A bare name in the variable means a command on PATH.
    case "$path" in */*) ;; *) path=$(type -P "$path" 2>/dev/null) || path=${!var} ;; esac
    browser_try "$path" "$var" && return 0
  done
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    path=$(type -P "$name" 2>/dev/null) || continue
    browser_try "$path" "$name on PATH" && return 0
  done
  local cache=${PLAYWRIGHT_BROWSERS_PATH:-${HOME:-/root}/.cache/ms-playwright}
  for path in "$cache"/*/chrome-linux/chrome "$cache"/*/chrome-linux64/chrome; do
    [ -e "$path" ] || continue
    browser_try "$path" 'the Playwright cache' && return 0
  done
  BROWSER_WHY="no browser found (looked at VPC_BROWSER, CHROME_BIN, CHROMIUM_BIN, chromium, chromium-browser, google-chrome, google-chrome-stable on PATH, $cache); set VPC_BROWSER to a Chromium or Chrome binary"
  [ ${#BROWSER_REJECTED[@]} -eq 0 ] || BROWSER_WHY+="; turned down: $(IFS=';'; printf '%s' "${BROWSER_REJECTED[*]}")"
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  if find_browser; then
    for r in "${BROWSER_REJECTED[@]}"; do printf 'find-browser: turned down %s\n' "$r" >&2; done
    printf '%s\n' "$BROWSER"
    exit 0
  fi
  printf '%s\n' "$BROWSER_WHY"
  exit 1
fi
