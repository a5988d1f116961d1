import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VpcError } from '../util/errors.js';
import { type Context, mutate, requireRoot } from './context.js';
import { findSubnet, findVpc, type State } from './model.js';
import { parseIptablesSave } from './plan/iptables.js';
import { planAllowCidr, planPeerVpcs, planUnpeerVpcs } from './plan/peering.js';
import { planAddSubnet, planDeleteSubnet, planDeployHttp, planEnableNat } from './plan/subnet.js';
import { DEFAULT_CHAIN_PREFIX, DEFAULT_COMMENT_TAG, type PlanOptions } from './plan/types.js';
import { planAllowIntraVpc, planCreateVpc, planIsolateVpcs, planTeardownVpc } from './plan/vpc.js';
import { ActivityLog } from './state/log.js';
import { StateStore, stateDirFrom } from './state/store.js';
import { RealSystem, type StartHttpStep, type System } from './system.js';

/**
 * The command handlers. cli.ts imports this module only once a command is
 * about to run, so `--help` and usage errors stay fast.
 */
export interface ContextDeps {
  system?: System;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  now?: () => string;
  planOptions?: Partial<PlanOptions>;
}

export function makeContext(
  globals: { dryRun?: boolean; verbose?: boolean },
  deps: ContextDeps,
  argv: readonly string[],
): Context {
  const dir = resolve(stateDirFrom(deps.env));
  const dryRun = globals.dryRun === true;
  const lockTimeout = Number(deps.env.VPCCTL_LOCK_TIMEOUT_MS);
  const ctx: Context = {
    system: deps.system ?? new RealSystem(),
    store: new StateStore(dir),
    log: new ActivityLog(dir, !dryRun),
    dryRun,
    verbose: globals.verbose === true,
    options: {
      chainPrefix: DEFAULT_CHAIN_PREFIX,
      commentTag: DEFAULT_COMMENT_TAG,
      httpServerScript: fileURLToPath(new URL('./http-server.js', import.meta.url)),
      logDir: dir,
      now: (deps.now ?? (() => new Date().toISOString()))(),
      ...deps.planOptions,
    },
    out: deps.out,
    err: deps.err,
    lockTimeoutMs: Number.isFinite(lockTimeout) && lockTimeout > 0 ? lockTimeout : undefined,
  };
  ctx.log.write(`$ vpcctl ${argv.join(' ')}`);
  return ctx;
}

/** Accept a name as an option (seed syntax) or positionally (`teardown-vpc vpc1`). */
export function nameFrom(positional: string | undefined, option: string | undefined, flag: string): string {
  if (positional !== undefined && option !== undefined && positional !== option) {
    throw new VpcError('E_BAD_INPUT', `two different names given: ${positional} and ${flag} ${option}`);
  }
  const name = option ?? positional;
  if (name === undefined) throw new VpcError('E_BAD_INPUT', `missing ${flag} NAME`);
  return name;
}

export async function createVpc(ctx: Context, input: { name: string; cidr: string }): Promise<void> {
  await mutate(ctx, (state, observed) => planCreateVpc(state, observed, input, ctx.options));
}

export async function addSubnet(
  ctx: Context,
  input: { vpc: string; name: string; cidr: string; type?: string },
): Promise<void> {
  await mutate(ctx, (state, observed) => planAddSubnet(state, observed, input, ctx.options));
}

export async function deleteSubnet(ctx: Context, input: { vpc: string; name: string }): Promise<void> {
  await mutate(ctx, (state, observed) => planDeleteSubnet(state, observed, input));
}

export async function allowIntraVpc(ctx: Context, name: string): Promise<void> {
  await mutate(ctx, (state) => planAllowIntraVpc(state, name));
}

export async function enableNat(
  ctx: Context,
  input: { vpc: string; subnet: string; wan: string },
): Promise<void> {
  await mutate(ctx, (state, observed) => planEnableNat(state, observed, input));
}

