import { escapeCommand, inNetns } from '../../../src/exec/escape.js';
import type { CommandResult } from '../../../src/exec/types.js';
import { BUILTIN_CHAINS, type IptablesSnapshot } from '../../../src/vpcctl/plan/iptables.js';
import type { Observed } from '../../../src/vpcctl/plan/types.js';
import type { StartHttpStep, System } from '../../../src/vpcctl/system.js';

/**
 * An in-memory machine for testing the whole CLI without root: it keeps the
 * links, addresses, namespaces, iptables chains (per namespace) and processes
 * that the commands vpcctl runs would create, closely enough to check plans,
 * idempotence, rollback and teardown. Nothing here touches the real system.
 */
interface Table {
  /** Chain -> policy (built-in) or '-'. Insertion order is save order. */
  chains: Map<string, string>;
  /** Chain -> its `-A CHAIN ...` rules. */
  rules: Map<string, string[]>;
}
type Tables = Map<string, Table>;

export class FakeSystem implements System {
  root = true;
  links = new Set(['lo', 'eth0']);
  addresses: Observed['addresses'] = [
    { ifname: 'lo', address: '127.0.0.1', prefix: 8 },
    { ifname: 'eth0', address: '203.0.113.10', prefix: 24 },
  ];
  netns = new Set<string>();
  peers = new Map<string, string>();
  /** iptables per namespace ('' is the root namespace). */
  iptables = new Map<string, Tables>();
  sysctls: Record<string, string> = { 'net.ipv4.ip_forward': '0' };
  processes = new Map<number, readonly string[]>();
  files = new Map<string, string>();
  /** Every command run (escaped), in order; reads included. */
  commands: string[] = [];
  /** Make the first command whose text matches fail. */
  failOn: RegExp | undefined;
  nextPid = 4000;

  isRoot(): boolean {
    return this.root;
  }

  async observe(): Promise<Observed> {
    return {
      links: [...this.links],
      addresses: this.addresses.map((a) => ({ ...a })),
      netns: [...this.netns],
      iptables: this.snapshot(''),
      sysctls: { ...this.sysctls },
    };
  }

  /** What iptables-save would show in a namespace. */
  snapshot(ns: string, only?: string): IptablesSnapshot {
    const snapshot: IptablesSnapshot = { backend: undefined, tables: new Map() };
    for (const [name, table] of this.iptables.get(ns) ?? new Map<string, Table>()) {
      if (only && name !== only) continue;
      snapshot.backend = 'nf_tables';
      snapshot.tables.set(name, {
        name,
        chains: new Map(table.chains),
        rules: [...table.chains.keys()].flatMap((c) => table.rules.get(c) ?? []),
      });
    }
    return snapshot;
  }

  /** A plain dump for before/after comparisons. */
  dump(): string {
    const tables = [...this.iptables]
      .filter(([, t]) => t.size > 0)
      .map(([ns, t]) => [ns, [...t].map(([n, x]) => [n, [...x.chains], [...x.rules]])]);
    return JSON.stringify({
      links: [...this.links].sort(),
      addresses: this.addresses.map((a) => `${a.ifname} ${a.address}/${a.prefix}`).sort(),
      netns: [...this.netns].sort(),
      tables,
      sysctls: this.sysctls,
      processes: [...this.processes.keys()],
    });
  }

  writeSysctl(key: string, value: string): void {
    this.commands.push(`sysctl -w ${key}=${value}`);
    this.sysctls[key] = value;
  }

  readFile(path: string): string {
    const text = this.files.get(path);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  }

  async startHttp(step: StartHttpStep): Promise<number> {
    this.commands.push(`start-http ${step.netns} ${step.address}:${step.port}`);
    if (this.failOn?.test(`start-http ${step.netns}`)) throw new Error('the server exited before answering');
    const pid = this.nextPid++;
    this.processes.set(pid, ['http-server.js', step.address, String(step.port)]);
    return pid;
  }

  processRunning(pid: number, match: readonly string[]): boolean {
    const args = this.processes.get(pid);
    return args !== undefined && match.every((m) => args.includes(m));
  }

  async stopProcess(pid: number, match: readonly string[]): Promise<boolean> {
    this.commands.push(`kill ${pid}`);
    if (!this.processRunning(pid, match)) return false;
    this.processes.delete(pid);
    return true;
  }

