import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { formatError, isVpcError } from '../util/errors.js';
import type { ContextDeps } from './commands.js';
import type { Context } from './context.js';
import type { PlanOptions } from './plan/types.js';
import type { System } from './system.js';

/**
 * The command line. Only commander is loaded up front; the handlers (and the
 * planners, schemas and executor behind them) are imported when a command
 * runs, because every invocation is a fresh Node process.
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Error codes that mean "the input was wrong" (exit 2); any other error is a runtime failure (exit 1). */
export const INPUT_ERROR_CODES: ReadonlySet<string> = new Set([
  'E_BAD_INPUT',
  'E_NOT_FOUND',
  'E_CONFLICT',
  'E_SCHEMA',
]);

export interface RunDeps {
  system?: System;
  env?: NodeJS.ProcessEnv;
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** Clock for records (tests pin it). */
  now?: () => string;
  /** Planner knobs (tests and fault variants). */
  planOptions?: Partial<PlanOptions>;
}

export const EXIT_CODES_HELP = `
Exit codes:
  0  done, or nothing to do (commands are idempotent)
  1  runtime failure: a command failed (what it had changed is rolled back), not root,
     state file unreadable, lock timeout
  2  bad usage or input: unknown option, malformed CIDR, unknown VPC/subnet/bridge,
     conflict, invalid policy; nothing was changed

Global options go before or after the command: vpcctl --dry-run create-vpc ...
Environment:
  VPCCTL_STATE_DIR  state directory (default /var/lib/vpcctl): state.json, vpcctl.log, server logs`;

/** The package's version (package.json is two levels up from src/, three from dist/src/). */
function version(): string {
  for (const path of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'vpc-acceptance' && pkg.version) return pkg.version;
    } catch {}
  }
  return 'unknown';
}

type Commands = typeof import('./commands.js');