function recordServerPids(state: State, started: Map<StartHttpStep, number>): State {
  const next = structuredClone(state);
  for (const [step, pid] of started) {
    const vpc = findVpc(next, step.vpc);
    const server = (vpc && findSubnet(vpc, step.subnet))?.servers.find((s) => s.port === step.port);
    if (server) server.pid = pid;
  }
  return next;
}

export async function deployHttp(
  ctx: Context,
  input: { vpc: string; subnet: string; port: string },
): Promise<void> {
  await mutate(
    ctx,
    (state) =>
      planDeployHttp(state, input, ctx.options, (pid, match) => ctx.system.processRunning(pid, match)),
    (plan, started) => recordServerPids(plan.state, started as Map<StartHttpStep, number>),
  );
}

export async function isolateVpcs(ctx: Context, input: { cidrA: string; cidrB: string }): Promise<void> {
  await mutate(ctx, (state) => planIsolateVpcs(state, input));
}

export interface PeerOptions {
  bridgeA?: string;
  bridgeB?: string;
  vpcA?: string;
  vpcB?: string;
}

export async function peerVpcs(ctx: Context, input: PeerOptions): Promise<void> {
  await mutate(ctx, (state, observed) => planPeerVpcs(state, observed, input, ctx.options));
}

export async function unpeerVpcs(ctx: Context, input: PeerOptions): Promise<void> {
  await mutate(ctx, (state, observed) => planUnpeerVpcs(state, observed, input));
}

export async function allowCidr(ctx: Context, input: { src: string; dst: string }): Promise<void> {
  await mutate(ctx, (state) => planAllowCidr(state, input));
}

export async function applyPolicy(
  ctx: Context,
  input: { file: string; vpc?: string; subnet?: string },
): Promise<void> {
  const { parsePolicy, planApplyPolicy, policyTarget } = await import('./plan/policy.js');
  let text: string;
  try {
    text = ctx.system.readFile(input.file);
  } catch (error) {
    throw new VpcError(
      'E_BAD_INPUT',
      `cannot read policy file ${input.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { hint: 'give the path of a JSON policy file' },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new VpcError(
      'E_SCHEMA',
      `policy file ${input.file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const policy = parsePolicy(data, input.file);
  await mutate(ctx, async (state) => {
    const target = policyTarget(state, policy, input, input.file);
    const save = await ctx.system.run(['iptables-save', '-t', 'filter'], { netns: target.subnet.netns });
    if (save.failed) {
      throw new VpcError(
        'E_COMMAND_FAILED',
        `cannot read the rules in ${target.subnet.netns}: ${save.stderr.trim()}`,
      );
    }
    return planApplyPolicy(state, parseIptablesSave(save.stdout), target, policy, input.file, ctx.options);
  });
}

export async function inspect(ctx: Context, input: { json?: boolean }): Promise<void> {
  requireRoot(ctx);
  const { gatherInspect, renderInspect } = await import('./inspect.js');
  const state = ctx.store.load();
  const observed = await ctx.system.observe();
  const report = await gatherInspect(ctx, state, observed);
  ctx.out(input.json ? JSON.stringify(report, null, 2) : renderInspect(report));
}

export async function teardownVpc(ctx: Context, name: string): Promise<void> {
  await mutate(ctx, (state, observed) => planTeardownVpc(state, observed, name));
}

export async function teardownAll(ctx: Context): Promise<void> {
  const names = ctx.store.load().vpcs.map((v) => v.name);
  if (names.length === 0) {
    // Still reconcile: removes vpcctl's chains that an interrupted run left behind.
    await mutate(ctx, (state) => ({
      state,
      topology: [],
      rollback: [],
      messages: ['no VPC exists; nothing to do'],
      order: 'remove',
    }));
    return;
  }
  // Best effort: one VPC that cannot be removed does not keep the others.
  const failures: string[] = [];
  for (const name of names) {
    try {
      await mutate(ctx, (state, observed) => planTeardownVpc(state, observed, name));
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) {
    throw new VpcError('E_COMMAND_FAILED', `could not tear down every VPC:\n${failures.join('\n')}`, {
      hint: 'the state still lists what could not be removed; run teardown-all again once the cause is fixed',
    });
  }
}
