import { stringify as toYaml } from 'yaml';
import { VpcError } from '../util/errors.js';
import { solePlaceholder, substitute } from './placeholders.js';
import { allowedPlaceholders, type StepName, type StepVars, type VarValue } from './steps.js';
import {
  type ByTypeTemplate,
  type IngressRule,
  type JsonValue,
  type LabPolicy,
  type Profile,
  RAW_MARKER,
  type StepTemplate,
} from './types.js';

/** What the runner does for a step. Nothing here runs anything. */
export type RenderedStep =
  /** Run these argv in order (the target's prefix already applied), each with `timeoutMs`. */
  | { kind: 'commands'; commands: string[][]; timeoutMs: number }
  /** The profile says `null`: criteria that need this step are `not-run` with `reason`. */
  | { kind: 'unsupported'; reason: string }
  /** The harness does the step itself (e.g. starts the HTTP server), within `timeoutMs`. */
  | { kind: 'harness'; timeoutMs: number }
  /** `[]` (or an optional step left out): another step already did it. */
  | { kind: 'nothing' };

export interface RenderOptions {
  /** The target's directory: the value of `{dir}`. */
  dir: string;
}

function isByType(template: StepTemplate | ByTypeTemplate): template is ByTypeTemplate {
  return typeof template === 'object' && template !== null && !Array.isArray(template);
}

/** The bridge name the target gives a VPC, from the profile's `bridgeName` template. */
export function bridgeNameFor(profile: Profile, vpc: string): string {
  return substitute(profile.bridgeName, (name) => {
    if (name === 'vpc') return vpc;
    throw new VpcError('E_SCHEMA', `profile "${profile.name}": bridgeName may only use {vpc}, not {${name}}`);
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

/**
 * The command(s) for one lab step with every placeholder filled in. `vars`
 * gives the step's values; `dir`, `wan` and the bridge names are derived when
 * left out. A placeholder without a value throws VpcError E_BAD_INPUT.
 */
export function renderStep<S extends StepName>(
  profile: Profile,
  step: S,
  vars: StepVars<S>,
  options: RenderOptions,
): RenderedStep {
  const given = vars as Readonly<Record<string, VarValue | undefined>>;
  let template = profile.steps[step] as StepTemplate | ByTypeTemplate | undefined;
  let at = `/steps/${step}`;
  if (template === undefined) return { kind: 'nothing' };
  if (isByType(template)) {
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
  }
  if (template === null) {
    return {
      kind: 'unsupported',
      reason: `profile "${profile.name}" marks step ${step} as unsupported (null at ${at})`,
    };
  }
  if (template === 'harness') return { kind: 'harness', timeoutMs: stepTimeoutMs(profile, step) };
  if (template.length === 0) return { kind: 'nothing' };

  const values = { ...derivedValues(profile, given, options), ...definedOnly(given) };
  const allowed = allowedPlaceholders(step);
  const isList = Array.isArray(template[0]);
  const list = (isList ? template : [template]) as string[][];
  const prefix = renderInvocation(profile, options).command;
  const commands = list.map((argv, i) => {
    const path = isList ? `${at}/${i}` : at;
    const raw = argv[0] === RAW_MARKER;
    const body = raw ? argv.slice(1) : argv;
    const offset = raw ? 1 : 0;
    const rendered = body.map((element, j) =>
      substitute(element, (name) => {
        const where = `${path}/${j + offset}`;
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
      }),
    );
    return raw ? rendered : [...prefix, ...rendered];
  });
  return { kind: 'commands', commands, timeoutMs: stepTimeoutMs(profile, step) };
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

function policyValues(policy: LabPolicy): Record<string, VarValue> {
  return { vpc: policy.vpc, subnet: policy.subnet, cidr: policy.cidr, ...policyPortVars(policy) };
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
      const value = renderJson(profile, spec.template, policyValues(policy), policy, false);
      return spec.output === 'yaml' ? toYaml(value) : `${JSON.stringify(value, null, 2)}\n`;
    }
    case 'text': {
      const ruleTemplate = spec.rule ?? DEFAULT_TEXT_RULE;
      const rules = policy.ingress
        .map((rule) =>
          substitute(
            ruleTemplate,
            lookupIn(profile, { ...policyValues(policy), ...ruleValues(profile, rule) }, 'the rule template'),
          ),
        )
        .join(spec.separator ?? '\n');
      const text = substitute(
        spec.template,
        lookupIn(profile, { ...policyValues(policy), rules }, 'the policy template'),
      );
      return text.endsWith('\n') ? text : `${text}\n`;
    }
  }
}
