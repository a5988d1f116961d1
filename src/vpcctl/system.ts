import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandResult } from '../exec/types.js';
import { VpcError } from '../util/errors.js';
import { type SpawnOptions, spawnCommand } from './exec/spawn.js';
import { MANAGED_SYSCTLS } from './plan/host.js';
import { parseIptablesSave } from './plan/iptables.js';
import type { Observed, Step } from './plan/types.js';

export type StartHttpStep = Extract<Step, { kind: 'start-http' }>;

/**
 * Everything vpcctl does to or reads from the machine goes through this
 * interface, so the whole CLI can be tested without root against a fake.
 */
export interface System {
  isRoot(): boolean;
  observe(): Promise<Observed>;
  run(argv: readonly string[], options?: SpawnOptions): Promise<CommandResult>;
  writeSysctl(key: string, value: string): void;
  /** Start the HTTP server detached in the namespace; resolves with its pid once it answers. */
  startHttp(step: StartHttpStep, script: string): Promise<number>;
  /** Whether pid is alive and its command line holds every string of `match`. */
  processRunning(pid: number, match: readonly string[]): boolean;
  /** Stop it (TERM, then KILL) and confirm it is gone; false when it was not running. */
  stopProcess(pid: number, match: readonly string[]): Promise<boolean>;
  readFile(path: string): string;
}

function sysctlPath(key: string): string {
  return `/proc/sys/${key.replaceAll('.', '/')}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface IpAddrJson {
  ifname?: string;
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}

export class RealSystem implements System {
  readonly httpReadyTimeoutMs: number;

  constructor(options: { httpReadyTimeoutMs?: number } = {}) {
    this.httpReadyTimeoutMs = options.httpReadyTimeoutMs ?? 10_000;
  }

  isRoot(): boolean {
    return process.getuid?.() === 0;
  }

  async observe(): Promise<Observed> {
    const [addr, save] = await Promise.all([
      this.run(['ip', '-j', 'addr', 'show']),
      this.run(['iptables-save']),
    ]);
    if (addr.failed) throw toolError(addr, 'iproute2');
    if (save.failed) throw toolError(save, 'iptables');
    const parsed = JSON.parse(addr.stdout || '[]') as IpAddrJson[];
    const links: string[] = [];
    const addresses: Observed['addresses'] = [];
    for (const link of parsed) {
      if (!link.ifname) continue;
      links.push(link.ifname);
      for (const a of link.addr_info ?? []) {
        if (a.family === 'inet' && a.local && a.prefixlen !== undefined) {
          addresses.push({ ifname: link.ifname, address: a.local, prefix: a.prefixlen });
        }
      }
    }
    let netns: string[] = [];
    try {
      netns = readdirSync('/run/netns');
    } catch {}
    const sysctls: Record<string, string> = {};
    for (const key of Object.keys(MANAGED_SYSCTLS)) {
      try {
        sysctls[key] = readFileSync(sysctlPath(key), 'utf8').trim();
      } catch {}
    }
    return { links, addresses, netns, iptables: parseIptablesSave(save.stdout), sysctls };
  }

  run(argv: readonly string[], options: SpawnOptions = {}): Promise<CommandResult> {
    return spawnCommand(argv, options);
  }

  writeSysctl(key: string, value: string): void {
    writeFileSync(sysctlPath(key), `${value}\n`);
  }

  readFile(path: string): string {
    return readFileSync(path, 'utf8');
  }

  processRunning(pid: number, match: readonly string[]): boolean {
    let stat: string;
    let cmdline: string[];
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      return false;
    }
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    return match.every((m) => cmdline.some((arg) => arg === m || arg.endsWith(`/${m}`)));
  }

  async stopProcess(pid: number, match: readonly string[]): Promise<boolean> {
    if (!this.processRunning(pid, match)) return false;
    for (const [signal, waitMs] of [
      ['SIGTERM', 2000],
      ['SIGKILL', 2000],
    ] as const) {
      try {
        process.kill(pid, signal);
      } catch {}
      for (let waited = 0; waited < waitMs; waited += 10) {
        if (!this.processRunning(pid, match)) return true;
        await sleep(10);
      }
    }
    throw new VpcError('E_COMMAND_FAILED', `process ${pid} is still running after SIGKILL`);
  }

  startHttp(step: StartHttpStep, script: string): Promise<number> {
    mkdirSync(dirname(step.log), { recursive: true });
    const logFd = openSync(step.log, 'a');
    const argv = [
      'ip',
      'netns',
      'exec',
      step.netns,
      process.execPath,
      script,
      step.address,
      String(step.port),
    ];
    const child = spawn(argv[0] ?? 'ip', argv.slice(1), {
      detached: true,
      stdio: ['ignore', logFd, logFd, 'pipe'],
      env: { ...process.env, VPCCTL_READY_FD: '3' },
    });
    closeSync(logFd);
    const ready = child.stdio[3] as NodeJS.ReadableStream | null;
    return new Promise((resolve, reject) => {
      let text = '';
      let settled = false;
      const finish = (error: Error | undefined, pid?: number): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ready?.removeAllListeners();
        (ready as { destroy?: () => void } | null)?.destroy?.();
        child.removeAllListeners();
        if (error) {
          try {
            if (child.pid) process.kill(-child.pid, 'SIGKILL');
          } catch {}
          reject(error);
        } else {
          child.unref();
          resolve(pid ?? child.pid ?? 0);
        }
      };
      const logTail = (): string => {
        try {
          return readFileSync(step.log, 'utf8').trim().split('\n').slice(-3).join('\n');
        } catch {
          return '';
        }
      };
      const timer = setTimeout(
        () =>
          finish(
            new VpcError(
              'E_COMMAND_TIMEOUT',
              `the HTTP server in ${step.netns} did not answer on ${step.address}:${step.port} within ${this.httpReadyTimeoutMs} ms\n${logTail()}`,
            ),
          ),
        this.httpReadyTimeoutMs,
      );
      ready?.setEncoding?.('utf8');
      ready?.on('data', (chunk: string) => {
        text += chunk;
        const match = /ready (\d+)/.exec(text);
        if (match) finish(undefined, Number(match[1]));
      });
      child.on('error', (error) =>
        finish(new VpcError('E_COMMAND_SPAWN', `cannot start the HTTP server: ${error.message}`)),
      );
      child.on('exit', (code, signal) => {
        // Let a last `ready` chunk arrive before judging.
        setTimeout(
          () =>
            finish(
              new VpcError(
                'E_COMMAND_FAILED',
                `the HTTP server in ${step.netns} exited (${signal ?? `code ${code}`}) before answering on ${step.address}:${step.port}\n${logTail()}`,
              ),
            ),
          20,
        );
      });
    });
  }
}

function toolError(result: CommandResult, pkg: string): VpcError {
  if (result.spawnError) {
    return new VpcError('E_ENVIRONMENT', `cannot run ${result.argv[0]}: ${result.spawnError}`, {
      hint: `install ${pkg} (apt-get install ${pkg})`,
    });
  }
  return new VpcError(
    'E_ENVIRONMENT',
    `${result.escapedCommand} failed (exit ${result.exitCode ?? result.signal}): ${result.stderr.trim()}`,
    { hint: 'vpcctl needs root (CAP_NET_ADMIN); run it with sudo' },
  );
}
