/** Levenshtein distance (insert, delete, substitute: cost 1 each). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The closest candidate to a misspelt name, or undefined when none is close.
 * Case, `-` and `_` are ignored (`create-vpc` and `createVPC` both mean
 * `createVpc`); beyond that, up to a third of the name may differ (at least 2),
 * or one may be a prefix of the other (`peer` -> `peerVpcs`, at least 4 letters).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replaceAll(/[-_]/g, '');
  const wanted = squash(word);
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    if (name === word) continue;
    const other = squash(name);
    const distance = editDistance(wanted, other);
    const prefix =
      Math.min(wanted.length, other.length) >= 4 && (other.startsWith(wanted) || wanted.startsWith(other));
    if ((distance <= limit || prefix) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
