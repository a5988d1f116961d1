import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { foreignProcesses } from '../../../lab/snapshot.js';

const started: number[] = [];

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function daemon(script: string): Promise<void> {
  // detached: a group of its own, as every target command runs (so it is foreign to the harness).
  const child = spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('bash did not start');
  started.push(child.pid);
  // Until bash has exec'd, /proc shows node's command line: wait for it (a loaded machine is slow).
  const until = Date.now() + 10_000;
  while (!readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').includes(script) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('foreignProcesses', () => {
  it("lists a target's daemon once, not the children it keeps starting", async () => {
    const script = 'sleep 41 & sleep 42 & while :; do sleep 0.05; done';
    await daemon(script);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const listed = foreignProcesses(new Set([process.pid]));
      expect(listed.filter((cmd) => cmd === `bash -c ${script}`)).toHaveLength(1);
      for (const cmd of listed) seen.add(cmd);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Only this daemon's children: other processes of the machine may run a sleep of their own.
    expect([...seen].filter((cmd) => ['sleep 41', 'sleep 42', 'sleep 0.05'].includes(cmd))).toEqual([]);
  });

  it('lists two independent daemons with the same command twice', async () => {
    const script = 'while :; do sleep 1; done';
    await daemon(script);
    await daemon(script);
    const listed = foreignProcesses(new Set([process.pid]));
    expect(listed.filter((cmd) => cmd === `bash -c ${script}`)).toHaveLength(2);
  });
});
