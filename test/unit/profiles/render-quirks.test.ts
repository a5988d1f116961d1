import { describe, expect, it } from 'vitest';
import { STAGE4_PLAN } from '../../../src/plan/stage4.js';
import { builtinProfileNames, examplesDir } from '../../../src/profiles/files.js';
import { loadProfile, validateProfile } from '../../../src/profiles/load.js';
import {
  inexpressibleCheck,
  renderPolicy,
  renderStatePaths,
  renderStep,
  subnetNameFor,
} from '../../../src/profiles/render.js';
import { LAB_VPCS, STEP_NAMES, type StepName } from '../../../src/profiles/steps.js';
import type { Profile } from '../../../src/profiles/types.js';
import { minimalProfile } from './fixtures.js';

const dir = '/srv/target';

function profileWith(overrides: Record<string, unknown>, steps: Record<string, unknown> = {}): Profile {
  const base = minimalProfile();
  return validateProfile({ ...base, ...overrides, steps: { ...(base.steps as object), ...steps } }, 'test');
}

function commandsOf(rendered: ReturnType<typeof renderStep>): string[][] {
  if (rendered.kind !== 'commands') throw new Error(`expected commands, got ${JSON.stringify(rendered)}`);
  return rendered.commands.map((c) => [...c]);
}

const pub1 = {
  vpc: 'vpc1',
  vpcCidr: '10.0.0.0/16',
  subnet: 'publicsub',
  cidr: '10.0.1.0/24',
  type: 'public',
};
const priv2 = {
  vpc: 'vpc2',
  vpcCidr: '10.1.0.0/16',
  subnet: 'privatesub',
  cidr: '10.1.2.0/24',
  type: 'private',
};

describe('profiles using none of the new fields', () => {
  // Every planned step of the Stage 4 lab, rendered with each shipped profile: what older profiles produce.
  const planned = STAGE4_PLAN.phases.flatMap((p) => p.stages.flatMap((s) => s.steps));
  const shipped = [
    ...builtinProfileNames().map((n) => loadProfile(n)),
    loadProfile(`${examplesDir()}/bash-vpc.json`),
    loadProfile(`${examplesDir()}/python-vpcctl.json`),
  ];

  it('get the defaults that change nothing', () => {
    for (const profile of shipped) {
      expect(profile.uplink).toBe('eth0');
      expect(profile.wan).toBe('eth0');
      expect(profile.subnetName).toBeUndefined();
      expect(profile.subnetCidrs).toBe('lab');
      expect(profile.statePaths).toEqual([]);
      expect(profile.requires).toEqual([]);
      expect(profile.steps.teardownSubnet).toEqual([]);
    }
  });

  it('render every planned step with the lab names and plain argv arrays', () => {
    for (const profile of shipped) {
      for (const step of planned) {
        // What the runner adds itself.
        const vars = { ...step.vars, address: '10.0.1.2', policyFile: '/w/policy.json' };
        let rendered: ReturnType<typeof renderStep>;
        try {
          rendered = renderStep(profile, step.step as StepName, vars as never, { dir });
        } catch {
          continue; // e.g. python-vpcctl's createVpc needs {publicCidr}, which the bad-input VPCs lack
        }
        if (rendered.kind !== 'commands') continue;
        for (const command of rendered.commands) {
          expect(Object.keys(command).every((k) => /^\d+$/.test(k))).toBe(true);
          expect(command.allowFail).toBeUndefined();
          expect(command.daemon).toBeUndefined();
        }
        if ('subnet' in step.vars && profile.name === 'seed' && step.step === 'addSubnet') {
          expect(rendered.commands[0]).toContain(String(step.vars.subnet));
        }
      }
    }
  });
});

describe('uplink', () => {
  it('names the uplink and {wan} follows it unless wan is given', () => {
    expect(profileWith({ uplink: 'ens33' })).toMatchObject({ uplink: 'ens33', wan: 'ens33' });
    expect(profileWith({ uplink: 'ens33', wan: 'br0' })).toMatchObject({ uplink: 'ens33', wan: 'br0' });
    const profile = profileWith({ uplink: 'enp0s3' });
    expect(commandsOf(renderStep(profile, 'enableNat', { ...pub1 }, { dir }))).toEqual([
      ['/srv/target/tool', 'nat', 'vpc1', 'enp0s3'],
    ]);
  });
});

