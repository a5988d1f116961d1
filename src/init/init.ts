import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ProfileFile, validateProfile } from '../profiles/index.js';
import { VpcError } from '../util/errors.js';
import { assembleSteps, buildProfile, type StepLine } from './assemble.js';
import { candidatesByStep } from './candidates.js';
import { findEntry } from './entry.js';
import type { DriverInvocation, TrialReport } from './plan.js';
import { runDriver } from './sandbox-run.js';
import { staticVocabulary } from './sources.js';
import { commandWordsIn, optionsIn, type Slot, type Usage, usagesIn } from './usage.js';

export interface InitOptions {
  /** Time limit of each target command (ms). */
  commandTimeoutMs?: number;
  /** Where to write the profile (optional). */
  out?: string;
  onProgress?: (line: string) => void;
}

export interface InitResult {
  profile: ProfileFile;
  lines: StepLine[];
  report: TrialReport;
  durationMs: number;
  path?: string;
}

/** Infer a profile for the tool in `targetDir` (docs/profiles.md, "Inferring a profile"). */
export async function inferProfile(targetDir: string, options: InitOptions = {}): Promise<InitResult> {
  const started = Date.now();
  const dir = resolve(targetDir);
  const entry = findEntry(dir);
  options.onProgress?.(`init: entry ${entry.how}`);
  const invocation: DriverInvocation = {
    command: entry.command.map((a) => a.replaceAll('{dir}', dir)),
    env: Object.fromEntries(Object.entries(entry.env).map(([k, v]) => [k, v.replaceAll('{dir}', dir)])),
    dir,
    timeoutMs: options.commandTimeoutMs ?? 20_000,
  };
  const fromFiles = staticVocabulary(dir, entry);
  const help = await runDriver(
    { mode: 'help', invocation, words: fromFiles.words, progNames: entry.progNames },
    120_000,
  );
  const usages: { usage: Usage; options?: Slot[] }[] = [];
  const bare: string[][] = [...fromFiles.words];
  for (const t of help.top) {
    for (const u of usagesIn(t.output, entry.progNames, 'help')) usages.push({ usage: u });
    for (const w of commandWordsIn(t.output)) bare.push([w]);
  }
  for (const c of help.commands) {
    const options = optionsIn(c.help.output);
    const own = usagesIn(c.help.output, entry.progNames, 'command help', c.words);
    for (const u of own) usages.push({ usage: u, options });
  }
  for (const u of fromFiles.usages) usages.push({ usage: u });
  const candidates = candidatesByStep(usages, bare);
  const counts = Object.entries(candidates).map(([s, l]) => `${s} ${l.length}`);
  options.onProgress?.(`init: candidates ${counts.join(', ') || 'none'}`);
  if (!candidates.createVpc?.length) {
    throw new VpcError('E_NOT_FOUND', `init: no command of ${entry.how} looks like creating a VPC`, {
      hint: 'its --help, usage text and README name no create command; write the profile by hand (docs/profiles.md)',
    });
  }
  const report = await runDriver({ mode: 'trial', invocation, candidates }, 300_000);
  const lines = assembleSteps(candidates, report);
  const profile = buildProfile(dir, entry, lines, report);
  validateProfile(profile, 'inferred profile');
  let path: string | undefined;
  if (options.out) {
    path = resolve(options.out);
    writeFileSync(path, `${JSON.stringify(profile, null, 2)}\n`);
  }
  return { profile, lines, report, durationMs: Date.now() - started, ...(path ? { path } : {}) };
}
