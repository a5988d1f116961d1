import { describe, expect, it } from 'vitest';
import { labShell } from '../../../lab/shell.js';
import { EventStream } from '../../../src/events/stream.js';
import type { RecordEvent } from '../../../src/events/types.js';

/** The zx shell builds its results with the one CommandResult builder (src/exec/result.ts). */
describe('labShell results', () => {
  it('records a command zx stopped at its timeout as timed out, not as a plain failure', async () => {
    const events = new EventStream();
    const seen: RecordEvent[] = [];
    events.add((e) => seen.push(e));
    const $ = labShell(events, { timeoutMs: 200 });
    await $`sleep 5`;
    await $`exit 2`;
    const ends = seen.flatMap((e) => (e.kind === 'end' ? [e.result] : []));
    expect(ends[0]).toMatchObject({ command: 'sleep 5', timedOut: true, failed: true, exitCode: undefined });
    expect(ends[0]?.signal).toBe('SIGTERM');
    expect(ends[1]).toMatchObject({ command: 'exit 2', timedOut: false, failed: true, exitCode: 2 });
  });
});
