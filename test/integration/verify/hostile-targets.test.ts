/**
 * Targets that misbehave on purpose (test/fixtures/targets/<name>/vpcctl, most
 * wrapping the reference and breaking at one step). For each: the run ends
 * before its deadline with a failed verdict and the precise statuses (criteria
 * judged before the break pass, the broken ones do not), honest messages,
 * valid reports (JUnit parses, HTML escapes), and the host is untouched.
 *
 * Exit code: 1 for all of them, also `pkill`, which kills the harness itself:
 * a target that breaks the harness is a failed target (what finished before
 * the kill judged from events.jsonl, the rest `error`, a `harness-killed`
 * finding); 4 stays for vpc-verify's own bugs.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSnapshots, hostSnapshot } from '../../../lab/sandbox/host-snapshot.js';
import { parseEvents } from '../../../src/events/jsonl.js';
import type { CriterionId, CriterionStatus } from '../../../src/model/criteria.js';
import { STAGE4_PLAN } from '../../../src/plan/stage4.js';
import { formatTerminalSummary } from '../../../src/reports/index.js';
import { limit } from '../../helpers/limit.js';
import { expectFindingEverywhere, expectValidReports, parseJUnit } from '../../helpers/reports-check.js';
import { isRoot } from '../../helpers/root.js';
import { type CliRun, FIXTURES, readReport, statuses, verifyCli } from '../../helpers/verify-cli.js';

const DEADLINE_S = 240;
const TEST_TIMEOUT_MS = 900_000;
const slot = limit(3);

interface FixtureRun {
  run: CliRun;
  /** Host views that differ before and after the run (must be none). */
  hostChanged: string[];
}

async function verifyFixture(name: string): Promise<FixtureRun> {
  return slot(async () => {
    const dir = join(FIXTURES, name);
    const before = await hostSnapshot();
    const run = await verifyCli([
      dir,
      '--profile',
      join(dir, 'profile.json'),
      '--deadline',
      String(DEADLINE_S),
    ]);
    const after = await hostSnapshot();
    return { run, hostChanged: diffSnapshots(before, after) };
  });
}

type Expected = Record<CriterionId, CriterionStatus>;

/** Every Stage 4 and advisory criterion passed; fixtures list what they break. */
function passedBut(broken: Partial<Expected>): Expected {
  return {
    'vpc-created': 'passed',
    'intra-vpc-routing': 'passed',
    'app-deployed': 'passed',
    'nat-public-egress': 'passed',
    'nat-private-blocked': 'passed',
    'isolation-default': 'passed',
    'peering-public': 'passed',
    'peering-private-blocked': 'passed',
    'policy-allowed': 'passed',
    'policy-denied': 'passed',
    'teardown-clean': 'passed',
    'rejects-bad-input': 'passed',
    'idempotent-create': 'passed',
    'source-preserved': 'passed',
    'inspect-works': 'passed',
    'teardown-independent': 'passed',
    ...broken,
  };
}

/** The checks every hostile run must pass, whatever the fixture. */
function expectHonestEnd({ run, hostChanged }: FixtureRun, expected: Expected, exitCode = 1): void {
  expect(hostChanged, 'host views that changed').toEqual([]);
  expect(run.exitCode, run.stderr.slice(-2000)).toBe(exitCode);
  expect(run.summary.verdict).toBe(exitCode === 0 ? 'pass' : 'fail');
  expect(run.summary.deadlineHit).toBe(false);
  expect(run.durationMs).toBeLessThan((DEADLINE_S + 30) * 1000);
  expect(statuses(run.summary)).toEqual(expected);
  for (const c of run.summary.criteria.filter((x) => x.status !== 'passed')) {
    expect(c.message.length, `${c.id} has a reason`).toBeGreaterThan(20);
  }
  expectValidReports(run);
}

function message(run: CliRun, id: CriterionId): string {
  return run.summary.criteria.find((c) => c.id === id)?.message ?? '';
}

