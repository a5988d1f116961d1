export { builtinProfileNames, examplesDir, packageRoot, schemaFile } from './files.js';
export {
  cwdProblem,
  loadProfile,
  profileProblems,
  profileSchema,
  readProfileJson,
  validateProfile,
} from './load.js';
export { formatProblem, type Problem } from './problems.js';
export {
  bridgeNameFor,
  type CommandOptions,
  DEFAULT_TEXT_RULE,
  inexpressibleCheck,
  policyPortVars,
  type RenderedCommand,
  type RenderedStep,
  type RenderOptions,
  renderInvocation,
  renderPolicy,
  renderStatePaths,
  renderStep,
  stepTimeoutMs,
  subnetNameFor,
  vpcNumber,
} from './render.js';
export * from './steps.js';
export * from './types.js';
