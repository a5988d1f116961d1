import { parseTemplate } from './placeholders.js';
import { type Problem, quoteList, showValue } from './problems.js';
import {
  allowedPlaceholders,
  BRIDGE_NAME_PLACEHOLDERS,
  COMMAND_PLACEHOLDERS,
  isGlobalStep,
  isOptionalStep,
  isStepName,
  LAB_VPCS,
  POLICY_PLACEHOLDERS,
  RULE_PLACEHOLDERS,
  type StepName,
  SUBNET_NAME_PLACEHOLDERS,
  TEXT_POLICY_PLACEHOLDERS,
} from './steps.js';
import { didYouMean } from './suggest.js';
import { RAW_MARKER } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const braces = (names: readonly string[]) => names.map((n) => `{${n}}`).join(', ');

/**
 * The checks JSON Schema cannot express: the placeholders each template may
 * use and their syntax, the raw marker, the policy template's directives.
 * Runs on the raw JSON whether or not it passed the schema, and looks only at
 * the parts that have the right shape, so both passes can report together.
 */
class TemplateChecker {
  readonly problems: Problem[] = [];

  /** One template string: syntax, then every placeholder against `allowed`. */
  text(path: string, template: string, allowed: readonly string[], where: string, hints: Hints = {}): void {
    const { segments, problem } = parseTemplate(template);
    if (problem) {
      this.problems.push({
        path,
        problem: problem.message,
        got: showValue(template),
        expected: 'placeholders written {name}; write {{ or }} for a literal brace',
      });
      return;
    }
    for (const segment of segments) {
      if (!('placeholder' in segment)) continue;
      const name = segment.placeholder;
      if (allowed.includes(name)) continue;
      const hint = hints[name];
      const suggestion = hint ? undefined : didYouMean(name, allowed);
      this.problems.push({
        path,
        problem: hint ?? `placeholder {${name}} is not available in ${where}`,
        got: showValue(template),
        expected:
          allowed.length === 0
            ? 'no placeholders here'
            : `one of ${braces(allowed)}${suggestion ? `; did you mean {${suggestion}}?` : ''}`,
      });
    }
  }

  /** The profile's `command`: `{dir}` only, and no raw marker. */
  command(argv: readonly unknown[]): void {
    if (argv[0] === RAW_MARKER) {
      this.problems.push({
        path: '/command/0',
        problem: `the raw marker "${RAW_MARKER}" has no meaning in "command"`,
        got: showValue(argv),
        expected: 'the program that runs the target, e.g. "{dir}/bin/vpcctl" or "python3"',
      });
    }
    argv.forEach((element, i) => {
      if (typeof element === 'string') this.text(`/command/${i}`, element, COMMAND_PLACEHOLDERS, '"command"');
    });
  }

  /** One argv template of a step. */
  argv(path: string, argv: readonly unknown[], allowed: readonly string[], where: string): void {
    if (argv[0] === RAW_MARKER && argv.length === 1) {
      this.problems.push({
        path: `${path}/0`,
        problem: `the raw marker "${RAW_MARKER}" is not followed by a program`,
        got: showValue(argv),
        expected: `["${RAW_MARKER}", "program", "arg", ...] (a raw command run without the target's prefix)`,
      });
    }
    argv.forEach((element, i) => {
      if (typeof element === 'string') this.text(`${path}/${i}`, element, allowed, where);
    });
  }

  step(path: string, step: StepName, value: unknown, steps: Record<string, unknown>, inVpc = false): void {
    if (isObject(value)) {
      this.stepObject(path, step, value, steps, inVpc);
      return;
    }
    if (!Array.isArray(value) || value.length === 0) return;
    const allowed = allowedPlaceholders(step);
    const where = `step "${step}"`;
    if (Array.isArray(value[0]) || isObject(value[0])) {
      value.forEach((entry, i) => {
        if (Array.isArray(entry)) this.argv(`${path}/${i}`, entry, allowed, where);
        else if (isObject(entry)) this.commandSpec(`${path}/${i}`, step, entry);
      });
    } else {
      this.argv(path, value, allowed, where);
    }
  }

