import { describe, expect, it } from 'vitest';
import { findingsFrom } from '../../../src/verdict/index.js';
import { buildEvidence, patchProbe, phaseOf } from './lab-model.js';

describe('findingsFrom', () => {
  it('reports nothing for a clean, quick lab', async () => {
    expect(findingsFrom(await buildEvidence())).toEqual([]);
  });

  it('reports a long settle time with the measured time', async () => {
    const evidence = await buildEvidence();
    phaseOf(evidence, 'peering').settleMs = 12_345;
    phaseOf(evidence, 'vpc2').settleMs = 1_500;
    const findings = findingsFrom(evidence);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: 'settle-stall', severity: 'warning', phase: 'peering' });
    expect(findings[0]?.message).toMatch(/^phase peering: traffic needed 12.3 s after the steps/);
    expect(findingsFrom(evidence, { settleWarnMs: 20_000 })).toEqual([]);
  });

  it('reports un-NATed private packets on the WAN', async () => {
    const evidence = await buildEvidence();
    phaseOf(evidence, 'vpc1').unnattedPackets = 3;
    const [finding] = findingsFrom(evidence);
    expect(finding).toMatchObject({ id: 'unnatted-wan-leak', severity: 'warning', phase: 'vpc1' });
    expect(finding?.message).toMatch(/3 packet\(s\) from private/);
  });

  it('notes a must-be-blocked TCP probe rejected (not dropped) where the listener answers others', async () => {
    const evidence = await buildEvidence();
    patchProbe(evidence, 'vpc2:tcp:vpc1/publicsub->vpc2/privatesub:7070', { outcome: 'refused' });
    const [finding] = findingsFrom(evidence);
    expect(finding?.id).toBe('rejected-not-dropped');
    expect(finding?.severity).toBe('info');
    expect(finding?.message).toMatch(/^vpc1 public -> vpc2 private:7070 was blocked with a REJECT/);
  });

  it('warns about a refused must-be-blocked probe when nothing proved the listener alive', async () => {
    const evidence = await buildEvidence();
    patchProbe(evidence, 'policy-before:tcp:vpc1/privatesub->vpc1/publicsub:443', { outcome: 'refused' });
    patchProbe(evidence, 'policy-after:tcp:vpc1/publicsub->vpc1/publicsub:443', { outcome: 'timeout' });
    patchProbe(evidence, 'policy-after:tcp:vpc1/privatesub->vpc1/publicsub:443', { outcome: 'refused' });
    const finding = findingsFrom(evidence).find((f) => f.id === 'refused-not-dropped');
    expect(finding?.message).toMatch(/^vpc1 private -> vpc1 public:443 must be blocked but was refused/);
  });

  it("reports ambiguous discovery, the deadline, and passes the runner's own findings through once", async () => {
    const evidence = await buildEvidence();
    const sub = phaseOf(evidence, 'vpc1').discovery[0];
    if (sub)
      sub.problem =
        'several namespaces hold addresses inside 10.0.1.0/24: a (10.0.1.2), b (10.0.1.3); using a';
    evidence.deadlineHit = true;
    const own = { id: 'start-state-dependent', severity: 'info' as const, message: 'x' };
    evidence.findings = [own, own];
    expect(findingsFrom(evidence).map((f) => f.id)).toEqual([
      'start-state-dependent',
      'discovery-ambiguous',
      'deadline-hit',
    ]);
  });
});
