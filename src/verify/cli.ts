import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { START_STATES, type StartStateName } from '../../lab/sandbox/sandbox.js';
import { formatError, VpcError } from '../util/errors.js';
import { doctor, formatDoctor } from './doctor.js';
import { EXIT } from './exit-codes.js';
import { runSandboxCommand } from './sandbox-command.js';

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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Parse argv and run; returns the exit code (main() only sets it). */
export async function run(argv: string[], io: Io = defaultIo): Promise<number> {
  let code: number = EXIT.pass;
  const program = new Command('vpc-verify')
    .description('Prove with real packets that a mini-VPC tool (vpcctl) works.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);

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
    .command('sandbox')
    .description('run a command inside a throwaway lab sandbox (e.g. `vpc-verify sandbox -- bash`)')
    .argument('<command...>', 'the command and its arguments (put -- before it)')
    .option('--keep <path>', 'keep this path visible and writable inside (repeatable)', collect, [])
    .addOption(
      new Option('--start-state <name>', `start state: ${START_STATES.join(', ')}`)
        .default('fresh')
        .argParser(startState),
    )
    .option('--transcript <file>', 'record the sandbox set-up commands (and give the path to the command)')
    .action(
      async (
        command: string[],
        options: { keep: string[]; startState: StartStateName; transcript?: string },
      ) => {
        const report = await doctor({ install: true });
        if (!report.ok) {
          io.err(`${formatDoctor(report)}\n`);
          code = EXIT.environment;
          return;
        }
        code = await runSandboxCommand(command, options);
      },
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.pass : EXIT.badInput;
    }
    io.err(`${formatError(error)}\n`);
    return error instanceof VpcError && error.code === 'E_ENVIRONMENT' ? EXIT.environment : EXIT.harnessError;
  }
  return code;
}
