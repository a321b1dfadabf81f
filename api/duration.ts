/** Durations as written in manifests and flags: `500ms`, `5s`, `2m`, `1h30m`, `1d`, or a number of seconds. */
import { quoted } from './errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(input: string | number, field = 'duration'): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new Error(`${field}: ${input} is not a non-negative number of seconds`);
    return input * 1000;
  }
  const s = String(input).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== s.length) {
    throw new Error(`${field}: cannot parse duration ${quoted(input)} (use e.g. 500ms, 5s, 2m, 1h30m)`);
  }
  return total;
}
