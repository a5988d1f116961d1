import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { START_STATES, type StartStateName } from '../../lab/sandbox/sandbox.js';
import {
  batchExitCode,
  defaultConcurrency,
  loadManifest,
  merge,
  parseConcurrency,
  parseShard,
  runBatch,
} from '../batch/index.js';
import { formatLines } from '../init/assemble.js';
import { inferProfile } from '../init/init.js';
import { cwdProblem, formatProblem, loadProfile } from '../profiles/index.js';
import { formatTerminalSummary } from '../reports/index.js';
import { formatError, VpcError } from '../util/errors.js';
import { compareStartStates, formatComparison, type StartStateComparison } from './compare-start-states.js';
import { doctor, formatDoctor } from './doctor.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { progressFor } from './live-view.js';
import { runSandboxCommand } from './sandbox-command.js';
import { runSummaryMd } from './summary-md.js';
import { verify } from './verify.js';
import { verifyOne } from './verify-one.js';

const EXIT_CODES_HELP = `
Exit codes:
  0  every Stage 4 criterion passed
  1  a Stage 4 criterion did not pass (or the run hit its deadline)
  2  bad input (unknown option, missing target directory, invalid profile)
  3  this machine cannot run labs (see: vpc-verify doctor)
  4  the harness itself broke (a bug: please report it with the transcript)`;