  /** A command object: its argv and its daemon's templates. */
  commandSpec(path: string, step: StepName, value: Record<string, unknown>): void {
    const allowed = allowedPlaceholders(step);
    const where = `step "${step}"`;
    if (Array.isArray(value.argv)) this.argv(`${path}/argv`, value.argv, allowed, where);
    if (value.allowFail !== undefined && value.daemon !== undefined) {
      this.problems.push({
        path: `${path}/allowFail`,
        problem: 'a daemon cannot also be allowed to fail',
        got: showValue(value.allowFail),
        expected: 'either "allowFail" or "daemon" (a daemon that does not answer fails the step)',
      });
    }
    const daemon = value.daemon;
    if (isObject(daemon)) {
      if (typeof daemon.port === 'string') this.text(`${path}/daemon/port`, daemon.port, allowed, where);
      if (typeof daemon.host === 'string') this.text(`${path}/daemon/host`, daemon.host, allowed, where);
    }
  }

  /** `{"argv": ...}`, `{"impliedBy": ...}`, `{"byVpc": ..., "default": ...}` or `{"public", "private"}`. */
  stepObject(
    path: string,
    step: StepName,
    value: Record<string, unknown>,
    steps: Record<string, unknown>,
    inVpc: boolean,
  ): void {
    const forms = (['argv', 'impliedBy', 'byVpc', 'public'] as const).filter(
      (k) => k in value || (k === 'public' && 'private' in value),
    );
    const formKeys = {
      argv: ['argv', 'allowFail', 'daemon'],
      impliedBy: ['impliedBy'],
      byVpc: ['byVpc', 'default'],
      public: ['public', 'private'],
    };
    if (forms.length > 1) {
      this.problems.push({
        path,
        problem: `one step value cannot be several forms at once (${forms.map((f) => `"${f}"`).join(' and ')})`,
        got: showValue(value),
        expected:
          'one of {"argv": ...}, {"impliedBy": step}, {"byVpc": {...}, "default": ...} or, for addSubnet, {"public": ..., "private": ...}',
      });
      return;
    }
    const form = forms[0];
    if (form === undefined) return; // the schema reports the unknown keys
    for (const key of Object.keys(value)) {
      if (!formKeys[form].includes(key)) {
        this.problems.push({
          path: `${path}/${key}`,
          problem: `"${key}" has no meaning beside "${form}"`,
          got: showValue(value[key]),
          expected: `only ${quoteList(formKeys[form])} in this object`,
        });
      }
    }
    if (form === 'argv') this.commandSpec(path, step, value);
    else if (form === 'public') this.byType(path, step, value, steps, inVpc);
    else if (form === 'impliedBy') this.implied(path, step, value.impliedBy, steps);
    else this.byVpc(path, step, value, steps, inVpc);
  }

  byType(
    path: string,
    step: StepName,
    value: Record<string, unknown>,
    steps: Record<string, unknown>,
    inVpc: boolean,
  ): void {
    if (step !== 'addSubnet') return; // the schema reports "public"/"private" as unknown keys
    for (const type of ['public', 'private'] as const) {
      if (!(type in value)) {
        this.problems.push({
          path: `${path}/${type}`,
          problem: `missing required key "${type}"`,
          got: 'nothing',
          expected: 'a value for each subnet type: {"public": <step>, "private": <step>}',
        });
      } else if (isObject(value[type]) && 'public' in (value[type] as object)) {
        this.problems.push({
          path: `${path}/${type}`,
          problem: 'a value per subnet type inside another one',
          got: showValue(value[type]),
          expected: 'one level of {"public": ..., "private": ...}',
        });
      } else this.step(`${path}/${type}`, step, value[type], steps, inVpc);
    }
  }

