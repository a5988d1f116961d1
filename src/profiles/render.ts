import { stringify as toYaml } from 'yaml';
import { VpcError } from '../util/errors.js';
import { placeholdersOf, solePlaceholder, substitute } from './placeholders.js';
import { allowedPlaceholders, isSubnetStep, type StepName, type StepVars, type VarValue } from './steps.js';
import {
  type ArgvTemplate,
  type ByTypeTemplate,
  type ByVpcTemplate,
  type CommandSpec,
  type CommandTemplate,
  type ImpliedTemplate,
  type IngressRule,
  type JsonValue,
  type LabPolicy,
  type PlainTemplate,
  type Profile,
  RAW_MARKER,
  type SubnetStepTemplate,
  type SubnetType,
} from './types.js';

/** Per-command options the runner (lab/steps.ts `runStep`) honours. */
export interface CommandOptions {
  /** The step goes on when this command fails (the failure is recorded). */
  allowFail?: boolean;
  /** Started and left running once `port` answers on `host` (within `readyMs`). */
  daemon?: { port: number; host: string; readyMs: number };
}

/**
 * A rendered command: the argv, with its options as properties of the array
 * itself, so that code that only knows argv lists passes them on unchanged.
 * A command without options is a plain array.
 */
export type RenderedCommand = string[] & CommandOptions;

/** What the runner does for a step. Nothing here runs anything. */
export type RenderedStep =
  /** Run these argv in order (the target's prefix already applied), each with `timeoutMs`. */
  | { kind: 'commands'; commands: RenderedCommand[]; timeoutMs: number }
  /** The profile says `null`: criteria that need this step are `not-run` with `reason`. */
  | { kind: 'unsupported'; reason: string }
  /** The harness does the step itself (e.g. starts the HTTP server), within `timeoutMs`. */
  | { kind: 'harness'; timeoutMs: number }
  /**
   * `[]` (or an optional step left out): another step already did it. With
   * `{"impliedBy": step}`, `impliedBy` names that step and `reason` says so.
   */
  | { kind: 'nothing'; impliedBy?: StepName; reason?: string };

export interface RenderOptions {
  /** The target's directory: the value of `{dir}`. */
  dir: string;
}

type AnyTemplate = SubnetStepTemplate;
type Vars = Readonly<Record<string, VarValue | undefined>>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isByType(template: AnyTemplate): template is ByTypeTemplate {
  return isObject(template) && 'public' in template;
}

function isByVpc(template: AnyTemplate): template is ByVpcTemplate<PlainTemplate | ByTypeTemplate> {
  return isObject(template) && 'byVpc' in template;
}

function isImplied(template: AnyTemplate): template is ImpliedTemplate {
  return isObject(template) && 'impliedBy' in template;
}

function isCommandSpec(value: unknown): value is CommandSpec {
  return isObject(value) && Array.isArray(value.argv);
}

/** The bridge name the target gives a VPC, from the profile's `bridgeName` template. */
export function bridgeNameFor(profile: Profile, vpc: string): string {
  return substitute(profile.bridgeName, (name) => {
    if (name === 'vpc') return vpc;
    throw new VpcError('E_SCHEMA', `profile "${profile.name}": bridgeName may only use {vpc}, not {${name}}`);
  });
}

/** `{n}` of `subnetName`: the digits that end a VPC's name (vpc1 -> 1), 0 when there are none. */
export function vpcNumber(vpc: string): string {
  return /(\d+)$/.exec(vpc)?.[1] ?? '0';
}

/**
 * The name the target gives a subnet: the profile's `subnetName` template for
 * its type, or the lab's own name when the profile has none.
 */
export function subnetNameFor(profile: Profile, vpc: string, type: SubnetType, labName: string): string {
  const template = profile.subnetName?.[type];
  if (template === undefined) return labName;
  const values: Record<string, string> = { vpc, type, n: vpcNumber(vpc), name: labName };
  return substitute(template, (name) => {
    const value = values[name];
    if (value === undefined) {
      throw new VpcError('E_SCHEMA', `profile "${profile.name}": subnetName may not use {${name}}`);
    }
    return value;
  });
}

