import { listSome } from '../../verdict/describe.js';
import { type Part, part, RANK } from '../../verdict/part.js';
import { viewOf } from '../lab.js';
import { answer, type MatcherResult, type MatcherThis } from './verdict.js';

/** A subnet was found (a namespace holds an address inside its CIDR) with a default route whose gateway answers. */
export function toHaveAnsweringGateway(this: MatcherThis, received: unknown): MatcherResult {
  const subnet = viewOf(
    received,
    'subnet',
    'toHaveAnsweringGateway',
    "a subnet (phase.subnet('vpc1/publicsub'))",
  );
  const { key, discovered: d } = subnet;
  const phaseId = subnet.phase.id;
  let judged: Part;
  if (!d) {
    judged = part('error', `the harness recorded no discovery of ${key}`, phaseId, RANK.missing);
  } else if (!d.netns || !d.address) {
    judged = part(
      'failed',
      `subnet ${key} (${d.cidr}) was not found: ${d.problem ?? 'no namespace'}`,
      phaseId,
      RANK.missing,
    );
  } else if (!d.gateway) {
    judged = part(
      'failed',
      `subnet ${key} in ${d.netns}: ${d.problem ?? 'no default route with a gateway'}`,
      phaseId,
      RANK.positive,
    );
  } else if (!d.gatewayAnswers) {
    judged = part(
      'failed',
      `subnet ${key} in ${d.netns}: ${d.problem ?? `gateway ${d.gateway} does not answer a ping`}`,
      phaseId,
      RANK.positive,
    );
  } else {
    judged = part('passed', `${key} in ${d.netns} (${d.address} via ${d.gateway})`, phaseId, RANK.info);
  }
  return answer(this, 'toHaveAnsweringGateway', subnet.lab, [judged]);
}

/**
 * The internet host saw the uplink address as the source: the traffic was
 * masqueraded. Its own record and the probes' answers both count.
 */
export function toHaveSeenTheUplinkAddress(this: MatcherThis, received: unknown): MatcherResult {
  const host = viewOf(
    received,
    'internet',
    'toHaveSeenTheUplinkAddress',
    "the internet host (lab.phase('vpc1').internetHost)",
  );
  const { lab } = host;
  const phase = host.phase.evidence;
  if (!phase) return answer(this, 'toHaveSeenTheUplinkAddress', lab, []);
  const wan = lab.plan.wan.address;
  const sources = new Set([
    ...phase.internetSources,
    ...phase.probes
      .filter((p) => p.to.label === lab.plan.internet.label && p.seenSource)
      .map((p) => p.seenSource as string),
  ]);
  const judged = sources.has(wan)
    ? part('passed', `the internet host saw ${wan}`, phase.phase, RANK.info)
    : sources.size === 0
      ? part(
          'error',
          'the internet host recorded no source address although HTTP reached it',
          phase.phase,
          RANK.missing,
        )
      : part(
          'failed',
          `the internet host saw ${listSome([...sources])}, not the uplink address ${wan}: the traffic was not masqueraded`,
          phase.phase,
          RANK.positive,
        );
  return answer(this, 'toHaveSeenTheUplinkAddress', lab, [judged]);
}
