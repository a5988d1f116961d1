/**
 * Do verdicts hold still? Runs vpc-verify on each target N times, every
 * second round under CPU load (two busy loops) when --load is given, and
 * reports any criterion whose status changed between runs. Exit 0 when every
 * target gave the same signature in every run, 1 when one changed (or a run
 * gave no summary), 2 on bad input, 3 when not root. See docs/stability.md.
 *
 *   sudo node dist/bench/stability.js [--runs N] [--load] [--target DIR[,PROFILE]]...
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { execa } from 'execa';
import type { Summary } from '../src/model/summary.js';
import { distPath, PACKAGE_ROOT } from '../src/util/paths.js';
import { analyse, formatStability, isStable, type StabilityRun, signature } from './stability-report.js';

export interface StabilityTarget {
  /** Short name for the table. */
  name: string;
  /** vpc-verify arguments that select it (none: the reference with the seed profile). */
  args: string[];
}

const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures', 'targets');

/** Until the reference's fault variants exist: the reference, a second profile over it, and three broken fixtures. */
export const DEFAULT_TARGETS = ['reference', 'positional', 'crash', 'flush-iptables', 'daemons'];

/** `reference`, a fixture name, `DIR` (profile: DIR/profile.json, else seed) or `DIR,PROFILE`. */
export function parseTarget(spec: string): StabilityTarget {
  if (spec === 'reference') return { name: 'reference', args: [] };
  const [dirPart, profilePart] = spec.split(',');
  const fixture = join(FIXTURES, dirPart ?? '');
  const dir = dirPart && !dirPart.includes('/') && existsSync(fixture) ? fixture : resolve(dirPart ?? '');
  if (!existsSync(dir))
    throw new Error(
      `target directory not found: ${dir} (give reference, a fixture name, DIR or DIR,PROFILE)`,
    );
  const profile = profilePart
    ? existsSync(profilePart)
      ? resolve(profilePart)
      : profilePart
    : existsSync(join(dir, 'profile.json'))
      ? join(dir, 'profile.json')
      : 'seed';
  // Several profiles of one folder (fault variants) are several targets: name them apart.
  const name = profilePart
    ? `${basename(dir)}:${basename(profilePart).replace(/\.json$/, '')}`
    : basename(dir);
  return { name, args: [dir, '--profile', profile] };
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
}

/** Two processes that keep a core each busy, started and killed by PID. */
class BusyLoops {
  #children: ChildProcess[] = [];

  start(count = 2): number[] {
    for (let i = 0; i < count; i++) {
      this.#children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    }
    return this.#children.map((c) => c.pid ?? -1);
  }

  async stop(): Promise<void> {
    const children = this.#children;
    this.#children = [];
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
              return done();
            child.once('exit', () => done());
            process.kill(child.pid, 'SIGKILL');
          }),
      ),
    );
  }

  /** Synchronous, for process exit: kill what is left by PID. */
  killNow(): void {
    for (const child of this.#children) {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}

async function verifyOnce(
  target: StabilityTarget,
  outDir: string,
  deadlineS: number,
): Promise<Omit<StabilityRun, 'round' | 'load'>> {
  const started = Date.now();
  const result = await execa(
    process.execPath,
    [
      distPath('src/verify/main.js'),
      ...target.args,
      '--out',
      outDir,
      '--json',
      '--deadline',
      String(deadlineS),
    ],
    { reject: false, env: { ...process.env, CI: 'true' }, stdin: 'ignore' },
  );
  const durationMs = Date.now() - started;
  try {
    const summary = JSON.parse(result.stdout) as Summary;
    return { target: target.name, durationMs, exitCode: result.exitCode, summary };
  } catch {
    const tail = result.stderr.trim().split('\n').slice(-3).join(' | ');
    return { target: target.name, durationMs, exitCode: result.exitCode, problem: tail || 'no output' };
  }
}

interface Options {
  runs: number;
  load: boolean;
  target: string[];
  out?: string;
  deadline: number;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('stability')
    .description(
      'Run vpc-verify on each target N times (half under CPU load with --load); report verdict changes.',
    )
    .exitOverride()
    .option('--runs <n>', 'runs per target', positive, 10)
    .option('--load', 'every second round runs with two CPU busy loops (half of the runs under load)')
    .option(
      '--target <spec>',
      `reference | fixture name | DIR | DIR,PROFILE (repeatable; default: ${DEFAULT_TARGETS.join(', ')})`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('-o, --out <dir>', 'where the runs and stability.json go (default: reports/stability/<time>)')
    .option('--deadline <seconds>', "each run's vpc-verify --deadline", positive, 300);
  let options: Options;
  let targets: StabilityTarget[];
  try {
    program.parse(argv, { from: 'user' });
    options = program.opts<Options>();
    targets = (options.target.length > 0 ? options.target : DEFAULT_TARGETS).map(parseTarget);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`stability: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write(
      'stability: needs root (labs run in sandboxes): sudo node dist/bench/stability.js\n',
    );
    return 3;
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const outDir = resolve(options.out ?? join(PACKAGE_ROOT, 'reports', 'stability', stamp));
  mkdirSync(outDir, { recursive: true });

  const loops = new BusyLoops();
  const onSignal = (signal: NodeJS.Signals) => {
    loops.killNow();
    process.stderr.write(`stability: stopped by ${signal}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => loops.killNow());

  const runs: StabilityRun[] = [];
  try {
    for (let round = 1; round <= options.runs; round++) {
      const load = Boolean(options.load) && round % 2 === 0;
      const pids = load ? loops.start(2) : [];
      try {
        for (const target of targets) {
          const run = {
            ...(await verifyOnce(target, join(outDir, target.name), options.deadline)),
            round,
            load,
          };
          runs.push(run);
          process.stderr.write(
            `round ${round}/${options.runs}${load ? ` (load: busy loops ${pids.join(', ')})` : ''} ${target.name}: ${signature(run)} in ${(run.durationMs / 1000).toFixed(0)} s\n`,
          );
        }
      } finally {
        await loops.stop();
      }
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }

  const report = analyse(runs);
  writeFileSync(
    join(outDir, 'stability.json'),
    `${JSON.stringify({ options, targets, runs: runs.map((r) => ({ ...r, signature: signature(r), summary: undefined, reportsDir: r.summary?.reportsDir })), report }, null, 2)}\n`,
  );
  process.stdout.write(formatStability(report));
  process.stdout.write(`\nRuns and stability.json: ${outDir}\n`);
  return isStable(report) ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(distPath('bench/stability.js'))) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `stability: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 4;
    },
  );
}
