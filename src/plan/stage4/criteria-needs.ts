import type { CriterionId } from '../../model/criteria.js';
import type { PhaseId } from '../../model/evidence.js';
import type { LabStep } from '../types.js';

/**
 * The steps each criterion needs: when one is unsupported (`null` in the
 * profile) the criterion is `not-run`, naming the step. A criterion that only
 * uses another step's effect as a positive control (e.g. intra-VPC routing as
 * the control for "blocked") is judged by its probes instead.
 */
export const CRITERION_STEPS: Record<CriterionId, readonly LabStep[]> = {
  'vpc-created': ['createVpc', 'addSubnet'],
  'intra-vpc-routing': ['createVpc', 'addSubnet', 'allowIntraVpc'],
  'app-deployed': ['createVpc', 'addSubnet', 'deployHttp'],
  'nat-public-egress': ['createVpc', 'addSubnet', 'enableNat'],
  // Without NAT nothing reaches the internet: "private is blocked" would pass vacuously.
  'nat-private-blocked': ['createVpc', 'addSubnet', 'enableNat'],
  'isolation-default': ['createVpc', 'addSubnet', 'isolateVpcs'],
  'peering-public': ['createVpc', 'addSubnet', 'peerVpcs', 'allowCidr'],
  // Without peering, "private pairs are still blocked" would pass vacuously.
  'peering-private-blocked': ['createVpc', 'addSubnet', 'peerVpcs'],
  // The policy's allowed port is the app's.
  'policy-allowed': ['createVpc', 'addSubnet', 'deployHttp', 'applyPolicy'],
  'policy-denied': ['createVpc', 'addSubnet', 'deployHttp', 'applyPolicy'],
  'teardown-clean': ['createVpc', 'teardownVpc'],
  'rejects-bad-input': ['createVpc'],
  'idempotent-create': ['createVpc'],
  'source-preserved': ['createVpc', 'addSubnet'],
  'inspect-works': ['inspect'],
  'teardown-independent': ['createVpc', 'addSubnet', 'teardownVpc'],
};

/** The phases whose evidence decides each criterion. */
export const CRITERION_PHASES: Record<CriterionId, readonly PhaseId[]> = {
  'vpc-created': ['vpc1', 'vpc2'],
  'intra-vpc-routing': ['vpc1', 'vpc2'],
  'app-deployed': ['vpc1'],
  'nat-public-egress': ['vpc1'],
  'nat-private-blocked': ['vpc1'],
  'isolation-default': ['vpc2'],
  'peering-public': ['peering'],
  'peering-private-blocked': ['peering'],
  'policy-allowed': ['policy'],
  'policy-denied': ['policy'],
  'teardown-clean': ['teardown'],
  'rejects-bad-input': ['bad-input'],
  'idempotent-create': ['vpc1'],
  'source-preserved': ['vpc1', 'vpc2', 'peering'],
  'inspect-works': ['inspect'],
  'teardown-independent': ['teardown'],
};

/** Which criteria cannot run when `step` is unsupported (and are suspect when it failed). */
export function criteriaForStep(step: string): CriterionId[] {
  return (Object.entries(CRITERION_STEPS) as [CriterionId, readonly string[]][])
    .filter(([, steps]) => steps.includes(step))
    .map(([id]) => id);
}

export function stepsForCriterion(id: CriterionId): readonly LabStep[] {
  return CRITERION_STEPS[id];
}
