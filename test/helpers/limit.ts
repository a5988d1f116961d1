/**
 * At most `n` of the wrapped tasks run at once (labs are heavy: three at a
 * time on two cores). A finished task hands its slot straight to the next
 * waiter, so a newcomer can never overtake and exceed the limit.
 */
export function limit(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active < n) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
