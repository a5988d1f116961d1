export type { HarnessListeners, InternetObserver, LabClock, LabCollaborators } from './collaborators.js';
export { LabRun } from './runner.js';
export type { LabContext } from './session.js';
export { type QueueResult, type SkipReason, type Task, TaskQueue, type TaskScope } from './task-queue.js';
