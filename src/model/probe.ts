/** How a probe ended. An `error` (the probe itself broke) is never read as "blocked". */
export type ProbeOutcome = 'connected' | 'refused' | 'timeout' | 'unreachable' | 'error';
export type ProbeKind = 'icmp' | 'tcp' | 'http';
/** What the lab plan says should happen. */
export type Expectation = 'allowed' | 'blocked';
/** A truth-table cell (as cyclonus): what the probe showed. */
export type Verdict = 'allowed' | 'blocked' | 'checkfailed';

export interface Endpoint {
  /** Subnet key in the lab plan, e.g. `vpc1/publicsub`; absent for the internet host. */
  subnet?: string;
  /** Discovered namespace holding the subnet's host address (source side only). */
  netns?: string;
  address: string;
  /** Human name shown in tables: `vpc1 public`, `internet`. */
  label: string;
}

export interface ProbeResult {
  id: string;
  phase: string;
  kind: ProbeKind;
  from: Endpoint;
  to: Endpoint;
  port?: number;
  expected: Expectation;
  /** A positive control: it must succeed before negative probes from the same source count. */
  control: boolean;
  outcome: ProbeOutcome;
  /** The pasteable command of the last try. */
  command: string;
  tries: number;
  startedAt: string;
  durationMs: number;
  /** HTTP status, the source address the far end saw, the error text, ... */
  detail?: string;
  /** The address the receiving listener saw as the sender (source-preserved, NAT). */
  seenSource?: string;
  httpStatus?: number;
  /**
   * Negative probes only: whether every positive control from the same source
   * in the same stage had passed before it ran. `false`: a "blocked" reading
   * cannot be told from a broken network and is not counted.
   */
  controlsPassed?: boolean;
  /** Tried once, as an observation (its spec's `once`): no retries, and no criterion fails on it alone. */
  once?: boolean;
}

export interface TruthCell {
  from: string;
  to: string;
  expected: Expectation;
  actual: Verdict;
  probeId: string;
  command: string;
  /** Why the cell is not what it seems, e.g. `not counted: no positive control from vpc1 private passed`. */
  note?: string;
}

export interface TruthTable {
  phase: string;
  kind: ProbeKind;
  title: string;
  rows: string[];
  columns: string[];
  cells: TruthCell[];
}

/** Map a probe outcome to a truth-table verdict. */
export function verdictOf(outcome: ProbeOutcome): Verdict {
  switch (outcome) {
    case 'connected':
      return 'allowed';
    case 'timeout':
    case 'unreachable':
      return 'blocked';
    case 'refused':
      // The packet arrived (RST from the host): not blocked by a firewall on the path.
      return 'allowed';
    case 'error':
      return 'checkfailed';
  }
}
