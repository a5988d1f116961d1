import type { OPTIONAL_STEPS, StepName } from './steps.js';

type OptionalStep = (typeof OPTIONAL_STEPS)[number];

/**
 * One command of a target: argv elements with `{placeholder}`s. The target's
 * `command` prefix is put in front, unless the first element is the raw
 * marker `"!"` (then the rest is run as it is, e.g. `["!", "sh", "-c", "..."]`).
 */
export type ArgvTemplate = string[];

/**
 * A command that never returns (a deploy that serves in the foreground): the
 * runner starts it, waits until `port` answers on `host` in the namespace that
 * holds `host`, and leaves it running until the teardown.
 */
export interface DaemonSpec {
  /** A number or a template such as "{port}". */
  port: number | string;
  /** Template of the address to try; default "{address}" where the step has it, else 127.0.0.1. */
  host?: string;
  /** How long to wait for the port, in ms (default: the step's timeout). */
  readyMs?: number;
}

/** One command with options: `allowFail` (the step goes on when it fails) or `daemon`. */
export interface CommandSpec {
  argv: ArgvTemplate;
  allowFail?: boolean;
  daemon?: DaemonSpec;
}

export type CommandTemplate = ArgvTemplate | CommandSpec;

/** "This step's work is done by another step" (e.g. allowCidr by a peering that opens everything). */
export interface ImpliedTemplate {
  impliedBy: StepName;
}

/** A value per lab VPC (`vpc1`, `vpc2`); `default` for every other VPC. */
export interface ByVpcTemplate<T> {
  byVpc: Partial<Record<string, T>>;
  default: T;
}

/**
 * What a profile says about one lab step:
 * - `string[]` or `{"argv": ..., "allowFail"|"daemon": ...}`: one command; a list of them: several, in order;
 * - `[]`: nothing to do (another step already did it);
 * - `{"impliedBy": step}`: nothing to do, because that step does it (said so in reports);
 * - `null`: unsupported (the criteria that need it are `not-run`);
 * - `"harness"`: the harness does it itself (only steps in HARNESS_STEPS);
 * - `{"byVpc": {...}, "default": ...}`: one of the above per VPC.
 */
export type PlainTemplate =
  | ArgvTemplate
  | CommandSpec
  | CommandTemplate[]
  | ImpliedTemplate
  | null
  | 'harness';
export type StepTemplate = PlainTemplate | ByVpcTemplate<PlainTemplate>;

/** `addSubnet` may differ by subnet type (e.g. a `--public` flag and none for private). */
export interface ByTypeTemplate {
  public: StepTemplate;
  private: StepTemplate;
}

export type SubnetStepTemplate =
  | StepTemplate
  | ByTypeTemplate
  | ByVpcTemplate<PlainTemplate | ByTypeTemplate>;

export type ProfileSteps = {
  [S in StepName]: S extends 'addSubnet' ? SubnetStepTemplate : StepTemplate;
};

/** How subnet CIDRs are chosen: given by the lab as `{cidr}`, or derived by the tool itself. */
export const SUBNET_CIDRS = ['lab', 'tool-by-type', 'tool-by-order'] as const;
export type SubnetCidrs = (typeof SUBNET_CIDRS)[number];

/** A path the tool writes outside its folder, made private per run (`from`: a copy-on-write view of that folder there). */
export interface StatePath {
  path: string;
  from?: string;
}

export const RAW_MARKER = '!';

/** The lab's policy as data (the seed's policy plus the names of the subnet it is for). */
export interface IngressRule {
  port: number;
  protocol: 'tcp' | 'udp';
  action: 'allow' | 'deny';
}

export type SubnetType = 'public' | 'private';

export interface LabPolicy {
  vpc: string;
  /** Subnet name (the lab's; `subnetName` may turn it into the target's). */
  subnet: string;
  /** The subnet's type (default public: the lab's policy is for vpc1's public subnet). */
  type?: SubnetType;
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
  uplink?: string;
  bridgeName?: string;
  subnetName?: string | { public: string; private: string };
  subnetCidrs?: SubnetCidrs;
  statePaths?: (string | StatePath)[];
  requires?: string[];
  timeouts?: ProfileTimeouts;
  policy?: PolicySpec;
  notes?: string[];
  steps: Omit<ProfileSteps, OptionalStep> & Partial<Pick<ProfileSteps, OptionalStep>>;
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
  /** The sandbox's uplink interface name (the sandbox creates it so). */
  uplink: string;
  bridgeName: string;
  /** Templates of subnet names per type; undefined: the lab's own names. */
  subnetName: { public: string; private: string } | undefined;
  subnetCidrs: SubnetCidrs;
  /** Extra paths the tool writes, private per run (`from` may use {dir}). */
  statePaths: StatePath[];
  /** Programs the tool needs on PATH. */
  requires: string[];
  timeouts: { defaultMs: number; steps: Partial<Record<StepName, number>> };
  policy: PolicySpec & { fileName: string };
  notes: string[];
  steps: ProfileSteps;
}

export const PROFILE_DEFAULTS = {
  uplink: 'eth0',
  bridgeName: 'br-{vpc}',
  timeoutMs: 60_000,
  policyFileName: { 'seed-json': 'policy.json', template: 'policy.json', text: 'policy.txt' },
} as const;
