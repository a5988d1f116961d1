import { describe, expect, it } from 'vitest';
import { referenceManifest } from '../../../bench/measure-batch.js';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

describe('referenceManifest', () => {
  it('lists N copies of the reference under distinct names, driven by the seed profile', () => {
    const manifest = referenceManifest(20);
    expect(manifest.submissions).toHaveLength(20);
    expect(new Set(manifest.submissions.map((s) => s.name)).size).toBe(20);
    expect(manifest.submissions[0]).toEqual({
      name: 'reference-01',
      dir: PACKAGE_ROOT,
      profile: 'seed',
      timeouts: {},
    });
    expect(manifest.submissions[19]?.name).toBe('reference-20');
  });
});
