/**
 * The allowed imports between folders, checked by `npm run lint`
 * (docs/architecture.md, "Boundaries", says the same in prose).
 *
 * Layers, lowest first; a folder may import its own layer and the ones below:
 *   1. shared      src/util, src/model, src/schema: no other folder of ours
 *   2. core        src/exec, src/events, src/plan, src/snapshot, src/discovery,
 *                  src/probes, src/profiles, src/verdict, src/reports: pure or
 *                  single-purpose harness code; never lab/ nor the CLI
 *   3. batch       src/batch: many runs; may use reports, not the reverse
 *   4. lab         lab/: what runs commands in the sandbox (zx shell,
 *                  sandbox, listeners, internet host, the runner)
 *   5. cli         src/verify: the vpc-verify CLI, wires everything
 *   6. top         scenarios/, bench/, test/ (test/support holds the
 *                  test-only vpcctl variants)
 * Beside them: src/vpcctl, the reference vpcctl, a separate tool that shares
 * only layer 1 and two leaf modules of src/exec with the harness.
 *
 * Paths are relative to the folder depcruise runs in (the package root).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        "A cycle makes two modules one: neither can be read, tested or moved alone. Split out what both need. A cycle closed only by type imports is erased by the compiler and loads in any order (the criteria and their matchers name each other's types for vitest's declaration merging), so it does not count.",
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'shipped-not-to-tests',
      comment:
        'src/, lab/ and scenarios/ are published (package.json files); test/ and bench/ are not, so an import of them breaks the installed package and can smuggle test-only behaviour (fault injection) into the product.',
      severity: 'error',
      from: { path: '^(src|lab|scenarios)/' },
      to: { path: '^(test|bench|dist-test)/' },
    },
    {
      name: 'shared-imports-nothing-of-ours',
      comment:
        'src/util, src/model and src/schema are what every layer and the reference vpcctl may use: importing anything of ours above them would pull that into everyone.',
      severity: 'error',
      from: { path: '^src/(util|model|schema)/' },
      to: { path: '^(src/(?!(util|model|schema)/)|lab/|scenarios/|bench/|test/)' },
    },
    {
      name: 'src-not-to-lab',
      comment:
        'lab/ runs commands; src/ outside the CLI is pure or single-purpose and unit-tested without a sandbox. Only the commands drive the lab: the CLI (src/verify) and init (src/init), whose trials run in a sandbox.',
      severity: 'error',
      from: { path: '^src/(?!verify/|init/)' },
      to: { path: '^lab/' },
    },
    {
      name: 'not-to-cli',
      comment:
        'src/verify is the top of the product: the layers below it must stay usable (and testable) without the CLI.',
      severity: 'error',
      from: { path: '^(src/(?!verify/)|lab/)' },
      to: { path: '^src/verify/' },
    },
    {
      name: 'lab-not-to-batch',
      comment: 'One lab is one run; batches of runs sit above it in the CLI.',
      severity: 'error',
      from: { path: '^lab/' },
      to: { path: '^src/batch/' },
    },
    {
      name: 'core-not-to-batch',
      comment:
        'src/batch uses the single-run reports (text, durations); the reverse made reports <-> batch one tangle. A renderer that needs both lives in batch or the CLI.',
      severity: 'error',
      from: { path: '^src/(exec|events|plan|snapshot|discovery|probes|profiles|verdict|reports)/' },
      to: { path: '^src/batch/' },
    },
    {
      name: 'harness-not-to-vpcctl',
      comment:
        'The verifier judges any vpcctl, the reference included: it must not depend on the reference. Only tests (and test/support, the variants) may import it.',
      severity: 'error',
      from: { path: '^(src/(?!vpcctl/)|lab/|scenarios/|bench/)' },
      to: { path: '^src/vpcctl/' },
    },
    {
      name: 'vpcctl-not-to-harness',
      comment:
        "The reference vpcctl stands alone (its start-up time is measured): it shares layer 1 and src/exec's argv quoting and CommandResult type, nothing else of the harness.",
      severity: 'error',
      from: { path: '^src/vpcctl/' },
      to: {
        path: '^(src/|lab/|scenarios/|bench/|test/)',
        pathNot: '^src/(vpcctl|util|model|schema)/|^src/exec/(escape|types|result)\\.ts$',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|dist-test|node_modules)/' },
    // Type-only imports count: a type is a dependency on the module that owns it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
