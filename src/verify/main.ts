#!/usr/bin/env node
import { run } from './cli.js';

// A reader that stops early (`vpc-verify --help | head -3`) closes the pipe: end quietly, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await run(process.argv.slice(2));
