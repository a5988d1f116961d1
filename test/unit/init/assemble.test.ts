import { describe, expect, it } from 'vitest';
import { assembleSteps, buildProfile } from '../../../src/init/assemble.js';
import type { Candidate } from '../../../src/init/candidates.js';
import type { TrialReport } from '../../../src/init/plan.js';
import { validateProfile } from '../../../src/profiles/index.js';

const c = (template: Candidate['template']): Candidate => ({ template, origin: 'help', from: 'x' });
const entry = {
  command: ['{dir}/vpcctl'],
  env: {},
  progNames: ['vpcctl'],
  sourceFiles: [],
  how: 'entry point: vpcctl',
};

describe('assembling the profile', () => {
  it('keeps proved commands, turns the rest into [], "harness" or null with a note each', () => {
    const candidates = {
      createVpc: [c(['create-vpc', '{vpc}', '{cidr}'])],
      addSubnet: [
        c({
          public: ['add-subnet', '{vpc}', '{subnet}', '{cidr}', '--nat'],
          private: ['add-subnet', '{vpc}', '{subnet}', '{cidr}'],
        }),
      ],
    };
    const proved = (all: number) => ({
      outcome: 'proved' as const,
      chosen: { all },
      reason: 'seen',
      trials: [],
    });
    const report: TrialReport = {
      durationMs: 1,
      bridgeName: '{vpc}-br',
      steps: {
        createVpc: proved(0),
        addSubnet: { outcome: 'proved', chosen: { public: 0, private: 0 }, reason: 'seen', trials: [] },
        allowIntraVpc: { outcome: 'nothing', reason: 'they already ping', trials: [] },
        enableNat: { outcome: 'nothing', reason: 'subnet creation NATs', trials: [] },
        deployHttp: { outcome: 'harness', reason: 'no listener', trials: [] },
        isolateVpcs: { outcome: 'nothing', reason: 'default', trials: [] },
        peerVpcs: { outcome: 'unsupported', reason: 'no link', trials: [] },
        allowCidr: { outcome: 'unsupported', reason: 'no rules', trials: [] },
        applyPolicy: { outcome: 'unsupported', reason: 'no rules', trials: [] },
        inspect: { outcome: 'unsupported', reason: 'no exit 0', trials: [] },
      },
    };
    const lines = assembleSteps(candidates, report);
    const profile = buildProfile('/srv/student-1', entry, lines, report);
    expect(profile.name).toBe('inferred-student-1');
    expect(profile.bridgeName).toBe('{vpc}-br');
    expect(profile.steps.addSubnet).toEqual({
      public: ['add-subnet', '{vpc}', '{subnet}', '{cidr}', '--nat'],
      private: ['add-subnet', '{vpc}', '{subnet}', '{cidr}'],
    });
    expect(profile.steps.enableNat).toEqual([]);
    expect(profile.steps.deployHttp).toBe('harness');
    expect(profile.steps.peerVpcs).toBeNull();
    expect(profile.steps.teardownVpc).toBeNull();
    expect(lines.find((l) => l.step === 'teardownVpc')?.outcome).toBe('not tried');
    expect(profile.notes?.filter((n) => /^(peerVpcs|teardownVpc|enableNat): /.test(n))).toHaveLength(3);
    expect(() => validateProfile(profile, 'test')).not.toThrow();
  });
});
