import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  cores: number;
  memoryGiB: number;
  kernel: string;
  cpuModel: string;
  node: string;
  /** 1-minute load average when the bench started and ended: other work on the machine skews every figure. */
  loadStart: number;
  loadEnd?: number;
}

/** The CPU model from /proc/cpuinfo text (x86 "model name", else ARM's "Hardware"/"CPU part"). */
export function parseCpuModel(cpuinfo: string): string {
  const fields = new Map<string, string>();
  for (const line of cpuinfo.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
  }
  for (const key of ['model name', 'hardware', 'cpu model', 'processor']) {
    const value = fields.get(key);
    if (value && !/^\d+$/.test(value)) return value;
  }
  return 'unknown';
}

export function currentLoad(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

export function readMachine(): Machine {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // Not Linux: the model stays unknown.
  }
  return {
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    cpuModel: parseCpuModel(cpuinfo),
    node: process.version,
    loadStart: currentLoad(),
  };
}

export function formatMachine(m: Machine): string {
  const load = `load average ${m.loadStart} at start${m.loadEnd === undefined ? '' : `, ${m.loadEnd} at end`}`;
  return `${m.cores} cores, ${m.memoryGiB} GiB memory, ${m.cpuModel}, Linux ${m.kernel}, Node ${m.node}; ${load}`;
}
