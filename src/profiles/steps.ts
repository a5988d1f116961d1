/**
 * The lab steps a profile maps to a target's CLI, and the placeholders each
 * step may use. This is the single source of truth: the schema's step list,
 * the validator, the renderer and docs/profiles.md follow it (a unit test
 * keeps the schema in step).
 */
export const STEP_NAMES = [
  'setup',
  'createVpc',
  'addSubnet',
  'allowIntraVpc',
  'enableNat',
  'deployHttp',
  'isolateVpcs',
  'peerVpcs',
  'allowCidr',
  'applyPolicy',
  'inspect',
  'teardownSubnet',
  'teardownVpc',
  'teardownAll',
] as const;

export type StepName = (typeof STEP_NAMES)[number];

/** May be left out of a profile (then: nothing to do); they cannot be `null` or `"harness"`. */
export const OPTIONAL_STEPS = [
  'setup',
  'teardownSubnet',
  'teardownAll',
] as const satisfies readonly StepName[];

/** Steps run once for the whole lab: no VPC to pick a per-VPC value by. */
export const GLOBAL_STEPS = ['setup', 'teardownAll'] as const satisfies readonly StepName[];

/** Steps whose subject is one subnet: `{subnet}` is the name `subnetName` gives it. */
export const SUBNET_STEPS = [
  'addSubnet',
  'enableNat',
  'deployHttp',
  'applyPolicy',
  'teardownSubnet',
] as const satisfies readonly StepName[];

/** Steps the harness knows how to do itself (`"harness"`). */
export const HARNESS_STEPS = ['deployHttp'] as const satisfies readonly StepName[];

/** The lab's VPCs, the keys of `byVpc` (a unit test keeps them in step with the Stage 4 plan). */
export const LAB_VPCS = ['vpc1', 'vpc2'] as const;

/** Available in every step. */
export const GLOBAL_PLACEHOLDERS = ['dir', 'wan'] as const;

/**
 * Placeholders each step may use besides the global ones. The names mean the
 * same thing everywhere: `vpc` a VPC name, `cidr` the CIDR of the thing the
 * step is about, `bridge*` the bridge name built from `bridgeName`, ...
 * (docs/profiles.md has the full table).
 */
export const STEP_PLACEHOLDERS = {
  setup: [],
  createVpc: ['vpc', 'cidr', 'bridge', 'publicSubnet', 'publicCidr', 'privateSubnet', 'privateCidr'],
  addSubnet: ['vpc', 'vpcCidr', 'subnet', 'cidr', 'type'],
  allowIntraVpc: ['vpc', 'cidr', 'bridge'],
  enableNat: ['vpc', 'vpcCidr', 'subnet', 'cidr', 'bridge', 'type'],
  deployHttp: ['vpc', 'subnet', 'cidr', 'port', 'address', 'type'],
  isolateVpcs: ['vpcA', 'vpcB', 'cidrA', 'cidrB', 'bridgeA', 'bridgeB'],
  peerVpcs: ['vpcA', 'vpcB', 'cidrA', 'cidrB', 'bridgeA', 'bridgeB', 'publicCidrA', 'publicCidrB'],
  allowCidr: ['src', 'dst', 'vpcA', 'vpcB', 'bridgeA', 'bridgeB'],
  applyPolicy: ['vpc', 'subnet', 'cidr', 'policyFile', 'allowTcpPorts', 'denyTcpPorts', 'type'],
  inspect: ['vpc'],
  teardownSubnet: ['vpc', 'vpcCidr', 'subnet', 'cidr', 'type', 'bridge'],
  teardownVpc: ['vpc', 'cidr', 'bridge', 'publicSubnet', 'publicCidr', 'privateSubnet', 'privateCidr'],
  teardownAll: [],
} as const satisfies Record<StepName, readonly string[]>;

/**
 * Placeholders the renderer fills by itself when the caller leaves them out:
 * `dir` from the render options, `wan` from the profile, `bridge`/`bridgeA`/
 * `bridgeB` from the profile's `bridgeName` and `vpc`/`vpcA`/`vpcB`.
 */
