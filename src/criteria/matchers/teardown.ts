import { type Part, part, RANK } from '../../verdict/part.js';
import { describeDiff, diffSnapshots, SNAPSHOT_PARTS } from '../../verdict/teardown.js';
import { viewOf } from '../lab.js';
import { answer, type MatcherResult, type MatcherThis } from './verdict.js';

/** The phase recorded a snapshot before phase 1 and after itself. */
export function toHaveBothSnapshots(this: MatcherThis, received: unknown): MatcherResult {
  const phase = viewOf(received, 'phase', 'toHaveBothSnapshots', "a phase (lab.phase('teardown'))");
  const parts: Part[] = [];
  if (phase.reached && !phase.snapshots) {
    parts.push(
      phase.lab.ctx.evidence.deadlineHit
        ? part('not-run', 'the teardown snapshot was cut short by the deadline', phase.id, RANK.info)
        : part(
            'error',
            'the harness recorded no snapshot before phase 1 and after teardown',
            phase.id,
            RANK.missing,
          ),
    );
  }
  return answer(this, 'toHaveBothSnapshots', phase.lab, parts);
}

/** Something was built in some phase: tearing down nothing is not a clean teardown. */
export function toHaveBuiltSomething(this: MatcherThis, received: unknown): MatcherResult {
  const lab = viewOf(received, 'lab', 'toHaveBuiltSomething', 'the lab');
  const home = lab.criterion.phases.at(-1) ?? 'run';
  const parts = lab.builtSomething
    ? []
    : [
        part(
          'failed',
          'nothing was ever built (no subnet was found in any phase), so a clean teardown shows nothing',
          home,
          RANK.control,
        ),
      ];
  return answer(this, 'toHaveBuiltSomething', lab, parts);
}

/** Nothing the run added is left: the snapshot after teardown holds nothing the one before phase 1 did not. */
export function toBeEmpty(this: MatcherThis, received: unknown): MatcherResult {
  const leftovers = viewOf(received, 'leftovers', 'toBeEmpty', 'what the run left behind (phase.leftovers)');
  const { phase } = leftovers;
  const snapshots = phase.snapshots;
  if (!snapshots) throw new TypeError(`toBeEmpty(): phase ${phase.id} has no snapshots to compare`);
  const { added } = diffSnapshots(snapshots.before, snapshots.after);
  const left = describeDiff(added);
  const counted = SNAPSHOT_PARTS.map(([key, words]) => `${snapshots.before[key]?.length ?? 0} ${words}`).join(
    ', ',
  );
  const judged = left
    ? part('failed', `left behind after teardown: ${left}`, phase.id, RANK.leak)
    : part(
        'passed',
        `nothing the run added is left (compared with the snapshot before phase 1: ${counted})`,
        phase.id,
        RANK.info,
      );
  return answer(this, 'toBeEmpty', leftovers.lab, [judged]);
}
