/**
 * Scenario `load` steps that take a curve (issue #16): the demand of a service over hours, given as
 * points (linear between them) or as a named daily shape with seeded noise. A curve is expanded,
 * when the scenario is parsed, into plain load steps every `every` (default 5m) — the same steps a
 * user could write by hand, so the loops see nothing new. One thing differs from hand-written
 * steps: every point of one curve is relative to the service's RUNNING count when the curve starts
 * (the `baseline` key; if none runs yet, the count when the first of them does), as the first step
 * alone would be. Hand-written steps each re-read the count,
 * so after a scale-out a repeated 80 % would mean more demand; along a curve, 80 % means the same
 * demand all day.
 *
 *   load: {service: web, curve: {every: 5m, points: [{after: 0s, cpuUtilization: 30}, {after: 6h, cpuUtilization: 80}]}}
 *   load: {service: web, curve: {shape: daily, duration: 24h, cpuUtilization: {min: 20, max: 80}, noise: 5}}
 *
 * `daily`: a cosine day whose time 0 is the step's `at` taken as midnight; lowest at `peakAt` − 12 h,
 * highest at `peakAt` (default 14h), repeated for `duration` (default 24h). `noise`: each value moves by
 * a uniform amount in ±noise (percentage points, or requests per minute), drawn from the scenario's
 * seed and the step's index — the same seed gives the same day.
 */
import { parseDuration } from '../../api/duration.js';
import { mulberry32 } from '../placement/rng.js';

export const LOAD_METRICS = ['cpuUtilization', 'memoryUtilization', 'requestsPerMinute'] as const;
export type LoadMetric = (typeof LOAD_METRICS)[number];
export const CURVE_SHAPES = ['daily'] as const;

const DAY_MS = 24 * 3600_000;
const DEFAULT_EVERY_MS = 5 * 60_000;
/** A curve longer than this many points is refused (a typo such as every: 1s over 30 days). */
export const MAX_CURVE_POINTS = 100_000;

export interface CurvePoint {
  /** ms after the curve's start. */
  atMs: number;
  values: Partial<Record<LoadMetric, number>>;
}

export class CurveError extends Error {}

function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new CurveError(`${where} must be a number ≥ 0`);
  return v;
}

function dur(v: unknown, where: string): number {
  try {
    return parseDuration(v as string, where);
  } catch (e) {
    throw new CurveError((e as Error).message);
  }
}

/** The values of a curve every `every` from its start, validated; `where` names the step's field. */
export function expandCurve(curve: any, where: string, seed: number): CurvePoint[] {
  if (!curve || typeof curve !== 'object' || Array.isArray(curve)) throw new CurveError(`${where} must be an object with points or shape`);
  const known = ['every', 'points', 'shape', 'duration', 'peakAt', 'noise', ...LOAD_METRICS];
  for (const k of Object.keys(curve)) if (!known.includes(k)) throw new CurveError(`${where}.${k}: unknown field (expected one of ${known.join(', ')})`);
  const every = curve.every === undefined ? DEFAULT_EVERY_MS : dur(curve.every, `${where}.every`);
  if (every <= 0) throw new CurveError(`${where}.every must be longer than 0s`);
  const noise = curve.noise === undefined ? 0 : num(curve.noise, `${where}.noise`);
  if ((curve.points === undefined) === (curve.shape === undefined)) throw new CurveError(`${where} needs exactly one of points, shape`);
  let valueAt: (t: number) => Partial<Record<LoadMetric, number>>;
  let length: number;
  if (curve.points !== undefined) {
    for (const m of LOAD_METRICS) if (curve[m] !== undefined) throw new CurveError(`${where}.${m}: with points, give the values in each point`);
    if (curve.duration !== undefined || curve.peakAt !== undefined) throw new CurveError(`${where}: duration and peakAt belong to a shape, not to points`);
    ({ valueAt, length } = fromPoints(curve.points, `${where}.points`));
  } else {
    if (!(CURVE_SHAPES as readonly string[]).includes(curve.shape)) throw new CurveError(`${where}.shape must be one of ${CURVE_SHAPES.join(', ')}`);
    ({ valueAt, length } = daily(curve, where));
  }
  if (length / every + 1 > MAX_CURVE_POINTS) throw new CurveError(`${where}: ${Math.floor(length / every) + 1} points (every ${curve.every ?? '5m'}) is more than ${MAX_CURVE_POINTS}`);
  const rng = mulberry32(seed);
  const out: CurvePoint[] = [];
  for (let t = 0; t <= length; t += every) {
    const values = valueAt(t);
    if (noise) for (const m of LOAD_METRICS) if (values[m] !== undefined) values[m] = Math.max(0, round(values[m]! + (rng() * 2 - 1) * noise));
    out.push({ atMs: t, values });
  }
  return out;
}

