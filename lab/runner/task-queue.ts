/**
 * A task queue in the manner of Playwright's task runner (docs/architecture.md
 * "The stage runner"): tasks run in order; a task's teardown is registered
 * before its setup runs, so a setup that fails half-way is still undone;
 * teardowns run last-in-first-out once the queue ends, every one of them even
 * when some throw (their errors are collected); a setup that throws stops the
 * queue (the tasks after it are skipped); the run's deadline skips the tasks
 * it cuts.
 */

export type SkipReason =
  /** The run's deadline had passed when the task's turn came. */
  | 'deadline'
  /** An earlier task's setup threw. */
  | 'failed'
  /** The task said so (`enabled: false`), e.g. the teardown phase under --keep. */
  | 'disabled';

/** What a setup may register while it runs. */
export interface TaskScope {
  /** Run `teardown` when the queue ends (last in, first out with every other teardown). */
  defer(teardown: () => Promise<void> | void): void;
  /** Dispose of `resource` when the queue ends, as `await using` would. */
  use<T extends AsyncDisposable>(resource: T): T;
}

export interface Task {
  title: string;
  /**
   * Whether the deadline skips this task once it has passed (default true).
   * `false` for bookkeeping that closes what earlier tasks of its group opened.
   */
  cutByDeadline?: boolean;
  /** false: skipped with reason `disabled`. */
  enabled?: boolean;
  setup?: (scope: TaskScope) => Promise<void> | void;
  /** Registered before `setup` runs; runs when the queue ends. */
  teardown?: () => Promise<void> | void;
  /** Run after this task's setup, in order; skipped with it. */
  children?: readonly Task[];
  /** Called instead of `setup` when the task does not run (its children get theirs too). */
  skipped?: (reason: SkipReason) => void;
}

export interface TaskError {
  task: string;
  error: unknown;
}

export interface QueueResult {
  /** The setup that threw (the tasks after it were skipped). */
  failure: TaskError | undefined;
  /** Teardowns that threw, in the order they ran; the others still ran. */
  teardownErrors: TaskError[];
  /** A task was skipped because the deadline had passed. */
  deadlineHit: boolean;
}

export interface QueueOptions {
  /** Absolute time (ms, as `now()`) after which tasks the deadline cuts are skipped. */
  deadline: number;
  now?: () => number;
  /** Told at once when a setup throws (before the teardowns run). */
  onFailure?: (failure: TaskError) => void;
}

export class TaskQueue {
  readonly #deadline: number;
  readonly #now: () => number;
  readonly #onFailure: ((failure: TaskError) => void) | undefined;
  #teardowns: { task: string; run: () => Promise<void> | void }[] = [];
  #failure: TaskError | undefined;
  #deadlineHit = false;

  constructor(options: QueueOptions) {
    this.#deadline = options.deadline;
    this.#now = options.now ?? Date.now;
    this.#onFailure = options.onFailure;
  }

  /** Run `tasks` (and their children) in order, then every registered teardown. */
  async run(tasks: readonly Task[]): Promise<QueueResult> {
    try {
      await this.#runAll(tasks);
    } catch (error) {
      // Only a throwing `skipped` handler gets here; the teardowns must run all the same.
      this.#failure ??= { task: 'task queue', error };
    }
    const teardownErrors = await this.#tearDown();
    return { failure: this.#failure, teardownErrors, deadlineHit: this.#deadlineHit };
  }

  /** True once the deadline has passed (and remembers that it was hit). */
  overDeadline(): boolean {
    if (this.#now() >= this.#deadline) this.#deadlineHit = true;
    return this.#deadlineHit;
  }

  async #runAll(tasks: readonly Task[]): Promise<void> {
    for (const task of tasks) await this.#runOne(task);
  }

  async #runOne(task: Task): Promise<void> {
    const reason = this.#skipReason(task);
    if (reason) {
      skip(task, reason);
      return;
    }
    if (task.teardown) this.#teardowns.push({ task: task.title, run: task.teardown });
    try {
      await task.setup?.(this.#scope(task.title));
    } catch (error) {
      this.#failure = { task: task.title, error };
      this.#onFailure?.(this.#failure);
      for (const child of task.children ?? []) skip(child, 'failed');
      return;
    }
    await this.#runAll(task.children ?? []);
  }

  #skipReason(task: Task): SkipReason | undefined {
    if (this.#failure) return 'failed';
    if (task.cutByDeadline !== false && this.overDeadline()) return 'deadline';
    if (task.enabled === false) return 'disabled';
    return undefined;
  }

  #scope(title: string): TaskScope {
    return {
      defer: (teardown) => {
        this.#teardowns.push({ task: title, run: teardown });
      },
      use: (resource) => {
        this.#teardowns.push({
          task: title,
          run: async () => {
            await resource[Symbol.asyncDispose]();
          },
        });
        return resource;
      },
    };
  }

  async #tearDown(): Promise<TaskError[]> {
    const errors: TaskError[] = [];
    while (this.#teardowns.length > 0) {
      const teardown = this.#teardowns.pop();
      if (!teardown) break;
      try {
        await teardown.run();
      } catch (error) {
        errors.push({ task: teardown.task, error });
      }
    }
    return errors;
  }
}

function skip(task: Task, reason: SkipReason): void {
  task.skipped?.(reason);
  for (const child of task.children ?? []) skip(child, reason);
}
