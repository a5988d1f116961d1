import { describe, expect, it } from 'vitest';
import type { CriterionId } from '../../../src/model/criteria.js';
import type { CommandCheck } from '../../../src/model/evidence.js';
import type { CriterionResult } from '../../../src/model/summary.js';
import { evaluate } from '../../support/criteria.js';
import { buildEvidence, phaseOf } from './lab-model.js';

function get(results: CriterionResult[], id: CriterionId): CriterionResult {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(id);
  return found;
}

const reject = (over: Partial<CommandCheck> = {}): CommandCheck => ({
  title: 'create-vpc with a prefix longer than 32 (10.0.0.0/33)',
  command: 'vpcctl create-vpc --name vbad1 --cidr 10.0.0.0/33',
  exitCode: 2,
  stdout: '',
  stderr: 'error: invalid CIDR 10.0.0.0/33\n',
  leftBehind: [],
  want: 'reject',
  criterion: 'rejects-bad-input',
  ...over,
});

async function withChecks(phase: string, checks: CommandCheck[]) {
  const evidence = await buildEvidence();
  phaseOf(evidence, phase).checks = checks;
  return evaluate(evidence);
}

describe('rejects-bad-input', () => {
  it('passes when every bad input exits non-zero with a message and leaves nothing', async () => {
    const r = get(
      await withChecks('bad-input', [reject(), reject({ title: 'add-subnet outside its VPC' })]),
      'rejects-bad-input',
    );
    expect(r).toMatchObject({ status: 'passed', advisory: true });
    expect(r.message).toBe('every bad input was rejected with a message and left nothing behind (2 checks)');
  });

  it('a skipped check (the profile cannot express it) is neutral; all skipped is not-run with the reason', async () => {
    const skipped = reject({
      title: 'add-subnet outside its VPC',
      exitCode: undefined,
      skipped: 'never passes {cidr}',
    });
    const mixed = get(await withChecks('bad-input', [reject(), skipped]), 'rejects-bad-input');
    expect(mixed.status).toBe('passed');
    // Neutral, but named: a grader sees which check was never put to the tool.
    expect(mixed.message).toBe(
      'every bad input was rejected with a message and left nothing behind (1 checks); 1 not put to the tool: add-subnet outside its VPC: never passes {cidr}',
    );
    const all = get(await withChecks('bad-input', [skipped]), 'rejects-bad-input');
    expect(all.status).toBe('not-run');
    expect(all.message).toMatch(/never passes \{cidr\}/);
  });

  it('fails on accepted bad input, naming the command', async () => {
    const r = get(
      await withChecks('bad-input', [reject(), reject({ exitCode: 0, stderr: '' })]),
      'rejects-bad-input',
    );
    expect(r.status).toBe('failed');
    expect(r.message).toBe(
      'accepted bad input: create-vpc with a prefix longer than 32 (10.0.0.0/33) (vpcctl create-vpc --name vbad1 --cidr 10.0.0.0/33) exited 0',
    );
  });

  it('fails on a silent rejection, one that leaves things behind, or one that hangs', async () => {
    const silent = get(await withChecks('bad-input', [reject({ stderr: '' })]), 'rejects-bad-input');
    expect(silent.message).toMatch(/exited 2 without a message$/);
    const messy = get(
      await withChecks('bad-input', [reject({ leftBehind: ['netns vbad1-publicsub', 'link br-vbad1'] })]),
      'rejects-bad-input',
    );
    expect(messy.message).toMatch(/was rejected but left behind: netns vbad1-publicsub, link br-vbad1$/);
    const hung = get(await withChecks('bad-input', [reject({ exitCode: undefined })]), 'rejects-bad-input');
    expect(hung.message).toMatch(/did not finish \(killed at its timeout\)$/);
  });

  it('infers the criterion of an unlabelled check from what it wanted', async () => {
    const { criterion: _drop, ...unlabelled } = reject({ exitCode: 0 });
    expect(get(await withChecks('bad-input', [unlabelled]), 'rejects-bad-input').status).toBe('failed');
  });

  it('is an error when no check was recorded', async () => {
    expect(get(await withChecks('bad-input', []), 'rejects-bad-input').status).toBe('error');
  });
});

describe('idempotent-create', () => {
  const again = (over: Partial<CommandCheck> = {}): CommandCheck => ({
    title: 'create vpc1 again (must change nothing)',
    command: 'vpcctl create-vpc --name vpc1 --cidr 10.0.0.0/16',
    exitCode: 0,
    stdout: '',
    stderr: '',
    leftBehind: [],
    want: 'accept',
    criterion: 'idempotent-create',
    ...over,
  });

  it('passes with exit 0 and no change, or a polite "already exists" and no change', async () => {
    expect(get(await withChecks('vpc1', [again()]), 'idempotent-create').status).toBe('passed');
    const polite = get(
      await withChecks('vpc1', [again({ exitCode: 1, stderr: 'VPC vpc1 already exists\n' })]),
      'idempotent-create',
    );
    expect(polite).toMatchObject({ status: 'passed' });
    expect(polite.message).toContain('refused with "VPC vpc1 already exists" and nothing changed');
  });

  it('fails when the second create changes the sandbox or errors without saying why', async () => {
    const dup = get(
      await withChecks('vpc1', [again({ leftBehind: ['rule -A FORWARD -i br-vpc1 -o br-vpc1 -j ACCEPT'] })]),
      'idempotent-create',
    );
    expect(dup.message).toMatch(/changed the sandbox the second time: rule -A FORWARD/);
    const crash = get(
      await withChecks('vpc1', [again({ exitCode: 2, stderr: 'RTNETLINK answers: File exists\n' })]),
      'idempotent-create',
    );
    expect(crash.status).toBe('failed');
    expect(crash.message).toMatch(/without saying the VPC already exists: RTNETLINK answers: File exists$/);
    const other = get(
      await withChecks('vpc1', [again({ exitCode: 2, stderr: 'Traceback (most recent call last):\n' })]),
      'idempotent-create',
    );
    expect(other.message).toMatch(/exited 2 without saying the VPC already exists: Traceback/);
  });
});

describe('inspect-works', () => {
  const inspect = (over: Partial<CommandCheck> = {}): CommandCheck => ({
    title: 'inspect',
    command: 'vpcctl inspect',
    exitCode: 0,
    stdout: 'VPC vpc1 10.0.0.0/16\n  publicsub 10.0.1.0/24 ns vpc1-publicsub\n',
    stderr: '',
    leftBehind: [],
    want: 'accept',
    criterion: 'inspect-works',
    ...over,
  });

  it('passes when it exits 0, shows the lab and changes nothing', async () => {
    const r = get(await withChecks('inspect', [inspect()]), 'inspect-works');
    expect(r.status).toBe('passed');
    expect(r.message).toMatch(/shows .*vpc1-publicsub/);
  });

  it('fails when it prints nothing about the lab, exits non-zero, or changes things', async () => {
    expect(get(await withChecks('inspect', [inspect({ stdout: 'OK\n' })]), 'inspect-works').message).toMatch(
      /printed nothing about the lab/,
    );
    expect(get(await withChecks('inspect', [inspect({ stdout: '' })]), 'inspect-works').message).toMatch(
      /printed nothing:/,
    );
    expect(
      get(await withChecks('inspect', [inspect({ exitCode: 1, stderr: 'boom' })]), 'inspect-works').message,
    ).toMatch(/exited 1: boom/);
    expect(
      get(await withChecks('inspect', [inspect({ leftBehind: ['rule x'] })]), 'inspect-works').message,
    ).toMatch(/changed the sandbox \(inspecting must not\)/);
  });
});