/** A batch line failed: the batch exits with that line's code. */
class BatchLineFailed extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function buildProgram(
  contextDeps: ContextDeps,
  argv: readonly string[],
  onContext: (ctx: Context) => void,
  runDeps: RunDeps,
): Command {
  const program = new Command('vpcctl');
  program
    .description(
      'Build mini-VPCs on one Linux host: a bridge per VPC, a network namespace per subnet,\nNAT, peering and security policies with iptables. Docs: docs/vpcctl.md',
    )
    .version(version(), '-V, --version')
    .option('--dry-run', 'print the exact ip/iptables commands instead of running them; change nothing')
    .option('-v, --verbose', 'print every command as it runs, with its exit code and duration (stderr)')
    .addHelpText('after', EXIT_CODES_HELP)
    .showSuggestionAfterError(true)
    .exitOverride()
    // Before the subcommands exist: they copy these settings when created.
    .configureOutput({
      writeOut: (text) => contextDeps.out(text.replace(/\n$/, '')),
      writeErr: (text) => contextDeps.err(text.replace(/\n$/, '')),
    });

  /** Wrap a handler: load the handlers, build the context, run. */
  const action =
    (handler: (c: Commands, ctx: Context, ...args: never[]) => Promise<void>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args.at(-1) as Command;
      const commands = await import('./commands.js');
      const ctx = commands.makeContext(command.optsWithGlobals(), contextDeps, argv);
      onContext(ctx);
      await handler(commands, ctx, ...(args.slice(0, -1) as never[]));
    };

  const sub = (name: string, summary: string, examples: string[]): Command =>
    program
      .command(name)
      .description(summary)
      .addHelpText(
        'after',
        `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  ${e}`).join('\n')}\n${EXIT_CODES_HELP}`,
      )
      .exitOverride();

  sub('create-vpc', 'create a VPC: a bridge br-<name> (the VPC router) for a CIDR', [
    'vpcctl create-vpc --name vpc1 --cidr 10.0.0.0/16',
  ])
    .argument('[name]', 'VPC name (alternative to --name)')
    .option('--name <name>', 'VPC name, at most 12 characters (the bridge is br-<name>)')
    .requiredOption('--cidr <cidr>', 'IPv4 block of the VPC, e.g. 10.0.0.0/16')
    .action(
      action(async (c, ctx, positional: string | undefined, opts: { name?: string; cidr: string }) => {
        await c.createVpc(ctx, { name: c.nameFrom(positional, opts.name, '--name'), cidr: opts.cidr });
      }),
    );

  sub(
    'add-subnet',
    'add a subnet: namespace <vpc>-<name>, host .2 with a default route via the gateway .1 on the VPC bridge',
    [
      'vpcctl add-subnet --vpc vpc1 --name publicsub --cidr 10.0.1.0/24',
      'vpcctl add-subnet --vpc vpc1 --name privatesub --cidr 10.0.2.0/24 --type private',
    ],
  )
    .requiredOption('--vpc <vpc>', 'VPC name')
    .requiredOption('--name <name>', 'subnet name')
    .requiredOption('--cidr <cidr>', 'IPv4 block inside the VPC, /30 or larger')
    .addOption(new Option('--type <type>', 'public or private (a private subnet can never get NAT)'))
    .action(
      action(async (c, ctx, opts: { vpc: string; name: string; cidr: string; type?: string }) => {
        await c.addSubnet(ctx, opts);
      }),
    );

  sub('delete-subnet', 'delete a subnet: its server, namespace, veth, gateway address and NAT (idempotent)', [
    'vpcctl delete-subnet --vpc vpc1 --name publicsub',
  ])
    .requiredOption('--vpc <vpc>', 'VPC name')
    .requiredOption('--name <name>', 'subnet name')
    .action(
      action(async (c, ctx, opts: { vpc: string; name: string }) => {
        await c.deleteSubnet(ctx, opts);
      }),
    );

  sub('allow-intra-vpc', "let a VPC's subnets talk to each other (blocked until then)", [
    'vpcctl allow-intra-vpc vpc1',
  ])
    .argument('[vpc]', 'VPC name')
    .option('--vpc <vpc>', 'VPC name (alternative to the argument)')
    .action(
      action(async (c, ctx, positional: string | undefined, opts: { vpc?: string }) => {
        await c.allowIntraVpc(ctx, c.nameFrom(positional, opts.vpc, '--vpc'));
      }),
    );

  sub(
    'enable-nat',
    'let one subnet reach the internet through the WAN interface (MASQUERADE out of it only)',
    ['vpcctl enable-nat --vpc vpc1 --subnet publicsub --wan eth0'],
  )
    .requiredOption('--vpc <vpc>', 'VPC name')
    .requiredOption('--subnet <subnet>', 'subnet name')
    .requiredOption('--wan <interface>', 'the host interface that leads to the internet')
    .action(
      action(async (c, ctx, opts: { vpc: string; subnet: string; wan: string }) => {
        await c.enableNat(ctx, opts);
      }),
    );

  sub(
    'deploy-http',
    "start a small HTTP server on the subnet host's address and port; returns once it answers",
    ['vpcctl deploy-http --vpc vpc1 --subnet publicsub --port 80'],
  )
    .requiredOption('--vpc <vpc>', 'VPC name')
    .requiredOption('--subnet <subnet>', 'subnet name')
    .option('--port <port>', 'TCP port', '80')
    .action(
      action(async (c, ctx, opts: { vpc: string; subnet: string; port: string }) => {
        await c.deployHttp(ctx, opts);
      }),
    );

  sub(
    'isolate-vpcs',
    'drop traffic between two VPC CIDRs both ways (also the default; allow-cidr still opens given pairs)',
    ['vpcctl isolate-vpcs --cidr-a 10.0.0.0/16 --cidr-b 10.1.0.0/16'],
  )
    .requiredOption('--cidr-a <cidr>', 'CIDR inside the first VPC')
    .requiredOption('--cidr-b <cidr>', 'CIDR inside the second VPC')
    .action(
      action(async (c, ctx, opts: { cidrA: string; cidrB: string }) => {
        await c.isolateVpcs(ctx, opts);
      }),
    );

  const peerCommand = (name: 'peer-vpcs' | 'unpeer-vpcs', summary: string): void => {
    sub(name, summary, [
      `vpcctl ${name} --bridge-a br-vpc1 --bridge-b br-vpc2`,
      `vpcctl ${name} --vpc-a vpc1 --vpc-b vpc2`,
    ])
      .option('--bridge-a <bridge>', 'bridge of the first VPC')
      .option('--bridge-b <bridge>', 'bridge of the second VPC')
      .option('--vpc-a <vpc>', 'first VPC by name (instead of --bridge-a)')
      .option('--vpc-b <vpc>', 'second VPC by name (instead of --bridge-b)')
      .action(
        action(async (c, ctx, opts: { bridgeA?: string; bridgeB?: string; vpcA?: string; vpcB?: string }) => {
          await (name === 'peer-vpcs' ? c.peerVpcs(ctx, opts) : c.unpeerVpcs(ctx, opts));
        }),
      );
  };
  peerCommand(
    'peer-vpcs',
    'connect two VPC bridges with a peering link; nothing crosses it until allow-cidr',
  );
  peerCommand(
    'unpeer-vpcs',
    'remove a peering link and the allow-cidr rules between the two VPCs (idempotent)',
  );

  sub(
    'allow-cidr',
    'let NEW connections from --src to --dst cross a peering (replies pass; run it again reversed for both ways)',
    [
      'vpcctl allow-cidr --src 10.0.1.0/24 --dst 10.1.1.0/24',
      'vpcctl allow-cidr --src 10.1.1.0/24 --dst 10.0.1.0/24',
    ],
  )
    .requiredOption('--src <cidr>', 'source CIDR (inside one VPC)')
    .requiredOption('--dst <cidr>', 'destination CIDR (inside a peered VPC)')
    .action(
      action(async (c, ctx, opts: { src: string; dst: string }) => {
        await c.allowCidr(ctx, opts);
      }),
    );

  sub(
    'apply-policy',
    "enforce a JSON security policy inside a subnet's namespace; replaces the subnet's previous policy",
    ['vpcctl apply-policy --vpc vpc1 --subnet publicsub --file policies/vpc1-public-http-only.json'],
  )
    .requiredOption(
      '--file <path>',
      'policy file (format: docs/vpcctl.md; schema: src/vpcctl/policy.schema.json)',
    )
    .option('--vpc <vpc>', 'VPC name (with --subnet; default: the subnet whose CIDR the policy names)')
    .option('--subnet <subnet>', 'subnet name')
    .action(
      action(async (c, ctx, opts: { file: string; vpc?: string; subnet?: string }) => {
        await c.applyPolicy(ctx, opts);
      }),
    );

  sub('inspect', 'show VPCs, subnets, routes, peerings, servers, rules, and any drift from the state', [
    'vpcctl inspect',
    'vpcctl inspect --json',
  ])
    .option('--json', 'machine-readable output')
    .action(
      action(async (c, ctx, opts: { json?: boolean }) => {
        await c.inspect(ctx, opts);
      }),
    );

  sub(
    'teardown-vpc',
    'remove a VPC and all it created: servers, namespaces, veths, peerings, bridge, rules (a missing VPC is fine)',
    ['vpcctl teardown-vpc --name vpc1'],
  )
    .argument('[name]', 'VPC name (alternative to --name)')
    .option('--name <name>', 'VPC name')
    .action(
      action(async (c, ctx, positional: string | undefined, opts: { name?: string }) => {
        await c.teardownVpc(ctx, c.nameFrom(positional, opts.name, '--name'));
      }),
    );

  sub(
    'batch',
    'run the vpcctl commands of a file, one per line, in this one process (a whole lab at once, fast); stops at the first that fails',
    ['vpcctl batch lab.vpc   # lines like: create-vpc --name vpc1 --cidr 10.0.0.0/16'],
  )
    .argument('<file>', 'text file: one vpcctl command per line; # comments; a leading "vpcctl" is allowed')
    .action(async (file: string, _opts: unknown, command: Command) => {
      const { readBatchFile } = await import('./batch.js');
      const globals = command.optsWithGlobals() as { dryRun?: boolean; verbose?: boolean };
      const flags = [...(globals.dryRun ? ['--dry-run'] : []), ...(globals.verbose ? ['--verbose'] : [])];
      for (const { line, argv: lineArgv } of readBatchFile(file)) {
        const code = await run([...flags, ...lineArgv], runDeps);
        if (code !== EXIT_OK) {
          throw new BatchLineFailed(
            `${file}:${line}: \`vpcctl ${lineArgv.join(' ')}\` failed (exit ${code}); the lines after it were not run`,
            code,
          );
        }
      }
    });

  sub('teardown-all', 'tear down every VPC: the host is left as it was before the first create-vpc', [
    'vpcctl teardown-all',
  ]).action(
    action(async (c, ctx) => {
      await c.teardownAll(ctx);
    }),
  );

  return program;
}