describe('subnetName', () => {
  const profile = profileWith(
    { subnetName: { public: 'pub{n}', private: 'priv{n}' } },
    {
      createVpc: ['create', '{vpc}', '{publicSubnet}', '{privateSubnet}'],
      enableNat: ['nat', '{subnet}'],
      applyPolicy: ['policy', '{subnet}', '{policyFile}'],
      teardownVpc: ['delete', '{vpc}', '{publicSubnet}', '{privateSubnet}'],
      teardownSubnet: ['rm', '{vpc}', '{subnet}', '{type}'],
    },
  );

  it('gives the subnet steps the target names, per type and VPC', () => {
    expect(commandsOf(renderStep(profile, 'addSubnet', pub1, { dir }))).toEqual([
      ['/srv/target/tool', 'subnet', 'vpc1', 'pub1', '10.0.1.0/24'],
    ]);
    expect(commandsOf(renderStep(profile, 'addSubnet', priv2, { dir }))).toEqual([
      ['/srv/target/tool', 'subnet', 'vpc2', 'priv2', '10.1.2.0/24'],
    ]);
    expect(
      commandsOf(
        renderStep(
          profile,
          'enableNat',
          { vpc: 'vpc1', vpcCidr: '10.0.0.0/16', subnet: 'publicsub', cidr: '10.0.1.0/24' },
          { dir },
        ),
      ),
    ).toEqual([['/srv/target/tool', 'nat', 'pub1']]);
    expect(commandsOf(renderStep(profile, 'teardownSubnet', priv2, { dir }))).toEqual([
      ['/srv/target/tool', 'rm', 'vpc2', 'priv2', 'private'],
    ]);
  });

  it('renames the subnets createVpc and teardownVpc name', () => {
    const vars = {
      vpc: 'vpc2',
      cidr: '10.1.0.0/16',
      publicSubnet: 'publicsub',
      publicCidr: '10.1.1.0/24',
      privateSubnet: 'privatesub',
      privateCidr: '10.1.2.0/24',
    };
    expect(commandsOf(renderStep(profile, 'createVpc', vars, { dir }))).toEqual([
      ['/srv/target/tool', 'create', 'vpc2', 'pub2', 'priv2'],
    ]);
    expect(commandsOf(renderStep(profile, 'teardownVpc', vars, { dir }))).toEqual([
      ['/srv/target/tool', 'delete', 'vpc2', 'pub2', 'priv2'],
    ]);
  });

  it('uses the target name in the policy file, and {name}/{vpc}/{type} in one template', () => {
    const policy = { vpc: 'vpc1', subnet: 'publicsub', cidr: '10.0.1.0/24', ingress: [] };
    const text = profileWith({
      subnetName: '{vpc}-{type}',
      policy: { format: 'text', template: '{subnet}' },
    });
    expect(renderPolicy(text, policy)).toBe('vpc1-public\n');
    expect(subnetNameFor(text, 'vpc2', 'private', 'privatesub')).toBe('vpc2-private');
    expect(subnetNameFor(profileWith({ subnetName: 'x{name}' }), 'vpc1', 'public', 'publicsub')).toBe(
      'xpublicsub',
    );
    expect(subnetNameFor(profileWith({ subnetName: '{type}{n}' }), 'vchk', 'private', 'outside')).toBe(
      'private0',
    );
  });
});