  async run(
    argv: readonly string[],
    options: { netns?: string; input?: string } = {},
  ): Promise<CommandResult> {
    const text = escapeCommand(inNetns(options.netns, argv));
    this.commands.push(options.input ? `${text} <<${options.input}` : text);
    let stdout = '';
    let error: string | undefined;
    if (argv.includes('-batch')) {
      error = this.batch([...argv], options.input ?? '');
    } else if (this.failOn?.test(text)) {
      error = 'simulated failure';
      this.failOn = undefined;
    } else {
      try {
        stdout = this.apply([...argv], options);
      } catch (e) {
        error = (e as Error).message;
      }
    }
    return {
      argv: [...argv],
      command: argv.join(' '),
      escapedCommand: text,
      netns: options.netns,
      exitCode: error ? 1 : 0,
      signal: undefined,
      stdout,
      stderr: error ? `${error}\n` : '',
      startedAt: new Date(0).toISOString(),
      durationMs: 0,
      timedOut: false,
      failed: error !== undefined,
      spawnError: undefined,
    };
  }

  /** `ip [-n NS] [-force] -batch -`: stops at the first failing line unless -force; names each failed line. */
  private batch(argv: string[], input: string): string | undefined {
    const prefix = argv.slice(0, argv.indexOf('-batch')).filter((a) => a !== '-force');
    const force = argv.includes('-force');
    const errors: string[] = [];
    const lines = input.split('\n').filter((l) => l.trim() !== '');
    for (const [i, line] of lines.entries()) {
      let failure: string | undefined;
      if (this.failOn?.test(`${prefix.join(' ')} ${line}`)) {
        failure = 'simulated failure';
        this.failOn = undefined;
      } else {
        try {
          this.apply([...prefix, ...line.split(' ')], {});
        } catch (e) {
          failure = (e as Error).message;
        }
      }
      if (failure === undefined) continue;
      errors.push(`${failure}\nCommand failed -:${i + 1}`);
      if (!force) break;
    }
    return errors.length > 0 ? errors.join('\n') : undefined;
  }

  private apply(argv: string[], options: { netns?: string; input?: string }): string {
    const [tool, ...args] = argv;
    if (tool === 'ip') {
      let ns = '';
      if (args[0] === '-n') {
        ns = args[1] ?? '';
        args.splice(0, 2);
      }
      this.ip(ns, args);
      return '';
    }
    if (tool === 'iptables-restore') {
      this.restore(options.netns ?? '', options.input ?? '');
      return '';
    }
    if (tool === 'iptables-save') {
      return this.save(options.netns ?? '', args[0] === '-t' ? args[1] : undefined);
    }
    if (tool === 'nft' && args[0] === 'delete' && args[1] === 'table') {
      this.iptables.get('')?.delete(args[3] ?? '');
      return '';
    }
    throw new Error(`fake system: unknown command ${argv.join(' ')}`);
  }

