import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/model/evidence.js';
import { addedSince } from '../../../src/snapshot/added.js';

const empty: Snapshot = {
  netns: [],
  links: [],
  addresses: [],
  routes: [],
  rules: [],
  policies: [],
  processes: [],
};

describe('addedSince', () => {
  it('names what is new per view, counting duplicates; removals and policies are not additions', () => {
    const before = { ...empty, netns: ['inet'], processes: ['sleep 1'] };
    const after: Snapshot = {
      ...empty,
      netns: ['vpc1-publicsub'],
      rules: ['*nat -A POSTROUTING -j MASQUERADE'],
      policies: ['*filter FORWARD DROP'],
      processes: ['sleep 1', 'sleep 1'],
    };
    expect(addedSince(before, after)).toEqual([
      'netns: vpc1-publicsub',
      'rules: *nat -A POSTROUTING -j MASQUERADE',
      'processes: sleep 1',
    ]);
    expect(addedSince(after, after)).toEqual([]);
  });
});