const round = (v: number) => Math.round(v * 100) / 100;

function fromPoints(points: unknown, where: string): { valueAt: (t: number) => Partial<Record<LoadMetric, number>>; length: number } {
  if (!Array.isArray(points) || points.length === 0) throw new CurveError(`${where} must be a non-empty list of {after, cpuUtilization | memoryUtilization | requestsPerMinute}`);
  const pts = points.map((p: any, j: number) => {
    const w = `${where}[${j}]`;
    if (!p || typeof p !== 'object') throw new CurveError(`${w} must be an object`);
    for (const k of Object.keys(p)) if (k !== 'after' && !(LOAD_METRICS as readonly string[]).includes(k)) throw new CurveError(`${w}.${k}: unknown field (expected after, ${LOAD_METRICS.join(', ')})`);
    const values: Partial<Record<LoadMetric, number>> = {};
    for (const m of LOAD_METRICS) if (p[m] !== undefined) values[m] = num(p[m], `${w}.${m}`);
    if (!Object.keys(values).length) throw new CurveError(`${w} needs one of ${LOAD_METRICS.join(', ')}`);
    return { at: dur(p.after ?? 0, `${w}.after`), values };
  });
  for (let j = 1; j < pts.length; j++) if (pts[j].at <= pts[j - 1].at) throw new CurveError(`${where}[${j}].after must be later than the point before`);
  const valueAt = (t: number) => {
    const values: Partial<Record<LoadMetric, number>> = {};
    for (const m of LOAD_METRICS) {
      // Linear between the two points around t that give this metric; flat before the first and after the last.
      let before: { at: number; v: number } | undefined;
      let after: { at: number; v: number } | undefined;
      for (const p of pts) {
        const v = p.values[m];
        if (v === undefined) continue;
        if (p.at <= t) before = { at: p.at, v };
        else if (!after) after = { at: p.at, v };
      }
      if (before && after) values[m] = round(before.v + ((after.v - before.v) * (t - before.at)) / (after.at - before.at));
      else if (before ?? after) values[m] = (before ?? after)!.v;
    }
    return values;
  };
  return { valueAt, length: pts[pts.length - 1].at };
}

function daily(curve: any, where: string): { valueAt: (t: number) => Partial<Record<LoadMetric, number>>; length: number } {
  const length = curve.duration === undefined ? DAY_MS : dur(curve.duration, `${where}.duration`);
  const peakAt = curve.peakAt === undefined ? 14 * 3600_000 : dur(curve.peakAt, `${where}.peakAt`);
  if (peakAt >= DAY_MS) throw new CurveError(`${where}.peakAt must be within the day (under 24h)`);
  const ranges: Array<[LoadMetric, number, number]> = [];
  for (const m of LOAD_METRICS) {
    const r = curve[m];
    if (r === undefined) continue;
    if (!r || typeof r !== 'object') throw new CurveError(`${where}.${m} must be {min, max}`);
    const min = num(r.min, `${where}.${m}.min`);
    const max = num(r.max, `${where}.${m}.max`);
    if (max < min) throw new CurveError(`${where}.${m}.max must be ≥ min`);
    ranges.push([m, min, max]);
  }
  if (!ranges.length) throw new CurveError(`${where} needs one of ${LOAD_METRICS.join(', ')} as {min, max}`);
  const valueAt = (t: number) => {
    // 1 at the peak, 0 twelve hours away from it.
    const level = (1 + Math.cos((2 * Math.PI * (t - peakAt)) / DAY_MS)) / 2;
    const values: Partial<Record<LoadMetric, number>> = {};
    for (const [m, min, max] of ranges) values[m] = round(min + (max - min) * level);
    return values;
  };
  return { valueAt, length };
}
