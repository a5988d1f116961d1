import { parseTemplate } from './placeholders.js';
import { type Problem, showValue } from './problems.js';
import {
  allowedPlaceholders,
  BRIDGE_NAME_PLACEHOLDERS,
  COMMAND_PLACEHOLDERS,
  isStepName,
  POLICY_PLACEHOLDERS,
  RULE_PLACEHOLDERS,
  type StepName,
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

  step(path: string, step: StepName, value: unknown): void {
    if (step === 'addSubnet' && isObject(value)) {
      for (const type of ['public', 'private'] as const) {
        if (type in value) this.step(`${path}/${type}`, step, value[type]);
      }
      return;
    }
    if (!Array.isArray(value) || value.length === 0) return;
    const allowed = allowedPlaceholders(step);
    const where = `step "${step}"`;
    if (Array.isArray(value[0])) {
      value.forEach((argv, i) => {
        if (Array.isArray(argv)) this.argv(`${path}/${i}`, argv, allowed, where);
      });
    } else {
      this.argv(path, value, allowed, where);
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
  if (isObject(data.steps)) {
    for (const [name, value] of Object.entries(data.steps)) {
      if (isStepName(name)) check.step(`/steps/${name}`, name, value);
    }
  }
  if (isObject(data.policy)) check.policy(data.policy);
  return check.problems;
}
