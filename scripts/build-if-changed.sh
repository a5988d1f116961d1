#!/usr/bin/env bash
# Runs `npm run build` only when an input of the build changed since the last
# successful one, so `npm start` costs the verification, not a compile.
# Inputs are compared by content (a SHA-256 over every file's path and bytes),
# not by mtime: a git checkout rewrites mtimes of files whose content is the same.
# The stamp lives in dist/, so removing dist/ (or any output) forces a build.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=dist/.build-inputs.sha256
outputs=(dist/src/verify/main.js dist/src/vpcctl/vpcctl.cjs)
# A checkout also builds the test support (tsconfig.test-support.json: the faulty vpcctl) into dist-test/.
support=()
if [ -f tsconfig.test-support.json ]; then
  support=(test/support)
  outputs+=(dist-test/test/support/vpcctl/faulty-main.js)
fi

# What tsc (tsconfig.build.json: src, lab, bench, without tests) and the bundle read.
inputs_hash() {
  {
    find src lab bench "${support[@]}" -type f ! -name '*.test.ts' -print0
    [ ${#support[@]} -eq 0 ] || printf '%s\0' tsconfig.test-support.json
    printf '%s\0' tsconfig.json tsconfig.build.json package.json package-lock.json \
      scripts/bundle-vpcctl.mjs scripts/build-if-changed.sh
  } | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

want=$(inputs_hash)
fresh=1
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] || fresh=0
for output in "${outputs[@]}"; do
  [ -f "$output" ] || fresh=0
done
if [ "$fresh" = 1 ]; then
  exit 0
fi

echo "build: sources changed since the last build (or no build yet): npm run build"
rm -f "$stamp"
npm run --silent build
echo "$want" > "$stamp"
