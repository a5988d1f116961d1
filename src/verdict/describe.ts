import type { ProbeResult } from '../model/probe.js';

/** `TCP vpc1 private -> vpc2 public:7070` */
export function describeProbe(p: ProbeResult): string {
  const port = p.kind !== 'icmp' && p.port !== undefined ? `:${p.port}` : '';
  return `${p.kind.toUpperCase()} ${p.from.label} -> ${p.to.label}${port}`;
}

/** `expected blocked, got connected (HTTP 200); command: ip netns exec ...` */
export function probeEvidence(p: ProbeResult, got: string = p.outcome): string {
  const tries = p.tries > 1 ? ` after ${p.tries} tries` : '';
  const detail = p.detail ? ` (${p.detail})` : '';
  const command = p.command ? `; command: ${p.command}` : '';
  return `expected ${p.expected}, got ${got}${tries}${detail}${command}`;
}

/** First non-empty line, shortened for one-line messages. */
export function oneLine(text: string, max = 160): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** Last non-empty line, shortened: where a failing CLI says why (after chatter, at the end of a traceback). */
export function lastLine(text: string, max = 160): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .findLast((l) => l !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

export function listSome(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} (+${items.length - max} more)` : shown;
}
