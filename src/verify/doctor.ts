import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

/** One preflight check: what it looked at, whether it is fine, and how to fix it. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  /** Debian package that provides it, when missing. */
  pkg?: string;
  /** A program the target's profile lists in `requires` (not one the harness needs). */
  forProfile?: boolean;
}

export interface DoctorReport {
  ok: boolean;
  checks: Check[];
  installed: string[];
  /** Why installing the missing packages failed (apt-get's last error line), if it did. */
  installError?: string;
}

/** Commands a lab needs, and the Debian package of each. */
export const REQUIRED_COMMANDS: readonly { command: string; pkg: string; why: string }[] = [
  { command: 'ip', pkg: 'iproute2', why: 'namespaces, links, routes' },
  { command: 'iptables', pkg: 'iptables', why: 'NAT and firewall rules' },
  { command: 'iptables-save', pkg: 'iptables', why: 'rule snapshots' },
  { command: 'ping', pkg: 'iputils-ping', why: 'ICMP probes' },
  { command: 'curl', pkg: 'curl', why: 'TCP and HTTP probes' },
  { command: 'python3', pkg: 'python3', why: "students' tools and http.server" },
  { command: 'unshare', pkg: 'util-linux', why: 'the sandbox' },
  { command: 'mount', pkg: 'mount', why: 'the sandbox' },
];

/**
 * Debian packages of programs profiles commonly list in `requires`. A program
 * not listed here is looked for in a package of its own name.
 */
export const PROGRAM_PACKAGES: Readonly<Record<string, string>> = {
  brctl: 'bridge-utils',
  jq: 'jq',
  ip: 'iproute2',
  ss: 'iproute2',
  bridge: 'iproute2',
  iptables: 'iptables',
  'iptables-save': 'iptables',
  nft: 'nftables',
  ping: 'iputils-ping',
  arping: 'iputils-arping',
  curl: 'curl',
  wget: 'wget',
  nc: 'netcat-openbsd',
  socat: 'socat',
  tcpdump: 'tcpdump',
  ethtool: 'ethtool',
  conntrack: 'conntrack',
  python3: 'python3',
  yq: 'yq',
  dig: 'dnsutils',
  traceroute: 'traceroute',
  bc: 'bc',
};

/** Programs the sandbox provides itself (lab/sandbox/pid1.sh: sudo runs the command directly, as root). */
export const SANDBOX_PROGRAMS = ['sudo'] as const;

