import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadProfile, validateProfile } from '../../../src/profiles/load.js';
import { policyPortVars, renderPolicy } from '../../../src/profiles/render.js';
import type { LabPolicy, Profile } from '../../../src/profiles/types.js';
import { minimalProfile } from './fixtures.js';

/** The Stage 4 policy (the lab plan's policy phase). */
const stage4: LabPolicy = {
  vpc: 'vpc1',
  subnet: 'publicsub',
  cidr: '10.0.1.0/24',
  ingress: [
    { port: 80, protocol: 'tcp', action: 'allow' },
    { port: 22, protocol: 'tcp', action: 'deny' },
    { port: 443, protocol: 'tcp', action: 'deny' },
  ],
};

function withPolicy(policy: unknown): Profile {
  return validateProfile({ ...minimalProfile(), policy }, 'test');
}

describe('renderPolicy', () => {
  it('writes the seed JSON for seed-json (the seed profile)', () => {
    const text = renderPolicy(loadProfile('seed'), stage4);
    expect(JSON.parse(text)).toEqual({
      subnet: '10.0.1.0/24',
      ingress: [
        { port: 80, protocol: 'tcp', action: 'allow' },
        { port: 22, protocol: 'tcp', action: 'deny' },
        { port: 443, protocol: 'tcp', action: 'deny' },
      ],
    });
    expect(text.endsWith('\n')).toBe(true);
  });

  it('renders a JSON template: typed sole placeholders, mapped values, $forEachRule with $where', () => {
    const profile = withPolicy({
      format: 'template',
      fileName: 'sg.json',
      map: { action: { allow: 'ACCEPT', deny: 'DROP' }, protocol: { tcp: 'TCP' } },
      template: {
        '{vpc}': { name: '{vpc}-{subnet}', net: '{cidr}' },
        rules: [
          { kind: 'header' },
          { $forEachRule: { port: '{port}', proto: '{protocol}', do: '{action}' } },
        ],
        blocked: { $forEachRule: '{port}', $where: { action: 'deny' } },
        described: { $forEachRule: 'port {port}/{protocol}', $where: { action: 'allow', protocol: 'tcp' } },
        allowed: '{allowTcpPorts}',
        fixed: [1, true, null],
      },
    });
    expect(profile.policy.fileName).toBe('sg.json');
    expect(JSON.parse(renderPolicy(profile, stage4))).toEqual({
      vpc1: { name: 'vpc1-publicsub', net: '10.0.1.0/24' },
      rules: [
        { kind: 'header' },
        { port: 80, proto: 'TCP', do: 'ACCEPT' },
        { port: 22, proto: 'TCP', do: 'DROP' },
        { port: 443, proto: 'TCP', do: 'DROP' },
      ],
      blocked: [22, 443],
      described: ['port 80/TCP'],
      allowed: '80',
      fixed: [1, true, null],
    });
  });

  it('writes YAML when the template asks for it (default file name policy.yaml)', () => {
    const profile = withPolicy({
      format: 'template',
      output: 'yaml',
      template: { subnet: '{cidr}', deny: { $forEachRule: '{port}', $where: { action: 'deny' } } },
    });
    expect(profile.policy.fileName).toBe('policy.yaml');
    const text = renderPolicy(profile, stage4);
    expect(parseYaml(text)).toEqual({ subnet: '10.0.1.0/24', deny: [22, 443] });
    expect(text.trimStart().startsWith('{')).toBe(false);
  });

  it('renders a text template with one line per rule (default rule and separator)', () => {
    const profile = withPolicy({ format: 'text', template: '# {vpc}/{subnet}\nsubnet {cidr}\n{rules}' });
    expect(profile.policy.fileName).toBe('policy.txt');
    expect(renderPolicy(profile, stage4)).toBe(
      '# vpc1/publicsub\nsubnet 10.0.1.0/24\nallow tcp 80\ndeny tcp 22\ndeny tcp 443\n',
    );
  });

  it('renders a text template with a custom rule, separator and value map', () => {
    const profile = withPolicy({
      format: 'text',
      template: 'RULES="{rules}" ALLOW={allowTcpPorts} DENY={denyTcpPorts}',
      rule: '{action}:{port}/{protocol}@{cidr}',
      separator: ';',
      map: { action: { allow: 'ACCEPT', deny: 'DROP' } },
    });
    expect(renderPolicy(profile, stage4)).toBe(
      'RULES="ACCEPT:80/tcp@10.0.1.0/24;DROP:22/tcp@10.0.1.0/24;DROP:443/tcp@10.0.1.0/24" ALLOW=80 DENY=22,443\n',
    );
  });
});

describe('policyPortVars', () => {
  it('lists TCP ports by action, comma-separated, in rule order', () => {
    expect(policyPortVars(stage4)).toEqual({ allowTcpPorts: '80', denyTcpPorts: '22,443' });
    expect(policyPortVars({ ...stage4, ingress: [{ port: 53, protocol: 'udp', action: 'allow' }] })).toEqual({
      allowTcpPorts: '',
      denyTcpPorts: '',
    });
  });
});
