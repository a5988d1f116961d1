import { readFileSync } from 'node:fs';
import type { LabShell } from './shell.js';

/** What the sandbox's internet host saw: request sources from its log, un-NATed packet count from its firewall. */
export class InternetHost {
  readonly #log: string | undefined;
  readonly #pid: string | undefined;
  #offset = 0;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#log = env.VPC_SANDBOX_INET_LOG;
    this.#pid = env.VPC_SANDBOX_INET_PID;
  }

  get pid(): number | undefined {
    return this.#pid ? Number(this.#pid) : undefined;
  }

  /** Source addresses of the requests logged since the last call. */
  newSources(): string[] {
    if (!this.#log) return [];
    let text: string;
    try {
      text = readFileSync(this.#log, 'utf8');
    } catch {
      return [];
    }
    const fresh = text.slice(this.#offset);
    this.#offset = text.length;
    return fresh
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        try {
          return String((JSON.parse(line) as { source?: string }).source ?? '');
        } catch {
          return '';
        }
      })
      .filter(Boolean);
  }

  /**
   * Packets from 10/8 that reached the internet namespace (counted by a rule
   * pid1.sh put there). Read through the server's namespace, which survives a
   * target that deletes every named namespace.
   */
  async unnattedPackets($: LabShell): Promise<number> {
    if (!this.#pid) return 0;
    const out = await $`nsenter --net=/proc/${this.#pid}/ns/net iptables -w -L INPUT -v -x -n`;
    const line = out.stdout.split('\n').find((l) => l.includes('vpc-sandbox:unnatted'));
    return Number(line?.trim().split(/\s+/)[0] ?? 0) || 0;
  }
}
