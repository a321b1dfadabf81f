/**
 * Quiet windows: a scalable target whose policies all track a predefined ECS metric (CPU, memory,
 * requests per target) is evaluated when something can change, not once a minute. Those metrics are
 * functions of the service's load (LoadModel) and its running tasks, and a change of either wakes the
 * target; between changes every one-minute datapoint has the same value. So after each reconcile the
 * plan looks ahead, period by period, at what the evaluations would do with that value, and finds the
 * first period at which one changes anything (a desired count, an alarm state, a proposal or note);
 * the periods before it are quiet: their datapoints are that value and their evaluations change
 * nothing. The target sleeps until then (or until a wake) and fills the quiet datapoints in when it
 * runs again, so its status reads as if it had been evaluated every minute. A day of 200 services
 * took 1,440 reconciles and writes per target; with a load curve that moves every 5 minutes it takes
 * about a fifth. Step scaling and customized metrics (queues, alarms) keep the one-minute loop.
 * Pure.
 */
import { jsonEqual } from '../../store/objects.js';
import { isoTime, parseTime } from '../shared/time.js';
import { PERIOD_MS, type Datapoint } from './periods.js';
import { HIGH_ALARM_DATAPOINTS, LOW_ALARM_DATAPOINTS, LOW_ALARM_RATIO } from '../scaling-math/index.js';
import { combineVerdicts, evaluateTargetTrackingPolicy, policyMetricKey, type PolicyContext, type PolicyInput } from './policies.js';
import type { ScalingPolicyStatus } from './types.js';

/** Stored in the target's status: the value of every quiet datapoint, and the period that is not quiet. */
export interface QuietWindow {
  /** Start (ISO) of the first period whose evaluation may change something. */
  until: string;
  /** Per metric: the datapoint value of the quiet periods (null: no running task). */
  values: Record<string, number | null>;
  /** What the evaluations were looked ahead with besides the datapoints (quietBasis). */
  basis: string;
}

/** The evaluation context a quiet window assumes stays as it is (a change ends the window). */
export function quietBasis(current: number, min: number, max: number, suspended: { DynamicScalingInSuspended?: boolean; DynamicScalingOutSuspended?: boolean }, deploying: boolean): string {
  return `${current}/${min}/${max}/${Boolean(suspended.DynamicScalingInSuspended)}/${Boolean(suspended.DynamicScalingOutSuspended)}/${deploying}`;
}

/** How far ahead the plan looks period by period; then only cooldown ends can change an outcome. */
const LOOKAHEAD_CAP_PERIODS = 60;

/** Whether the target can use quiet windows: every policy is target tracking on a predefined metric. */
export function quietEligible(policies: readonly PolicyInput[]): boolean {
  return policies.every(
    (p) =>
      p.spec.PolicyType === 'TargetTrackingScaling' &&
      !p.metricError &&
      !p.spec.TargetTrackingScalingPolicyConfiguration?.CustomizedMetricSpecification &&
      p.spec.TargetTrackingScalingPolicyConfiguration?.PredefinedMetricSpecification?.PredefinedMetricType !== undefined,
  );
}

/**
 * `series` with the quiet datapoints of the periods after its last one, through the period starting at
 * `through` (the newest `keep`). Unchanged (the same array) when there is nothing to fill.
 */
export function fillQuiet(series: readonly Datapoint[] | undefined, value: number | null, through: number, keep: number): readonly Datapoint[] | undefined {
  const last = series?.at(-1);
  if (!series || !last) return series;
  let t = parseTime(last.t) + PERIOD_MS;
  if (t > through) return series;
  t = Math.max(t, through - (keep - 1) * PERIOD_MS); // older ones would be trimmed anyway
  const out = series.slice();
  for (; t <= through; t += PERIOD_MS) out.push({ t: isoTime(t), v: value });
  return out.slice(-keep);
}

export interface LookAhead {
  /** Start of the current period; the evaluations looked at are those of the periods after it. */
  periodStart: number;
  /** The datapoints so far (the current period's included) and the value every later one will have. */
  series: Record<string, readonly Datapoint[]>;
  values: Record<string, number | null>;
  keep: number;
  policies: readonly PolicyInput[];
  /** The policies' statuses as this reconcile leaves them (an evaluation that differs is a change). */
  statuses: Record<string, ScalingPolicyStatus>;
  /** The context of the evaluations, as this reconcile leaves it (`now` and `series` are per period). */
  context: Omit<PolicyContext, 'now' | 'series'>;
}