export function stepTimeoutMs(profile: Profile, step: StepName): number {
  return profile.timeouts.steps[step] ?? profile.timeouts.defaultMs;
}

/** `{allowTcpPorts}` / `{denyTcpPorts}`: the policy's TCP ports by action, comma-separated, in rule order. */
export function policyPortVars(policy: LabPolicy): { allowTcpPorts: string; denyTcpPorts: string } {
  const ports = (action: IngressRule['action']) =>
    policy.ingress
      .filter((r) => r.protocol === 'tcp' && r.action === action)
      .map((r) => r.port)
      .join(',');
  return { allowTcpPorts: ports('allow'), denyTcpPorts: ports('deny') };
}

/** How to start the target: the argv prefix, extra environment and working directory, `{dir}` filled in. */
export function renderInvocation(
  profile: Profile,
  options: RenderOptions,
): { command: string[]; env: Record<string, string>; cwd: string | undefined } {
  const lookup = (where: string) => (name: string) => {
    if (name === 'dir') return options.dir;
    throw new VpcError('E_SCHEMA', `profile "${profile.name}": ${where} may only use {dir}, not {${name}}`);
  };
  return {
    command: profile.command.map((s) => substitute(s, lookup('command'))),
    env: Object.fromEntries(Object.entries(profile.env).map(([k, v]) => [k, substitute(v, lookup('env'))])),
    cwd: profile.cwd === undefined ? undefined : substitute(profile.cwd, lookup('cwd')),
  };
}

/** `statePaths` with `{dir}` filled in: what the sandbox makes private (lab/sandbox). */
export function renderStatePaths(
  profile: Profile,
  options: RenderOptions,
): { path: string; from?: string }[] {
  return profile.statePaths.map((p) =>
    p.from === undefined
      ? { path: p.path }
      : {
          path: p.path,
          from: substitute(p.from, (name) => {
            if (name === 'dir') return options.dir;
            throw new VpcError('E_SCHEMA', `profile "${profile.name}": statePaths may only use {dir}`);
          }),
        },
  );
}

/**
 * The template that applies to these vars, after `byVpc` (by `vpc`, else
 * `vpcA`) and `byType` (by `type`), with its JSON path.
 */
function selectTemplate(
  profile: Profile,
  step: StepName,
  given: Vars,
): { template: PlainTemplate | undefined; at: string } {
  let template = profile.steps[step] as AnyTemplate | undefined;
  let at = `/steps/${step}`;
  for (let depth = 0; depth < 3 && template !== undefined; depth++) {
    if (isByVpc(template)) {
      const vpc = String(given.vpc ?? given.vpcA ?? '');
      const own = template.byVpc[vpc];
      template = own ?? template.default;
      at += own === undefined ? '/default' : `/byVpc/${vpc}`;
    } else if (isByType(template)) {
      const type = given.type;
      if (type !== 'public' && type !== 'private') {
        throw new VpcError(
          'E_BAD_INPUT',
          `cannot render step ${step} of profile "${profile.name}": {type} must be "public" or "private" ` +
            `(got ${JSON.stringify(type)}) because the profile gives one command per subnet type`,
        );
      }
      template = template[type];
      at += `/${type}`;
    } else break;
  }
  return { template: template as PlainTemplate | undefined, at };
}

/** The lab's subnet names turned into the target's (`subnetName`), the lab's own kept as `{name}`. */
function withSubnetNames(profile: Profile, step: StepName, given: Vars): Vars {
  if (!profile.subnetName) return given;
  const out: Record<string, VarValue | undefined> = { ...given };
  const vpc = String(given.vpc ?? '');
  if (isSubnetStep(step) && given.subnet !== undefined) {
    const type = given.type === 'private' ? 'private' : 'public';
    out.subnet = subnetNameFor(profile, vpc, type, String(given.subnet));
  }
  for (const type of ['public', 'private'] as const) {
    const key = `${type}Subnet`;
    const value = given[key];
    if (value !== undefined && value !== '') out[key] = subnetNameFor(profile, vpc, type, String(value));
  }
  return out;
}