export const DERIVED_PLACEHOLDERS = ['dir', 'wan', 'bridge', 'bridgeA', 'bridgeB'] as const;
export type DerivedPlaceholder = (typeof DERIVED_PLACEHOLDERS)[number];

/**
 * Placeholders a caller may leave out (the Stage 4 plan does not give them
 * yet): a template that uses one renders only when the value is given, and
 * throws E_BAD_INPUT naming it otherwise. `type` of the steps about vpc1's
 * public subnet defaults to "public" (it only picks the `subnetName`).
 */
export const OPTIONAL_VARS = {
  enableNat: ['type'],
  deployHttp: ['type'],
  applyPolicy: ['type'],
  inspect: ['vpc'],
  teardownVpc: ['publicSubnet', 'publicCidr', 'privateSubnet', 'privateCidr'],
} as const satisfies Partial<Record<StepName, readonly string[]>>;
type OptionalVar<S extends StepName> = S extends keyof typeof OPTIONAL_VARS
  ? (typeof OPTIONAL_VARS)[S][number]
  : never;

export type StepPlaceholder<S extends StepName> =
  | (typeof STEP_PLACEHOLDERS)[S][number]
  | (typeof GLOBAL_PLACEHOLDERS)[number];

export type VarValue = string | number;

/**
 * The values a caller gives `renderStep` for step S: every step placeholder
 * but the derived ones is required (a typo is a compile error, not a run-time
 * surprise), the derived ones may override the defaults.
 */
export type StepVars<S extends StepName> = S extends StepName
  ? { [K in Exclude<StepPlaceholder<S>, DerivedPlaceholder | OptionalVar<S>>]: VarValue } & {
      [K in Extract<StepPlaceholder<S>, DerivedPlaceholder | OptionalVar<S>>]?: VarValue;
    }
  : never;

/** The placeholders a step may use (step-specific plus global). */
export function allowedPlaceholders(step: StepName): readonly string[] {
  return [...GLOBAL_PLACEHOLDERS, ...STEP_PLACEHOLDERS[step]];
}

export function isStepName(value: string): value is StepName {
  return (STEP_NAMES as readonly string[]).includes(value);
}

export function isOptionalStep(step: StepName): boolean {
  return (OPTIONAL_STEPS as readonly string[]).includes(step);
}

export function isHarnessStep(step: StepName): boolean {
  return (HARNESS_STEPS as readonly string[]).includes(step);
}

export function isGlobalStep(step: StepName): boolean {
  return (GLOBAL_STEPS as readonly string[]).includes(step);
}

export function isSubnetStep(step: StepName): boolean {
  return (SUBNET_STEPS as readonly string[]).includes(step);
}

/** Placeholders of the profile's other templates. */
export const COMMAND_PLACEHOLDERS = ['dir'] as const;
export const BRIDGE_NAME_PLACEHOLDERS = ['vpc'] as const;
/**
 * Placeholders of `subnetName`: `{vpc}`, `{type}` (public/private), `{n}`
 * (the digits ending the VPC's name: 1 for vpc1, 0 when there are none) and
 * `{name}` (the lab's own name of the subnet, e.g. publicsub).
 */
export const SUBNET_NAME_PLACEHOLDERS = ['vpc', 'type', 'n', 'name'] as const;

/** Placeholders of a policy template (format `template` or `text`). */
export const POLICY_PLACEHOLDERS = ['vpc', 'subnet', 'cidr', 'allowTcpPorts', 'denyTcpPorts'] as const;
/** Only inside a per-rule template (`$forEachRule`, or `rule` of format `text`). */
export const RULE_PLACEHOLDERS = ['port', 'protocol', 'action'] as const;
/** Only in the `template` of format `text`: every rule rendered with `rule`, joined by `separator`. */
export const TEXT_POLICY_PLACEHOLDERS = ['rules'] as const;
