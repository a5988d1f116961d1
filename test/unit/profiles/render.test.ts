import { describe, expect, it } from 'vitest';
import { loadProfile, validateProfile } from '../../../src/profiles/load.js';
import { bridgeNameFor, renderInvocation, renderStep, stepTimeoutMs } from '../../../src/profiles/render.js';
import type { Profile } from '../../../src/profiles/types.js';
import { minimalProfile } from './fixtures.js';

const dir = '/srv/target';

function profileWith(overrides: Record<string, unknown>, steps: Record<string, unknown> = {}): Profile {
  const base = minimalProfile();
  return validateProfile({ ...base, ...overrides, steps: { ...(base.steps as object), ...steps } }, 'test');
}

const vpc1 = {
  vpc: 'vpc1',
  cidr: '10.0.0.0/16',
  publicSubnet: 'publicsub',
  publicCidr: '10.0.1.0/24',
  privateSubnet: 'privatesub',
  privateCidr: '10.0.2.0/24',
};
const peering = {
  vpcA: 'vpc1',
  vpcB: 'vpc2',
  cidrA: '10.0.0.0/16',
  cidrB: '10.1.0.0/16',
  publicCidrA: '10.0.1.0/24',
  publicCidrB: '10.1.1.0/24',
};

describe('renderStep with the seed profile', () => {
  const seed = loadProfile('seed');

  it('renders the seed walkthrough commands with the target prefix', () => {
    const run = (r: ReturnType<typeof renderStep>) => (r.kind === 'commands' ? r.commands : r);
    expect(run(renderStep(seed, 'createVpc', vpc1, { dir }))).toEqual([
      ['/srv/target/bin/vpcctl', 'create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16'],
    ]);
    expect(
      run(
        renderStep(
          seed,
          'addSubnet',
          { vpc: 'vpc1', vpcCidr: '10.0.0.0/16', subnet: 'publicsub', cidr: '10.0.1.0/24', type: 'public' },
          { dir },
        ),
      ),
    ).toEqual([
      [
        '/srv/target/bin/vpcctl',
        'add-subnet',
        '--vpc',
        'vpc1',
        '--name',
        'publicsub',
        '--cidr',
        '10.0.1.0/24',
      ],
    ]);
    expect(
      run(
        renderStep(
          seed,
          'enableNat',
          { vpc: 'vpc1', vpcCidr: '10.0.0.0/16', subnet: 'publicsub', cidr: '10.0.1.0/24' },
          { dir },
        ),
      ),
    ).toEqual([
      ['/srv/target/bin/vpcctl', 'enable-nat', '--vpc', 'vpc1', '--subnet', 'publicsub', '--wan', 'eth0'],
    ]);
    expect(
      run(
        renderStep(
          seed,
          'deployHttp',
          { vpc: 'vpc1', subnet: 'publicsub', cidr: '10.0.1.0/24', port: 80, address: '10.0.1.2' },
          { dir },
        ),
      ),
    ).toEqual([
      ['/srv/target/bin/vpcctl', 'deploy-http', '--vpc', 'vpc1', '--subnet', 'publicsub', '--port', '80'],
    ]);
    expect(run(renderStep(seed, 'peerVpcs', peering, { dir }))).toEqual([
      ['/srv/target/bin/vpcctl', 'peer-vpcs', '--bridge-a', 'br-vpc1', '--bridge-b', 'br-vpc2'],
    ]);
    expect(
      run(
        renderStep(
          seed,
          'allowCidr',
          { src: '10.0.1.0/24', dst: '10.1.1.0/24', vpcA: 'vpc1', vpcB: 'vpc2' },
          { dir },
        ),
      ),
    ).toEqual([['/srv/target/bin/vpcctl', 'allow-cidr', '--src', '10.0.1.0/24', '--dst', '10.1.1.0/24']]);
    expect(run(renderStep(seed, 'inspect', {}, { dir }))).toEqual([['/srv/target/bin/vpcctl', 'inspect']]);
  });

  it('says there is nothing to do for optional steps the profile leaves out', () => {
    expect(renderStep(seed, 'setup', {}, { dir })).toEqual({ kind: 'nothing' });
    expect(renderStep(seed, 'teardownAll', {}, { dir })).toEqual({ kind: 'nothing' });
  });
});

