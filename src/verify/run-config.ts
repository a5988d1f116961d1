import type { StartStateName } from '../../lab/sandbox/sandbox.js';
import type { LabEvidence } from '../model/evidence.js';
import type { Environment, Topology } from '../model/summary.js';

/** What the outer vpc-verify hands to the run inside the sandbox (as JSON). */
export interface RunConfig {
  runId: string;
  targetDir: string;
  /** True when the target is our own reference vpcctl. */
  reference: boolean;
  /** Built-in profile name or absolute path of a profile file. */
  profile: string;
  /** The profile was inferred by `vpc-verify init` for this run (`--profile auto`). */
  profileInferred?: boolean;
  reportsDir: string;
  /** Criterion ids to report (empty: all). The lab still runs every phase they need. */
  only: string[];
  startState: StartStateName;
  /** The whole lab must finish within this (ms); a run cut short is a failed run. */
  deadlineMs: number;
  /** Per-step timeout overrides (ms), on top of the profile's. */
  stepTimeoutsMs?: Record<string, number>;
  /** How long a must-connect probe retries (ms). */
  settleTimeoutMs?: number;
  /** Skip the teardown phase and open a shell in the sandbox at the end. */
  keep: boolean;
  startedAt: string;
  /** The machine's own settings, read outside the sandbox (recorded, never used). */
  host: Environment['host'];
}

/** Everything the scenarios and the reporter need, written by the lab run as evidence.json. */
export interface EvidenceFile {
  config: RunConfig;
  profileName: string;
  targetCommand: string[];
  evidence: LabEvidence;
  topology: Topology;
  environment: Environment;
  labDurationMs: number;
}

export const EVIDENCE_FILE = 'evidence.json';
export const CONFIG_FILE = 'run-config.json';
