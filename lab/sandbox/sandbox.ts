import { dirname, join, resolve } from 'node:path';
import { escapeCommand } from '../../src/exec/escape.js';
import type { EventStream } from '../../src/exec/events.js';
import { run } from '../../src/exec/run.js';
import type { CommandResult } from '../../src/exec/types.js';
import { renderStatePaths } from '../../src/profiles/render.js';
import type { Profile } from '../../src/profiles/types.js';
import { VpcError } from '../../src/util/errors.js';
import { PACKAGE_ROOT } from '../../src/util/paths.js';

export const START_STATES = ['fresh', 'docker-host'] as const;
export type StartStateName = (typeof START_STATES)[number];

/** What pid1.sh sets for each start state (README, "The sandbox"); reports fall back on it when a run left no reading. */
export const START_STATE_SETTINGS: Record<
  StartStateName,
  { ipForward: 0 | 1; forwardPolicy: 'ACCEPT' | 'DROP' }
> = {
  fresh: { ipForward: 0, forwardPolicy: 'ACCEPT' },
  'docker-host': { ipForward: 1, forwardPolicy: 'DROP' },
};

export interface SandboxOptions {
  /** Paths that stay visible and writable inside (the package root is always kept). */
  keepPaths?: string[];
  startState?: StartStateName;
  /** Kill the whole sandbox (and everything in it) after this long. Default 10 min. */
  timeoutMs?: number;
  /** Extra environment for the payload. */
  env?: Record<string, string>;
  /** Transcript file: the sandbox's own set-up commands are recorded there, and the payload gets it as VPC_TRANSCRIPT. */
  transcriptPath?: string;
  /** Working directory inside (default: a fresh /tmp/work). */
  workdir?: string;
  /** Give the payload this process's stdin (interactive use); otherwise it is closed. */
  inheritStdin?: boolean;
  /** Send output to files (use when the payload may start daemons that inherit stdout). */
  outputToFiles?: boolean;
  maxOutputBytes?: number;
  /** Kill the sandbox (and so everything in it) when this aborts. */
  signal?: AbortSignal;
  /** Live output of the sandbox (progress lines). */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  events?: EventStream;
  label?: string;
  /** Name of the uplink interface (default eth0): a profile's `uplink`. */
  uplink?: string;
  /** Extra paths made private inside (a profile's `statePaths`, `{dir}` filled in). */
  statePaths?: { path: string; from?: string }[];
}

/** The sandbox options a profile asks for: its uplink's name and its state paths. */
export function profileSandboxOptions(
  profile: Profile,
  targetDir: string,
): Pick<SandboxOptions, 'uplink' | 'statePaths'> {
  return {
    ...(profile.uplink !== 'eth0' ? { uplink: profile.uplink } : {}),
    ...(profile.statePaths.length > 0 ? { statePaths: renderStatePaths(profile, { dir: targetDir }) } : {}),
  };
}

/** The flags that make a sandbox: fresh network, mount and PID namespaces, nothing shared back. */
export const UNSHARE_FLAGS = [
  '--net',
  '--mount',
  '--propagation',
  'private',
  '--pid',
  '--fork',
  '--mount-proc',
  '--kill-child',
] as const;

export const PID1_SCRIPT = join(PACKAGE_ROOT, 'lab', 'sandbox', 'pid1.sh');

/** The trees pid1.sh replaces with private views: only paths below them need binding back. */
function hiddenRoots(): string[] {
  const home = process.env.HOME ?? '/root';
  return ['/tmp', '/etc', '/var/lib', '/var/log', '/run', '/var/run', home].filter((root) => root !== '/');
}

function isBelow(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/**
 * A keep path that is one of the sandbox's private trees (or above one, like
 * `/`) would put the host's files back over it: /tmp would lose the private
 * staging area pid1.sh unmounts, /etc its private resolv.conf. (HOME is left
 * out: keeping it only makes it writable.)
 */
const STRUCTURAL_ROOTS = ['/tmp', '/etc', '/var/lib', '/var/log', '/run', '/var/run'];
export function coversPrivateTree(path: string): boolean {
  const absolute = resolve(path);
  return STRUCTURAL_ROOTS.some((root) => isBelow(root, absolute));
}

function keepList(options: SandboxOptions): string[] {
  const wanted = [PACKAGE_ROOT, dirname(process.execPath), ...(options.keepPaths ?? [])];
  if (options.transcriptPath) wanted.push(dirname(resolve(options.transcriptPath)));
  for (const path of wanted) {
    if (coversPrivateTree(path)) {
      throw new VpcError(
        'E_BAD_INPUT',
        `cannot keep ${resolve(path)} visible in the sandbox: it would cover the sandbox's private ${STRUCTURAL_ROOTS.find((r) => isBelow(r, resolve(path)))}`,
        {
          hint: 'keep a folder below it instead (e.g. /tmp/mytool, not /tmp)',
        },
      );
    }
  }
  const roots = hiddenRoots();
  const hidden = [...new Set(wanted.map((path) => resolve(path)))].filter((path) =>
    roots.some((r) => isBelow(path, r)),
  );
  // A path inside another kept path is already visible and writable through it.
  return hidden
    .filter((path) => !hidden.some((other) => other !== path && isBelow(path, other)))
    .sort((a, b) => a.length - b.length);
}

/** argv and environment that run `payload` in a sandbox. */
export function sandboxCommand(
  payload: readonly string[],
  options: SandboxOptions = {},
): { argv: string[]; env: Record<string, string> } {
  if (payload.length === 0) throw new Error('sandboxCommand: empty payload');
  const env: Record<string, string> = {
    ...options.env,
    VPC_SANDBOX_KEEP: keepList(options).join('\n'),
    VPC_SANDBOX_START_STATE: options.startState ?? 'fresh',
    VPC_SANDBOX_NODE: process.execPath,
    VPC_SANDBOX_ROOT: PACKAGE_ROOT,
  };
  if (options.workdir) env.VPC_SANDBOX_WORKDIR = options.workdir;
  if (options.uplink) env.VPC_SANDBOX_UPLINK = options.uplink;
  if (options.statePaths?.length) {
    env.VPC_SANDBOX_STATE_PATHS = options.statePaths.map((p) => `${p.path}\t${p.from ?? ''}`).join('\n');
  }
  if (options.inheritStdin) env.VPC_SANDBOX_STDIN = 'inherit';
  if (options.transcriptPath) env.VPC_TRANSCRIPT = resolve(options.transcriptPath);
  return { argv: ['unshare', ...UNSHARE_FLAGS, 'bash', PID1_SCRIPT, ...payload], env };
}

/**
 * Run `payload` inside a fresh sandbox and return when the sandbox is gone.
 * Nothing the payload does (namespaces, links, iptables, processes, files in
 * /tmp, /etc, /var/lib, /run, HOME) survives it or reaches the host.
 */
export async function runInSandbox(
  payload: readonly string[],
  options: SandboxOptions = {},
): Promise<CommandResult> {
  const { argv, env } = sandboxCommand(payload, options);
  return run(argv, {
    env,
    timeoutMs: options.timeoutMs ?? 600_000,
    outputToFiles: options.outputToFiles,
    maxOutputBytes: options.maxOutputBytes,
    onOutput: options.onOutput,
    events: options.events,
    signal: options.signal,
    label: options.label ?? 'sandbox',
  });
}

/** A pasteable form of the sandbox command, for reports and docs. */
export function describeSandbox(payload: readonly string[], options: SandboxOptions = {}): string {
  const { argv } = sandboxCommand(payload, options);
  return escapeCommand(argv);
}
