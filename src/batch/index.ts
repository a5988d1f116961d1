/** What the CLI (`vpc-verify batch`, `merge`, `summary-md`) needs from the batch modules. */
export { defaultConcurrency, parseConcurrency } from './concurrency.js';
export { loadManifest, type Manifest, ManifestError, parseManifest, type Submission } from './manifest.js';
export { merge, mergeScoreboards } from './merge.js';
export { formatBatchEvent } from './progress.js';
export {
  type BatchEvent,
  type BatchOptions,
  type BatchResult,
  runBatch,
  type VerifyOne,
  type VerifyOneOptions,
  type VerifyOneResult,
} from './runner.js';
export { batchExitCode, type Scoreboard, type ScoreboardRow } from './scoreboard.js';
export { readScoreboard, SCOREBOARD_FILES, writeScoreboardFiles } from './scoreboard-files.js';
export { formatShard, parseShard, type ShardSpec, shard } from './shard.js';
