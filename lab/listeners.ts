import { type ChildProcess, spawn } from 'node:child_process';
import { escapeCommand, inNetns } from '../src/exec/escape.js';
import type { EventStream } from '../src/exec/events.js';
import { distPath } from '../src/util/paths.js';

/**
 * Harness-owned TCP/HTTP listeners inside the subnets' namespaces: TCP probes
 * go to them, so "refused" (the packet arrived) and "timeout" (a firewall
 * dropped it) can be told apart, and each answer names the source address the
 * listener saw. They must be stopped before a namespace is torn down, or they
 * keep it alive and look like leftovers.
 */
export interface Listener {
  netns: string;
  ports: number[];
  pid: number;
  command: string;
}

export class Listeners {
  #running = new Map<string, { listener: Listener; child: ChildProcess }>();
  readonly #events: EventStream;

  constructor(events: EventStream) {
    this.#events = events;
  }

  get pids(): number[] {
    return [...this.#running.values()].map((r) => r.listener.pid);
  }

  has(key: string): boolean {
    return this.#running.has(key);
  }

  /**
   * Start a listener on `ports` in `netns`; resolves once every port listens.
   * `key` names it for stop() (default: the namespace; one namespace may hold several).
   */
  async start(netns: string, ports: number[], key = netns, timeoutMs = 5_000): Promise<Listener> {
    const existing = this.#running.get(key);
    if (existing) return existing.listener;
    const argv = inNetns(netns, [
      process.execPath,
      distPath('src/probes/listener.js'),
      ...ports.flatMap((port) => ['--port', String(port)]),
    ]);
    const command = escapeCommand(argv);
    const [file, ...args] = argv;
    const child = spawn(file as string, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#events.note(`listener start in ${netns} on ports ${ports.join(',')}: ${command}`);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(`listener in ${netns} did not become ready within ${timeoutMs} ms: ${output.trim()}`),
        );
      }, timeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/^ready/m.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`listener in ${netns} exited with ${code}: ${output.trim()}`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    child.removeAllListeners('exit');
    const listener: Listener = { netns, ports, pid: child.pid ?? -1, command };
    this.#running.set(key, { listener, child });
    return listener;
  }

  /** Stop the listeners with these keys (all when omitted) and wait until they are gone. */
  async stop(keys?: string[]): Promise<void> {
    const names = keys ?? [...this.#running.keys()];
    await Promise.all(
      names.map(async (key) => {
        const running = this.#running.get(key);
        if (!running) return;
        this.#running.delete(key);
        const { netns } = running.listener;
        const { child } = running;
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
        this.#events.note(`listener stopped in ${netns}`);
      }),
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
