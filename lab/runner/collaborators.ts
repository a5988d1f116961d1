import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkGateways, discoverSubnets } from '../../src/discovery/index.js';
import type { EventStream } from '../../src/exec/events.js';
import type { DiscoveredSubnet, ProbeSpec, Snapshot } from '../../src/model/evidence.js';
import type { LabPlan } from '../../src/plan/types.js';
import {
  type Endpoints,
  type MatrixResult,
  type ProbeRunOptions,
  runMatrix,
} from '../../src/probes/index.js';
import { collectNamespaces } from '../collect.js';
import { InternetHost } from '../internet.js';
import { Listeners } from '../listeners.js';
import type { LabShell } from '../shell.js';
import { takeSnapshot } from '../snapshot.js';
import { runStep, type StepOutcome, type StepRunOptions } from '../steps.js';

/** The harness's own listeners and helpers in the lab's namespaces (lab/listeners.ts). */
export interface HarnessListeners extends AsyncDisposable {
  readonly pids: number[];
  has(key: string): boolean;
  /** Resolves once every port listens; `key` names it for stop() (default: the namespace). */
  start(netns: string, ports: number[], key?: string): Promise<{ command: string }>;
  /** Stop these (all when omitted) and wait until they are gone. */
  stop(keys?: string[]): Promise<void>;
}

/** What the sandbox's internet host saw (lab/internet.ts). */
export interface InternetObserver {
  readonly pid: number | undefined;
  /** Request sources logged since the last call. */
  newSources(): string[];
  /** Un-NATed packets from 10/8 counted so far. */
  unnattedPackets(): Promise<number>;
}

export interface LabClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Everything the runner does to the world goes through these, so unit tests
 * plug in a fake target, a fake network and a fake clock.
 */
export interface LabCollaborators {
  /** Run one step's commands through the target. */
  runStep: (options: StepRunOptions) => Promise<StepOutcome>;
  /** Every planned subnet as found now, the gateways of `check` pinged. */
  discover: (check: readonly string[]) => Promise<DiscoveredSubnet[]>;
  probeMatrix: (
    specs: readonly ProbeSpec[],
    endpoints: Endpoints,
    options: ProbeRunOptions,
  ) => Promise<MatrixResult>;
  /** The sandbox's state, without the processes of these pids (the harness's). */
  snapshot: (harnessPids: ReadonlySet<number>) => Promise<Snapshot>;
  listeners: HarnessListeners;
  internet: InternetObserver;
  /** Write a file the harness hands the target (the policy), creating its folder. */
  writeFile: (path: string, text: string) => void;
  clock: LabClock;
}

export const realClock: LabClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The real collaborators: the target through src/exec, the sandbox through the lab shell. */
export function realCollaborators($: LabShell, events: EventStream, plan: LabPlan): LabCollaborators {
  const host = new InternetHost();
  return {
    runStep,
    discover: async (check) => {
      const found = discoverSubnets(await collectNamespaces($), plan);
      const checked = await checkGateways(
        found.filter((d) => check.includes(d.key)),
        { events },
      );
      return found.map((d) => checked.find((c) => c.key === d.key) ?? d);
    },
    probeMatrix: runMatrix,
    snapshot: (pids) => takeSnapshot($, pids),
    listeners: new Listeners(events),
    internet: {
      pid: host.pid,
      newSources: () => host.newSources(),
      unnattedPackets: () => host.unnattedPackets($),
    },
    writeFile: (path, text) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    },
    clock: realClock,
  };
}