describe('renderStep', () => {
  it('substitutes placeholders inside longer strings, and several in one element', () => {
    const profile = profileWith(
      {},
      { createVpc: ['create', '--cidr={cidr}', '{vpc}:{publicCidr}+{privateCidr}'] },
    );
    expect(renderStep(profile, 'createVpc', vpc1, { dir })).toEqual({
      kind: 'commands',
      commands: [['/srv/target/tool', 'create', '--cidr=10.0.0.0/16', 'vpc1:10.0.1.0/24+10.0.2.0/24']],
      timeoutMs: 60_000,
    });
  });

  it('renders a list of commands in order, each with the prefix', () => {
    const profile = profileWith(
      {},
      {
        isolateVpcs: [
          ['isolate', '{vpcA}'],
          ['isolate', '{vpcB}'],
        ],
      },
    );
    const rendered = renderStep(profile, 'isolateVpcs', peering, { dir });
    expect(rendered).toMatchObject({
      kind: 'commands',
      commands: [
        ['/srv/target/tool', 'isolate', 'vpc1'],
        ['/srv/target/tool', 'isolate', 'vpc2'],
      ],
    });
  });

  it('maps [] to nothing, null to unsupported with a reason, "harness" to harness', () => {
    const profile = profileWith({ timeouts: { steps: { deployHttp: 5000 } } });
    expect(renderStep(profile, 'allowIntraVpc', { vpc: 'vpc1', cidr: '10.0.0.0/16' }, { dir })).toEqual({
      kind: 'nothing',
    });
    expect(
      renderStep(
        profile,
        'allowCidr',
        { src: '10.0.1.0/24', dst: '10.1.1.0/24', vpcA: 'vpc1', vpcB: 'vpc2' },
        { dir },
      ),
    ).toEqual({
      kind: 'unsupported',
      reason: 'profile "tool" marks step allowCidr as unsupported (null at /steps/allowCidr)',
    });
    expect(
      renderStep(
        profile,
        'deployHttp',
        { vpc: 'vpc1', subnet: 'publicsub', cidr: '10.0.1.0/24', port: 80, address: '10.0.1.2' },
        { dir },
      ),
    ).toEqual({ kind: 'harness', timeoutMs: 5000 });
  });

  it('runs a raw command ("!") without the target prefix, in a list beside normal ones', () => {
    const profile = profileWith(
      { command: ['python3', '{dir}/vpcctl.py'] },
      {
        setup: [
          ['!', 'mkdir', '-p', '{dir}/state'],
          ['init', '--wan', '{wan}'],
          ['!', 'iptables', '!', '-s', 'x'],
        ],
      },
    );
    expect(renderStep(profile, 'setup', {}, { dir })).toMatchObject({
      commands: [
        ['mkdir', '-p', '/srv/target/state'],
        ['python3', '/srv/target/vpcctl.py', 'init', '--wan', 'eth0'],
        ['iptables', '!', '-s', 'x'],
      ],
    });
  });

  it('keeps literal braces written {{ and }}', () => {
    const profile = profileWith(
      {},
      { inspect: ['!', 'sh', '-c', "ip -j link | jq '.[] | {{name: .ifname}}' {dir}"] },
    );
    expect(renderStep(profile, 'inspect', {}, { dir })).toMatchObject({
      commands: [['sh', '-c', "ip -j link | jq '.[] | {name: .ifname}' /srv/target"]],
    });
  });

  it('derives bridge names from bridgeName and lets the caller override them and wan', () => {
    const profile = profileWith(
      { bridgeName: '{vpc}-br', wan: 'ens3' },
      { peerVpcs: ['peer', '{bridgeA}', '{bridgeB}', '{wan}'] },
    );
    expect(renderStep(profile, 'peerVpcs', peering, { dir })).toMatchObject({
      commands: [['/srv/target/tool', 'peer', 'vpc1-br', 'vpc2-br', 'ens3']],
    });
    expect(
      renderStep(profile, 'peerVpcs', { ...peering, bridgeB: 'custom', wan: 'eth9' }, { dir }),
    ).toMatchObject({
      commands: [['/srv/target/tool', 'peer', 'vpc1-br', 'custom', 'eth9']],
    });
    expect(bridgeNameFor(profile, 'vpc2')).toBe('vpc2-br');
  });

  it('picks the command for the subnet type when addSubnet is given per type', () => {
    const profile = profileWith(
      {},
      { addSubnet: { public: ['subnet', '{subnet}', '--public'], private: ['subnet', '{subnet}'] } },
    );
    const subnet = { vpc: 'vpc1', vpcCidr: '10.0.0.0/16', cidr: '10.0.1.0/24' };
    expect(
      renderStep(profile, 'addSubnet', { ...subnet, subnet: 'pub', type: 'public' }, { dir }),
    ).toMatchObject({
      commands: [['/srv/target/tool', 'subnet', 'pub', '--public']],
    });
    expect(
      renderStep(profile, 'addSubnet', { ...subnet, subnet: 'priv', type: 'private' }, { dir }),
    ).toMatchObject({
      commands: [['/srv/target/tool', 'subnet', 'priv']],
    });
    expect(() => renderStep(profile, 'addSubnet', { ...subnet, subnet: 'x', type: 'dmz' }, { dir })).toThrow(
      /\{type\} must be "public" or "private" \(got "dmz"\)/,
    );
  });

  it('throws E_BAD_INPUT naming the placeholder and where it is used when a value is missing', () => {
    const profile = profileWith(
      {},
      {
        createVpc: [
          ['create', '{vpc}'],
          ['route', '--cidr={cidr}'],
        ],
      },
    );
    const vars = { ...vpc1, cidr: undefined } as unknown as typeof vpc1;
    expect(() => renderStep(profile, 'createVpc', vars, { dir })).toThrow(
      expect.objectContaining({
        code: 'E_BAD_INPUT',
        message:
          'cannot render step createVpc of profile "tool": no value for {cidr} (used at /steps/createVpc/1/1)',
      }),
    );
  });

  it('makes the caller give every non-derived value of the step (checked by tsc)', () => {
    const profile = profileWith({});
    // @ts-expect-error cidr is missing: a compile error, and at run time E_BAD_INPUT.
    expect(() => renderStep(profile, 'createVpc', { vpc: 'vpc1' }, { dir })).toThrow(/no value for \{cidr\}/);
  });

  it('uses the per-step timeout when the profile gives one, else the default', () => {
    const profile = profileWith({ timeouts: { defaultMs: 1234, steps: { createVpc: 99 } } });
    expect(stepTimeoutMs(profile, 'createVpc')).toBe(99);
    expect(stepTimeoutMs(profile, 'inspect')).toBe(1234);
    expect(renderStep(profile, 'createVpc', vpc1, { dir })).toMatchObject({ timeoutMs: 99 });
  });
});

describe('renderInvocation', () => {
  it('fills {dir} in command, env and cwd', () => {
    const profile = profileWith({
      command: ['python3', '{dir}/vpcctl.py'],
      env: { STATE: '{dir}/state', PYTHONUNBUFFERED: '1' },
      cwd: '{dir}',
    });
    expect(renderInvocation(profile, { dir })).toEqual({
      command: ['python3', '/srv/target/vpcctl.py'],
      env: { STATE: '/srv/target/state', PYTHONUNBUFFERED: '1' },
      cwd: '/srv/target',
    });
    expect(renderInvocation(profileWith({}), { dir }).cwd).toBeUndefined();
  });
});