  implied(path: string, step: StepName, by: unknown, steps: Record<string, unknown>): void {
    if (typeof by !== 'string' || !isStepName(by)) return; // the schema reports it, with the step names
    const at = `${path}/impliedBy`;
    if (isOptionalStep(step)) return; // the schema has no impliedBy for optional steps
    if (by === step) {
      this.problems.push({
        path: at,
        problem: 'a step cannot be implied by itself',
        got: showValue(by),
        expected: 'another step, e.g. "peerVpcs"',
      });
    } else if (steps[by] === null || (steps[by] === undefined && isOptionalStep(by))) {
      this.problems.push({
        path: at,
        problem: `step "${by}" does nothing in this profile, so it cannot do "${step}"'s work`,
        got: showValue(by),
        expected: `a step that runs a command (or mark "${step}" null: unsupported)`,
      });
    } else if (isObject(steps[by]) && 'impliedBy' in (steps[by] as object)) {
      this.problems.push({
        path: at,
        problem: `step "${by}" is itself implied by another step`,
        got: showValue(by),
        expected: 'the step that really does the work',
      });
    }
  }

  byVpc(
    path: string,
    step: StepName,
    value: Record<string, unknown>,
    steps: Record<string, unknown>,
    inVpc: boolean,
  ): void {
    if (isGlobalStep(step)) {
      this.problems.push({
        path: `${path}/byVpc`,
        problem: `step "${step}" runs once for the whole lab, not per VPC`,
        got: showValue(value.byVpc),
        expected: 'one value for the step',
      });
      return;
    }
    if (inVpc) {
      this.problems.push({
        path: `${path}/byVpc`,
        problem: '"byVpc" inside another "byVpc"',
        got: showValue(value.byVpc),
        expected: 'one level of "byVpc"',
      });
      return;
    }
    if (!('default' in value)) {
      this.problems.push({
        path: `${path}/default`,
        problem: 'missing required key "default"',
        got: 'nothing',
        expected: `the value for every other VPC (the lab also creates VPCs for its bad-input checks), beside "byVpc"`,
      });
    } else this.step(`${path}/default`, step, value.default, steps, true);
    if (!isObject(value.byVpc)) return;
    for (const [vpc, entry] of Object.entries(value.byVpc)) {
      const at = `${path}/byVpc/${vpc.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (!(LAB_VPCS as readonly string[]).includes(vpc)) {
        const suggestion = didYouMean(vpc, LAB_VPCS);
        this.problems.push({
          path: at,
          problem: `"${vpc}" is not a VPC of the lab`,
          got: showValue(entry),
          expected: `one of ${quoteList(LAB_VPCS)}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
        });
        continue;
      }
      this.step(at, step, entry, steps, true);
    }
  }

  /** `subnetName`: its placeholders, and names a target can use for the lab's VPCs. */
  subnetName(path: string, template: string): void {
    const before = this.problems.length;
    this.text(path, template, SUBNET_NAME_PLACEHOLDERS, '"subnetName"');
    if (this.problems.length > before) return;
    for (const vpc of LAB_VPCS) {
      for (const type of ['public', 'private'] as const) {
        const name = renderName(template, {
          vpc,
          type,
          n: vpc.replace(/^\D*/, '') || '0',
          name: `${type}sub`,
        });
        if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(name)) {
          this.problems.push({
            path,
            problem: `gives the name "${name}" to ${vpc}'s ${type} subnet`,
            got: showValue(template),
            expected: 'names of at most 15 letters, digits, ".", "_" or "-", starting with a letter or digit',
          });
          return;
        }
      }
    }
  }

  policy(policy: Record<string, unknown>): void {
    const ruleOnly: Hints = Object.fromEntries(
      RULE_PLACEHOLDERS.map((n) => [n, `placeholder {${n}} is only available inside a per-rule template`]),
    );
    if (policy.format === 'text') {
      if (typeof policy.template === 'string') {
        this.text(
          '/policy/template',
          policy.template,
          [...POLICY_PLACEHOLDERS, ...TEXT_POLICY_PLACEHOLDERS],
          'the policy template',
          ruleOnly,
        );
      }
      if (typeof policy.rule === 'string') {
        this.text(
          '/policy/rule',
          policy.rule,
          [...POLICY_PLACEHOLDERS, ...RULE_PLACEHOLDERS],
          'a rule template',
          {
            rules: 'placeholder {rules} is only available in the policy template, not in the rule',
          },
        );
      }
    } else if (policy.format === 'template' && 'template' in policy) {
      this.json('/policy/template', policy.template, false, ruleOnly);
    }
  }

  /** A JSON policy template: placeholders in strings (and keys), `$forEachRule` / `$where` directives. */
  json(path: string, node: unknown, inRule: boolean, ruleOnly: Hints): void {
    const allowed = inRule ? [...POLICY_PLACEHOLDERS, ...RULE_PLACEHOLDERS] : [...POLICY_PLACEHOLDERS];
    const where = inRule ? 'a per-rule template' : 'the policy template';
    if (typeof node === 'string') {
      this.text(path, node, allowed, where, inRule ? {} : ruleOnly);
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => {
        this.json(`${path}/${i}`, item, inRule, ruleOnly);
      });
    } else if (isObject(node)) {
      if ('$forEachRule' in node) {
        this.forEachRule(path, node, inRule, ruleOnly);
        return;
      }
      for (const [key, value] of Object.entries(node)) {
        const keyPath = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        if (key.startsWith('$')) {
          const suggestion = didYouMean(key, ['$forEachRule']);
          this.problems.push({
            path: keyPath,
            problem: `unknown directive "${key}"`,
            got: showValue(value),
            expected: `"$forEachRule" (with an optional "$where")${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
          });
          continue;
        }
        this.text(keyPath, key, allowed, `a key of ${where}`, inRule ? {} : ruleOnly);
        this.json(keyPath, value, inRule, ruleOnly);
      }
    }
  }

  forEachRule(path: string, node: Record<string, unknown>, inRule: boolean, ruleOnly: Hints): void {
    if (inRule) {
      this.problems.push({
        path: `${path}/$forEachRule`,
        problem: '"$forEachRule" inside another "$forEachRule"',
        got: showValue(node.$forEachRule),
        expected: 'one level of "$forEachRule"',
      });
      return;
    }
    for (const key of Object.keys(node)) {
      if (key !== '$forEachRule' && key !== '$where') {
        this.problems.push({
          path: `${path}/${key}`,
          problem: `unexpected key "${key}" beside "$forEachRule"`,
          got: showValue(node[key]),
          expected: 'only "$forEachRule" and "$where" in this object',
        });
      }
    }
    if ('$where' in node) this.where(`${path}/$where`, node.$where);
    this.json(`${path}/$forEachRule`, node.$forEachRule, true, ruleOnly);
  }

  where(path: string, where: unknown): void {
    const expected = 'an object such as {"action": "allow"} or {"protocol": "tcp"}';
    if (!isObject(where)) {
      this.problems.push({ path, problem: 'wrong type', got: showValue(where), expected });
      return;
    }
    for (const [key, value] of Object.entries(where)) {
      if (key === 'action' && (value === 'allow' || value === 'deny')) continue;
      if (key === 'protocol' && typeof value === 'string') continue;
      const known = key === 'action' || key === 'protocol';
      this.problems.push({
        path: `${path}/${key}`,
        problem: known ? 'invalid value' : `unknown key "${key}"`,
        got: showValue(value),
        expected:
          key === 'action'
            ? '"allow" or "deny"'
            : key === 'protocol'
              ? 'a protocol name such as "tcp"'
              : expected,
      });
    }
  }
}

function renderName(template: string, values: Record<string, string>): string {
  return parseTemplate(template)
    .segments.map((s) => ('placeholder' in s ? (values[s.placeholder] ?? '') : s.text))
    .join('');
}

/** Checks between fields: subnet names that collide, CIDRs the tool picks, state paths already private. */
function crossChecks(data: Record<string, unknown>, check: TemplateChecker): void {
  const name = data.subnetName;
  if (isObject(name) && typeof name.public === 'string' && typeof name.private === 'string') {
    for (const vpc of LAB_VPCS) {
      const values = (type: string) => ({ vpc, type, n: vpc.replace(/^\D*/, '') || '0', name: `${type}sub` });
      if (renderName(name.public, values('public')) === renderName(name.private, values('private'))) {
        check.problems.push({
          path: '/subnetName',
          problem: `gives ${vpc}'s public and private subnets the same name`,
          got: showValue(name),
          expected: 'a different name per type (use {type}, or different templates)',
        });
        break;
      }
    }
  } else if (
    typeof name === 'string' &&
    !placeholdersOfText(name).includes('type') &&
    !placeholdersOfText(name).includes('name')
  ) {
    check.problems.push({
      path: '/subnetName',
      problem: "one template without {type} or {name} gives a VPC's two subnets the same name",
      got: showValue(name),
      expected: 'a template with {type} (e.g. "{type}{n}") or {"public": ..., "private": ...}',
    });
  }
  const steps = isObject(data.steps) ? data.steps : {};
  if (data.subnetCidrs === 'tool-by-type' || data.subnetCidrs === 'tool-by-order') {
    const uses = JSON.stringify(steps.addSubnet ?? null).includes('{cidr}');
    if (uses) {
      check.problems.push({
        path: '/steps/addSubnet',
        problem: `passes {cidr} although subnetCidrs says the tool picks subnet CIDRs itself ("${data.subnetCidrs}")`,
        got: showValue(steps.addSubnet),
        expected: 'addSubnet without {cidr}, or subnetCidrs "lab"',
      });
    }
  }
  if (Array.isArray(data.statePaths)) {
    data.statePaths.forEach((entry, i) => {
      const path = typeof entry === 'string' ? entry : isObject(entry) ? entry.path : undefined;
      if (isObject(entry) && typeof entry.from === 'string') {
        check.text(`/statePaths/${i}/from`, entry.from, COMMAND_PLACEHOLDERS, '"statePaths"');
      }
      if (typeof path !== 'string') return;
      const root = PRIVATE_ROOTS.find((r) => path === r || path.startsWith(`${r}/`));
      if (root && !(isObject(entry) && entry.from !== undefined)) {
        check.problems.push({
          path: typeof entry === 'string' ? `/statePaths/${i}` : `/statePaths/${i}/path`,
          problem: `${root} is already private per run in the sandbox`,
          got: showValue(path),
          expected: 'a path outside /tmp, /etc, /var/lib, /var/log, /run and HOME (those need no entry)',
        });
      }
    });
  }
}