function placeholderLookup(
  profile: Profile,
  step: StepName,
  values: Record<string, VarValue>,
  where: string,
): (name: string) => string {
  const allowed = allowedPlaceholders(step);
  return (name) => {
    if (!allowed.includes(name)) {
      throw new VpcError(
        'E_SCHEMA',
        `profile "${profile.name}" at ${where}: placeholder {${name}} is not available in step ${step}`,
      );
    }
    const value = values[name];
    if (value === undefined) {
      throw new VpcError(
        'E_BAD_INPUT',
        `cannot render step ${step} of profile "${profile.name}": no value for {${name}} (used at ${where})`,
        { hint: `pass ${name} in the step's variables` },
      );
    }
    return String(value);
  };
}

function renderDaemon(
  profile: Profile,
  step: StepName,
  spec: NonNullable<CommandSpec['daemon']>,
  values: Record<string, VarValue>,
  path: string,
  timeoutMs: number,
): NonNullable<CommandOptions['daemon']> {
  const portText =
    typeof spec.port === 'number'
      ? String(spec.port)
      : substitute(spec.port, placeholderLookup(profile, step, values, `${path}/daemon/port`));
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new VpcError(
      'E_BAD_INPUT',
      `cannot render step ${step} of profile "${profile.name}": daemon port at ${path}/daemon/port is ${JSON.stringify(portText)}, not a TCP port`,
      { hint: 'give a number such as 80 or "{port}"' },
    );
  }
  const hostTemplate =
    spec.host ?? (allowedPlaceholders(step).includes('address') ? '{address}' : '127.0.0.1');
  const host = substitute(hostTemplate, placeholderLookup(profile, step, values, `${path}/daemon/host`));
  return { port, host, readyMs: spec.readyMs ?? timeoutMs };
}

/**
 * The command(s) for one lab step with every placeholder filled in. `vars`
 * gives the step's values; `dir`, `wan` and the bridge names are derived when
 * left out, and subnet names go through the profile's `subnetName`. A
 * placeholder without a value throws VpcError E_BAD_INPUT.
 */
export function renderStep<S extends StepName>(
  profile: Profile,
  step: S,
  vars: StepVars<S>,
  options: RenderOptions,
): RenderedStep {
  const given = vars as Vars;
  const { template, at } = selectTemplate(profile, step, given);
  if (template === undefined) return { kind: 'nothing' };
  if (template === null) {
    return {
      kind: 'unsupported',
      reason: `profile "${profile.name}" marks step ${step} as unsupported (null at ${at})`,
    };
  }
  if (template === 'harness') return { kind: 'harness', timeoutMs: stepTimeoutMs(profile, step) };
  if (isImplied(template as AnyTemplate)) {
    const by = (template as ImpliedTemplate).impliedBy;
    return {
      kind: 'nothing',
      impliedBy: by,
      reason: `profile "${profile.name}": step ${by} already does ${step} (impliedBy at ${at}); the target has no command of its own for it`,
    };
  }
  const spec = template as ArgvTemplate | CommandSpec | CommandTemplate[];
  if (Array.isArray(spec) && spec.length === 0) return { kind: 'nothing' };

  const values = {
    ...derivedValues(profile, given, options),
    ...definedOnly(withSubnetNames(profile, step, given)),
  };
  const isList = Array.isArray(spec) && (Array.isArray(spec[0]) || isCommandSpec(spec[0]));
  const list = (isList ? spec : [spec]) as CommandTemplate[];
  const prefix = renderInvocation(profile, options).command;
  const timeoutMs = stepTimeoutMs(profile, step);
  const commands = list.map((entry, i) => {
    const path = isList ? `${at}/${i}` : at;
    const command = isCommandSpec(entry) ? entry : undefined;
    const argv = command ? command.argv : (entry as ArgvTemplate);
    const argvPath = command ? `${path}/argv` : path;
    const raw = argv[0] === RAW_MARKER;
    const body = raw ? argv.slice(1) : argv;
    const offset = raw ? 1 : 0;
    const rendered = body.map((element, j) =>
      substitute(element, placeholderLookup(profile, step, values, `${argvPath}/${j + offset}`)),
    );
    const full: RenderedCommand = raw ? rendered : [...prefix, ...rendered];
    if (command?.allowFail) full.allowFail = true;
    if (command?.daemon) full.daemon = renderDaemon(profile, step, command.daemon, values, path, timeoutMs);
    return full;
  });
  return { kind: 'commands', commands, timeoutMs };
}

