import type { Snapshot } from '../model/evidence.js';
import { difference } from '../verdict/teardown.js';

/** What `after` holds that `before` did not, per view (`netns vpc1-publicsub`, `rules *nat -A ...`). */
export function addedSince(before: Snapshot, after: Snapshot): string[] {
  const added: string[] = [];
  for (const key of ['netns', 'links', 'addresses', 'routes', 'rules', 'processes'] as const) {
    for (const item of difference(after[key], before[key])) added.push(`${key}: ${item}`);
  }
  return added;
}
