/**
 * The state file's shape (validated against state.schema.json on every load).
 * It records everything vpcctl created, so teardown removes exactly that.
 */
export const STATE_VERSION = 1;

export type SubnetType = 'public' | 'private';
export type PolicyAction = 'allow' | 'deny';
export type PolicyProtocol = 'tcp' | 'udp' | 'icmp' | 'all';

export interface ServerRecord {
  port: number;
  address: string;
  pid: number;
  /** Log file of the server (stdout and stderr). */
  log: string;
  startedAt: string;
}

/** One policy rule after validation: ports as a range, CIDRs canonical. */
export interface PolicyRuleRecord {
  protocol: PolicyProtocol;
  fromPort?: number;
  toPort?: number;
  action: PolicyAction;
  /** Source CIDR (ingress) or destination CIDR (egress). */
  cidr?: string;
  description?: string;
}

export interface PolicyRecord {
  /** Path of the file it came from, as given. */
  file: string;
  appliedAt: string;
  ingress: PolicyRuleRecord[];
  egress: PolicyRuleRecord[];
  defaultIngress: PolicyAction;
  defaultEgress: PolicyAction;
}

export interface SubnetRecord {
  name: string;
  cidr: string;
  /** As given with --type; absent when not given. */
  type?: SubnetType;
  /** Small number, unique inside its VPC; part of the veth name. */
  id: number;
  netns: string;
  gateway: string;
  host: string;
  /** veth end on the bridge (root namespace). */
  hostIf: string;
  /** veth end inside the namespace. */
  nsIf: string;
  /** Set by enable-nat. */
  nat?: { wan: string };
  policy?: PolicyRecord;
  servers: ServerRecord[];
  createdAt: string;
}

export interface VpcRecord {
  name: string;
  cidr: string;
  /** Small number, unique among VPCs; part of veth names and the bridge MAC. */
  id: number;
  bridge: string;
  bridgeMac: string;
  /** Set by allow-intra-vpc: subnets of this VPC may talk to each other. */
  intraVpc: boolean;
  subnets: SubnetRecord[];
  createdAt: string;
}

export interface PeeringRecord {
  vpcA: string;
  vpcB: string;
  /** veth end plugged into vpcA's bridge. */
  linkA: string;
  /** veth end plugged into vpcB's bridge. */
  linkB: string;
  createdAt: string;
}

/** An explicit isolate-vpcs pair (DROP both ways); isolation is also the default. */
export interface IsolationRecord {
  cidrA: string;
  cidrB: string;
  vpcA: string;
  vpcB: string;
}

/** One allow-cidr call: NEW connections from src to dst may cross the peering. */
export interface AllowRecord {
  src: string;
  dst: string;
  srcVpc: string;
  dstVpc: string;
}

/** What the host looked like before the first VPC, restored after the last one is gone. */
export interface HostBaseline {
  recordedAt: string;
  /** Previous values of the sysctls vpcctl changes. */
  sysctls: Record<string, string>;
  /** iptables tables that existed (tables vpcctl creates are deleted again when empty). */
  tables: string[];
}

export interface State {
  version: typeof STATE_VERSION;
  vpcs: VpcRecord[];
  peerings: PeeringRecord[];
  isolations: IsolationRecord[];
  allows: AllowRecord[];
  /** Present while at least one VPC exists. */
  baseline?: HostBaseline;
}

export function emptyState(): State {
  return { version: STATE_VERSION, vpcs: [], peerings: [], isolations: [], allows: [] };
}

export function findVpc(state: State, name: string): VpcRecord | undefined {
  return state.vpcs.find((v) => v.name === name);
}

export function findVpcByBridge(state: State, bridge: string): VpcRecord | undefined {
  return state.vpcs.find((v) => v.bridge === bridge);
}

export function findSubnet(vpc: VpcRecord, name: string): SubnetRecord | undefined {
  return vpc.subnets.find((s) => s.name === name);
}

export function findPeering(state: State, a: string, b: string): PeeringRecord | undefined {
  return state.peerings.find((p) => (p.vpcA === a && p.vpcB === b) || (p.vpcA === b && p.vpcB === a));
}

/** A deep copy, so planners can return a new state without touching their input. */
export function cloneState(state: State): State {
  return structuredClone(state);
}
