import type { ProbeResult } from '../model/probe.js';
import type { CriterionResult } from '../model/summary.js';

function expectedWord(probe: ProbeResult): string {
  return probe.expected === 'allowed' ? 'connects' : 'is blocked';
}

/** `vpc1 public -> vpc2 private tcp/7070: expected is blocked, got connected (3 tries)\n  $ ip netns exec ...` */
export function describeProbe(probe: ProbeResult): string {
  const what = `${probe.kind}${probe.port ? `/${probe.port}` : ''}`;
  return (
    `${probe.from.label} -> ${probe.to.label} ${what}: expected ${expectedWord(probe)}, got ${probe.outcome}` +
    `${probe.tries > 1 ? ` (${probe.tries} tries)` : ''}${probe.detail ? ` [${probe.detail}]` : ''}\n  $ ${probe.command}`
  );
}

function probeFailed(probe: ProbeResult): boolean {
  if (probe.expected === 'allowed') return probe.outcome !== 'connected';
  return probe.outcome !== 'timeout' && probe.outcome !== 'unreachable';
}

/** The failure text of a criterion: the reason, then each failing probe with its pasteable command. */
export function explainCriterion(result: CriterionResult, title: string): string {
  const failing = result.probes.filter(probeFailed);
  const lines = [`${result.id} (${title}): ${result.message}`];
  for (const probe of failing.slice(0, 8)) lines.push(describeProbe(probe));
  if (failing.length > 8) lines.push(`... and ${failing.length - 8} more failing probes (see report.html)`);
  return lines.join('\n');
}