/**
 * The start of the first period after `periodStart` whose evaluation changes something, or a later
 * time to look again. With the quiet value appended period by period, an evaluation depends only on
 * the alarms' states (their windows fill with the value) and on the cooldowns that end; so only the
 * first period, the periods where an alarm's state changes and those where a cooldown ends are
 * evaluated. Once the windows are full, only a cooldown can change anything, and nothing is looked at
 * beyond LOOKAHEAD_CAP_PERIODS.
 */
export function quietUntil(a: LookAhead): number {
  const horizon = a.keep + 1;
  // Every metric's datapoints with `horizon` quiet ones appended; period k sees the first len + k.
  const series: Record<string, (number | null)[]> = {};
  const known: Record<string, number> = {};
  for (const m of Object.keys(a.values)) {
    const s = (a.series[m] ?? []).map((d) => d.v);
    known[m] = s.length;
    for (let k = 0; k < horizon; k++) s.push(a.values[m]);
    series[m] = s;
  }
  const at = (k: number) => (m: string) => {
    const s = series[m] ?? [];
    return s.slice(Math.max(0, known[m] + k - a.keep), known[m] + k);
  };
  const ends = cooldownEnds(a);
  const alarms = a.policies.map((p) => alarmsOf(p, series[policyMetricKey(p) ?? ''] ?? [], known[policyMetricKey(p) ?? ''] ?? 0, a.keep));
  let previous = '';
  for (let k = 1; k <= horizon; k++) {
    const now = a.periodStart + k * PERIOD_MS;
    let states = '';
    for (const states_ of alarms) states += states_(k);
    const cooldownEnded = ends.some((end) => end > now - PERIOD_MS && end <= now);
    if ((k === 1 || states !== previous || cooldownEnded) && changes(a, now, at(k))) return now;
    previous = states;
  }
  // The windows hold only the quiet value now: the evaluation can only change when a cooldown ends.
  const afterHorizon = a.periodStart + horizon * PERIOD_MS;
  const full = at(horizon);
  let next = a.periodStart + LOOKAHEAD_CAP_PERIODS * PERIOD_MS;
  for (const end of ends) {
    if (end <= afterHorizon || end >= next) continue;
    const period = Math.ceil(end / PERIOD_MS) * PERIOD_MS; // the first evaluation at or after it
    if (changes(a, period, full)) next = Math.min(next, period);
  }
  return next;
}

/**
 * A policy's two alarm states at lookahead period k (as evaluateAlarm gives them over the newest `keep`
 * datapoints of `all`, whose first `known` are recorded), as two letters, without copying the window.
 */
function alarmsOf(p: PolicyInput, all: readonly (number | null)[], known: number, keep: number): (k: number) => string {
  const cfg = p.spec.TargetTrackingScalingPolicyConfiguration!;
  const high = cfg.TargetValue;
  const low = LOW_ALARM_RATIO * cfg.TargetValue;
  const state = (end: number, periods: number, breaches: (v: number) => boolean): string => {
    if (Math.min(end, keep) < periods) return 'I';
    for (let i = end - periods; i < end; i++) {
      const v = all[i];
      if (v === null || v === undefined || Number.isNaN(v) || !breaches(v)) return 'O';
    }
    return 'A';
  };
  return (k) => {
    const end = known + k;
    return state(end, HIGH_ALARM_DATAPOINTS, (v) => v > high) + (cfg.DisableScaleIn ? '-' : state(end, LOW_ALARM_DATAPOINTS, (v) => v < low));
  };
}

function changes(a: LookAhead, now: number, view: (m: string) => readonly (number | null)[]): boolean {
  const ctx: PolicyContext = { ...a.context, now, series: view };
  const verdicts = a.policies.map((p) => evaluateTargetTrackingPolicy(p, ctx));
  if (combineVerdicts(ctx.current, verdicts).desired !== ctx.current) return true;
  return verdicts.some((v) => {
    const s = a.statuses[v.name];
    return !s || v.proposal !== s.lastProposal || (v.note ?? '') !== s.lastNote || !jsonEqual(v.alarms, s.Alarms);
  });
}

function cooldownEnds(a: LookAhead): number[] {
  const out: number[] = [];
  for (const p of a.policies) {
    const cfg = p.spec.TargetTrackingScalingPolicyConfiguration;
    if (a.context.lastScaleOutAt !== undefined) out.push(a.context.lastScaleOutAt + (cfg?.ScaleOutCooldown ?? 300) * 1000);
    if (a.context.lastScaleInAt !== undefined) out.push(a.context.lastScaleInAt + (cfg?.ScaleInCooldown ?? 300) * 1000);
  }
  return out;
}