/**
 * Why a bad-input check cannot be put to this target, or undefined when it
 * can: `badVars` are the placeholders that carry the bad value. A check is
 * inexpressible when the profile says the tool chooses subnet CIDRs itself
 * (`subnetCidrs`), or when the step's command never passes any of them.
 */
export function inexpressibleCheck(
  profile: Profile,
  step: StepName,
  vars: Readonly<Record<string, VarValue>>,
  badVars: readonly string[],
): string | undefined {
  if (step === 'addSubnet' && profile.subnetCidrs !== 'lab' && badVars.includes('cidr')) {
    return `profile "${profile.name}" says the tool chooses subnet CIDRs itself (subnetCidrs: "${profile.subnetCidrs}"): a subnet CIDR cannot be given to it`;
  }
  const { template } = selectTemplate(profile, step, vars);
  if (template === undefined || template === null || template === 'harness') return undefined;
  if (isImplied(template as AnyTemplate)) return undefined;
  const spec = template as ArgvTemplate | CommandSpec | CommandTemplate[];
  if (Array.isArray(spec) && spec.length === 0) return undefined;
  const isList = Array.isArray(spec) && (Array.isArray(spec[0]) || isCommandSpec(spec[0]));
  const list = (isList ? spec : [spec]) as CommandTemplate[];
  const used = new Set(
    list.flatMap((entry) => (isCommandSpec(entry) ? entry.argv : entry)).flatMap((e) => placeholdersOf(e)),
  );
  if (badVars.some((name) => used.has(name))) return undefined;
  return `profile "${profile.name}": step ${step} never passes ${badVars.map((n) => `{${n}}`).join(' or ')} to the tool, so this bad value cannot be given to it`;
}

function definedOnly(vars: Readonly<Record<string, VarValue | undefined>>): Record<string, VarValue> {
  return Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined)) as Record<
    string,
    VarValue
  >;
}

function derivedValues(
  profile: Profile,
  vars: Readonly<Record<string, VarValue | undefined>>,
  options: RenderOptions,
): Record<string, VarValue> {
  const derived: Record<string, VarValue> = { dir: options.dir, wan: profile.wan };
  const bridges = { bridge: 'vpc', bridgeA: 'vpcA', bridgeB: 'vpcB' } as const;
  for (const [bridge, vpcVar] of Object.entries(bridges)) {
    const vpc = vars[vpcVar];
    if (vpc !== undefined) derived[bridge] = bridgeNameFor(profile, String(vpc));
  }
  return derived;
}

// ---------------------------------------------------------------------------
// Policy files

function policyValues(profile: Profile, policy: LabPolicy): Record<string, VarValue> {
  const subnet = subnetNameFor(profile, policy.vpc, policy.type ?? 'public', policy.subnet);
  return { vpc: policy.vpc, subnet, cidr: policy.cidr, ...policyPortVars(policy) };
}

