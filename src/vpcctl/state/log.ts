import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `vpcctl.log` in the state directory: every invocation, every command it ran
 * and how it ended, each line stamped with the time and the process id
 * ("logs show all activities"). One append per record, so concurrent
 * invocations never interleave inside a line.
 */
export class ActivityLog {
  readonly file: string;
  readonly #enabled: boolean;
  #failed = false;

  constructor(dir: string, enabled: boolean) {
    this.file = join(dir, 'vpcctl.log');
    this.#enabled = enabled;
    if (enabled) {
      try {
        mkdirSync(dir, { recursive: true });
      } catch {
        this.#failed = true;
      }
    }
  }

  write(text: string): void {
    if (!this.#enabled || this.#failed) return;
    const stamp = `${new Date().toISOString()} [${process.pid}]`;
    const lines = text.split('\n').map((line) => `${stamp} ${line}`);
    try {
      appendFileSync(this.file, `${lines.join('\n')}\n`);
    } catch (error) {
      this.#failed = true;
      process.stderr.write(`warning: cannot write ${this.file}: ${(error as Error).message}\n`);
    }
  }
}
