import { availableParallelism, totalmem } from 'node:os';
import { VpcError } from '../util/errors.js';

/** Memory one lab may take at its peak (namespaces, the harness's listeners, the target's own processes). */
export const MEMORY_PER_LAB = 1024 ** 3;

/**
 * Default `--concurrency`: one lab per core, but no more than one per GiB of
 * memory, and at least one. Labs spend most of their time waiting for probes
 * to time out, so cores are not saturated; the cap keeps memory safe and
 * leaves the wall time of "must be blocked" probes honest on small runners.
 */
export function defaultConcurrency(
  machine: { cores: number; memoryBytes: number } = {
    cores: availableParallelism(),
    memoryBytes: totalmem(),
  },
): number {
  const byMemory = Math.floor(machine.memoryBytes / MEMORY_PER_LAB);
  return Math.max(1, Math.min(Math.floor(machine.cores), byMemory));
}

/** Parse `--concurrency N` (a whole number >= 1). */
export function parseConcurrency(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new VpcError('E_BAD_INPUT', `bad --concurrency "${text}": expected a whole number of at least 1`, {
      hint: `leave it out for the default (${defaultConcurrency()} on this machine: one per core, at most one per GiB of memory)`,
    });
  }
  return value;
}