/** The command's path on PATH (plus the sbin folders sudo may leave out), looked up in-process. */
async function which(command: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'].filter(
    Boolean,
  );
  for (const dir of dirs) {
    const path = join(dir, command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Effective capabilities of this process (bit numbers from linux/capability.h). */
function hasCapabilities(): { root: boolean; netAdmin: boolean; sysAdmin: boolean } {
  const root = process.getuid?.() === 0;
  let eff = 0n;
  try {
    const line = readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('CapEff:'));
    eff = BigInt(`0x${line?.split(/\s+/)[1] ?? '0'}`);
  } catch {
    // not Linux
  }
  return { root, netAdmin: (eff & (1n << 12n)) !== 0n, sysAdmin: (eff & (1n << 21n)) !== 0n };
}

/** Installs with apt-get (found on PATH); returns apt-get's last error line when it fails. */
async function installPackages(pkgs: string[], log: (line: string) => void): Promise<string | undefined> {
  log(`installing Debian packages: ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lastError = (r: { stderr: string; exitCode?: number }, what: string) =>
    r.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `${what} exited ${r.exitCode}`;
  const update = await execa('apt-get', ['update', '-qq'], { reject: false, env });
  if (update.exitCode !== 0) return lastError(update, 'apt-get update');
  const install = await execa('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
    reject: false,
    env,
  });
  return install.exitCode === 0 ? undefined : lastError(install, 'apt-get install');
}

/**
 * The one error for a run whose only problem is a program the profile's
 * `requires` names: which, why it could not be installed, and the two fixes.
 * Undefined when the machine itself lacks something (then the whole report).
 */
export function requiresProblem(report: DoctorReport, profileName: string): string | undefined {
  const failed = report.checks.filter((c) => !c.ok);
  if (failed.length === 0 || !failed.every((c) => c.forProfile)) return undefined;
  const programs = failed.map((c) => c.name.replace(/^command /, ''));
  const pkgs = [...new Set(failed.map((c) => c.pkg).filter(Boolean))];
  const why = report.installError
    ? `could not be installed from Debian (${report.installError})`
    : 'is not installed (installing needs root and apt-get)';
  return [
    `profile "${profileName}" requires ${programs.join(', ')}, which ${why}.`,
    `  fix: install it (sudo apt-get install -y ${pkgs.join(' ')}), or remove it from "requires" if the tool does not need it`,
  ].join('\n');
}

/**
 * Can this machine run labs? Checks the platform, privileges, commands and
 * kernel features; installs missing Debian packages when it can (root + apt)
 * unless `install` is false.
 */
export async function doctor(
  options: {
    install?: boolean;
    log?: (line: string) => void;
    /** Programs a profile's target needs (`requires`): installed from Debian when missing, if possible. */
    requires?: readonly string[];
  } = {},
): Promise<DoctorReport> {
  const log = options.log ?? (() => {});
  const checks: Check[] = [];
  const installed: string[] = [];
  let installError: string | undefined;

  if (process.platform !== 'linux') {
    checks.push({
      name: 'platform',
      ok: false,
      detail: `${process.platform} is not Linux`,
      fix: 'run on Linux',
    });
    return { ok: false, checks, installed };
  }
  checks.push({
    name: 'platform',
    ok: true,
    detail: `Linux ${readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()}`,
  });

  const caps = hasCapabilities();
  const privileged = caps.root || (caps.netAdmin && caps.sysAdmin);
  checks.push({
    name: 'privileges',
    ok: privileged,
    detail: caps.root ? 'root' : `CAP_NET_ADMIN=${caps.netAdmin} CAP_SYS_ADMIN=${caps.sysAdmin}`,
    fix: privileged ? undefined : 'run with sudo (or grant CAP_NET_ADMIN and CAP_SYS_ADMIN)',
  });

  const wanted = [
    ...REQUIRED_COMMANDS,
    ...(options.requires ?? [])
      .filter((p) => !(SANDBOX_PROGRAMS as readonly string[]).includes(p))
      .filter((p) => !REQUIRED_COMMANDS.some((c) => c.command === p))
      .map((p) => ({
        command: p,
        pkg: PROGRAM_PACKAGES[p] ?? p,
        why: "the target (its profile's requires)",
        forProfile: true,
      })),
  ];
  const found = await Promise.all(wanted.map(async (c) => ({ ...c, path: await which(c.command) })));
  const missing = found.filter((c) => !c.path);
  const canInstall = options.install !== false && caps.root && existsSync('/usr/bin/apt-get');
  if (missing.length > 0 && canInstall) {
    const pkgs = [...new Set(missing.map((c) => c.pkg))];
    installError = await installPackages(pkgs, log);
    if (installError === undefined) {
      installed.push(...pkgs);
      const again = await Promise.all(missing.map(async (c) => ({ ...c, path: await which(c.command) })));
      for (const c of again) {
        const entry = found.find((f) => f.command === c.command);
        if (entry) entry.path = c.path;
      }
    }
  }
  for (const c of found) {
    checks.push({
      name: `command ${c.command}`,
      ok: Boolean(c.path),
      detail: c.path ? c.path : `missing (needed for ${c.why})`,
      fix: c.path ? undefined : `sudo apt-get update && sudo apt-get install -y ${c.pkg}`,
      pkg: c.pkg,
      ...('forProfile' in c ? { forProfile: true } : {}),
    });
  }

  const filesystems = readFileSync('/proc/filesystems', 'utf8');
  checks.push({
    name: 'overlayfs',
    ok: /\toverlay$/m.test(filesystems),
    detail: /\toverlay$/m.test(filesystems) ? 'available' : 'not available',
    fix: 'load the overlay module: sudo modprobe overlay',
  });

  if (privileged && found.find((c) => c.command === 'unshare')?.path) {
    const probe = await execa('unshare', ['--net', '--mount', '--pid', '--fork', 'true'], { reject: false });
    checks.push({
      name: 'namespaces',
      ok: probe.exitCode === 0,
      detail: probe.exitCode === 0 ? 'network, mount and PID namespaces work' : probe.stderr.trim(),
      fix: 'run on a host (or a privileged container) that allows unshare --net --mount --pid',
    });
  }
  const iptables = found.find((c) => c.command === 'iptables')?.path;
  if (iptables) {
    const version = await execa('iptables', ['--version'], { reject: false });
    checks.push({ name: 'iptables backend', ok: true, detail: version.stdout.trim() });
  }
  return { ok: checks.every((c) => c.ok), checks, installed, ...(installError ? { installError } : {}) };
}

export function formatDoctor(report: DoctorReport): string {
  const lines = report.checks.map(
    (c) =>
      `${c.ok ? '✔' : '✘'} ${c.name.padEnd(22)} ${c.detail}${c.ok || !c.fix ? '' : `\n    fix: ${c.fix}`}`,
  );
  if (report.installed.length > 0) lines.push(`installed: ${report.installed.join(' ')}`);
  lines.push(
    report.ok ? 'This machine can run labs.' : 'This machine cannot run labs yet: see the fixes above.',
  );
  return lines.join('\n');
}
