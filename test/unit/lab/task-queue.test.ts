import { describe, expect, it } from 'vitest';
import { type SkipReason, type Task, TaskQueue } from '../../../lab/runner/task-queue.js';

/** Tasks that write what happens to them into one log. */
function logged(log: string[]) {
  return (title: string, extra: Partial<Task> = {}): Task => ({
    title,
    setup: () => {
      log.push(`setup ${title}`);
    },
    teardown: () => {
      log.push(`teardown ${title}`);
    },
    skipped: (reason: SkipReason) => {
      log.push(`skipped ${title} (${reason})`);
    },
    ...extra,
  });
}

describe('TaskQueue', () => {
  it('runs setups in order, children after their parent, then teardowns last in first out', async () => {
    const log: string[] = [];
    const task = logged(log);
    const result = await new TaskQueue({ deadline: Number.POSITIVE_INFINITY }).run([
      task('a', { children: [task('a1'), task('a2')] }),
      task('b'),
    ]);
    expect(log).toEqual([
      'setup a',
      'setup a1',
      'setup a2',
      'setup b',
      'teardown b',
      'teardown a2',
      'teardown a1',
      'teardown a',
    ]);
    expect(result).toEqual({ failure: undefined, teardownErrors: [], deadlineHit: false });
  });

  it('registers a teardown before its setup runs: a setup that throws is still undone, and the rest is skipped', async () => {
    const log: string[] = [];
    const task = logged(log);
    const boom = new Error('half-way');
    const result = await new TaskQueue({ deadline: Number.POSITIVE_INFINITY }).run([
      task('a'),
      task('b', {
        setup: () => {
          log.push('setup b');
          throw boom;
        },
        children: [task('b1')],
      }),
      task('c'),
    ]);
    expect(log).toEqual([
      'setup a',
      'setup b',
      'skipped b1 (failed)',
      'skipped c (failed)',
      'teardown b',
      'teardown a',
    ]);
    expect(result.failure).toEqual({ task: 'b', error: boom });
  });

  it('tells onFailure at once, before any teardown runs', async () => {
    const log: string[] = [];
    const task = logged(log);
    await new TaskQueue({
      deadline: Number.POSITIVE_INFINITY,
      onFailure: (f) => log.push(`failure of ${f.task}`),
    }).run([
      task('a'),
      task('b', {
        setup: () => {
          throw new Error('x');
        },
      }),
    ]);
    expect(log).toEqual(['setup a', 'failure of b', 'teardown b', 'teardown a']);
  });

  it('runs every teardown when some throw, and collects their errors in the order they ran', async () => {
    const log: string[] = [];
    const task = logged(log);
    const first = new Error('c broke');
    const second = new Error('a broke');
    const result = await new TaskQueue({ deadline: Number.POSITIVE_INFINITY }).run([
      task('a', {
        teardown: () => {
          log.push('teardown a');
          throw second;
        },
      }),
      task('b'),
      task('c', {
        teardown: () => {
          log.push('teardown c');
          throw first;
        },
      }),
    ]);
    expect(log.filter((l) => l.startsWith('teardown'))).toEqual(['teardown c', 'teardown b', 'teardown a']);
    expect(result.teardownErrors).toEqual([
      { task: 'c', error: first },
      { task: 'a', error: second },
    ]);
    expect(result.failure).toBeUndefined();
  });

  it('skips what the deadline cuts once it has passed; bookkeeping that is not cut still runs', async () => {
    const log: string[] = [];
    const task = logged(log);
    let t = 0;
    const result = await new TaskQueue({ deadline: 10, now: () => t }).run([
      task('phase 1', {
        children: [
          task('step 1', {
            setup: () => {
              log.push('setup step 1');
              t = 10;
            },
          }),
          task('step 2'),
          task('phase 1 ends', { cutByDeadline: false }),
        ],
      }),
      task('phase 2', { children: [task('step 3'), task('phase 2 ends', { cutByDeadline: false })] }),
    ]);
    expect(log.filter((l) => !l.startsWith('teardown'))).toEqual([
      'setup phase 1',
      'setup step 1',
      'skipped step 2 (deadline)',
      'setup phase 1 ends',
      'skipped phase 2 (deadline)',
      'skipped step 3 (deadline)',
      'skipped phase 2 ends (deadline)',
    ]);
    expect(result.deadlineHit).toBe(true);
  });

  it('does not report the deadline when no task it cuts came after it', async () => {
    let t = 0;
    const result = await new TaskQueue({ deadline: 10, now: () => t }).run([
      {
        title: 'last',
        setup: () => {
          t = 20;
        },
      },
    ]);
    expect(result.deadlineHit).toBe(false);
  });

  it('skips a disabled task with its children', async () => {
    const log: string[] = [];
    const task = logged(log);
    await new TaskQueue({ deadline: Number.POSITIVE_INFINITY }).run([
      task('teardown phase', { enabled: false, children: [task('tear down vpc1')] }),
    ]);
    expect(log).toEqual(['skipped teardown phase (disabled)', 'skipped tear down vpc1 (disabled)']);
  });

  it('disposes of resources a setup uses (Symbol.asyncDispose), in LIFO order with the teardowns', async () => {
    const log: string[] = [];
    const resource = (name: string): AsyncDisposable => ({
      [Symbol.asyncDispose]: async () => {
        log.push(`dispose ${name}`);
      },
    });
    await new TaskQueue({ deadline: Number.POSITIVE_INFINITY }).run([
      {
        title: 'listeners',
        setup: (scope) => {
          scope.use(resource('listeners'));
          scope.defer(() => {
            log.push('deferred');
          });
        },
        teardown: () => {
          log.push('teardown listeners');
        },
      },
      { title: 'internet', setup: (scope) => void scope.use(resource('internet')) },
    ]);
    expect(log).toEqual(['dispose internet', 'deferred', 'dispose listeners', 'teardown listeners']);
  });
});
