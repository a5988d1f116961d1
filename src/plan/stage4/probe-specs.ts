import type { PhaseId, ProbeSpec } from '../../model/evidence.js';
import type { Expectation, ProbeKind } from '../../model/probe.js';
import type { VpcPlan } from '../types.js';
import { PROBE_PORT, probeId, SUBNETS, VPC1, VPC2 } from './lab.js';

/**
 * What criterion files (scenarios/*.scenario.ts) build their probes with: the
 * stages that probe, and small helpers over the lab facts (lab.ts). A
 * criterion declares the probes it needs; the plan's probe matrix of each
 * stage is the union of the criteria's (src/criteria/registry.ts).
 */

/** Every stage of the Stage 4 plan, with its phase (a unit test holds this to the plan's phases). */
export const STAGE_PHASES = {
  'bad-input': 'bad-input',
  vpc1: 'vpc1',
  vpc2: 'vpc2',
  peering: 'peering',
  'policy-before': 'policy',
  'policy-after': 'policy',
  inspect: 'inspect',
  'teardown-vpc1': 'teardown',
  'teardown-vpc2': 'teardown',
} as const satisfies Record<string, PhaseId>;

export type StageId = keyof typeof STAGE_PHASES;

/** The phases in plan order. */
export const PHASE_IDS: readonly PhaseId[] = [...new Set(Object.values(STAGE_PHASES))];

/**
 * A probe as a criterion declares it: a ProbeSpec without the `criteria` tags,
 * which the registry adds, and with its path controls as declarations (the
 * registry puts them in the stage's matrix and keeps their ids).
 */
export interface ProbeDecl extends Omit<ProbeSpec, 'criteria' | 'path'> {
  stage: StageId;
  path?: PathDecl;
}

/** A must-be-blocked probe's path controls, as declared: see `ProbeSpec.path`. */
export interface PathDecl {
  /** What it means when none connected: `nothing in vpc1 reaches the internet host`. */
  unproven: string;
  /** Must-connect probes of the same stage; one of them connecting proves the path. */
  controls: ProbeDecl[];
}

interface ProbeOptions {
  port?: number;
  /** A positive control: it must connect before a "must be blocked" probe from its source counts. */
  control?: boolean;
  /** A "must be blocked" probe counts only when one of these (same stage) connected. */
  path?: PathDecl;
  /** A must-connect probe tried once, as an observation: no retries, fails nothing by itself. */
  once?: boolean;
}

/** One probe; ICMP has no port, TCP defaults to the harness listener's. */
export function probe(
  stage: StageId,
  kind: ProbeKind,
  from: string,
  to: string,
  expected: Expectation,
  options: ProbeOptions = {},
): ProbeDecl {
  const port = kind === 'icmp' ? undefined : (options.port ?? PROBE_PORT);
  return {
    stage,
    id: probeId(stage, kind, from, to, port),
    kind,
    from,
    to,
    ...(port === undefined ? {} : { port }),
    expected,
    control: options.control ?? false,
    ...(options.path ? { path: options.path } : {}),
    ...(options.once ? { once: true } : {}),
  };
}

/** ICMP and TCP (harness listener) between a VPC's public and private subnets, both ways: must connect. */
export function intraVpc(stage: StageId, vpc: VpcPlan, options: { control?: boolean } = {}): ProbeDecl[] {
  const [pub, priv] = vpc.subnets;
  if (!pub || !priv) throw new Error(`VPC ${vpc.name} needs two subnets`);
  return pairs(
    stage,
    [
      [pub.key, priv.key],
      [priv.key, pub.key],
    ],
    'allowed',
    options,
  );
}

/** ICMP and TCP from each source to each destination, expecting `expected`. */
export function pairs(
  stage: StageId,
  list: readonly (readonly [string, string])[],
  expected: Expectation,
  options: { control?: boolean } = {},
): ProbeDecl[] {
  return list.flatMap(([from, to]) => [
    probe(stage, 'icmp', from, to, expected, options),
    probe(stage, 'tcp', from, to, expected, options),
  ]);
}

/** Every (from, to) across vpc1 and vpc2, both ways, that `filter` keeps. */
export function crossVpcPairs(filter: (from: string, to: string) => boolean): [string, string][] {
  const out: [string, string][] = [];
  for (const a of VPC1.subnets) {
    for (const b of VPC2.subnets) {
      if (filter(a.key, b.key)) out.push([a.key, b.key]);
      if (filter(b.key, a.key)) out.push([b.key, a.key]);
    }
  }
  return out;
}

export const isPrivate = (key: string) => SUBNETS.get(key)?.type === 'private';
