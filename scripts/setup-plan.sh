# shellcheck shell=bash
# The set-up's decisions, apart from acting on them (scripts/setup.sh): which
# required tools are missing and which apt package gives each, and which browser
# the report test gets. Sourced; decides over PATH and `apt-cache` answers only,
# so the tests (test/unit/setup/) run it over fake ones (`setup.sh --plan`).

# shellcheck source=scripts/find-browser.sh
setup_plan_dir=${BASH_SOURCE[0]%/*}
[ "$setup_plan_dir" != "${BASH_SOURCE[0]}" ] || setup_plan_dir=.
. "$setup_plan_dir/find-browser.sh"

# What a lab needs, by the command it provides, and the Debian/Ubuntu package that provides it.
# nft: the reference vpcctl removes an nf_tables table it created, so iptables-save is exactly as before.
SETUP_TOOLS=(ip:iproute2 iptables:iptables ping:iputils-ping nft:nftables curl:curl python3:python3 unshare:util-linux)
# The only browser package worth installing: Debian's chromium. Ubuntu's chromium-browser is a snap wrapper.
SETUP_BROWSER_PACKAGE=chromium

# A user's PATH often lacks the sbin folders where ip and iptables live (sudo's PATH has them).
setup_find_tool() {
  local dir
  type -P "$1" 2>/dev/null && return 0
  for dir in ${VPC_SETUP_SBIN_DIRS-/usr/sbin /sbin}; do
    if [ -f "$dir/$1" ] && [ -x "$dir/$1" ]; then printf '%s\n' "$dir/$1"; return 0; fi
  done
  return 1
}

# apt knows NAME when `apt-cache policy NAME` names a candidate version.
setup_apt_knows() {
  local line
  type -P apt-cache >/dev/null 2>&1 || return 1
  while IFS= read -r line; do
    case "$line" in *'Candidate: (none)'*) return 1 ;; *'Candidate: '*) return 0 ;; esac
  done < <(apt-cache policy "$1" 2>/dev/null)
  return 1
}

# A package that depends on snapd only installs a wrapper around a snap.
setup_apt_is_snap_wrapper() {
  local line
  while IFS= read -r line; do
    case "$line" in Depends:*snapd* | Pre-Depends:*snapd*) return 0 ;; esac
  done < <(apt-cache show "$1" 2>/dev/null)
  return 1
}

# plan_setup [test]: fills PLAN (lines for a person), PLAN_INSTALL (required packages to
# install), PLAN_MISSING (tools no known package provides), PLAN_BROWSER_PACKAGE (a browser
# package to install, or empty) and, through find_browser, BROWSER / BROWSER_WHY.
plan_setup() {
  local mode=${1:-} entry tool pkg path
  PLAN=() PLAN_INSTALL=() PLAN_MISSING=() PLAN_BROWSER_PACKAGE=''
  for entry in "${SETUP_TOOLS[@]}"; do
    tool=${entry%%:*} pkg=${entry#*:}
    if path=$(setup_find_tool "$tool"); then
      PLAN+=("tool $tool: $path")
    elif setup_apt_knows "$pkg"; then
      PLAN+=("tool $tool: missing, apt package $pkg")
      PLAN_INSTALL+=("$pkg")
    else
      PLAN+=("tool $tool: missing, and apt knows no package $pkg")
      PLAN_MISSING+=("$tool ($pkg)")
    fi
  done
  [ "$mode" = test ] || return 0
  if find_browser; then
    PLAN+=("browser: $BROWSER ($BROWSER_FROM)")
  elif [ "${VPC_BROWSER:-}" != none ] && setup_apt_knows "$SETUP_BROWSER_PACKAGE" \
    && ! setup_apt_is_snap_wrapper "$SETUP_BROWSER_PACKAGE"; then
    PLAN_BROWSER_PACKAGE=$SETUP_BROWSER_PACKAGE
    PLAN+=("browser: none yet, apt package $SETUP_BROWSER_PACKAGE")
  else
    PLAN+=("browser: none, the report test will be skipped: $BROWSER_WHY")
  fi
  for entry in "${BROWSER_REJECTED[@]}"; do PLAN+=("browser turned down: $entry"); done
}

# The one error for tools nothing here can install: what is missing and how to get it.
setup_missing_message() {
  local list
  list=$(IFS=,; printf '%s' "${PLAN_MISSING[*]}")
  printf 'setup: E_ENVIRONMENT: this machine lacks the commands %s, and apt (apt-cache policy) knows none of these packages.\n' "${list//,/, }"
  printf 'setup: install them with your system'"'"'s package manager (the names are Debian'"'"'s and Ubuntu'"'"'s), then run the set-up again.\n'
}