  private ip(ns: string, args: string[]): void {
    const [object, verb, ...rest] = args;
    const need = (cond: boolean, what: string): void => {
      if (!cond) throw new Error(what);
    };
    if (object === 'netns') {
      const name = rest[0] ?? '';
      if (verb === 'add') {
        need(!this.netns.has(name), `Cannot create namespace file "/run/netns/${name}": File exists`);
        this.netns.add(name);
      } else if (verb === 'del') {
        need(
          this.netns.has(name),
          `Cannot remove namespace file "/run/netns/${name}": No such file or directory`,
        );
        this.netns.delete(name);
        this.iptables.delete(name);
      }
      return;
    }
    if (ns !== '') {
      need(this.netns.has(ns), `Cannot open network namespace "${ns}"`);
      return;
    }
    if (object === 'route') {
      // Routes are not modelled; the interface must exist.
      const dev = rest.indexOf('dev');
      if (dev >= 0) need(this.links.has(rest[dev + 1] ?? ''), 'Cannot find device');
      return;
    }
    if (object === 'link' && verb === 'add') {
      const name = rest[0] ?? '';
      need(!this.links.has(name), 'RTNETLINK answers: File exists');
      this.links.add(name);
      const peer = rest.indexOf('peer');
      if (peer >= 0) {
        const peerName = rest[peer + 2] ?? '';
        const netnsAt = rest.indexOf('netns', peer);
        if (netnsAt >= 0) {
          need(this.netns.has(rest[netnsAt + 1] ?? ''), 'Invalid "netns" value');
        } else {
          this.links.add(peerName);
          this.peers.set(name, peerName);
          this.peers.set(peerName, name);
        }
      }
      return;
    }
    if (object === 'link' && verb === 'del') {
      const name = rest[0] ?? '';
      need(this.links.has(name), 'Cannot find device');
      for (const gone of [name, this.peers.get(name)]) {
        if (!gone) continue;
        this.links.delete(gone);
        this.peers.delete(gone);
        this.addresses = this.addresses.filter((a) => a.ifname !== gone);
      }
      return;
    }
    if (object === 'link' && verb === 'set') {
      need(this.links.has(rest[0] ?? ''), 'Cannot find device');
      const master = rest.indexOf('master');
      if (master >= 0) need(this.links.has(rest[master + 1] ?? ''), 'Device does not exist');
      return;
    }
    if (object === 'addr' && (verb === 'add' || verb === 'del')) {
      const [address = '', prefix = ''] = (rest[0] ?? '').split('/');
      const ifname = rest[rest.indexOf('dev') + 1] ?? '';
      need(this.links.has(ifname), 'Cannot find device');
      const exists = this.addresses.some((a) => a.ifname === ifname && a.address === address);
      if (verb === 'add') {
        need(!exists, 'RTNETLINK answers: File exists');
        this.addresses.push({ ifname, address, prefix: Number(prefix) });
      } else {
        need(exists, 'RTNETLINK answers: Cannot assign requested address');
        this.addresses = this.addresses.filter((a) => !(a.ifname === ifname && a.address === address));
      }
      return;
    }
    throw new Error(`fake system: unknown ip command ${args.join(' ')}`);
  }

  private restore(ns: string, input: string): void {
    const all = structuredClone(this.iptables.get(ns) ?? (new Map() as Tables));
    let table: Table | undefined;
    for (const line of input.split('\n')) {
      if (line === '' || line === 'COMMIT') continue;
      if (line.startsWith('*')) {
        const name = line.slice(1);
        table = all.get(name);
        if (!table) {
          table = {
            chains: new Map((BUILTIN_CHAINS[name] ?? []).map((c) => [c, 'ACCEPT'])),
            rules: new Map(),
          };
          all.set(name, table);
        }
        continue;
      }
      if (!table) throw new Error('no table');
      const t = table;
      const [op = '', chain = '', ...rest] = line.split(' ');
      if (op.startsWith(':')) {
        const name = op.slice(1);
        const policy = chain;
        // --noflush: a built-in chain's line sets its policy and keeps its rules; a user chain's line flushes it.
        if (policy !== '-' && t.chains.has(name)) {
          t.chains.set(name, policy);
        } else {
          if (!t.chains.has(name)) t.chains.set(name, '-');
          t.rules.set(name, []);
        }
      } else if (op === '-A') {
        if (!t.chains.has(chain)) throw new Error(`chain ${chain} does not exist`);
        t.rules.set(chain, [...(t.rules.get(chain) ?? []), line]);
      } else if (op === '-I') {
        const rule = `-A ${chain} ${rest.slice(1).join(' ')}`;
        t.rules.set(chain, [rule, ...(t.rules.get(chain) ?? [])]);
      } else if (op === '-D') {
        const rule = `-A ${chain} ${rest.join(' ')}`;
        const list = t.rules.get(chain) ?? [];
        const at = list.indexOf(rule);
        if (at < 0) throw new Error(`iptables-restore: line failed: ${line}`);
        list.splice(at, 1);
      } else if (op === '-X') {
        const referenced = [...t.rules.values()].flat().some((r) => r.endsWith(`-j ${chain}`));
        if (referenced || (t.rules.get(chain) ?? []).length > 0) throw new Error(`chain ${chain} is in use`);
        t.chains.delete(chain);
        t.rules.delete(chain);
      } else {
        throw new Error(`fake iptables-restore: ${line}`);
      }
    }
    this.iptables.set(ns, all);
  }

  private save(ns: string, only: string | undefined): string {
    const snapshot = this.snapshot(ns, only);
    let text = '';
    for (const [name, table] of snapshot.tables) {
      text += '# Generated by iptables-save v1.8.9 (nf_tables)\n';
      text += `*${name}\n`;
      for (const [chain, policy] of table.chains) text += `:${chain} ${policy} [0:0]\n`;
      for (const rule of table.rules) text += `${rule}\n`;
      text += 'COMMIT\n';
    }
    return text;
  }
}
