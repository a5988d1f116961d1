import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

/**
 * A fake machine for the set-up's decisions: a folder of commands that stands
 * in for PATH, a fake `apt-cache` that answers from a list of packages, a HOME,
 * and a copy of scripts/ in a throwaway checkout (so a real run writes nothing
 * here). Every lab tool, browser and apt command is a tiny script of ours.
 */
export interface Layout {
  root: string;
  bin: string;
  home: string;
  checkout: string;
  /** Commands apt-get was asked to install (a real run's log). */
  aptLog: string;
}

export interface AptPackage {
  name: string;
  /** The package's Depends line, e.g. "snapd" for a snap wrapper. */
  depends?: string;
}

const made: string[] = [];

/** Removes every layout made so far (call in afterAll). */
export function removeLayouts(): void {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
}

export function makeLayout(): Layout {
  const root = mkdtempSync(join(tmpdir(), 'vpc-setup-layout-'));
  made.push(root);
  const layout = {
    root,
    bin: join(root, 'usr', 'bin'),
    home: join(root, 'home'),
    checkout: join(root, 'checkout'),
    aptLog: join(root, 'apt-get.log'),
  };
  for (const dir of [layout.bin, layout.home, join(layout.checkout, 'scripts')])
    mkdirSync(dir, { recursive: true });
  for (const script of ['setup.sh', 'setup-plan.sh', 'find-browser.sh']) {
    copyFileSync(join(PACKAGE_ROOT, 'scripts', script), join(layout.checkout, 'scripts', script));
  }
  return layout;
}

export function writeExecutable(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

/** A command that only says its name: enough for a search by PATH. */
export function fakeTool(layout: Layout, name: string, dir = layout.bin): string {
  return writeExecutable(join(dir, name), `#!/bin/sh\necho "fake ${name}"\n`);
}

export const LAB_TOOLS = ['ip', 'iptables', 'ping', 'nft', 'curl', 'python3', 'unshare'];

export function fakeLabTools(layout: Layout, except: string[] = []): void {
  for (const tool of LAB_TOOLS) if (!except.includes(tool)) fakeTool(layout, tool);
}

/** Ubuntu's chromium-browser as its transitional package ships it: a wrapper that needs the snap. */
export function snapChromiumBrowser(layout: Layout): string {
  return writeExecutable(
    join(layout.bin, 'chromium-browser'),
    [
      '#!/bin/sh',
      'if ! [ -x /snap/bin/chromium ]; then',
      `  echo "Command '$0' requires the chromium snap to be installed." >&2`,
      '  exit 1',
      'fi',
      'exec /snap/bin/chromium "$@"',
      '',
    ].join('\n'),
  );
}

/**
 * Google Chrome as its .deb lays it out: /usr/bin/google-chrome -> /opt/google/chrome/google-chrome,
 * a wrapper script (whose "snapshot" must not pass for a snap).
 */
export function googleChrome(layout: Layout): string {
  const target = writeExecutable(
    join(layout.root, 'opt', 'google', 'chrome', 'google-chrome'),
    '#!/bin/bash\n# keeps a snapshot of the profile\nexec -a "$0" "$(dirname "$0")/chrome" "$@"\n',
  );
  fakeTool(layout, 'chrome', dirname(target));
  const link = join(layout.bin, 'google-chrome');
  symlinkSync(target, link);
  return link;
}

/**
 * A fake apt-cache that knows exactly these packages (`policy` and `show`), as apt-cache prints
 * them; `afterUpdate` ones only once the fake apt-get has run `update` (a fresh machine's lists).
 */
export function fakeAptCache(layout: Layout, packages: AptPackage[], afterUpdate: AptPackage[] = []): void {
  const answer = (p: AptPackage) =>
    `if [ "$1" = policy ]; then printf '%s:\\n  Installed: (none)\\n  Candidate: 1.0-1\\n' "$2"; ` +
    `else printf 'Package: %s\\nVersion: 1.0-1\\nDepends: ${p.depends ?? 'libc6'}\\n' "$2"; fi`;
  const cases = [
    ...packages.map((p) => `  ${p.name}) ${answer(p)} ;;`),
    ...afterUpdate.map((p) => `  ${p.name}) [ -e "${layout.root}/apt-updated" ] && { ${answer(p)}; } ;;`),
  ].join('\n');
  // An unknown name: `policy` prints nothing, `show` fails, as the real apt-cache does.
  writeExecutable(
    join(layout.bin, 'apt-cache'),
    `#!/bin/bash\ncase "$2" in\n${cases}\n  *) [ "$1" = policy ] || { echo "E: No packages found" >&2; exit 100; } ;;\nesac\nexit 0\n`,
  );
}

/**
 * A fake apt-get that "installs" a package by putting the commands it provides
 * on the fake PATH, and logs every call: a real run of the set-up without root.
 */
export function fakeAptGet(layout: Layout, provides: Record<string, string[]>, failing: string[] = []): void {
  const cases = Object.entries(provides)
    .map(
      ([pkg, tools]) =>
        `    ${pkg}) ${failing.includes(pkg) ? 'exit 100' : tools.map((t) => `printf '#!/bin/sh\\n' > "${layout.bin}/${t}"; command -p chmod 755 "${layout.bin}/${t}"`).join('; ') || ':'} ;;`,
    )
    .join('\n');
  writeExecutable(
    join(layout.bin, 'apt-get'),
    `#!/bin/bash\necho "$*" >> "${layout.aptLog}"\ncase " $* " in *" update "*) : > "${layout.root}/apt-updated"; exit 0 ;; esac\nfor pkg in "$@"; do\n  case "$pkg" in\n${cases}\n  esac\ndone\n`,
  );
}

export interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
  /** `plan: ` lines without the prefix. */
  plan: string[];
}

/** Runs the checkout's copy of scripts/<script> with only the layout's PATH and HOME (plus `env`). */
export function runScript(
  layout: Layout,
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Outcome {
  const result = spawnSync('/bin/bash', [join(layout.checkout, 'scripts', script), ...args], {
    cwd: layout.root,
    encoding: 'utf8',
    env: { PATH: layout.bin, HOME: layout.home, VPC_SETUP_SBIN_DIRS: '', ...env },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    plan: result.stdout
      .split('\n')
      .filter((l) => l.startsWith('plan: '))
      .map((l) => l.slice('plan: '.length)),
  };
}

/**
 * What a real (not --plan) run needs besides the plan: coreutils from this
 * machine, an `id` that says root (so the set-up installs) and an `npm` that only logs.
 */
export function prepareRealRun(layout: Layout): void {
  for (const name of ['sha256sum', 'cut', 'cat']) {
    const real = spawnSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(real, join(layout.bin, name));
  }
  writeExecutable(join(layout.bin, 'id'), '#!/bin/sh\necho 0\n');
  writeExecutable(join(layout.bin, 'npm'), `#!/bin/sh\necho "npm $*" >> "${layout.aptLog}"\n`);
  writeFileSync(join(layout.checkout, 'package-lock.json'), '{}\n');
  mkdirSync(join(layout.checkout, 'node_modules'));
}
