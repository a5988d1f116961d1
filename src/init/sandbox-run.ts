import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInSandbox } from '../../lab/sandbox/sandbox.js';
import { VpcError } from '../util/errors.js';
import { distPath } from '../util/paths.js';
import type { DriverPlan, HelpPlan, HelpReport, TrialPlan, TrialReport } from './plan.js';

/** Run the driver on `plan` in one scratch sandbox and return its report. */
export async function runDriver(plan: HelpPlan, timeoutMs: number): Promise<HelpReport>;
export async function runDriver(plan: TrialPlan, timeoutMs: number): Promise<TrialReport>;
export async function runDriver(plan: DriverPlan, timeoutMs: number): Promise<HelpReport | TrialReport> {
  const work = mkdtempSync(join(tmpdir(), 'vpc-init-'));
  try {
    const planFile = join(work, 'plan.json');
    const reportFile = join(work, 'report.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const result = await runInSandbox(
      [process.execPath, distPath('src/init/driver/main.js'), planFile, reportFile],
      {
        keepPaths: [work, plan.invocation.dir],
        timeoutMs,
        outputToFiles: true,
        label: `init-${plan.mode}`,
      },
    );
    let text: string;
    try {
      text = readFileSync(reportFile, 'utf8');
    } catch {
      throw new VpcError(
        'E_SANDBOX',
        `init: the ${plan.mode} sandbox wrote no report (exit ${result.exitCode})`,
        {
          hint: `its output: ${(result.stderr || result.stdout).slice(-800)}`,
        },
      );
    }
    return JSON.parse(text) as HelpReport | TrialReport;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
