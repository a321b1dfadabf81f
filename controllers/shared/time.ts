/**
 * Timestamps in status are ISO strings; the loops compare them as epoch ms many times per
 * reconcile (a service with 40 tasks parses 80+ of them each time). Date.parse is slow next to a
 * map lookup, and the same few strings come back again and again, so results are memoised in a
 * bounded map. parseTime(s) === Date.parse(s) for every string.
 */
const cache = new Map<string | undefined, number>();
const MAX = 50_000;

export function parseTime(s: string | undefined): number {
  let t = cache.get(s);
  if (t === undefined) {
    t = Date.parse(s as string);
    if (cache.size >= MAX) cache.clear();
    cache.set(s, t);
  }
  return t;
}

const isoCache = new Map<number, string>();

/**
 * new Date(ms).toISOString(), one string per instant: the many timestamps written at the same
 * instant (tasks started together) share one string, and formatting is done once.
 */
export function isoTime(ms: number): string {
  let s = isoCache.get(ms);
  if (s === undefined) {
    s = new Date(ms).toISOString(); // throws RangeError on an invalid time, as before
    if (isoCache.size >= MAX) isoCache.clear();
    isoCache.set(ms, s);
  }
  return s;
}
