import { stageProbes } from '../../criteria/registry.js';
import type { ProbeSpec } from '../../model/evidence.js';

/**
 * The probe matrix of each stage, by stage id: the union of the probes the
 * criteria declare (scenarios/*.scenario.ts), each tagged with the criteria
 * it answers. Probe-building helpers: ./probe-specs.ts.
 */
export const STAGE_PROBES: Record<string, ProbeSpec[]> = stageProbes();
