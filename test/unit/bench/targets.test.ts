import { describe, expect, it } from 'vitest';
import { evaluateTargets, type Figures, formatTargets } from '../../../bench/targets.js';

const met: Figures = {
  cores: 2,
  verifyWallMs: 4000,
  harnessOverheadMs: 1500,
  checklistMs: 40_000,
  referenceBuildMs: 400,
  seedBuildMs: 1500,
  batch20: { concurrency: 4, wallMs: 55_000 },
  vpcctlStartupMs: 110,
  nodeStartupMs: 100,
};

function byId(figures: Figures) {
  return Object.fromEntries(evaluateTargets(figures).map((t) => [t.id, t]));
}

describe('evaluateTargets', () => {
  it('passes every target when the figures are within the limits', () => {
    const results = evaluateTargets(met);
    expect(results.map((t) => t.id)).toEqual([
      'verify-wall',
      'verify-vs-checklist',
      'harness-overhead',
      'reference-build',
      'reference-vs-seed',
      'batch-20',
      'vpcctl-startup',
    ]);
    expect(results.every((t) => t.ok === true)).toBe(true);
  });

  it('says by how much a time limit is missed', () => {
    const t = byId({ ...met, verifyWallMs: 18_000 })['verify-wall'];
    expect(t?.ok).toBe(false);
    expect(t?.note).toBe('missed: 3.60x the limit (+13.0 s)');
  });

  it('computes the factors from the two medians and says how short they fall', () => {
    const results = byId({
      ...met,
      verifyWallMs: 20_000,
      checklistMs: 80_000,
      referenceBuildMs: 2000,
      seedBuildMs: 500,
    });
    expect(results['verify-vs-checklist']?.measured).toBe(4);
    expect(results['verify-vs-checklist']?.ok).toBe(false);
    expect(results['reference-vs-seed']?.measured).toBe(0.25);
    expect(results['reference-vs-seed']?.note).toBe('missed: 0.25x instead of 3.00x (12.0x short)');
  });

  it('judges the start-up of a vpcctl call as a factor of node -e 0 measured beside it', () => {
    const slow = byId({ ...met, vpcctlStartupMs: 180, nodeStartupMs: 90 })['vpcctl-startup'];
    expect(slow?.measured).toBe(2);
    expect(slow?.ok).toBe(false);
    expect(slow?.note).toBe('missed: 1.33x the limit (+0.50x)');
    expect(byId({ ...met, vpcctlStartupMs: 135, nodeStartupMs: 90 })['vpcctl-startup']?.ok).toBe(true);
    expect(byId({ ...met, nodeStartupMs: undefined })['vpcctl-startup']?.ok).toBeUndefined();
  });

  it('treats the limit itself as met', () => {
    expect(byId({ ...met, referenceBuildMs: 500 })['reference-build']?.ok).toBe(true);
  });

  it('leaves unmeasured targets undecided rather than passed or failed', () => {
    const results = byId({ cores: 2, verifyWallMs: 4000 });
    expect(results['batch-20']?.ok).toBeUndefined();
    expect(results['verify-vs-checklist']?.ok).toBeUndefined();
    expect(results['verify-wall']?.ok).toBe(true);
  });

  it('names the core count when the machine is not the 2-core one the targets are for', () => {
    expect(byId({ ...met, cores: 8 })['verify-wall']?.text).toContain('8 cores here; the target is for 2');
  });
});

describe('formatTargets', () => {
  it('marks met, missed and unmeasured targets', () => {
    const lines = formatTargets(
      evaluateTargets({ cores: 2, verifyWallMs: 4000, harnessOverheadMs: 3000 }),
    ).split('\n');
    expect(lines[0]).toMatch(/^✔ full verification .*measured 4.00 s; 1.00 s to spare$/);
    expect(lines[2]).toMatch(/^✘ harness overhead .*measured 3.00 s; missed/);
    expect(lines[5]).toMatch(/^- 20 submissions .*not measured/);
  });
});
