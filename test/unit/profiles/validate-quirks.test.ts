import { describe, expect, it } from 'vitest';
import { validateProfile } from '../../../src/profiles/load.js';
import { minimalProfile, problemLines } from './fixtures.js';

function lines(overrides: Record<string, unknown>, steps: Record<string, unknown> = {}): string[] {
  const base = minimalProfile();
  return problemLines(() =>
    validateProfile({ ...base, ...overrides, steps: { ...(base.steps as object), ...steps } }, 't'),
  );
}

function valid(overrides: Record<string, unknown>, steps: Record<string, unknown> = {}): void {
  const base = minimalProfile();
  validateProfile({ ...base, ...overrides, steps: { ...(base.steps as object), ...steps } }, 't');
}

describe('validation of the new fields', () => {
  it('uplink: an interface name, with a did-you-mean for a misspelt key', () => {
    expect(lines({ uplink: 'a-much-too-long-name' })).toEqual([
      expect.stringMatching(
        /^t: \/uplink: must match pattern .* \(got "a-much-too-long-name"\), expected a Linux interface name of at most 15/,
      ),
    ]);
    expect(lines({ uplnk: 'ens33' })).toEqual([
      expect.stringMatching(/^t: \/uplnk: unknown key "uplnk" .*did you mean "uplink"\?$/),
    ]);
    expect(() => valid({ uplink: 'ens33' })).not.toThrow();
  });

  it('subnetName: placeholders, length, collisions', () => {
    expect(lines({ subnetName: { public: 'pub{num}', private: 'priv{n}' } })).toEqual([
      't: /subnetName/public: placeholder {num} is not available in "subnetName" (got "pub{num}"), expected one of {vpc}, {type}, {n}, {name}; did you mean {n}?',
    ]);
    expect(lines({ subnetName: '{vpc}-{type}-subnet' })).toEqual([
      't: /subnetName: gives the name "vpc1-public-subnet" to vpc1\'s public subnet (got "{vpc}-{type}-subnet"), expected names of at most 15 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ]);
    expect(lines({ subnetName: 'sub{n}' })).toEqual([
      't: /subnetName: one template without {type} or {name} gives a VPC\'s two subnets the same name (got "sub{n}"), expected a template with {type} (e.g. "{type}{n}") or {"public": ..., "private": ...}',
    ]);
    expect(lines({ subnetName: { public: 's{n}', private: 's{n}' } })).toEqual([
      expect.stringMatching(/^t: \/subnetName: gives vpc1's public and private subnets the same name/),
    ]);
    expect(lines({ subnetName: { public: 'p{n}' } })).toEqual([
      expect.stringMatching(/^t: \/subnetName\/private: missing required key "private"/),
    ]);
    expect(() => valid({ subnetName: { public: 'pub{n}', private: 'priv{n}' } })).not.toThrow();
  });

  it('byVpc: lab VPC names with a did-you-mean, a default, not in global steps, not nested', () => {
    expect(
      lines({}, { createVpc: { byVpc: { vpc3: ['create'], VPC1: ['create'] }, default: ['create'] } }),
    ).toEqual([
      't: /steps/createVpc/byVpc/VPC1: "VPC1" is not a VPC of the lab (got ["create"]), expected one of "vpc1", "vpc2"; did you mean "vpc1"?',
      expect.stringMatching(
        /^t: \/steps\/createVpc\/byVpc\/vpc3: "vpc3" is not a VPC of the lab .*expected one of "vpc1", "vpc2"; did you mean "vpc1"\?$/,
      ),
    ]);
    expect(lines({}, { createVpc: { byVpc: { vpc1: ['create'] } } })).toEqual([
      expect.stringMatching(
        /^t: \/steps\/createVpc\/default: missing required key "default" \(got nothing\)/,
      ),
    ]);
    expect(lines({}, { setup: { byVpc: { vpc1: ['x'] }, default: [] } })).toEqual([
      expect.stringMatching(
        /^t: \/steps\/setup\/byVpc: step "setup" runs once for the whole lab, not per VPC/,
      ),
    ]);
    expect(
      lines({}, { createVpc: { byVpc: { vpc1: { byVpc: { vpc1: ['c'] }, default: [] } }, default: [] } }),
    ).toEqual([
      expect.stringMatching(/^t: \/steps\/createVpc\/byVpc\/vpc1\/byVpc: "byVpc" inside another "byVpc"/),
    ]);
    expect(lines({}, { createVpc: { byVpc: { vpc1: ['c', '{subnet}'] }, default: [] } })).toEqual([
      expect.stringMatching(
        /^t: \/steps\/createVpc\/byVpc\/vpc1\/1: placeholder \{subnet\} is not available/,
      ),
    ]);
  });

  it('object step values: one form at a time, misspelt keys suggested', () => {
    expect(lines({}, { createVpc: { byVPC: { vpc1: ['c'] }, default: [] } })).toEqual([
      expect.stringMatching(/^t: \/steps\/createVpc\/byVPC: unknown key "byVPC" .*did you mean "byVpc"\?$/),
    ]);
    expect(lines({}, { createVpc: { argv: ['c'], impliedBy: 'peerVpcs' } })).toEqual([
      expect.stringMatching(
        /^t: \/steps\/createVpc: one step value cannot be several forms at once \("argv" and "impliedBy"\)/,
      ),
    ]);
    expect(lines({}, { createVpc: { argv: ['c'], default: ['d'] } })).toEqual([
      expect.stringMatching(/^t: \/steps\/createVpc\/default: "default" has no meaning beside "argv"/),
    ]);
    expect(lines({}, { enableNat: { public: ['a'], private: ['b'] } })).toEqual([
      expect.stringMatching(/^t: \/steps\/enableNat\/private: unknown key "private"/),
      expect.stringMatching(/^t: \/steps\/enableNat\/public: unknown key "public"/),
    ]);
  });

  it('commands: allowFail and daemon', () => {
    expect(() =>
      valid(
        {},
        {
          deployHttp: { argv: ['serve', '{port}'], daemon: { port: '{port}' } },
          setup: [{ argv: ['!', 'x'], allowFail: true }],
        },
      ),
    ).not.toThrow();
    expect(lines({}, { deployHttp: { argv: ['serve'], daemon: { prot: 80 } } })).toEqual([
      expect.stringMatching(
        /^t: \/steps\/deployHttp\/daemon\/prot: unknown key "prot" .*did you mean "port"\?$/,
      ),
    ]);
    expect(lines({}, { deployHttp: { argv: ['serve'], daemon: { port: 70000 } } })).toEqual([
      expect.stringMatching(
        /^t: \/steps\/deployHttp\/daemon\/port: .*\(got 70000\), expected a TCP port \(1\.\.65535\)/,
      ),
    ]);
    expect(lines({}, { deployHttp: { argv: ['serve'], daemon: { port: '{prot}' } } })).toEqual([
      expect.stringMatching(
        /^t: \/steps\/deployHttp\/daemon\/port: placeholder \{prot\} is not available .*did you mean \{port\}\?$/,
      ),
    ]);
    expect(lines({}, { peerVpcs: [['peer'], { argv: ['x'], allowFail: 'yes' }] })).toEqual([
      't: /steps/peerVpcs/1/allowFail: wrong type (got "yes"), expected true or false',
    ]);
    expect(lines({}, { peerVpcs: [{ argv: ['x'], allowFail: true, daemon: { port: 1 } }] })).toEqual([
      expect.stringMatching(/^t: \/steps\/peerVpcs\/0\/allowFail: a daemon cannot also be allowed to fail/),
    ]);
  });

  it('impliedBy: a step name (suggested), never itself, never a step that does nothing', () => {
    expect(() => valid({}, { allowCidr: { impliedBy: 'peerVpcs' } })).not.toThrow();
    expect(lines({}, { allowCidr: { impliedBy: 'peerVpc' } })).toEqual([
      expect.stringMatching(
        /^t: \/steps\/allowCidr\/impliedBy: invalid value \(got "peerVpc"\), expected the name of the step/,
      ),
    ]);
    expect(lines({}, { allowCidr: { impliedBy: 'allowCidr' } })).toEqual([
      expect.stringMatching(/^t: \/steps\/allowCidr\/impliedBy: a step cannot be implied by itself/),
    ]);
    expect(lines({}, { allowCidr: { impliedBy: 'peerVpcs' }, peerVpcs: null })).toEqual([
      expect.stringMatching(
        /^t: \/steps\/allowCidr\/impliedBy: step "peerVpcs" does nothing in this profile/,
      ),
    ]);
    expect(lines({}, { teardownSubnet: { impliedBy: 'teardownVpc' } })).toEqual([
      expect.stringMatching(/^t: \/steps\/teardownSubnet\/impliedBy: unknown key "impliedBy"/),
    ]);
  });

  it('subnetCidrs, statePaths and requires', () => {
    expect(lines({ subnetCidrs: 'tool' })).toEqual([
      't: /subnetCidrs: invalid value (got "tool"), expected one of "lab", "tool-by-type", "tool-by-order"; did you mean "tool-by-type"?',
    ]);
    expect(lines({ subnetCidrs: 'tool-by-type' })).toEqual([
      expect.stringMatching(
        /^t: \/steps\/addSubnet: passes \{cidr\} although subnetCidrs says the tool picks/,
      ),
    ]);
    expect(() =>
      valid({ subnetCidrs: 'tool-by-type' }, { addSubnet: ['subnet', '{vpc}', '{type}'] }),
    ).not.toThrow();
    expect(
      lines({ statePaths: ['relative/path', '/', '/etc/tool', { path: '/opt/x', from: '{vpc}' }] }),
    ).toEqual([
      expect.stringMatching(
        /^t: \/statePaths\/0: must match pattern .*expected an absolute path other than \//,
      ),
      expect.stringMatching(
        /^t: \/statePaths\/1: must match pattern .*expected an absolute path other than \//,
      ),
      expect.stringMatching(/^t: \/statePaths\/2: \/etc is already private per run in the sandbox/),
      expect.stringMatching(
        /^t: \/statePaths\/3\/from: placeholder \{vpc\} is not available in "statePaths"/,
      ),
    ]);
    expect(lines({ requires: ['/usr/bin/jq'] })).toEqual([
      expect.stringMatching(
        /^t: \/requires\/0: must match pattern .*expected a program name such as "jq" \(no path\)/,
      ),
    ]);
    expect(() => valid({ requires: ['jq', 'brctl', 'sudo'], statePaths: ['/usr/lib/tool'] })).not.toThrow();
  });
});
