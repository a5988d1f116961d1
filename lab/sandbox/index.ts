export { diffSnapshots, type HostSnapshot, hostSnapshot } from './host-snapshot.js';
export {
  coversPrivateTree,
  describeSandbox,
  PID1_SCRIPT,
  profileSandboxOptions,
  runInSandbox,
  type SandboxOptions,
  START_STATES,
  type StartStateName,
  sandboxCommand,
  UNSHARE_FLAGS,
} from './sandbox.js';