function startState(value: string): StartStateName {
  if (!(START_STATES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${START_STATES.join(', ')}`);
  }
  return value as StartStateName;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

interface MainOptions {
  profile: string;
  out: string;
  only?: string;
  keep?: boolean;
  json?: boolean;
  startState: StartStateName;
  compareStartStates?: boolean;
  deadline: number;
  stepTimeout?: number;
  settleTimeout: number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  color: boolean;
  /** stderr is a terminal: progress may update in place. */
  tty: boolean;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && !process.env.CI,
  tty: Boolean(process.stderr.isTTY),
};

/** --compare-start-states --json: every run's summary, and what differs. */
function comparisonJson(comparison: StartStateComparison) {
  return {
    startStates: comparison.runs.map((r) => r.startState),
    differences: comparison.differences,
    finding: comparison.finding ?? null,
    runs: comparison.runs.map((r) => r.summary),
  };
}

/** Parse argv and run; returns the exit code (main() only sets it). */
export async function run(argv: string[], io: Io = defaultIo): Promise<number> {
  let code: number = EXIT.pass;
  const program = new Command('vpc-verify')
    .description('Prove with real packets that a mini-VPC tool (vpcctl) works.')
    .exitOverride()
    // Options of vpc-verify itself come before a subcommand; `sandbox` has its own.
    .enablePositionalOptions()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);

  program
    .argument('[target-dir]', "the tool's repository (default: the reference vpcctl shipped here)")
    .option(
      '-p, --profile <name|file>',
      'how to drive the target: a built-in profile (seed, positional), a JSON file, or auto (inferred first by vpc-verify init)',
      'seed',
    )
    .option('-o, --out <dir>', 'where reports/<run-id>/ goes', 'reports')
    .option(
      '--only <ids>',
      'report only these criteria (comma-separated); the verdict then is "fail" (not all were checked)',
    )
    .option('--keep', 'stop before the teardown phase and open a shell inside the sandbox (needs a terminal)')
    .option('--json', 'print summary.json instead of the terminal summary')
    .addOption(
      new Option('--start-state <name>', `the sandbox's start state: ${START_STATES.join(', ')}`)
        .default('fresh')
        .argParser(startState),
    )
    .option(
      '--compare-start-states',
      `run the target once from every start state (${START_STATES.join(', ')}), concurrently; a criterion whose status differs becomes a start-state-dependent warning in every run's reports; exit 0 only if every run passes`,
    )
    .option(
      '--deadline <seconds>',
      'stop the whole run after this long (a cut run is a failed run)',
      seconds,
      300,
    )
    .option(
      '--settle-timeout <seconds>',
      'how long a must-connect probe retries while the network settles (a broken network costs up to this per stage)',
      seconds,
      45,
    )
    .option(
      '--step-timeout <seconds>',
      "kill a target command that runs longer than this (default: the profile's)",
      seconds,
    )
    .action(async (targetDir: string | undefined, options: MainOptions) => {
      if (
        options.compareStartStates &&
        (program.getOptionValueSource('startState') === 'cli' || options.keep)
      ) {
        throw new VpcError(
          'E_BAD_INPUT',
          '--compare-start-states runs every start state itself; it cannot be combined with --start-state or --keep',
          { hint: 'drop --start-state/--keep, or drop --compare-start-states to run one start state' },
        );
      }
      const progress = progressFor(
        { json: Boolean(options.json), isTty: io.tty, ci: Boolean(process.env.CI) },
        io.err,
      );
      const common = {
        targetDir,
        profile: options.profile,
        outDir: options.out,
        only: options.only
          ? options.only
              .split(',')
              .map((id) => id.trim())
              .filter(Boolean)
          : [],
        startState: options.startState,
        deadlineMs: options.deadline * 1000,
        settleTimeoutMs: options.settleTimeout * 1000,
        keep: Boolean(options.keep),
        ...(options.stepTimeout ? { stepTimeoutsMs: { default: options.stepTimeout * 1000 } } : {}),
        onProgress: (line: string) => progress.line(line),
      };
      if (options.compareStartStates) {
        const comparison = await compareStartStates(common).finally(() => progress.done());
        if (options.json) {
          io.out(`${JSON.stringify(comparisonJson(comparison), null, 2)}\n`);
        } else {
          for (const r of comparison.runs) {
            io.out(
              `[${r.startState}] ${formatTerminalSummary({ ...r.summary, reportsDir: r.reportsDir }, { color: io.color })}\n`,
            );
          }
          io.out(formatComparison(comparison));
        }
        code = comparison.runs.every((r) => r.summary.verdict === 'pass') ? EXIT.pass : EXIT.criteriaFailed;
        return;
      }
      const { summary, reportsDir } = await verify(common).finally(() => progress.done());
      if (options.json) io.out(`${JSON.stringify(summary, null, 2)}\n`);
      else io.out(`${formatTerminalSummary({ ...summary, reportsDir }, { color: io.color })}\n`);
      code = summary.verdict === 'pass' ? EXIT.pass : EXIT.criteriaFailed;
    });

  program
    .command('batch')
    .description(
      'verify many submissions (a manifest), in parallel sandboxes; writes a scoreboard and one JUnit',
    )
    .argument('<manifest>', 'JSON or YAML manifest of submissions (see docs/grading.md)')
    .option('-c, --concurrency <n>', 'sandboxes at once (default: one per core, at most one per GiB)')
    .option('--shard <i/n>', 'run only the i-th of n deterministic slices (1-based), for CI matrices')
    .option('-o, --out <dir>', 'output folder', 'reports/batch')
    .action(async (manifestPath: string, options: { concurrency?: string; shard?: string; out: string }) => {
      const manifest = loadManifest(manifestPath);
      const concurrency = options.concurrency ? parseConcurrency(options.concurrency) : defaultConcurrency();
      const shardSpec = options.shard ? parseShard(options.shard) : undefined;
      const report = await doctor({ install: true });
      if (!report.ok) {
        io.err(`${formatDoctor(report)}\n`);
        code = EXIT.environment;
        return;
      }
      const progress = progressFor({ json: false, isTty: io.tty, ci: Boolean(process.env.CI) }, io.err);
      const result = await runBatch(manifest, {
        outDir: options.out,
        verifyOne,
        concurrency,
        ...(shardSpec ? { shard: shardSpec } : {}),
        onEvent: (event) => progress.batch(event),
      }).finally(() => progress.done());
      io.out(`scoreboard: ${result.files.html}\n`);
      code = result.exitCode;
    });

  program
    .command('merge')
    .description('join shard outputs of `batch --shard` into one scoreboard')
    .argument('<dirs...>', "the shards' output folders")
    .requiredOption('-o, --out <dir>', 'output folder for the merged scoreboard')
    .option('--allow-partial', 'merge even when some shards are missing')
    .action((dirs: string[], options: { out: string; allowPartial?: boolean }) => {
      const result = merge(dirs, options.out, { allowPartial: Boolean(options.allowPartial) });
      io.out(`scoreboard: ${result.files.html}\n`);
      code = batchExitCode(result.scoreboard);
    });

  program
    .command('summary-md')
    .description('print a Markdown summary (for $GITHUB_STEP_SUMMARY) of a run or a batch')
    .argument('<path>', 'summary.json, scoreboard.json, or an --out folder')
    .action((path: string) => {
      io.out(runSummaryMd(path));
    });

  program
    .command('doctor')
    .description('check that this machine can run labs; install missing Debian packages when root')
    .option('--no-install', 'only check, never install')
    .action(async (options: { install: boolean }) => {
      const report = await doctor({ install: options.install, log: (line) => io.err(`doctor: ${line}\n`) });
      io.out(`${formatDoctor(report)}\n`);
      code = report.ok ? EXIT.pass : EXIT.environment;
    });

  program
    .command('profile')
    .description('work with profiles (how vpc-verify drives a target: docs/profiles.md)')
    .command('check')
    .description('check a profile file (or a built-in name) and explain every mistake')
    .argument('<file>', 'a JSON profile, or a built-in name (seed, positional)')
    .option('--target <dir>', "also check what depends on the target's folder (cwd)")
    .action((file: string, options: { target?: string }) => {
      const profile = loadProfile(file);
      const problem = options.target ? cwdProblem(profile, resolve(options.target)) : undefined;
      if (problem) {
        throw new VpcError(
          'E_SCHEMA',
          `profile ${profile.source} has 1 problem:\n${formatProblem(profile.source, problem)}`,
          {
            hint: 'see docs/profiles.md for every field, step and placeholder',
          },
        );
      }
      const steps = Object.entries(profile.steps);
      const unsupported = steps.filter(([, v]) => v === null).map(([k]) => k);
      io.out(
        `${profile.source}: profile "${profile.name}" is valid` +
          (unsupported.length > 0 ? ` (unsupported steps: ${unsupported.join(', ')})` : '') +
          '\n',
      );
    });

  program
    .command('init')
    .description(
      'infer a profile from the tool itself: its usage texts, each step proved in a scratch sandbox',
    )
    .argument('<target-dir>', "the tool's repository")
    .option('--out <file>', 'where to write the profile', 'profile.inferred.json')
    .option('--command-timeout <seconds>', 'kill a trial command that runs longer than this', seconds, 20)
    .action(async (targetDir: string, options: { out: string; commandTimeout: number }) => {
      const report = await doctor({ install: true });
      if (!report.ok) {
        io.err(`${formatDoctor(report)}\n`);
        code = EXIT.environment;
        return;
      }
      const result = await inferProfile(targetDir, {
        out: options.out,
        commandTimeoutMs: options.commandTimeout * 1000,
        onProgress: (line) => io.err(`${line}\n`),
      });
      io.out(
        `${formatLines(result.lines)}\nprofile: ${result.path} (${(result.durationMs / 1000).toFixed(1)} s)\n`,
      );
    });

  program
    .command('sandbox')
    .description('run a command inside a throwaway lab sandbox (e.g. `vpc-verify sandbox -- bash`)')
    .argument('<command...>', 'the command and its arguments (put -- before it)')
    .option(
      '--share <path>',
      'keep this host path visible and writable inside (repeatable; the current folder always is)',
      collect,
      [],
    )
    .addOption(
      new Option('--start-state <name>', `start state: ${START_STATES.join(', ')}`)
        .default('fresh')
        .argParser(startState),
    )
    .option('--transcript <file>', 'record the sandbox set-up commands (and give the path to the command)')
    .action(
      async (
        command: string[],
        options: { share: string[]; startState: StartStateName; transcript?: string },
      ) => {
        const report = await doctor({ install: true });
        if (!report.ok) {
          io.err(`${formatDoctor(report)}\n`);
          code = EXIT.environment;
          return;
        }
        code = await runSandboxCommand(command, { ...options, keep: options.share });
      },
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.pass : EXIT.badInput;
    }
    io.err(`${formatError(error)}\n`);
    return exitCodeForError(error);
  }
  return code;
}
