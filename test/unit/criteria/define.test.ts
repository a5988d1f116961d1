import { describe, expect, it } from 'vitest';
import {
  type CriterionDefinitionError,
  type CriterionInput,
  defineCriterion,
  validateCriterion,
} from '../../../src/criteria/define.js';
import { PRIV1, PUB1 } from '../../../src/plan/stage4/lab.js';
import { probe } from '../../../src/plan/stage4/probe-specs.js';

const FILE = 'scenarios/app-deployed.scenario.ts';

function valid(): CriterionInput {
  return {
    id: 'app-deployed',
    title: 'HTTP GET from vpc1 private to vpc1 public :80 answers 200',
    advisory: false,
    order: 3,
    needs: ['createVpc', 'addSubnet', 'deployHttp'],
    phases: ['vpc1'],
    probes: [probe('vpc1', 'http', PRIV1, PUB1, 'allowed', { port: 80 })],
    assert() {},
  };
}

/** The error a broken input is refused with. */
function refusal(input: unknown): CriterionDefinitionError {
  try {
    validateCriterion(input, FILE);
  } catch (error) {
    return error as CriterionDefinitionError;
  }
  throw new Error('accepted');
}

describe('defineCriterion', () => {
  it('returns the definition, with its file, and registers no test outside a scenario run', () => {
    const definition = defineCriterion(valid());
    expect(definition).toMatchObject({ id: 'app-deployed', advisory: false, noteFailedSteps: true });
    expect(definition.file).toBe('test/unit/criteria/define.test.ts');
  });

  it('refuses a missing field, naming the file, the field and what is required', () => {
    const { title: _, ...input } = valid();
    const error = refusal(input);
    expect(error).toMatchObject({
      name: 'CriterionDefinitionError',
      code: 'CRITERION_MISSING_FIELD',
      field: 'title',
      file: FILE,
    });
    expect(error.message).toBe(
      `${FILE}: criterion app-deployed: the field "title" is missing (required: id, title, advisory, order, needs, phases, probes, assert)`,
    );
  });

  it('refuses an unknown step, listing the lab steps and suggesting the closest', () => {
    const error = refusal({ ...valid(), needs: ['createVpc', 'deployHTTP'] });
    expect(error).toMatchObject({ code: 'CRITERION_UNKNOWN_STEP', field: 'needs[1]' });
    expect(error.message).toBe(
      `${FILE}: criterion app-deployed: needs[1] "deployHTTP" is not a lab step; allowed: setup, createVpc, addSubnet, allowIntraVpc, enableNat, deployHttp, isolateVpcs, peerVpcs, allowCidr, applyPolicy, inspect, teardownSubnet, teardownVpc, teardownAll; did you mean "deployHttp"?`,
    );
  });

  it('refuses a stand-in for a step it does not need, or an unknown stand-in step', () => {
    expect(refusal({ ...valid(), standIns: { teardownVpc: 'teardownAll' } })).toMatchObject({
      code: 'CRITERION_BAD_FIELD',
      field: 'standIns',
      message: expect.stringMatching(
        /"teardownVpc" is not in "needs"; allowed: createVpc, addSubnet, deployHttp$/,
      ),
    });
    expect(refusal({ ...valid(), standIns: { deployHttp: 'deployHTTP' } })).toMatchObject({
      code: 'CRITERION_UNKNOWN_STEP',
      message: expect.stringMatching(
        /unknown lab step "deployHTTP" for deployHttp; did you mean "deployHttp"\?/,
      ),
    });
    expect(validateCriterion({ ...valid(), standIns: { deployHttp: 'setup' } }, FILE).standIns).toEqual({
      deployHttp: 'setup',
    });
  });

  it('refuses an unknown phase or stage, and an unknown field, with a suggestion', () => {
    expect(refusal({ ...valid(), phases: ['vpc3'] })).toMatchObject({
      code: 'CRITERION_UNKNOWN_PHASE',
      field: 'phases[0]',
      message: expect.stringMatching(
        /phases\[0\] "vpc3" is not a phase; allowed: bad-input, vpc1, vpc2, peering, policy, inspect, teardown; did you mean "vpc1"\?$/,
      ),
    });
    const stage = refusal({ ...valid(), probes: [{ ...valid().probes[0], stage: 'policy-afterr' }] });
    expect(stage).toMatchObject({ code: 'CRITERION_UNKNOWN_STAGE', field: 'probes[0].stage' });
    expect(stage.message).toMatch(
      /is not a stage of the plan; allowed: bad-input, vpc1, .*; did you mean "policy-after"\?$/,
    );
    expect(refusal({ ...valid(), phase: ['vpc1'] })).toMatchObject({
      code: 'CRITERION_UNKNOWN_FIELD',
      field: 'phase',
      message: expect.stringMatching(/unknown field "phase"; allowed: .*; did you mean "phases"\?$/),
    });
  });

  it('refuses probes it would never judge or that contradict themselves', () => {
    const elsewhere = refusal({ ...valid(), probes: [probe('vpc2', 'icmp', PRIV1, PUB1, 'allowed')] });
    expect(elsewhere).toMatchObject({ code: 'CRITERION_BAD_PROBE', field: 'probes[0].stage' });
    expect(elsewhere.message).toMatch(
      /runs in stage vpc2 of phase vpc2, which is not among its phases \(vpc1\): it would never be judged$/,
    );
    const blockedControl = refusal({
      ...valid(),
      probes: [probe('vpc1', 'icmp', PRIV1, PUB1, 'blocked', { control: true })],
    });
    expect(blockedControl).toMatchObject({ code: 'CRITERION_BAD_PROBE', field: 'probes[0].control' });
    const wrongId = refusal({ ...valid(), probes: [{ ...valid().probes[0], id: 'vpc1:http:x->y' }] });
    expect(wrongId.message).toMatch(
      /probes\[0\]\.id "vpc1:http:x->y" should be "vpc1:http:vpc1\/privatesub->vpc1\/publicsub:80"/,
    );
    const twice = refusal({ ...valid(), probes: [...valid().probes, ...valid().probes] });
    expect(twice.message).toMatch(
      /the probe vpc1:http:vpc1\/privatesub->vpc1\/publicsub:80 is listed twice$/,
    );
  });

  it('refuses fields of the wrong shape', () => {
    expect(refusal('app-deployed')).toMatchObject({ code: 'CRITERION_NOT_AN_OBJECT' });
    expect(refusal({ ...valid(), id: 'App Deployed' })).toMatchObject({
      code: 'CRITERION_BAD_FIELD',
      field: 'id',
    });
    expect(refusal({ ...valid(), order: 0 })).toMatchObject({ code: 'CRITERION_BAD_FIELD', field: 'order' });
    expect(refusal({ ...valid(), advisory: 'no' })).toMatchObject({
      code: 'CRITERION_BAD_FIELD',
      field: 'advisory',
    });
    expect(refusal({ ...valid(), title: 'a | b' })).toMatchObject({
      code: 'CRITERION_BAD_FIELD',
      field: 'title',
    });
    expect(refusal({ ...valid(), needs: [] })).toMatchObject({ code: 'CRITERION_BAD_FIELD', field: 'needs' });
    expect(refusal({ ...valid(), assert: 'expect' })).toMatchObject({
      code: 'CRITERION_BAD_FIELD',
      field: 'assert',
    });
  });
});
