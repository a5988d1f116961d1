import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { VpcError } from '../../util/errors.js';
import { emptyState, type State } from '../model.js';
import { validateWith } from '../schema/validate.js';

export const DEFAULT_STATE_DIR = '/var/lib/vpcctl';

export function stateDirFrom(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.VPCCTL_STATE_DIR;
  return fromEnv && fromEnv.trim() !== '' ? fromEnv : DEFAULT_STATE_DIR;
}

export interface LockOptions {
  /** Give up after this long (another vpcctl holds the lock). Default 30 s. */
  timeoutMs?: number;
  /** Whether a process id is alive (replaceable in tests). */
  isAlive?: (pid: number) => boolean;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The state file `state.json` in the state directory: validated on load,
 * written atomically (temp file, fsync, rename), and guarded by `state.lock`
 * so that concurrent invocations run one after the other.
 */
export class StateStore {
  readonly dir: string;
  readonly file: string;
  readonly lockFile: string;
  #lockToken: string | undefined;

  constructor(dir: string) {
    this.dir = dir;
    this.file = join(dir, 'state.json');
    this.lockFile = join(dir, 'state.lock');
  }

  /** The current state (empty when no state file exists yet). Throws E_STATE when the file is broken. */
  load(): State {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw new VpcError('E_STATE', `cannot read state file ${this.file}: ${(error as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new VpcError(
        'E_STATE',
        `state file ${this.file} is not valid JSON: ${(error as Error).message}`,
        {
          hint: 'restore it from a backup or move it aside; vpcctl never writes a partial file',
        },
      );
    }
    const result = validateWith('state', data);
    if (!result.ok) {
      throw new VpcError(
        'E_STATE',
        `state file ${this.file} does not match the state schema:\n  ${result.problems.slice(0, 10).join('\n  ')}`,
        { hint: 'it was edited by hand or by another version; fix it or move it aside' },
      );
    }
    return data as State;
  }

  save(state: State): void {
    const result = validateWith('state', state);
    if (!result.ok) {
      throw new VpcError(
        'E_INTERNAL',
        `refusing to write an invalid state:\n  ${result.problems.join('\n  ')}`,
      );
    }
    mkdirSync(this.dir, { recursive: true });
    const temp = `${this.file}.tmp-${process.pid}`;
    const fd = openSync(temp, 'w', 0o644);
    try {
      writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
  }

  /**
   * Take the lock (create `state.lock` exclusively, holding our pid). A lock
   * whose holder is dead is stale: it is moved aside atomically, and only if
   * it still is the same lock, so two waiters never both take over.
   */
  lock(options: LockOptions = {}): void {
    const isAlive = options.isAlive ?? pidAlive;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    const token = `${process.pid} ${Date.now()} ${Math.random().toString(36).slice(2)}`;
    mkdirSync(this.dir, { recursive: true });
    for (;;) {
      try {
        const fd = openSync(this.lockFile, 'wx', 0o644);
        writeSync(fd, `${token}\n`);
        closeSync(fd);
        this.#lockToken = token;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = this.#readLock();
      const pid = Number(holder?.split(' ')[0]);
      if (holder !== undefined && Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
        const aside = `${this.lockFile}.stale-${process.pid}`;
        try {
          renameSync(this.lockFile, aside);
          const moved = readFileSync(aside, 'utf8').trim();
          if (moved !== holder) {
            // Someone replaced the stale lock in between: put theirs back (never over a newer one).
            try {
              linkSync(aside, this.lockFile);
            } catch {}
            rmSync(aside, { force: true });
          } else {
            rmSync(aside, { force: true });
          }
        } catch {}
        continue;
      }
      if (Date.now() > deadline) {
        throw new VpcError(
          'E_STATE',
          `another vpcctl (pid ${holder?.split(' ')[0] ?? '?'}) holds ${this.lockFile}`,
          {
            hint: 'wait for it to finish; if no vpcctl is running, remove the lock file',
          },
        );
      }
      sleepSync(15);
    }
  }

  unlock(): void {
    if (this.#lockToken === undefined) return;
    if (this.#readLock() === this.#lockToken) rmSync(this.lockFile, { force: true });
    this.#lockToken = undefined;
  }

  get locked(): boolean {
    return this.#lockToken !== undefined;
  }

  exists(): boolean {
    return existsSync(this.file);
  }

  #readLock(): string | undefined {
    try {
      return readFileSync(this.lockFile, 'utf8').trim();
    } catch {
      return undefined;
    }
  }
}
