import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/profiles/files.js';
import { validateProfile } from '../../../src/profiles/load.js';
import { renderPolicy, renderStep } from '../../../src/profiles/render.js';

// The profiles in docs/profiles.md must stay valid as the schema moves.
const doc = readFileSync(join(packageRoot(), 'docs', 'profiles.md'), 'utf8');
const profiles = [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
  .map((m) => m[1] ?? '')
  .filter((block) => block.includes('"steps"'))
  .map((block) => JSON.parse(block) as Record<string, unknown>);

describe('docs/profiles.md', () => {
  it('has complete profiles that load', () => {
    expect(profiles.map((p) => p.name)).toEqual(['seed', 'netlab']);
    for (const profile of profiles) expect(() => validateProfile(profile, 'docs')).not.toThrow();
  });

  it('worked example renders as the README of the tool shows', () => {
    const netlab = validateProfile(profiles[1], 'docs');
    const dir = '/srv/netlab';
    expect(
      renderStep(
        netlab,
        'addSubnet',
        { vpc: 'vpc1', vpcCidr: '10.0.0.0/16', subnet: 'web', cidr: '10.0.1.0/24', type: 'public' },
        { dir },
      ),
    ).toMatchObject({
      commands: [
        ['python3', '/srv/netlab/vpc_manager.py', 'add-subnet', 'vpc1', 'web', '10.0.1.0/24', '--public'],
      ],
    });
    const policy = renderPolicy(netlab, {
      vpc: 'vpc1',
      subnet: 'web',
      cidr: '10.0.1.0/24',
      ingress: [
        { port: 80, protocol: 'tcp', action: 'allow' },
        { port: 22, protocol: 'tcp', action: 'deny' },
        { port: 443, protocol: 'tcp', action: 'deny' },
      ],
    });
    expect(policy).toBe('allow:\n  - 80\ndeny:\n  - 22\n  - 443\n');
  });
});
