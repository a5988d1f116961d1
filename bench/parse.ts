/**
 * Readers for the last lines that bench/checklist.sh and bench/build-lab.sh
 * print. Both scripts time themselves inside the sandbox, so sandbox start-up
 * stays out of their figures.
 */

/** `key=value` tokens after a `prefix:` (values without spaces). */
export function keyValues(line: string, prefix: string): Record<string, string> | undefined {
  const start = `${prefix}:`;
  if (!line.startsWith(start)) return undefined;
  const out: Record<string, string> = {};
  for (const token of line.slice(start.length).trim().split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq > 0) out[token.slice(0, eq)] = token.slice(eq + 1);
  }
  return out;
}

function lastKeyValues(output: string, prefix: string): Record<string, string> | undefined {
  const lines = output.split('\n').reverse();
  for (const line of lines) {
    const found = keyValues(line.trim(), prefix);
    if (found) return found;
  }
  return undefined;
}

function wholeNumber(fields: Record<string, string>, key: string): number {
  const text = fields[key];
  if (text === undefined || !/^\d+$/.test(text))
    throw new Error(`missing or bad ${key}= in "${JSON.stringify(fields)}"`);
  return Number(text);
}

export interface ChecklistOutcome {
  passed: number;
  failed: number;
  /** The names of the checks that printed FAIL. */
  failures: string[];
  vpcctlMs: number;
  checksMs: number;
  totalMs: number;
}

/** Reads checklist.sh's output; undefined when its closing line is missing (it did not finish). */
export function parseChecklist(output: string): ChecklistOutcome | undefined {
  const fields = lastKeyValues(output, 'checklist');
  if (!fields) return undefined;
  const failures = output
    .split('\n')
    .filter((line) => line.startsWith('FAIL '))
    .map((line) => line.slice(5).trim());
  return {
    passed: wholeNumber(fields, 'passed'),
    failed: wholeNumber(fields, 'failed'),
    failures,
    vpcctlMs: wholeNumber(fields, 'vpcctl_ms'),
    checksMs: wholeNumber(fields, 'checks_ms'),
    totalMs: wholeNumber(fields, 'total_ms'),
  };
}

export interface BuildLabOutcome {
  mode: string;
  /** The lab answered afterwards (app, peering, NAT). */
  ok: boolean;
  buildMs: number;
  calls: number;
  /** Mean `vpcctl --version` time (0 for the seed script). */
  noopMs: number;
  /** Mean `node -e 0` time (0 for the seed script). */
  nodeMs: number;
  /** Each vpcctl call and its time, in order. */
  commands: { command: string; ms: number }[];
}

export function parseBuildLab(output: string): BuildLabOutcome | undefined {
  const fields = lastKeyValues(output, 'build-lab');
  if (!fields) return undefined;
  const commands = output
    .split('\n')
    .map((line) => /^cmd_ms=(\d+) (.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ command: m[2] as string, ms: Number(m[1]) }));
  return {
    mode: fields.mode ?? '',
    ok: fields.ok === '1',
    buildMs: wholeNumber(fields, 'build_ms'),
    calls: wholeNumber(fields, 'calls'),
    noopMs: wholeNumber(fields, 'noop_ms'),
    nodeMs: wholeNumber(fields, 'node_ms'),
    commands,
  };
}
