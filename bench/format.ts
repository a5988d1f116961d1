import type { Stat } from './stats.js';

/** 525 ms, 4.56 s, 18.1 s, 222 s: short and comparable at a glance. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (Math.abs(s) < 10) return `${s.toFixed(2)} s`;
  if (Math.abs(s) < 100) return `${s.toFixed(1)} s`;
  return `${Math.round(s)} s`;
}

/** 12.3x, 0.24x */
export function formatRatio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value >= 10 ? `${value.toFixed(1)}x` : `${value.toFixed(2)}x`;
}

/** A table line: a section heading, or a measurement with its statistics (or a plain value). */
export type Row =
  | { heading: string }
  | { label: string; stat: Stat | undefined; note?: string }
  | { label: string; text: string; note?: string };

const COLUMNS = ['median', 'min', 'max', 'runs'] as const;

/**
 * A fixed-width text table: label, median, min, max, runs, note. Missing
 * measurements show "-" so a skipped part is visible rather than absent.
 */
export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((row) => {
    if ('heading' in row) return undefined;
    if ('text' in row) return [row.label, row.text, '', '', '', row.note ?? ''];
    const s = row.stat;
    return [
      row.label,
      formatMs(s?.median),
      formatMs(s?.min),
      formatMs(s?.max),
      s ? String(s.n) : '-',
      row.note ?? '',
    ];
  });
  const header = ['', ...COLUMNS, ''];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => (c ? (c[i] as string).length : 0))),
  );
  const line = (c: readonly string[]) =>
    c
      .map((cell, i) =>
        i === 0 || i === c.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  rows.forEach((row, index) => {
    if ('heading' in row) out.push('', row.heading);
    else out.push(line(cells[index] as string[]));
  });
  return out.join('\n');
}
