import type { StepName } from './steps.js';

/**
 * One command of a target: argv elements with `{placeholder}`s. The target's
 * `command` prefix is put in front, unless the first element is the raw
 * marker `"!"` (then the rest is run as it is, e.g. `["!", "sh", "-c", "..."]`).
 */
export type ArgvTemplate = string[];

/**
 * What a profile says about one lab step:
 * - `string[]`: one command; `string[][]`: several, run in order;
 * - `[]`: nothing to do (another step already did it);
 * - `null`: unsupported (the criteria that need it are `not-run`);
 * - `"harness"`: the harness does it itself (only steps in HARNESS_STEPS).
 */
export type StepTemplate = ArgvTemplate | ArgvTemplate[] | null | 'harness';

/** `addSubnet` may differ by subnet type (e.g. a `--public` flag and none for private). */
export interface ByTypeTemplate {
  public: StepTemplate;
  private: StepTemplate;
}

export type ProfileSteps = {
  [S in StepName]: S extends 'addSubnet' ? StepTemplate | ByTypeTemplate : StepTemplate;
};

export const RAW_MARKER = '!';

/** The lab's policy as data (the seed's policy plus the names of the subnet it is for). */
export interface IngressRule {
  port: number;
  protocol: 'tcp' | 'udp';
  action: 'allow' | 'deny';
}

export interface LabPolicy {
  vpc: string;
  /** Subnet name. */
  subnet: string;
  /** The subnet's CIDR (the seed's JSON calls it `subnet`). */
  cidr: string;
  ingress: IngressRule[];
}

/** Values substituted for `{action}` / `{protocol}` in policy templates. */
export interface PolicyValueMap {
  action?: { allow?: string; deny?: string };
  protocol?: Record<string, string>;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The seed's JSON: `{"subnet": CIDR, "ingress": [{"port", "protocol", "action"}]}`. */
export interface SeedJsonPolicySpec {
  format: 'seed-json';
  fileName?: string;
}

/** Any JSON (or YAML) document built from a JSON template; `{"$forEachRule": ...}` repeats per rule. */
export interface TemplatePolicySpec {
  format: 'template';
  template: JsonValue;
  output?: 'json' | 'yaml';
  map?: PolicyValueMap;
  fileName?: string;
}

/** Free text: `template` with `{rules}` = each rule rendered by `rule`, joined by `separator`. */
export interface TextPolicySpec {
  format: 'text';
  template: string;
  rule?: string;
  separator?: string;
  map?: PolicyValueMap;
  fileName?: string;
}

export type PolicySpec = SeedJsonPolicySpec | TemplatePolicySpec | TextPolicySpec;

export interface ProfileTimeouts {
  /** Per command of a step, in ms. */
  defaultMs?: number;
  steps?: Partial<Record<StepName, number>>;
}

/** A profile as written in a JSON file (validated against profile.schema.json). */
export interface ProfileFile {
  $schema?: string;
  name: string;
  description?: string;
  command: string[];
  env?: Record<string, string>;
  cwd?: string;
  wan?: string;
  bridgeName?: string;
  timeouts?: ProfileTimeouts;
  policy?: PolicySpec;
  notes?: string[];
  steps: Omit<ProfileSteps, 'setup' | 'teardownAll'> & Partial<Pick<ProfileSteps, 'setup' | 'teardownAll'>>;
}

/** A validated profile with every default filled in: what the rest of the code uses. */
export interface Profile {
  name: string;
  description: string | undefined;
  /** Where it came from: `builtin:seed` or the file's absolute path. */
  source: string;
  command: string[];
  env: Record<string, string>;
  /** Working directory template; undefined: the runner's choice (a private per-run directory). */
  cwd: string | undefined;
  wan: string;
  bridgeName: string;
  timeouts: { defaultMs: number; steps: Partial<Record<StepName, number>> };
  policy: PolicySpec & { fileName: string };
  notes: string[];
  steps: ProfileSteps;
}

export const PROFILE_DEFAULTS = {
  wan: 'eth0',
  bridgeName: 'br-{vpc}',
  timeoutMs: 60_000,
  policyFileName: { 'seed-json': 'policy.json', template: 'policy.json', text: 'policy.txt' },
} as const;
