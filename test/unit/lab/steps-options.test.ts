import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStep, type StepRunOptions } from '../../../lab/steps.js';
import { EventStream } from '../../../src/exec/events.js';
import type { RenderedCommand } from '../../../src/profiles/render.js';

const cwd = mkdtempSync(join(tmpdir(), 'steps-test-'));

function options(commands: RenderedCommand[], extra: Partial<StepRunOptions> = {}): StepRunOptions {
  return {
    step: 'deployHttp',
    phase: 'vpc1',
    commands,
    timeoutMs: 10_000,
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    events: new EventStream(),
    ...extra,
  };
}

const cmd = (argv: string[], opts: Partial<RenderedCommand> = {}): RenderedCommand =>
  Object.assign([...argv], opts);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runStep', () => {
  it('stops at a failing command unless it is allowed to fail', async () => {
    const stopped = await runStep(options([cmd(['false']), cmd(['true'])]));
    expect(stopped.status).toBe('failed');
    expect(stopped.commands).toHaveLength(1);
    expect(Object.keys(stopped)).not.toContain('allowedFailures');

    const goesOn = await runStep(options([cmd(['false'], { allowFail: true }), cmd(['echo', 'after'])]));
    expect(goesOn.status).toBe('ran');
    expect(goesOn.commands.map((c) => c.exitCode)).toEqual([1, 0]);
    expect(goesOn.lastStdout).toBe('after\n');
    expect(goesOn.allowedFailures).toEqual(['false exited with 1']);
    expect(goesOn.message).toBe('allowed to fail and failed: false exited with 1');
  });

  it('starts a daemon, waits until its port answers and leaves it running', async () => {
    let checks = 0;
    const result = await runStep(
      options([cmd(['sleep', '30'], { daemon: { port: 80, host: '10.0.1.2', readyMs: 10_000 } })], {
        portCheck: async (host, port) => {
          expect([host, port]).toEqual(['10.0.1.2', 80]);
          checks += 1;
          return checks >= 3 ? { netns: 'vpc1-pub' } : false;
        },
      }),
    );
    expect(result.status).toBe('ran');
    expect(result.daemons).toHaveLength(1);
    const [daemon] = result.daemons ?? [];
    expect(daemon).toMatchObject({ command: 'sleep 30', port: 80, host: '10.0.1.2', netns: 'vpc1-pub' });
    expect(alive(daemon?.pid ?? -1)).toBe(true);
    process.kill(-(daemon?.pid ?? 0), 'SIGKILL');
  });

  it('fails a daemon that ends before its port answers, or never answers (and kills it)', async () => {
    const ended = await runStep(
      options(
        [
          cmd(['sh', '-c', 'echo no port here >&2; exit 3'], {
            daemon: { port: 80, host: 'h', readyMs: 5_000 },
          }),
        ],
        {
          portCheck: async () => false,
        },
      ),
    );
    expect(ended.status).toBe('failed');
    expect(ended.message).toMatch(
      /was to keep running \(daemon\) and serve port 80 on h, but it ended first \(exit 3\)/,
    );
    expect(ended.commands[0]?.stderr).toContain('no port here');

    const silent = await runStep(
      options([cmd(['sleep', '30'], { daemon: { port: 81, host: 'h', readyMs: 600 } })], {
        portCheck: async () => false,
      }),
    );
    expect(silent.status).toBe('failed');
    expect(silent.message).toMatch(/did not answer on h:81 within 600 ms and was killed/);
    expect(silent.daemons).toBeUndefined();
  });

  it('runs setup above a cwd that setup creates, and fails other steps there clearly', async () => {
    const future = join(cwd, 'made-by-setup', 'deeper');
    const setup = await runStep(
      options([cmd(['mkdir', '-p', future]), cmd(['pwd'])], { step: 'setup', cwd: future }),
    );
    expect(setup.status).toBe('ran');
    expect(setup.lastStdout.trim()).toBe(cwd);

    const other = await runStep(options([cmd(['true'])], { step: 'createVpc', cwd: join(cwd, 'nowhere') }));
    expect(other.status).toBe('failed');
    expect(other.message).toMatch(/working directory .*nowhere does not exist \(the profile's "cwd"/);
  });
});