/** Run vpcctl with argv (without `node vpcctl`) and return the exit code; never throws. */
export async function run(argv: readonly string[], deps: RunDeps = {}): Promise<number> {
  const out = deps.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  const err = deps.err ?? ((text: string) => process.stderr.write(`${text}\n`));
  let context: Context | undefined;
  const program = buildProgram(
    {
      system: deps.system,
      env: deps.env ?? process.env,
      out,
      err,
      now: deps.now,
      planOptions: deps.planOptions,
    },
    argv,
    (ctx) => {
      context = ctx;
    },
    deps,
  );
  // With --verbose: where the time went (performance.now() counts from the process's start).
  const timing = (): void => {
    if (context?.verbose) err(`vpcctl: done ${Math.round(performance.now())} ms after the process started`);
  };
  try {
    await program.parseAsync([...argv], { from: 'user' });
    context?.log.write('exit 0');
    timing();
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // `commander.help` is help shown because no command was given: a usage error like the others.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof BatchLineFailed) {
      err(`vpcctl batch: ${error.message}`);
      return error.exitCode;
    }
    const code = isVpcError(error) && INPUT_ERROR_CODES.has(error.code) ? EXIT_USAGE : EXIT_FAILURE;
    err(formatError(error));
    context?.log.write(`${formatError(error)}\nexit ${code}`);
    timing();
    return code;
  }
}
