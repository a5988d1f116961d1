#!/usr/bin/env node
/**
 * Test-only entry point: the reference vpcctl with one variant injected,
 * named by VPCCTL_FAULT (see faults.ts and docs/faults.md). It is not a bin
 * of the package; the shipped `vpcctl` (main.ts) never reads VPCCTL_FAULT and
 * never loads this directory. The fixture test/fixtures/targets/faulty runs it.
 */
import { run } from '../../../src/vpcctl/cli.js';
import { FAULT_ENV, resolveVariant } from './select.js';
import { commandOf } from './variant.js';

export async function main(): Promise<number> {
  const chosen = resolveVariant(process.env[FAULT_ENV]);
  if (!chosen.ok) {
    process.stderr.write(`${chosen.message}\n`);
    return 2;
  }
  const variant = chosen.variant;
  const argv = process.argv.slice(2);
  const ctx = { argv, command: commandOf(argv) };
  const hooks = variant.hooks?.(ctx);
  const invoke = (deps = {}) => run(argv, { ...deps, ...(hooks ? { planOptions: { hooks } } : {}) });
  return variant.wrap ? variant.wrap(ctx, invoke) : invoke();
}

process.exitCode = await main();
