import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Summary } from '../../src/model/summary.js';
import { distPath, PACKAGE_ROOT } from '../../src/util/paths.js';

export const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures', 'targets');

export interface CliRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  summary: Summary;
  reportsDir: string;
  durationMs: number;
}

/** Run the real `vpc-verify` CLI (as a user would) with --json; `json` is its parsed output. */
export async function verifyCliJson<T>(
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<{ exitCode: number | undefined; stdout: string; stderr: string; json: T; durationMs: number }> {
  const out = mkdtempSync(join(tmpdir(), 'vpc-verify-test-'));
  const started = Date.now();
  const result = await execa(
    process.execPath,
    [distPath('src/verify/main.js'), ...args, '--out', out, '--json'],
    {
      reject: false,
      env: { CI: 'true', ...options.env },
    },
  );
  return {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    json: JSON.parse(result.stdout) as T,
    durationMs: Date.now() - started,
  };
}

/** Run the real `vpc-verify` CLI (as a user would) with --json, and read back its summary. */
export async function verifyCli(
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<CliRun> {
  const { json: summary, ...rest } = await verifyCliJson<Summary>(args, options);
  return { ...rest, summary, reportsDir: summary.reportsDir };
}

/** The same run as seen through a summary, e.g. one run of a --compare-start-states result. */
export function asCliRun(
  summary: Summary,
  from: { exitCode: number | undefined; stdout: string; stderr: string; durationMs: number },
): CliRun {
  return { ...from, summary, reportsDir: summary.reportsDir };
}

export function statuses(summary: Summary): Record<string, string> {
  return Object.fromEntries(summary.criteria.map((c) => [c.id, c.status]));
}

export function readReport(run: CliRun, name: string): string {
  return readFileSync(join(run.reportsDir, name), 'utf8');
}
