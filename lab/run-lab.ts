// The stage runner lives in lab/runner/ (docs/architecture.md "The stage runner").
export { type LabContext, LabRun } from './runner/index.js';