describe.skipIf(!isRoot)('vpc-verify on hostile targets', () => {
  it.concurrent(
    'crash: judged steps before the segfault pass, the steps after it fail, each note says how it died',
    async () => {
      const result = await verifyFixture('crash');
      expectHonestEnd(
        result,
        passedBut({
          'peering-public': 'failed',
          // No public pair crosses the peering: the private pairs' block proves nothing.
          'peering-private-blocked': 'failed',
          'policy-denied': 'failed',
          'teardown-clean': 'failed',
          'source-preserved': 'failed',
          'inspect-works': 'failed',
        }),
      );
      const { run } = result;
      expect(message(run, 'peering-public')).toMatch(/note: step peerVpcs failed \(killed by SIGSEGV/);
      expect(message(run, 'peering-private-blocked')).toMatch(
        /^nothing crosses the peering between vpc1 and vpc2 \(/,
      );
      expect(message(run, 'policy-denied')).toMatch(
        /note: step applyPolicy failed \(exit 139: Segmentation fault \(core dumped\)\)/,
      );
      expect(message(run, 'teardown-clean')).toMatch(/^left behind after teardown: 4 namespaces/);
      expect(message(run, 'inspect-works')).toMatch(/exited 139: Segmentation fault/);
      // Peering never happened: the private pairs' block proves nothing (it used to pass, noted).
      expect(message(run, 'peering-private-blocked')).toMatch(
        /note: step peerVpcs failed \(killed by SIGSEGV/,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'flood: megabytes at every command stay out of the reports, and the one broken step is still named by its last line',
    async () => {
      const result = await verifyFixture('flood');
      expectHonestEnd(result, passedBut({ 'policy-denied': 'failed' }));
      const { run } = result;
      expect(message(run, 'policy-denied')).toMatch(
        /note: step applyPolicy failed \(exit 1: apply-policy: gave up after all that output, nothing applied\)$/,
      );
      expect(readReport(run, 'transcript.log')).toMatch(/\[\.\.\. \d+ bytes not kept \.\.\.\]/);
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'hostile-output: control bytes, ]]>, <script>, ANSI escapes and invalid UTF-8 reach every report harmlessly',
    async () => {
      const result = await verifyFixture('hostile-output');
      expectHonestEnd(
        result,
        passedBut({
          'peering-public': 'failed',
          'peering-private-blocked': 'failed',
          'source-preserved': 'failed',
        }),
      );
      const { run } = result;
      // summary.json keeps the text as it came (JSON can carry anything) ...
      expect(message(run, 'peering-public')).toContain('<script>alert(1)</script>');
      expect(message(run, 'peering-public')).toContain('\u0000');
      // ... JUnit carries it as text, not markup, with XML-invalid characters replaced ...
      const peering = parseJUnit(run)
        .flatMap((s) => s.testcase ?? [])
        .find((t) => t.name === 'peering-public');
      expect(peering?.failure?.message).toContain('<script>alert(1)</script>');
      expect(peering?.failure?.message).toContain('nul[\uFFFD]');
      expect(peering?.['system-out']).toContain(']]>');
      // ... report.html escapes it, and the terminal shows escapes instead of obeying them.
      const html = readReport(run, 'report.html');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
      const terminal = formatTerminalSummary(run.summary, { color: false, maxReason: 100_000 });
      expect(terminal).not.toContain('\u001b');
      expect(terminal).toMatch(
        /peering-public +.*hostile: nul\[\\x00\] c0\[\\x01\\x02\\x07\\x08 \\x1f\] del\[\\x7f\]/,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'daemons: background processes (setsid, stdout holders) neither hang a step nor go unnoticed',
    async () => {
      const result = await verifyFixture('daemons');
      expectHonestEnd(result, passedBut({ 'teardown-clean': 'failed', 'idempotent-create': 'failed' }));
      const { run } = result;
      for (const step of run.summary.phases.flatMap((p) => p.steps))
        expect(step.status, step.step).not.toBe('timeout');
      expect(message(run, 'teardown-clean')).toMatch(/^left behind after teardown: \d+ processes \(/);
      expect(message(run, 'idempotent-create')).toMatch(/changed the sandbox the second time: processes: /);
      expectFindingEverywhere(run, 'leftover-process', 'teardown');
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'nuke-netns: `ip -all netns delete` mid-lab fails what it destroyed, and the run goes on',
    async () => {
      const result = await verifyFixture('nuke-netns');
      expectHonestEnd(
        result,
        passedBut({
          'isolation-default': 'failed',
          'peering-public': 'failed',
          'peering-private-blocked': 'failed',
          'policy-allowed': 'failed',
          'policy-denied': 'failed',
          'source-preserved': 'failed',
          'teardown-independent': 'failed',
        }),
      );
      const { run } = result;
      expect(message(run, 'isolation-default')).toMatch(
        /^subnet vpc1\/publicsub \(10\.0\.1\.0\/24\) was not found in phase vpc2: no namespace holds an address inside 10\.0\.1\.0\/24/,
      );
      expect(message(run, 'teardown-independent')).toMatch(/there are no named namespaces at all/);
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'flush-iptables: every table flushed after allow-cidr opens what peering must keep closed',
    async () => {
      const result = await verifyFixture('flush-iptables');
      expectHonestEnd(result, passedBut({ 'peering-private-blocked': 'failed' }));
      expect(message(result.run, 'peering-private-blocked')).toMatch(
        /vpc1 public -> vpc2 private got through: expected blocked, got connected/,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'pkill: a target that kills the harness mid-run: what finished before is judged from events.jsonl, the rest is error, never a pass',
    async () => {
      const result = await verifyFixture('pkill');
      // Killed during peering: the phases before it finished, peering was cut short, the later ones never began.
      const cutShort = ['peering-public', 'peering-private-blocked', 'source-preserved'] as const;
      const neverReached = [
        'policy-allowed',
        'policy-denied',
        'teardown-clean',
        'inspect-works',
        'teardown-independent',
      ] as const;
      const undecided = Object.fromEntries(
        [...cutShort, ...neverReached].map((id) => [id, 'error' as CriterionStatus]),
      ) as Partial<Expected>;
      expectHonestEnd(result, passedBut(undecided));
      const { run } = result;
      const killed =
        /^the harness was killed \(SIGKILL\) while the target ran `\S+\/pkill\/vpcctl peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2` \(step peerVpcs\) in phase peering/;
      for (const id of cutShort) {
        expect(message(run, id)).toMatch(killed);
        expect(message(run, id)).toMatch(
          new RegExp(`; ${id} needs phase peering, which the kill cut short$`),
        );
      }
      for (const id of neverReached) {
        expect(message(run, id)).toMatch(killed);
        expect(message(run, id)).toMatch(/needs phase \S+, which was never reached$/);
      }
      expectFindingEverywhere(run, 'harness-killed');
      // Every probe of vpc1 and vpc2 was on disk before the kill.
      const recorded = parseEvents(readReport(run, 'events.jsonl')).events.flatMap((e) =>
        e.kind === 'probe' ? [`${e.phase} ${e.result.id}`] : [],
      );
      for (const phase of ['vpc1', 'vpc2'] as const) {
        const planned = STAGE4_PLAN.phases
          .find((p) => p.id === phase)
          ?.stages.flatMap((stage) => stage.probes.map((spec) => `${phase} ${spec.id}`));
        expect(planned?.length).toBeGreaterThan(0);
        expect(recorded.filter((r) => r.startsWith(`${phase} `)).sort()).toEqual([...(planned ?? [])].sort());
      }
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'fill-tmp: a full /tmp breaks the target (ENOSPC), not the harness, and not the machine',
    async () => {
      const result = await verifyFixture('fill-tmp');
      expectHonestEnd(
        result,
        passedBut({
          'peering-public': 'failed',
          // No public pair crosses the peering: the private pairs' block proves nothing.
          'peering-private-blocked': 'failed',
          'policy-denied': 'failed',
          'teardown-clean': 'failed',
          'source-preserved': 'failed',
        }),
      );
      const { run } = result;
      expect(message(run, 'peering-public')).toMatch(/note: step allowCidr failed \(exit 1: .*ENOSPC/);
      expect(message(run, 'policy-denied')).toMatch(
        /note: step applyPolicy failed \(the harness could not prepare this step .*ENOSPC/,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'warnings: a passing target with a settle stall and un-NATed private packets passes, with both warnings in every report',
    async () => {
      const result = await verifyFixture('warnings');
      expectHonestEnd(result, passedBut({}), 0);
      const { run } = result;
      expectFindingEverywhere(run, 'settle-stall', 'peering');
      expectFindingEverywhere(run, 'unnatted-wan-leak', 'vpc1');
      const stall = run.summary.findings.find((f) => f.id === 'settle-stall');
      const seconds = Number(/needed ([\d.]+) s/.exec(stall?.message ?? '')?.[1]);
      expect(seconds).toBeGreaterThanOrEqual(4);
      expect(seconds).toBeLessThan(30);
    },
    TEST_TIMEOUT_MS,
  );
});
