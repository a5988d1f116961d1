import { describe, expect, it } from 'vitest';
import { validateProfile } from '../../../src/profiles/load.js';
import { minimalProfile, problemLines } from './fixtures.js';

function withSteps(steps: Record<string, unknown>): Record<string, unknown> {
  const profile = minimalProfile();
  return { ...profile, steps: { ...(profile.steps as object), ...steps } };
}

const STEP_EXPECTED =
  'expected an argv template (array of strings), a list of them, [] (nothing to do) or null (unsupported); "harness" is only for deployHttp';

describe('validateProfile', () => {
  it('accepts a minimal profile and fills in the defaults', () => {
    const profile = validateProfile(minimalProfile(), 'tool.json');
    expect(profile).toMatchObject({
      name: 'tool',
      source: 'tool.json',
      wan: 'eth0',
      bridgeName: 'br-{vpc}',
      env: {},
      cwd: undefined,
      timeouts: { defaultMs: 60_000, steps: {} },
      policy: { format: 'seed-json', fileName: 'policy.json' },
      notes: [],
    });
    expect(profile.steps.setup).toEqual([]);
    expect(profile.steps.teardownAll).toEqual([]);
  });

  it('throws E_SCHEMA with a header counting the problems and a hint', () => {
    try {
      validateProfile({ ...minimalProfile(), name: 5 }, 'tool.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_SCHEMA', hint: expect.stringContaining('docs/profiles.md') });
      expect((error as Error).message.split('\n')[0]).toBe('profile tool.json has 1 problem:');
    }
  });

  it('names the path, the bad value and the expectation for a wrong type', () => {
    expect(problemLines(() => validateProfile(withSteps({ allowCidr: 5 }), 'tool.json'))).toEqual([
      `tool.json: /steps/allowCidr: wrong type (got 5), ${STEP_EXPECTED}`,
    ]);
    expect(problemLines(() => validateProfile(withSteps({ createVpc: ['create', 7] }), 'tool.json'))).toEqual(
      ['tool.json: /steps/createVpc/1: wrong type (got 7), expected a string (one argv element)'],
    );
    expect(
      problemLines(() => validateProfile({ ...minimalProfile(), timeouts: { defaultMs: '30s' } }, 'p.json')),
    ).toEqual([
      'p.json: /timeouts/defaultMs: wrong type (got "30s"), expected a whole number of milliseconds between 1 and 3600000',
    ]);
  });

  it('points at the element of a list of commands that is not a command', () => {
    expect(
      problemLines(() => validateProfile(withSteps({ peerVpcs: [['peer', '{vpcA}'], 'oops'] }), 't')),
    ).toEqual([
      't: /steps/peerVpcs/1: wrong type (got "oops"), expected a non-empty argv template (array of strings)',
    ]);
    expect(problemLines(() => validateProfile(withSteps({ peerVpcs: [['peer'], []] }), 't'))).toEqual([
      't: /steps/peerVpcs/1: must NOT have fewer than 1 items (got []), expected a non-empty argv template (array of strings)',
    ]);
  });

  it('reports a missing command with what it should look like', () => {
    const { command: _, ...profile } = minimalProfile();
    expect(problemLines(() => validateProfile(profile, 'tool.json'))).toEqual([
      'tool.json: /command: missing required key "command" (got nothing), expected the argv prefix that runs the target, e.g. ["{dir}/bin/vpcctl"] or ["python3", "{dir}/vpcctl.py"]',
    ]);
  });

  it('reports a missing step and says null and [] are the ways to leave it out', () => {
    const profile = minimalProfile();
    const { inspect: _, ...steps } = profile.steps as Record<string, unknown>;
    expect(problemLines(() => validateProfile({ ...profile, steps }, 'tool.json'))).toEqual([
      'tool.json: /steps/inspect: missing step "inspect" (got nothing), expected the step\'s command: an argv template (array of strings), a list of them, [] (nothing to do), {"impliedBy": step}, {"byVpc": ...} or null (unsupported)',
    ]);
  });

  it('reports an unknown step with the known ones', () => {
    const lines = problemLines(() => validateProfile(withSteps({ frobnicate: ['x'] }), 'tool.json'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^tool\.json: \/steps\/frobnicate: unknown step "frobnicate" \(got \["x"\]\), expected one of /,
    );
    expect(lines[0]).toContain('"createVpc", "addSubnet"');
    expect(lines[0]).not.toContain('did you mean');
  });

  it('suggests the step a misspelt name meant, and does not also report that step as missing', () => {
    const profile = minimalProfile();
    const { createVpc, ...steps } = profile.steps as Record<string, unknown>;
    const lines = problemLines(() =>
      validateProfile({ ...profile, steps: { ...steps, createVPC: createVpc } }, 't'),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^t: \/steps\/createVPC: unknown step "createVPC" \(got \["create","\{vpc\}","\{cidr\}"\]\)/,
    );
    expect(lines[0]).toMatch(/; did you mean "createVpc"\?$/);
    const dashed = problemLines(() => validateProfile(withSteps({ 'teardown-vpc': ['x'] }), 't'));
    expect(dashed[0]).toMatch(/did you mean "teardownVpc"\?$/);
  });

  it('suggests a misspelt top-level key', () => {
    const { command, ...rest } = minimalProfile();
    const lines = problemLines(() => validateProfile({ ...rest, commnad: command }, 't'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^t: \/commnad: unknown key "commnad" \(got \["\{dir\}\/tool"\]\), expected one of .*; did you mean "command"\?$/,
    );
  });

  it('rejects a placeholder that its step does not have, listing the allowed ones', () => {
    expect(
      problemLines(() =>
        validateProfile(withSteps({ createVpc: ['create', '{vpc}', '--subnet={subnet}'] }), 't'),
      ),
    ).toEqual([
      't: /steps/createVpc/2: placeholder {subnet} is not available in step "createVpc" (got "--subnet={subnet}"), expected one of {dir}, {wan}, {vpc}, {cidr}, {bridge}, {publicSubnet}, {publicCidr}, {privateSubnet}, {privateCidr}',
    ]);
  });

  it('suggests a misspelt placeholder and checks each command of a list and each subnet type', () => {
    const lines = problemLines(() =>
      validateProfile(
        withSteps({
          isolateVpcs: [
            ['iso', '{vpcA}'],
            ['iso', '{vpc_b}'],
          ],
          addSubnet: { public: ['add', '{subnet}', '--public'], private: ['add', '{subnet}', '{typ}'] },
        }),
        't',
      ),
    );
    expect(lines).toEqual([
      expect.stringMatching(
        /^t: \/steps\/addSubnet\/private\/2: placeholder \{typ\} is not available in step "addSubnet" \(got "\{typ\}"\), expected one of .*; did you mean \{type\}\?$/,
      ),
      expect.stringMatching(
        /^t: \/steps\/isolateVpcs\/1\/1: placeholder \{vpc_b\} .*; did you mean \{vpcB\}\?$/,
      ),
    ]);
  });

  it('rejects broken brace syntax and explains the escape', () => {
    expect(
      problemLines(() => validateProfile(withSteps({ createVpc: ['create', '--cidr={cidr'] }), 't')),
    ).toEqual([
      't: /steps/createVpc/1: "{" at character 8 does not start a placeholder (got "--cidr={cidr"), expected placeholders written {name}; write {{ or }} for a literal brace',
    ]);
    expect(
      problemLines(() => validateProfile(withSteps({ inspect: ['!', 'sh', '-c', 'echo }'] }), 't')),
    ).toEqual([
      't: /steps/inspect/3: unmatched "}" at character 6 (got "echo }"), expected placeholders written {name}; write {{ or }} for a literal brace',
    ]);
    expect(() =>
      validateProfile(withSteps({ inspect: ['!', 'sh', '-c', 'awk "{{print}}"'] }), 't'),
    ).not.toThrow();
  });

  it('allows "harness" only where the harness can do the step', () => {
    expect(() => validateProfile(withSteps({ deployHttp: 'harness' }), 't')).not.toThrow();
    expect(problemLines(() => validateProfile(withSteps({ enableNat: 'harness' }), 't'))).toEqual([
      `t: /steps/enableNat: "harness" is not allowed for this step (got "harness"), ${STEP_EXPECTED}`,
    ]);
  });

  it('does not let optional steps be null', () => {
    expect(problemLines(() => validateProfile(withSteps({ setup: null }), 't'))).toEqual([
      't: /steps/setup: wrong type (got null), expected an argv template (array of strings), a list of them or [] (this optional step cannot be null or "harness": leave it out instead)',
    ]);
  });

  it('rejects a raw marker without a program, and a raw marker in command', () => {
    expect(problemLines(() => validateProfile(withSteps({ setup: ['!'] }), 't'))).toEqual([
      't: /steps/setup/0: the raw marker "!" is not followed by a program (got ["!"]), expected ["!", "program", "arg", ...] (a raw command run without the target\'s prefix)',
    ]);
    const lines = problemLines(() => validateProfile({ ...minimalProfile(), command: ['!', 'tool'] }, 't'));
    expect(lines).toEqual([
      expect.stringMatching(/^t: \/command\/0: the raw marker "!" has no meaning in "command"/),
    ]);
  });

  it('limits command, env, cwd and bridgeName to their own placeholders', () => {
    const lines = problemLines(() =>
      validateProfile(
        {
          ...minimalProfile(),
          command: ['{dir}/{vpc}'],
          env: { HOME: '{dir}', X: '{wan}' },
          cwd: '{cwd}',
          bridgeName: 'br-{cidr}',
        },
        't',
      ),
    );
    expect(lines).toEqual([
      't: /bridgeName: placeholder {cidr} is not available in "bridgeName" (got "br-{cidr}"), expected one of {vpc}',
      't: /command/0: placeholder {vpc} is not available in "command" (got "{dir}/{vpc}"), expected one of {dir}',
      't: /cwd: placeholder {cwd} is not available in "cwd" (got "{cwd}"), expected one of {dir}',
      't: /env/X: placeholder {wan} is not available in "env" (got "{wan}"), expected one of {dir}',
    ]);
  });

  it('lists every problem at once, sorted by path', () => {
    const lines = problemLines(() =>
      validateProfile(
        {
          ...minimalProfile(),
          name: '',
          wan: 'a-very-long-interface-name',
          extra: true,
          steps: { createVpc: 1 },
        },
        'many.json',
      ),
    );
    const paths = lines.map((line) => line.split(': ')[1]);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toEqual(
      expect.arrayContaining([
        '/extra',
        '/name',
        '/wan',
        '/steps/createVpc',
        '/steps/addSubnet',
        '/steps/teardownVpc',
      ]),
    );
    expect(lines.find((l) => l.includes('/wan:'))).toBe(
      'many.json: /wan: must match pattern "^[A-Za-z0-9_.@-]{1,15}$" (got "a-very-long-interface-name"), expected a Linux interface name (at most 15 characters), e.g. "eth0"',
    );
  });

  it('checks the policy: format, keys per format, placeholders and directives', () => {
    const policy = (p: unknown) =>
      problemLines(() => validateProfile({ ...minimalProfile(), policy: p }, 't'));
    expect(policy({ format: 'yaml' })).toEqual([
      't: /policy/format: invalid value (got "yaml"), expected one of "seed-json", "template", "text"',
    ]);
    expect(policy({ format: 'seed-json', template: {} })).toEqual([
      't: /policy/template: key "template" is not used by policy format "seed-json" (got {}), expected one of "format", "fileName"',
    ]);
    expect(policy({ format: 'text' })).toEqual([
      't: /policy/template: missing required key "template" (got nothing), expected a text template, e.g. "subnet {cidr}\\n{rules}"',
    ]);
    expect(policy({ format: 'text', template: '{rules}', rule: '{action} {porte}' })).toEqual([
      't: /policy/rule: placeholder {porte} is not available in a rule template (got "{action} {porte}"), expected one of {vpc}, {subnet}, {cidr}, {allowTcpPorts}, {denyTcpPorts}, {port}, {protocol}, {action}; did you mean {port}?',
    ]);
    expect(
      policy({ format: 'template', template: { port: '{port}', rules: { $forEach: '{port}' } } }),
    ).toEqual([
      't: /policy/template/port: placeholder {port} is only available inside a per-rule template (got "{port}"), expected one of {vpc}, {subnet}, {cidr}, {allowTcpPorts}, {denyTcpPorts}',
      't: /policy/template/rules/$forEach: unknown directive "$forEach" (got "{port}"), expected "$forEachRule" (with an optional "$where"); did you mean "$forEachRule"?',
    ]);
    expect(
      policy({ format: 'template', template: [{ $forEachRule: '{port}', $where: { action: 'permit' } }] }),
    ).toEqual([
      't: /policy/template/0/$where/action: invalid value (got "permit"), expected "allow" or "deny"',
    ]);
  });

  it('rejects a document that is not an object', () => {
    expect(problemLines(() => validateProfile([], 'x.json'))).toEqual([
      'x.json: /: wrong type (got []), expected an object',
    ]);
  });
});
