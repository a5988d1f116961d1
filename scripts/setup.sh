#!/usr/bin/env bash
# Sets up this checkout for labs: the Debian packages a lab needs (when missing;
# with `test`, also chromium for the report test), the npm dependencies (when
# package-lock.json changed) and the build (when a source changed).
# Idempotent and quick when nothing changed; `npm start` and `npm test` run it first.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
command -v ip >/dev/null 2>&1 || need_pkgs+=(iproute2)
command -v iptables >/dev/null 2>&1 || need_pkgs+=(iptables)
command -v ping >/dev/null 2>&1 || need_pkgs+=(iputils-ping)
[ -x /usr/bin/python3 ] || command -v python3 >/dev/null 2>&1 || need_pkgs+=(python3)
command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
command -v unshare >/dev/null 2>&1 || need_pkgs+=(util-linux)
# The reference vpcctl removes an nf_tables table it created (nft), so iptables-save is exactly as before.
command -v nft >/dev/null 2>&1 || need_pkgs+=(nftables)
# The test suite also opens report.html in a real browser (Debian's, never a download).
if [ "${1:-}" = test ]; then
  [ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
fi

if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    echo "setup: missing packages: ${need_pkgs[*]}" >&2
    echo "setup: install them with: sudo apt-get update && sudo apt-get install -y ${need_pkgs[*]}" >&2
    exit 3
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
