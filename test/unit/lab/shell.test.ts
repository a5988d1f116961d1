import { describe, expect, it } from 'vitest';
import { labShell } from '../../../lab/shell.js';
import type { RecordEvent } from '../../../src/events/types.js';
import { EventStream } from '../../../src/exec/events.js';

describe('labShell', () => {
  it('runs zx commands and reports each as start/end events with quoted arguments and output', async () => {
    const events = new EventStream();
    const seen: RecordEvent[] = [];
    events.add((event) => seen.push(event));
    const $ = labShell(events);
    const word = "it's two words";
    const result = await $`echo ${word}; echo err >&2; exit 3`;
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe("it's two words\n");
    const start = seen.find((e) => e.kind === 'start');
    const end = seen.find((e) => e.kind === 'end');
    expect(start?.kind === 'start' && start.escapedCommand).toContain("$'it\\'s two words'");
    expect(end?.kind === 'end' && end.result).toMatchObject({
      exitCode: 3,
      stdout: "it's two words\n",
      stderr: 'err\n',
    });
  });
});
