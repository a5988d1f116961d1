import type {} from 'vitest';
import type { ControlView } from '../lab.js';
import {
  toBeRejectedCleanly,
  toChangeNothingWhenRepeated,
  toDescribeTheLab,
  toHaveAcceptedValidInput,
  toHaveBuiltTheVpc,
  toHaveRecordedChecks,
} from './checks.js';
import { toHaveAnsweringGateway, toHaveSeenTheUplinkAddress } from './network.js';
import {
  toAnswerHttp,
  toBeBlockedWithControl,
  toConnect,
  toHaveBeenReached,
  toHaveFoundItsSubnets,
  toKeepSourceAddress,
} from './probes.js';
import { toBeEmpty, toHaveBothSnapshots, toHaveBuiltSomething } from './teardown.js';

/**
 * The criterion matchers (expect.extend): each judges one view of the
 * recorded evidence (src/criteria/lab.ts), records what it judged, and fails
 * with the criterion's reason. A scenario run registers them
 * (src/criteria/scenario-setup.ts).
 */
export const CRITERION_MATCHERS = {
  toHaveBeenReached,
  toHaveFoundItsSubnets,
  toConnect,
  toAnswerHttp,
  toKeepSourceAddress,
  toBeBlockedWithControl,
  toHaveAnsweringGateway,
  toHaveSeenTheUplinkAddress,
  toHaveRecordedChecks,
  toBeRejectedCleanly,
  toHaveAcceptedValidInput,
  toHaveBuiltTheVpc,
  toChangeNothingWhenRepeated,
  toDescribeTheLab,
  toHaveBothSnapshots,
  toHaveBuiltSomething,
  toBeEmpty,
};

export const MATCHER_NAMES: readonly string[] = Object.keys(CRITERION_MATCHERS);

interface CriterionMatchers<R = unknown> {
  /** A phase: reached (else the criterion is not-run for it). */
  toHaveBeenReached(): R;
  /** A phase of lab.probePhases(): every subnet its probes need was discovered. */
  toHaveFoundItsSubnets(): R;
  /** A must-connect probe connected. */
  toConnect(): R;
  /** An HTTP probe connected and answered (with exactly `status`, when given). */
  toAnswerHttp(status?: number): R;
  /** A TCP probe connected and the listener saw the sender's own address. */
  toKeepSourceAddress(): R;
  /** A must-be-blocked probe was blocked while its positive controls (probe.controls) connected. */
  toBeBlockedWithControl(controls: readonly ControlView[]): R;
  /** A subnet was found with a default route whose gateway answers. */
  toHaveAnsweringGateway(): R;
  /** The internet host saw the uplink address as the source. */
  toHaveSeenTheUplinkAddress(): R;
  /** A phase recorded this criterion's command checks (`what` names them in the message). */
  toHaveRecordedChecks(what: string): R;
  /** A bad-input check exited non-zero with a message and left nothing behind. */
  toBeRejectedCleanly(): R;
  /** The phase's valid create-vpc was accepted (the control of rejects-bad-input). */
  toHaveAcceptedValidInput(): R;
  /** The phase built its VPC (the control of idempotent-create). */
  toHaveBuiltTheVpc(): R;
  /** A repeated create changed nothing and did not fail (or said the VPC already exists). */
  toChangeNothingWhenRepeated(): R;
  /** An inspect check exited 0, changed nothing and named something of the lab. */
  toDescribeTheLab(): R;
  /** A phase recorded the snapshots before phase 1 and after itself. */
  toHaveBothSnapshots(): R;
  /** The lab: something was built in some phase. */
  toHaveBuiltSomething(): R;
  /** What the run left behind (phase.leftovers): nothing. */
  toBeEmpty(): R;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: the shape vitest's own declaration uses
  interface Assertion<T = any> extends CriterionMatchers<T> {}
}
