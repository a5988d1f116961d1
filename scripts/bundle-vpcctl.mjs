#!/usr/bin/env node
/**
 * Bundles the reference CLI (src/vpcctl/main.ts) into one CommonJS file,
 * dist/src/vpcctl/vpcctl.cjs, which bin/vpcctl runs: every `vpcctl` call is
 * a fresh Node process, and one file loaded by the CommonJS loader starts
 * faster than ~50 ES modules (numbers: README "Performance").
 *
 * The bundle sits beside the compiled http-server.js, which deploy-http starts
 * by a path relative to the CLI, and three levels below package.json, which
 * --version reads. A metafile beside it lists every input, so a test can prove
 * what the shipped CLI contains.
 */
import { writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const OUT = 'dist/src/vpcctl/vpcctl.cjs';

const result = await build({
  entryPoints: ['src/vpcctl/main.ts'],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: false,
  metafile: true,
  logLevel: 'warning',
  // The sources are ES modules (strict, and locating files from import.meta.url); the banner comes
  // before esbuild's own "use strict", so it repeats it.
  banner: {
    js: '"use strict";\nconst __vpcctl_import_meta_url = require("node:url").pathToFileURL(__filename).href;',
  },
  define: { 'import.meta.url': '__vpcctl_import_meta_url' },
});
writeFileSync(OUT.replace(/\.cjs$/, '.meta.json'), `${JSON.stringify(result.metafile, null, 2)}\n`);