describe('byVpc', () => {
  const profile = profileWith(
    {},
    {
      createVpc: {
        byVpc: { vpc1: ['create', '{vpc}', '{cidr}', '--nat'] },
        default: ['create', '{vpc}', '{cidr}'],
      },
      addSubnet: {
        byVpc: { vpc2: { public: ['sub', '{subnet}', '--public'], private: ['sub', '{subnet}'] } },
        default: ['sub', '{subnet}'],
      },
      isolateVpcs: { byVpc: { vpc1: ['isolate', '{vpcA}', '{vpcB}'] }, default: [] },
    },
  );
  const vpc = (name: string) => ({
    vpc: name,
    cidr: '10.0.0.0/16',
    publicSubnet: 'p',
    publicCidr: '10.0.1.0/24',
    privateSubnet: 'q',
    privateCidr: '10.0.2.0/24',
  });

  it('picks the VPC own value, the default for every other VPC', () => {
    expect(commandsOf(renderStep(profile, 'createVpc', vpc('vpc1'), { dir }))).toEqual([
      ['/srv/target/tool', 'create', 'vpc1', '10.0.0.0/16', '--nat'],
    ]);
    expect(commandsOf(renderStep(profile, 'createVpc', vpc('vpc2'), { dir }))).toEqual([
      ['/srv/target/tool', 'create', 'vpc2', '10.0.0.0/16'],
    ]);
    expect(commandsOf(renderStep(profile, 'createVpc', vpc('vbad1'), { dir }))).toEqual([
      ['/srv/target/tool', 'create', 'vbad1', '10.0.0.0/16'],
    ]);
  });

  it('combines with byType, and peer steps pick by vpcA', () => {
    expect(commandsOf(renderStep(profile, 'addSubnet', priv2, { dir }))).toEqual([
      ['/srv/target/tool', 'sub', 'privatesub'],
    ]);
    expect(commandsOf(renderStep(profile, 'addSubnet', { ...priv2, type: 'public' }, { dir }))).toEqual([
      ['/srv/target/tool', 'sub', 'privatesub', '--public'],
    ]);
    expect(commandsOf(renderStep(profile, 'addSubnet', pub1, { dir }))).toEqual([
      ['/srv/target/tool', 'sub', 'publicsub'],
    ]);
    const isolate = { vpcA: 'vpc1', vpcB: 'vpc2', cidrA: '10.0.0.0/16', cidrB: '10.1.0.0/16' };
    expect(commandsOf(renderStep(profile, 'isolateVpcs', isolate, { dir }))).toEqual([
      ['/srv/target/tool', 'isolate', 'vpc1', 'vpc2'],
    ]);
    expect(renderStep(profile, 'isolateVpcs', { ...isolate, vpcA: 'vpc2' }, { dir })).toEqual({
      kind: 'nothing',
    });
  });
});

describe('commands that may fail or never return', () => {
  const profile = profileWith(
    {},
    {
      setup: [{ argv: ['!', 'modprobe', 'br_netfilter'], allowFail: true }, ['!', 'mkdir', '-p', '/x']],
      deployHttp: { argv: ['serve', '{vpc}', '{port}'], daemon: { port: '{port}' } },
      inspect: [{ argv: ['show'], daemon: { port: 8080, host: '10.0.1.2', readyMs: 5000 } }],
    },
  );

  it('keeps the argv and puts the options on the rendered command', () => {
    const setup = renderStep(profile, 'setup', {}, { dir });
    expect(commandsOf(setup)).toEqual([
      ['modprobe', 'br_netfilter'],
      ['mkdir', '-p', '/x'],
    ]);
    if (setup.kind !== 'commands') throw new Error('commands expected');
    expect(setup.commands[0]?.allowFail).toBe(true);
    expect(setup.commands[1]?.allowFail).toBeUndefined();
  });

  it('renders a daemon with its port, the host address by default and the step timeout', () => {
    const deploy = renderStep(
      profile,
      'deployHttp',
      { vpc: 'vpc1', subnet: 'publicsub', cidr: '10.0.1.0/24', port: 80, address: '10.0.1.2' },
      { dir },
    );
    if (deploy.kind !== 'commands') throw new Error('commands expected');
    expect([...(deploy.commands[0] ?? [])]).toEqual(['/srv/target/tool', 'serve', 'vpc1', '80']);
    expect(deploy.commands[0]?.daemon).toEqual({ port: 80, host: '10.0.1.2', readyMs: 60_000 });
    const inspect = renderStep(profile, 'inspect', {}, { dir });
    if (inspect.kind !== 'commands') throw new Error('commands expected');
    expect(inspect.commands[0]?.daemon).toEqual({ port: 8080, host: '10.0.1.2', readyMs: 5000 });
  });
});

