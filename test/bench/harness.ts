/**
 * The benchmark harness (issue #6): figures, targets, repeated runs, median/min/max, the table.
 *
 * Each suite runs in its own `node --expose-gc` child process (child.ts), so heap and RSS figures
 * are the suite's own and one suite's garbage or JIT state does not bleed into the next. A suite
 * reports raw samples; the parent (main.ts) prints one line per figure.
 */

export type Op = '>=' | '<=';

export interface Target {
  op: Op;
  value: number;
}

/** One figure as a suite reports it: every run's value (after warm-up), or why there is none. */
export interface FigureResult {
  id: string;
  name: string;
  unit: string;
  samples: number[];
  target?: Target;
  /** Not measured (e.g. no kube-apiserver): the reason, printed instead of the numbers. */
  na?: string;
  /** Shown after the line (context: sizes, counts). */
  note?: string;
  /** Decimal places for the value (default: by magnitude). */
  digits?: number;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const median = n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median, min: s[0] ?? NaN, max: s[n - 1] ?? NaN };
}

export function meets(value: number, t: Target): boolean {
  return t.op === '>=' ? value >= t.value : value <= t.value;
}

export type Verdict = 'ok' | 'MISSED' | 'n/a';

export function verdict(f: FigureResult): Verdict {
  if (f.na !== undefined || f.samples.length === 0) return 'n/a';
  if (!f.target) return 'ok';
  return meets(summarize(f.samples).median, f.target) ? 'ok' : 'MISSED';
}

/** How far the median is from the target, as a factor (>1 = missed by that much). */
export function shortfall(f: FigureResult): number | undefined {
  if (!f.target || f.samples.length === 0) return undefined;
  const m = summarize(f.samples).median;
  return f.target.op === '>=' ? f.target.value / m : m / f.target.value;
}

export function fmt(v: number, digits?: number): string {
  if (!Number.isFinite(v)) return String(v);
  const d = digits ?? (Math.abs(v) >= 1000 ? 0 : Math.abs(v) >= 100 ? 1 : Math.abs(v) >= 10 ? 2 : 3);
  return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export const COLUMNS = ['figure', 'median', 'min', 'max', 'target', 'result'] as const;

export function row(f: FigureResult): string[] {
  const t = f.target ? `${f.target.op === '>=' ? '≥' : '≤'} ${fmt(f.target.value, f.digits ?? 0)} ${f.unit}` : '-';
  if (f.na !== undefined || f.samples.length === 0) return [f.name, 'n/a', '', '', t, `n/a: ${f.na ?? 'no samples'}`];
  const s = summarize(f.samples);
  const v = verdict(f);
  return [f.name, `${fmt(s.median, f.digits)} ${f.unit}`, fmt(s.min, f.digits), fmt(s.max, f.digits), t, v];
}

/** The table as aligned text lines (what `make bench` prints). */
export function table(figures: FigureResult[]): string[] {
  const rows = [COLUMNS as unknown as string[], ...figures.map(row)];
  const width = COLUMNS.map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 || i >= 4 ? c.padEnd(width[i]) : c.padStart(width[i])))
      .join('  ')
      .trimEnd();
  return rows.map(line);
}

/** The same table in Markdown (docs/benchmarks.md). */
export function markdown(figures: FigureResult[]): string[] {
  const out = [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map((_, i) => (i === 0 || i >= 4 ? '---' : '---:')).join('|')}|`];
  for (const f of figures) out.push(`| ${row(f).join(' | ')} |`);
  return out;
}

/** Run `fn` `warmup` times unmeasured, then `runs` times; returns what each measured run returned. */
export async function repeat<T>(runs: number, warmup: number, fn: (i: number) => T | Promise<T>, between?: () => void): Promise<T[]> {
  for (let i = 0; i < warmup; i++) {
    await fn(-1 - i);
    between?.();
  }
  const out: T[] = [];
  for (let i = 0; i < runs; i++) {
    out.push(await fn(i));
    between?.();
  }
  return out;
}

/** A full collection when the process runs with --expose-gc (no-op otherwise). */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) for (let i = 0; i < 3; i++) gc();
}

export const RESULT_PREFIX = 'BENCH_RESULT ';
