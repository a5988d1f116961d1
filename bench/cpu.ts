import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time of this process's finished children (user + system, in clock
 * ticks) from /proc/<pid>/stat text. A sandbox's processes are all
 * descendants, reaped up the chain, so the difference around one run is the
 * CPU that run cost: what bounds how many labs fit on a machine at once.
 */
export function childCpuTicks(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of the full line (cutime, cstime) are 13 and 14 after the name.
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  if (!Number.isFinite(cutime) || !Number.isFinite(cstime)) throw new Error(`unreadable /proc stat: ${stat}`);
  return cutime + cstime;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU (ms) used so far by this process's finished children; undefined off Linux. */
export function childrenCpuMs(): number | undefined {
  try {
    return (childCpuTicks(readFileSync('/proc/self/stat', 'utf8')) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}