describe('teardown shapes and {vpc} in inspect', () => {
  it('renders teardownSubnet per subnet (with the bridge) and inspect per VPC', () => {
    const profile = profileWith(
      {},
      { teardownSubnet: ['subnet', 'rm', '{bridge}', '{subnet}'], inspect: ['show', '{vpc}'] },
    );
    expect(commandsOf(renderStep(profile, 'teardownSubnet', pub1, { dir }))).toEqual([
      ['/srv/target/tool', 'subnet', 'rm', 'br-vpc1', 'publicsub'],
    ]);
    expect(commandsOf(renderStep(profile, 'inspect', { vpc: 'vpc2' }, { dir }))).toEqual([
      ['/srv/target/tool', 'show', 'vpc2'],
    ]);
    expect(() => renderStep(profile, 'inspect', {}, { dir })).toThrow(/no value for \{vpc\}/);
  });

  it('leaves teardownSubnet out of profiles without it', () => {
    expect(renderStep(profileWith({}), 'teardownSubnet', pub1, { dir })).toEqual({ kind: 'nothing' });
  });
});

describe('impliedBy', () => {
  it('is nothing to do, with the step that does it and why', () => {
    const profile = profileWith({}, { allowCidr: { impliedBy: 'peerVpcs' } });
    const rendered = renderStep(
      profile,
      'allowCidr',
      { src: '10.0.1.0/24', dst: '10.1.1.0/24', vpcA: 'vpc1', vpcB: 'vpc2' },
      { dir },
    );
    expect(rendered).toEqual({
      kind: 'nothing',
      impliedBy: 'peerVpcs',
      reason: expect.stringMatching(
        /step peerVpcs already does allowCidr \(impliedBy at \/steps\/allowCidr\)/,
      ),
    });
  });
});

describe('inexpressibleCheck', () => {
  const outside = {
    vpc: 'vchk',
    vpcCidr: '10.9.0.0/16',
    subnet: 'outside',
    cidr: '10.8.1.0/24',
    type: 'private',
  };

  it('skips a bad subnet CIDR when the tool picks the CIDRs', () => {
    const profile = profileWith(
      { subnetCidrs: 'tool-by-order' },
      { addSubnet: ['subnet', '{vpc}', '{subnet}'] },
    );
    expect(inexpressibleCheck(profile, 'addSubnet', outside, ['cidr'])).toMatch(
      /chooses subnet CIDRs itself \(subnetCidrs: "tool-by-order"\)/,
    );
  });

  it('skips a bad value the step never passes, and keeps the ones it does', () => {
    const noCidr = profileWith({}, { createVpc: ['create', '{vpc}'] });
    expect(inexpressibleCheck(noCidr, 'createVpc', { vpc: 'vbad1', cidr: '10.0.0.0/33' }, ['cidr'])).toMatch(
      /never passes \{cidr\}/,
    );
    expect(inexpressibleCheck(profileWith({}), 'addSubnet', outside, ['cidr'])).toBeUndefined();
    expect(
      inexpressibleCheck(profileWith({}), 'createVpc', { vpc: 'vbad1', cidr: '10.0.0.0/33' }, ['cidr']),
    ).toBeUndefined();
  });
});

describe('statePaths', () => {
  it('are normalised and {dir} is filled in', () => {
    const profile = profileWith({ statePaths: ['/usr/lib/tool', { path: '/opt/tool', from: '{dir}/lib' }] });
    expect(renderStatePaths(profile, { dir })).toEqual([
      { path: '/usr/lib/tool' },
      { path: '/opt/tool', from: '/srv/target/lib' },
    ]);
  });
});

describe('LAB_VPCS', () => {
  it('are the VPCs of the Stage 4 plan', () => {
    expect(STAGE4_PLAN.vpcs.map((v) => v.name)).toEqual([...LAB_VPCS]);
    expect(STEP_NAMES).toContain('teardownSubnet');
  });
});
