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

/** Run the real `vpc-verify` CLI (as a user would) with --json, and read back its summary. */
export async function verifyCli(args: string[]): Promise<CliRun> {
  const out = mkdtempSync(join(tmpdir(), 'vpc-verify-test-'));
  const started = Date.now();
  const result = await execa(
    process.execPath,
    [distPath('src/verify/main.js'), ...args, '--out', out, '--json'],
    {
      reject: false,
      env: { CI: 'true' },
    },
  );
  const summary = JSON.parse(result.stdout) as Summary;
  return {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    summary,
    reportsDir: summary.reportsDir,
    durationMs: Date.now() - started,
  };
}

export function statuses(summary: Summary): Record<string, string> {
  return Object.fromEntries(summary.criteria.map((c) => [c.id, c.status]));
}

export function readReport(run: CliRun, name: string): string {
  return readFileSync(join(run.reportsDir, name), 'utf8');
}
