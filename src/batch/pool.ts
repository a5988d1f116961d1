/**
 * A promise pool: at most `concurrency` workers in flight, items started in
 * order. A worker that throws does not stop the others; its error is kept in
 * its slot of the result. (Written here rather than taken from p-limit: it is
 * twenty lines and the batch needs settled results, not a limiter.)
 */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<R>,
): Promise<Settled<R>[]> {
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number >= 1 (got ${concurrency})`);
  }
  const results: Settled<R>[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { ok: true, value: await worker(items[index] as T, index) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}
