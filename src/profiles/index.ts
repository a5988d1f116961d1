export { builtinProfileNames, examplesDir, packageRoot, schemaFile } from './files.js';
export { loadProfile, profileProblems, profileSchema, readProfileJson, validateProfile } from './load.js';
export { formatProblem, type Problem } from './problems.js';
export {
  bridgeNameFor,
  DEFAULT_TEXT_RULE,
  policyPortVars,
  type RenderedStep,
  type RenderOptions,
  renderInvocation,
  renderPolicy,
  renderStep,
  stepTimeoutMs,
} from './render.js';
export * from './steps.js';
export * from './types.js';
