import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatLines } from '../init/assemble.js';
import { INFERRED_PROFILE_FILE, INIT_LOG_FILE } from '../init/files.js';
import { inferProfile } from '../init/init.js';

/** `--profile auto`: infer the profile into the run's folder and return its path. */
export async function inferForRun(
  targetDir: string,
  reportsDir: string,
  onProgress?: (line: string) => void,
): Promise<string> {
  const out = join(reportsDir, INFERRED_PROFILE_FILE);
  const result = await inferProfile(targetDir, { out, ...(onProgress ? { onProgress } : {}) });
  writeFileSync(join(reportsDir, INIT_LOG_FILE), `${formatLines(result.lines)}\n`);
  onProgress?.(`init: profile inferred in ${(result.durationMs / 1000).toFixed(1)} s: ${out}`);
  return out;
}
