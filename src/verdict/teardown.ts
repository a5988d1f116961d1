import type { Snapshot } from '../model/evidence.js';
import { listSome } from './describe.js';

/**
 * Snapshot categories teardown-clean compares (scenarios/teardown-clean.scenario.ts), with the words reports use.
 * Built-in chain policies are not among them: a changed policy is a finding
 * (the run changed the sandbox's start state), not something left behind.
 */
export type SnapshotPart = Exclude<keyof Snapshot, 'policies'>;
export const SNAPSHOT_PARTS: [SnapshotPart, string][] = [
  ['netns', 'namespaces'],
  ['links', 'links'],
  ['addresses', 'addresses'],
  ['routes', 'routes'],
  ['rules', 'iptables rules'],
  ['processes', 'processes'],
];

export type SnapshotDiff = Record<SnapshotPart, string[]>;

/**
 * What `a` holds more often than `b` (a multiset difference): a daemon whose
 * command line matches one already running is still one more process, and a
 * rule appended twice is still a rule left behind.
 */
export function difference(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

/** What `after` has that `before` had not (added) and the reverse (removed). */
export function diffSnapshots(
  before: Snapshot,
  after: Snapshot,
): { added: SnapshotDiff; removed: SnapshotDiff } {
  const added = {} as SnapshotDiff;
  const removed = {} as SnapshotDiff;
  for (const [key] of SNAPSHOT_PARTS) {
    added[key] = difference(after[key] ?? [], before[key] ?? []);
    removed[key] = difference(before[key] ?? [], after[key] ?? []);
  }
  return { added, removed };
}

export function describeDiff(diff: SnapshotDiff): string {
  return SNAPSHOT_PARTS.filter(([key]) => diff[key].length > 0)
    .map(([key, words]) => `${diff[key].length} ${words} (${listSome(diff[key], 3)})`)
    .join('; ');
}
