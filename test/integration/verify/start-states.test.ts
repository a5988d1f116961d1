import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../../src/model/summary.js';
import type { StateDifference } from '../../../src/verify/compare-start-states.js';
import { readHostSettings } from '../../../src/verify/host-settings.js';
import { expectFindingEverywhere, expectValidReports } from '../../helpers/reports-check.js';
import { isRoot } from '../../helpers/root.js';
import { asCliRun, FIXTURES, statuses, verifyCliJson } from '../../helpers/verify-cli.js';

interface ComparisonJson {
  startStates: string[];
  differences: StateDifference[];
  finding: { id: string; severity: string; message: string } | null;
  runs: Summary[];
}

describe.skipIf(!isRoot)('vpc-verify --compare-start-states', () => {
  it('finds no difference for the reference: it sets what it needs from any start state', async () => {
    const result = await verifyCliJson<ComparisonJson>(['--compare-start-states']);
    expect(result.exitCode, result.stderr.slice(-2000)).toBe(0);
    const { json } = result;
    expect(json.startStates).toEqual(['fresh', 'docker-host']);
    expect(json.differences).toEqual([]);
    expect(json.finding).toBeNull();
    expect(json.runs.map((r) => [r.environment.startState.name, r.verdict])).toEqual([
      ['fresh', 'pass'],
      ['docker-host', 'pass'],
    ]);
    // summary.json records what the sandbox started from: docker-host is a runner with Docker.
    expect(json.runs[0]?.environment.startState).toMatchObject({
      ipForward: 0,
      forwardPolicy: 'ACCEPT',
      dockerChains: false,
    });
    expect(json.runs[1]?.environment.startState).toMatchObject({
      ipForward: 1,
      forwardPolicy: 'DROP',
      dockerChains: true,
    });
    // br_netfilter is a kernel module (host-wide, never loaded by a run): the sandbox has
    // bridge-nf-call-iptables exactly when the host has the module, and records its value or its absence.
    const hostHasBrNetfilter = existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables');
    const host = await readHostSettings();
    for (const run of json.runs) {
      const bridge = run.environment.startState.bridgeNfCallIptables;
      if (hostHasBrNetfilter) expect([0, 1]).toContain(bridge);
      else expect(bridge).toBe('absent (br_netfilter not loaded)');
      // And every report records the host's own settings, read before the run.
      expect(run.environment.host).toEqual(host);
    }
    for (const run of json.runs) {
      expect(run.findings.map((f) => f.id)).not.toContain('start-state-dependent');
      expectValidReports(asCliRun(run, result));
    }
  }, 300_000);

  it('flags a tool that never enables ip_forward: it passes on a Docker host and fails on fresh defaults', async () => {
    const dir = join(FIXTURES, 'no-ip-forward');
    // Under fresh defaults every must-connect probe retries to its limit: a short one keeps the run short.
    const result = await verifyCliJson<ComparisonJson>([
      dir,
      '--profile',
      join(dir, 'profile.json'),
      '--compare-start-states',
      '--settle-timeout',
      '5',
    ]);
    expect(result.exitCode, result.stderr.slice(-2000)).toBe(1);
    const { json } = result;
    const [fresh, docker] = json.runs as [Summary, Summary];
    expect(fresh.environment.startState.name).toBe('fresh');
    expect(fresh.verdict).toBe('fail');
    expect(fresh.deadlineHit).toBe(false);
    expect(docker.environment.startState.name).toBe('docker-host');
    expect(docker.verdict).toBe('pass');
    expect(statuses(fresh)['intra-vpc-routing']).toBe('failed');
    expect(statuses(fresh)['vpc-created']).toBe('passed');
    const differing = json.differences.map((d) => d.id);
    expect(differing).toContain('intra-vpc-routing');
    expect(differing).not.toContain('vpc-created');
    expect(json.differences.find((d) => d.id === 'intra-vpc-routing')?.statuses).toEqual({
      fresh: 'failed',
      'docker-host': 'passed',
    });
    expect(json.finding?.message).toMatch(
      /^verdicts differ between the start states fresh and docker-host: .*intra-vpc-routing \(fresh: failed, docker-host: passed\)/,
    );
    // Both runs' reports, rewritten on disk, carry the warning.
    for (const run of json.runs) {
      const cli = asCliRun(run, result);
      expectValidReports(cli);
      expectFindingEverywhere(cli, 'start-state-dependent');
    }
  }, 400_000);
});
