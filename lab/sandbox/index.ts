export { diffSnapshots, type HostSnapshot, hostSnapshot } from './host-snapshot.js';
export {
  describeSandbox,
  PID1_SCRIPT,
  runInSandbox,
  type SandboxOptions,
  START_STATES,
  type StartStateName,
  sandboxCommand,
  UNSHARE_FLAGS,
} from './sandbox.js';