/** The trees the sandbox already replaces with private views (lab/sandbox/pid1.sh). */
const PRIVATE_ROOTS = ['/tmp', '/etc', '/var/lib', '/var/log', '/run', '/var/run'];

function placeholdersOfText(template: string): string[] {
  return parseTemplate(template).segments.flatMap((s) => ('placeholder' in s ? [s.placeholder] : []));
}

type Hints = Record<string, string>;

export function checkTemplates(data: unknown): Problem[] {
  const check = new TemplateChecker();
  if (!isObject(data)) return check.problems;
  if (Array.isArray(data.command)) check.command(data.command);
  if (typeof data.cwd === 'string') check.text('/cwd', data.cwd, COMMAND_PLACEHOLDERS, '"cwd"');
  if (isObject(data.env)) {
    for (const [name, value] of Object.entries(data.env)) {
      if (typeof value === 'string') check.text(`/env/${name}`, value, COMMAND_PLACEHOLDERS, '"env"');
    }
  }
  if (typeof data.bridgeName === 'string') {
    check.text('/bridgeName', data.bridgeName, BRIDGE_NAME_PLACEHOLDERS, '"bridgeName"');
  }
  if (typeof data.subnetName === 'string') check.subnetName('/subnetName', data.subnetName);
  if (isObject(data.subnetName)) {
    for (const type of ['public', 'private']) {
      const template = data.subnetName[type];
      if (typeof template === 'string') check.subnetName(`/subnetName/${type}`, template);
    }
  }
  if (isObject(data.steps)) {
    const steps = data.steps;
    for (const [name, value] of Object.entries(steps)) {
      if (isStepName(name)) check.step(`/steps/${name}`, name, value, steps);
    }
  }
  crossChecks(data, check);
  if (isObject(data.policy)) check.policy(data.policy);
  return check.problems;
}