function ruleValues(profile: Profile, rule: IngressRule): Record<string, VarValue> {
  const map = profile.policy.format === 'seed-json' ? undefined : profile.policy.map;
  return {
    port: rule.port,
    protocol: map?.protocol?.[rule.protocol] ?? rule.protocol,
    action: map?.action?.[rule.action] ?? rule.action,
  };
}

function lookupIn(profile: Profile, values: Record<string, VarValue>, where: string) {
  return (name: string): string => {
    const value = values[name];
    if (value === undefined) {
      throw new VpcError('E_SCHEMA', `profile "${profile.name}": {${name}} has no value in ${where}`);
    }
    return String(value);
  };
}

function matchesWhere(rule: IngressRule, where: unknown): boolean {
  if (typeof where !== 'object' || where === null) return true;
  const w = where as { action?: string; protocol?: string };
  return (
    (w.action === undefined || w.action === rule.action) &&
    (w.protocol === undefined || w.protocol === rule.protocol)
  );
}

function renderJson(
  profile: Profile,
  node: JsonValue,
  values: Record<string, VarValue>,
  policy: LabPolicy,
  inRule: boolean,
): JsonValue {
  const lookup = lookupIn(profile, values, inRule ? 'a per-rule template' : 'the policy template');
  if (typeof node === 'string') {
    // A string that is exactly one placeholder keeps the value's type: "{port}" -> 80.
    const sole = solePlaceholder(node);
    if (sole !== undefined && typeof values[sole] === 'number') return values[sole];
    return substitute(node, lookup);
  }
  if (Array.isArray(node)) {
    return node.flatMap((item) => {
      const rendered = renderJson(profile, item, values, policy, inRule);
      // `{"$forEachRule": ...}` inside an array adds its items to that array.
      return isForEachRule(item) && Array.isArray(rendered) ? rendered : [rendered];
    });
  }
  if (node !== null && typeof node === 'object') {
    if (isForEachRule(node)) {
      return policy.ingress
        .filter((rule) => matchesWhere(rule, node.$where))
        .map((rule) =>
          renderJson(
            profile,
            node.$forEachRule as JsonValue,
            { ...values, ...ruleValues(profile, rule) },
            policy,
            true,
          ),
        );
    }
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        substitute(k, lookup),
        renderJson(profile, v, values, policy, inRule),
      ]),
    );
  }
  return node;
}

function isForEachRule(node: JsonValue): node is { $forEachRule: JsonValue; $where?: JsonValue } {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && '$forEachRule' in node;
}

export const DEFAULT_TEXT_RULE = '{action} {protocol} {port}';

/**
 * The policy file's content in the target's format (profile.policy), from the
 * lab's policy. The runner writes it as `profile.policy.fileName` and passes
 * its path as `{policyFile}`.
 */
export function renderPolicy(profile: Profile, policy: LabPolicy): string {
  const spec = profile.policy;
  switch (spec.format) {
    case 'seed-json': {
      const seed = {
        subnet: policy.cidr,
        ingress: policy.ingress.map((r) => ({ port: r.port, protocol: r.protocol, action: r.action })),
      };
      return `${JSON.stringify(seed, null, 2)}\n`;
    }
    case 'template': {
      const value = renderJson(profile, spec.template, policyValues(profile, policy), policy, false);
      return spec.output === 'yaml' ? toYaml(value) : `${JSON.stringify(value, null, 2)}\n`;
    }
    case 'text': {
      const ruleTemplate = spec.rule ?? DEFAULT_TEXT_RULE;
      const rules = policy.ingress
        .map((rule) =>
          substitute(
            ruleTemplate,
            lookupIn(
              profile,
              { ...policyValues(profile, policy), ...ruleValues(profile, rule) },
              'the rule template',
            ),
          ),
        )
        .join(spec.separator ?? '\n');
      const text = substitute(
        spec.template,
        lookupIn(profile, { ...policyValues(profile, policy), rules }, 'the policy template'),
      );
      return text.endsWith('\n') ? text : `${text}\n`;
    }
  }
}
