import type { HarnessListeners, LabCollaborators } from '../../../lab/runner/collaborators.js';
import type { StepOutcome, StepRunOptions } from '../../../lab/steps.js';
import type { EventStream } from '../../../src/exec/events.js';
import type { DiscoveredSubnet, Snapshot } from '../../../src/model/evidence.js';
import { allSubnets, placeProbe } from '../../../src/plan/lookup.js';
import type { LabPlan } from '../../../src/plan/types.js';
import { runMatrix } from '../../../src/probes/runner.js';
import { fakeClock, fakeExec } from '../probes/fake-network.js';

/** How a fake target's step ends, and how long it takes (fake time). */
export interface StepBehaviour {
  status?: 'ran' | 'failed' | 'timeout';
  takesMs?: number;
}

/**
 * A scripted lab for runner tests: a fake target whose commands add and
 * remove subnets of a fake sandbox (`create`/`subnet`/`delete` verbs, as the
 * test profile renders them), discovery and snapshots that read that
 * sandbox, fake listeners, and the fake network of the probe tests (a probe
 * connects when both ends exist, port 22 is dropped). Nothing runs for real.
 */
export class FakeLab {
  readonly clock = fakeClock();
  readonly plan: LabPlan;
  /** Subnet keys the fake target has built. */
  readonly present = new Set<string>();
  /** Every step the target was asked to run, with its argv and timeout. */
  readonly ran: { step: string; argv: string[][]; timeoutMs: number; cwd: string }[] = [];
  /** Listener starts and stops, and the final dispose. */
  readonly listenerLog: string[] = [];
  readonly written = new Map<string, string>();
  behaviour: Record<string, StepBehaviour> = {};
  /** Make discovery throw (a harness error). */
  discoveryFails = false;
  /** Make stopping the listeners throw. */
  listenerStopFails = false;
  /** What a snapshot also shows (e.g. a leftover namespace). */
  leftovers: string[] = [];

  constructor(plan: LabPlan) {
    this.plan = plan;
  }

  netnsOf(key: string): string {
    return `ns-${key.replace('/', '-')}`;
  }

  addressOf(key: string): string {
    const cidr = allSubnets(this.plan).find((s) => s.key === key)?.cidr ?? '0.0.0.0/0';
    return cidr.replace(/\.0\/\d+$/, '.2');
  }

  collaborators(events: EventStream): LabCollaborators {
    const { exec } = fakeExec(
      this.clock,
      (call) => {
        if (call.port === 22) return 'timeout';
        const from = allSubnets(this.plan).find((s) => this.netnsOf(s.key) === call.netns)?.key;
        const to = allSubnets(this.plan).find((s) => this.addressOf(s.key) === call.address)?.key;
        return from && to && this.present.has(from) && this.present.has(to) ? 'connected' : 'timeout';
      },
      (netns) => allSubnets(this.plan).find((s) => this.netnsOf(s.key) === netns)?.key,
    );
    return {
      runStep: (options) => this.#runStep(options),
      discover: async (check) => {
        if (this.discoveryFails) throw new Error('ip -j netns list: fake discovery broke');
        return allSubnets(this.plan).map((s) => this.#discovered(s.key, check));
      },
      // The probe runner emits its own probe events; the test emits them (see probeEvents) so it can fold them.
      probeMatrix: async (specs, endpoints, options) => {
        const matrix = await runMatrix(specs, endpoints, {
          ...options,
          events: undefined,
          exec,
          clock: this.clock,
          retryDelayMs: 100,
        });
        for (const result of matrix.probes) {
          events.emit({
            kind: 'probe',
            at: new Date(this.clock.t).toISOString(),
            phase: placeProbe(this.plan, result.id)?.phase ?? 'vpc1',
            stage: placeProbe(this.plan, result.id)?.stage ?? '',
            result,
          });
        }
        return matrix;
      },
      snapshot: async () => this.snapshot(),
      listeners: this.#listeners(),
      internet: { pid: undefined, newSources: () => [], unnattedPackets: async () => 0 },
      writeFile: (path, text) => {
        this.written.set(path, text);
      },
      clock: this.clock,
    };
  }

  snapshot(): Snapshot {
    return {
      netns: [...[...this.present].map((k) => this.netnsOf(k)), ...this.leftovers].sort(),
      links: [],
      addresses: [],
      routes: [],
      rules: [],
      policies: [],
      processes: [],
    };
  }

  #discovered(key: string, check: readonly string[]): DiscoveredSubnet {
    const s = allSubnets(this.plan).find((p) => p.key === key);
    const found = this.present.has(key);
    return {
      key,
      vpc: s?.vpc ?? '',
      name: s?.name ?? '',
      cidr: s?.cidr ?? '',
      netns: found ? this.netnsOf(key) : undefined,
      address: found ? this.addressOf(key) : undefined,
      gateway: found ? this.addressOf(key).replace(/\.2$/, '.1') : undefined,
      gatewayAnswers: found && check.includes(key),
      problem: found ? undefined : 'no namespace holds an address in its CIDR',
    };
  }

  async #runStep(options: StepRunOptions): Promise<StepOutcome> {
    this.ran.push({
      step: options.step,
      argv: options.commands,
      timeoutMs: options.timeoutMs,
      cwd: options.cwd,
    });
    const b = this.behaviour[options.step] ?? {};
    this.clock.t += b.takesMs ?? 10;
    const status = b.status ?? 'ran';
    if (status === 'ran') for (const argv of options.commands) this.#apply(argv.slice(1));
    const command = options.commands.map((argv) => argv.join(' ')).join(' && ');
    return {
      step: options.step,
      phase: options.phase,
      status,
      commands: [
        {
          command,
          exitCode: status === 'ran' ? 0 : status === 'failed' ? 1 : undefined,
          durationMs: 10,
          stderr: status === 'failed' ? 'bad cidr' : '',
        },
      ],
      durationMs: b.takesMs ?? 10,
      ...(status === 'ran' ? {} : { message: `${command}: ${status}` }),
      lastStdout: status === 'ran' ? 'ok' : '',
    };
  }

  /** The fake target's CLI: `create VPC CIDR`, `subnet VPC NAME CIDR`, `delete VPC`. */
  #apply([verb, vpc, name]: string[]): void {
    if (verb === 'create' && vpc === 'vbad') this.leftovers.push('ns-vbad');
    if (verb === 'subnet') this.present.add(`${vpc}/${name}`);
    if (verb === 'delete')
      for (const key of [...this.present]) if (key.startsWith(`${vpc}/`)) this.present.delete(key);
  }

  #listeners(): HarnessListeners {
    const running = new Set<string>();
    const log = this.listenerLog;
    return {
      get pids() {
        return [];
      },
      has: (key) => running.has(key),
      start: async (netns, ports, key = netns) => {
        running.add(key);
        log.push(`start ${key} ${ports.join(',')}`);
        return { command: `listener ${netns} ${ports.join(',')}` };
      },
      stop: async (keys) => {
        if (this.listenerStopFails) throw new Error('kill: operation not permitted');
        for (const key of keys ?? [...running]) {
          if (running.delete(key)) log.push(`stop ${key}`);
        }
      },
      async [Symbol.asyncDispose]() {
        log.push('dispose');
        await this.stop();
      },
    };
  }
}
