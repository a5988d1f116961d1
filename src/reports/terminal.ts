import { ADVISORY_CRITERIA, STAGE4_CRITERIA } from '../criteria/ids.js';
import type { CriterionStatus } from '../model/criteria.js';
import type { CriterionResult, Summary } from '../model/summary.js';
import { formatDuration, sortCriteria, sortFindings } from './order.js';
import { oneLine, terminalSafe, truncate } from './text.js';

export interface TerminalOptions {
  /** ANSI colours; false for CI logs and anything that is not a TTY. */
  color: boolean;
  /** Longest reason shown per criterion (characters). */
  maxReason?: number;
}

export const STATUS_SYMBOL: Record<CriterionStatus, string> = {
  passed: '✔',
  failed: '✘',
  error: '!',
  'not-run': '-',
};

const ANSI = { green: 32, red: 31, yellow: 33, dim: 2, bold: 1 } as const;
type Style = keyof typeof ANSI;

const STATUS_STYLE: Record<CriterionStatus, Style> = {
  passed: 'green',
  failed: 'red',
  error: 'yellow',
  'not-run': 'dim',
};

const ID_WIDTH = Math.max(...[...STAGE4_CRITERIA, ...ADVISORY_CRITERIA].map((id) => id.length)) + 2;

/** Text from the target, made harmless and short: one line, no control characters. */
function clean(text: string, max: number): string {
  return truncate(terminalSafe(oneLine(text)), max);
}

function passedCount(criteria: CriterionResult[], ids: readonly string[]): number {
  return ids.filter((id) => criteria.some((c) => c.id === id && c.status === 'passed')).length;
}

/**
 * What a person sees at the end of a run: the verdict first, one line per
 * criterion, findings as warnings, and where the reports are.
 */
export function formatTerminalSummary(summary: Summary, options: TerminalOptions): string {
  const paint = (style: Style, text: string) =>
    options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;
  const maxReason = options.maxReason ?? 160;
  const criteria = sortCriteria(summary.criteria);
  const lines: string[] = [];

  const verdict =
    summary.verdict === 'pass' ? paint('green', paint('bold', 'PASS')) : paint('red', paint('bold', 'FAIL'));
  const stage4 = `${passedCount(criteria, STAGE4_CRITERIA)}/${STAGE4_CRITERIA.length} Stage 4 criteria passed`;
  const advisory = `advisory ${passedCount(criteria, ADVISORY_CRITERIA)}/${ADVISORY_CRITERIA.length}`;
  const deadline = summary.deadlineHit ? `, ${paint('red', 'deadline hit')}` : '';
  lines.push(`${verdict} ${stage4} (${advisory})${deadline} in ${formatDuration(summary.durationMs)}`);
  lines.push(
    paint(
      'dim',
      `target: ${clean(summary.target.command.join(' '), 120)}${summary.target.reference ? ' (reference)' : ''}` +
        ` · profile: ${clean(summary.profile.name, 60)} · run: ${clean(summary.runId, 80)}`,
    ),
  );

  const line = (criterion: CriterionResult) => {
    const symbol = paint(STATUS_STYLE[criterion.status], STATUS_SYMBOL[criterion.status]);
    const reason = clean(criterion.message, maxReason) || criterion.status;
    return `  ${symbol} ${criterion.id.padEnd(ID_WIDTH)}${reason}`;
  };
  lines.push('');
  for (const criterion of criteria.filter((c) => !c.advisory)) lines.push(line(criterion));
  const advisories = criteria.filter((c) => c.advisory);
  if (advisories.length > 0) {
    lines.push(paint('dim', '  advisory (never changes the verdict):'));
    for (const criterion of advisories) lines.push(line(criterion));
  }
  const missing = STAGE4_CRITERIA.filter((id) => !criteria.some((c) => c.id === id));
  if (missing.length > 0) lines.push(`  ${paint('red', '✘')} no result for: ${missing.join(', ')}`);

  const findings = sortFindings(summary.findings);
  if (findings.length > 0) {
    lines.push('');
    for (const finding of findings) {
      const label = finding.severity === 'warning' ? paint('yellow', 'warning') : paint('dim', 'info');
      const where = finding.phase ? ` (${clean(finding.phase, 40)})` : '';
      lines.push(`${label}[${clean(finding.id, 40)}]${where}: ${clean(finding.message, maxReason * 2)}`);
    }
  }

  lines.push('');
  lines.push(`Reports: ${clean(summary.reportsDir, 400)}`);
  return `${lines.join('\n')}\n`;
}
