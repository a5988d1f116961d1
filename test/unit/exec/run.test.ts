import { describe, expect, it } from 'vitest';
import type { RecordEvent } from '../../../src/events/types.js';
import { CommandError, EventStream, run, runOrThrow } from '../../../src/exec/index.js';

function collect(): { events: EventStream; seen: RecordEvent[] } {
  const events = new EventStream();
  const seen: RecordEvent[] = [];
  events.add((event) => seen.push(event));
  return { events, seen };
}

describe('run', () => {
  it('returns one result shape for success', async () => {
    const { events, seen } = collect();
    const result = await run(['sh', '-c', 'echo out; echo err >&2'], { events, label: 'demo' });
    expect(result).toMatchObject({
      exitCode: 0,
      failed: false,
      timedOut: false,
      stdout: 'out\n',
      stderr: 'err\n',
      escapedCommand: "sh -c 'echo out; echo err >&2'",
      netns: undefined,
    });
    expect(Date.parse(result.startedAt)).not.toBeNaN();
    const kinds = seen.map((e) => e.kind);
    expect(kinds[0]).toBe('start');
    expect(kinds.at(-1)).toBe('end');
    const streamed = seen.flatMap((e) => (e.kind === 'output' ? [`${e.stream}:${e.chunk}`] : []));
    expect(streamed.sort()).toEqual(['stderr:err\n', 'stdout:out\n']);
  });

  it('returns the same shape for failure, without throwing', async () => {
    const result = await run(['sh', '-c', 'echo boom >&2; exit 3'], { events: new EventStream() });
    expect(result.exitCode).toBe(3);
    expect(result.failed).toBe(true);
    expect(result.stderr).toBe('boom\n');
  });

  it('reports a command that cannot start', async () => {
    const result = await run(['/nonexistent/binary-xyz'], { events: new EventStream() });
    expect(result.failed).toBe(true);
    expect(result.exitCode).toBeUndefined();
    expect(result.spawnError).toMatch(/ENOENT/);
  });

  it('kills the whole process group at the timeout', async () => {
    const started = Date.now();
    const result = await run(['sh', '-c', 'sleep 30 & sleep 30; echo never'], {
      events: new EventStream(),
      timeoutMs: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(result.failed).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('with outputToFiles, returns when the command exits although a daemon keeps its output open', async () => {
    // The background sleep inherits stdout; with pipes we would wait for it.
    const result = await run(['sh', '-c', 'echo started; (sleep 5 &) ; exit 0'], {
      events: new EventStream(),
      outputToFiles: true,
      timeoutMs: 4_000,
    });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('started\n');
  });

  it('keeps at most maxOutputBytes of a flood sent to files, from its start and its end (where errors are)', async () => {
    const result = await run(
      ['sh', '-c', 'echo first; head -c 200000 /dev/zero | tr "\\0" x; echo; echo the real error'],
      { events: new EventStream(), outputToFiles: true, maxOutputBytes: 1000 },
    );
    expect(result.stdout.length).toBeLessThan(1200);
    expect(result.stdout).toMatch(/^first\n/);
    expect(result.stdout).toMatch(/\n\[\.\.\. 1990\d\d bytes not kept \.\.\.\]\n/);
    expect(result.stdout).toMatch(/the real error\n$/);
  });

  it('passes input on stdin and closes it otherwise', async () => {
    const events = new EventStream();
    expect((await run(['cat'], { events, input: 'hello' })).stdout).toBe('hello');
    expect((await run(['cat'], { events, timeoutMs: 2_000 })).timedOut).toBe(false);
  });
});

describe('runOrThrow', () => {
  it('throws an error that names the single reason and the pasteable command', async () => {
    const error = await runOrThrow(['sh', '-c', 'echo nope >&2; exit 2'], {
      events: new EventStream(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    const commandError = error as CommandError;
    expect(commandError.code).toBe('E_COMMAND_FAILED');
    expect(commandError.message).toBe("Command failed with exit code 2: sh -c 'echo nope >&2; exit 2'\nnope");
    expect(commandError.result?.exitCode).toBe(2);
  });

  it('uses a distinct code for timeouts', async () => {
    const error = (await runOrThrow(['sleep', '5'], { events: new EventStream(), timeoutMs: 100 }).catch(
      (e: unknown) => e,
    )) as CommandError;
    expect(error.code).toBe('E_COMMAND_TIMEOUT');
    expect(error.message).toMatch(/^Command timed out after \d+ ms: sleep 5$/);
  });
});
