import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CRITERIA } from '../../../src/criteria/ids.js';
import { parseEvents } from '../../../src/events/jsonl.js';
import type { ProbeResult } from '../../../src/model/probe.js';
import { isRoot } from '../../helpers/root.js';
import { type CliRun, FIXTURES, readReport, statuses, verifyCli } from '../../helpers/verify-cli.js';

/**
 * Tools whose "blocked" would be vacuous, and one whose block came early: each
 * must get exactly its verdicts (docs/profiles.md "Positive controls").
 */
const FIXTURE_NAMES = ['nat-none', 'peering-breaks-all', 'blocks-22-at-create', 'no-ip-forward'] as const;
type FixtureName = (typeof FIXTURE_NAMES)[number];

// Nothing routes without forwarding: every must-connect probe would retry to the default limit.
const EXTRA_ARGS: Partial<Record<FixtureName, string[]>> = { 'no-ip-forward': ['--settle-timeout', '5'] };

function allPassedBut(failed: Record<string, string>): Record<string, string> {
  return { ...Object.fromEntries(ALL_CRITERIA.map((id) => [id, 'passed'])), ...failed };
}

function messageOf(run: CliRun, id: string): string {
  return run.summary.criteria.find((c) => c.id === id)?.message ?? '';
}

function probeResults(run: CliRun): ProbeResult[] {
  return parseEvents(readReport(run, 'events.jsonl')).events.flatMap((e) =>
    e.kind === 'probe' ? [e.result] : [],
  );
}

// Four labs at once on a shared machine: the first one awaited waits for the slowest start.
const LAB_TIMEOUT_MS = 600_000;

describe.skipIf(!isRoot)('controls: a block counts only where the same kind of path carries traffic', () => {
  const runs = new Map<FixtureName, Promise<CliRun>>();
  const runOf = (name: FixtureName) => {
    let run = runs.get(name);
    if (!run) {
      const dir = join(FIXTURES, name);
      run = verifyCli([dir, '--profile', join(dir, 'profile.json'), ...(EXTRA_ARGS[name] ?? [])]);
      runs.set(name, run);
    }
    return run;
  };
  // All at once: each builds its lab in its own sandbox.
  for (const name of FIXTURE_NAMES) void runOf(name).catch(() => undefined);

  it(
    'nat-none: NAT works for no subnet, so vpc1 private being blocked proves nothing',
    async () => {
      const run = await runOf('nat-none');
      expect(statuses(run.summary), run.stderr).toEqual(
        allPassedBut({ 'nat-public-egress': 'failed', 'nat-private-blocked': 'failed' }),
      );
      expect(messageOf(run, 'nat-private-blocked')).toMatch(
        /^nothing in vpc1 reaches the internet host \(ICMP vpc1 public -> \S+ got timeout.*\), so vpc1 private being blocked \(ICMP vpc1 private -> \S+: timeout\) proves nothing/,
      );
    },
    LAB_TIMEOUT_MS,
  );

  it(
    'peering-breaks-all: the peering carries nothing, so the private pairs being blocked proves nothing',
    async () => {
      const run = await runOf('peering-breaks-all');
      expect(statuses(run.summary), run.stderr).toEqual(
        allPassedBut({
          'peering-public': 'failed',
          'peering-private-blocked': 'failed',
          // It reads the source address on the peering's TCP probes, which never arrive.
          'source-preserved': 'failed',
        }),
      );
      expect(messageOf(run, 'peering-private-blocked')).toMatch(
        /^nothing crosses the peering between vpc1 and vpc2 \(ICMP vpc1 public -> vpc2 public got timeout.*\), so vpc\d (public|private) being blocked \(.*\) proves nothing/,
      );
    },
    LAB_TIMEOUT_MS,
  );

  it(
    'blocks-22-at-create: policy-denied is judged after the policy; 22 blocked before it is an info finding, tried once',
    async () => {
      const run = await runOf('blocks-22-at-create');
      expect(statuses(run.summary), run.stderr).toEqual(allPassedBut({}));
      const early = run.summary.findings.find((f) => f.id === 'blocked-before-step');
      expect(early).toMatchObject({ severity: 'info', phase: 'policy' });
      expect(early?.message).toMatch(
        /^vpc1 private -> vpc1 public:22 was already blocked before the policy \(stage policy-before: timeout on its one try\)/,
      );
      const before = probeResults(run).find(
        (p) => p.id === 'policy-before:tcp:vpc1/privatesub->vpc1/publicsub:22',
      );
      expect(before).toMatchObject({ outcome: 'timeout', tries: 1, once: true });
    },
    LAB_TIMEOUT_MS,
  );

  it(
    'no-ip-forward: nothing routes, not even inside a VPC, so no isolation criterion passes',
    async () => {
      const run = await runOf('no-ip-forward');
      expect(statuses(run.summary), run.stderr).toEqual(
        allPassedBut({
          'intra-vpc-routing': 'failed',
          'app-deployed': 'failed',
          'nat-public-egress': 'failed',
          'nat-private-blocked': 'failed',
          'isolation-default': 'failed',
          'peering-public': 'failed',
          'peering-private-blocked': 'failed',
          'policy-allowed': 'failed',
          'policy-denied': 'failed',
          'teardown-independent': 'failed',
          'source-preserved': 'failed',
        }),
      );
      // 22 did not answer before the policy because nothing routes, not because of an early block.
      expect(run.summary.findings.map((f) => f.id)).not.toContain('blocked-before-step');
      expect(messageOf(run, 'isolation-default')).toMatch(
        /^positive control (ICMP|TCP) vpc\d (public|private) -> vpc\d (public|private)(:\d+)?: expected allowed, got timeout/,
      );
    },
    LAB_TIMEOUT_MS,
  );
});
