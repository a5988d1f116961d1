#!/usr/bin/env node
import { run } from './cli.js';

/** The `vpcctl` bin: everything happens in run(); main only sets the exit code. */
export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2));
}

// No top-level await: the bundle (dist/vpcctl.cjs) is CommonJS, which starts faster than an ES module.
void main();
