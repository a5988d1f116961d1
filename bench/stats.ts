/** Summary statistics of repeated measurements (all in milliseconds). */
export interface Stat {
  n: number;
  median: number;
  min: number;
  max: number;
  samples: number[];
}

/** Median of the values (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(samples: readonly number[]): Stat {
  return {
    n: samples.length,
    median: median(samples),
    min: samples.length === 0 ? Number.NaN : Math.min(...samples),
    max: samples.length === 0 ? Number.NaN : Math.max(...samples),
    samples: [...samples],
  };
}

/** a / b, or undefined when either is missing or b is not positive (no ratio to speak of). */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) {
    return undefined;
  }
  return a / b;
}

/** Samples collected by name, in the order of first use (the table keeps that order). */
export class Samples {
  readonly #byName = new Map<string, number[]>();

  add(name: string, value: number): void {
    if (!Number.isFinite(value)) return;
    const list = this.#byName.get(name);
    if (list) list.push(value);
    else this.#byName.set(name, [value]);
  }

  get(name: string): Stat | undefined {
    const list = this.#byName.get(name);
    return list ? summarize(list) : undefined;
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }

  toJSON(): Record<string, Stat> {
    return Object.fromEntries(this.names().map((name) => [name, summarize(this.#byName.get(name) ?? [])]));
  }
}
