export { type FindingsOptions, findingsFrom } from './findings.js';
export { describeDiff, diffSnapshots, type SnapshotDiff } from './teardown.js';
export { verdictOf } from './verdict.js';
