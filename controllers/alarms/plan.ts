/**
 * The CloudWatch alarm loop's pure plan for one MetricAlarm, run once per one-minute period: record the
 * minute's raw value of every metric the alarm reads, form the last EvaluationPeriods datapoints of
 * `Period` seconds (each input aggregated with its statistic, then the metric-math expression), evaluate
 * (evaluate.ts) and set StateValue. Periods are windows ending at the evaluation time.
 */
import { ACCOUNT, REGION } from '../../api/arn.js';
import { setCondition } from '../../api/conditions.js';
import type { Condition } from '../../api/meta.js';
import { appendDatapoint, datapointDue, PERIOD_MS, periodStart, untilNextPeriod, type Datapoint } from '../autoscaling/periods.js';
import { evaluateQuery, type MetricQuery, type Sampled } from '../shared/metric-source.js';
import { aggregatePeriod, evaluateMetricAlarm, type AlarmStateValue, type Comparison, type TreatMissingData } from './evaluate.js';

/** The id the single-metric form's metric is recorded under. */
export const SINGLE = 'metric';
/** Minute samples kept per input (2 days): longer evaluation ranges see what is kept. */
export const MAX_SAMPLES = 2880;

export interface MetricAlarmStatus {
  AlarmArn?: string;
  StateValue?: AlarmStateValue;
  StateReason?: string;
  StateUpdatedTimestamp?: string;
  /** The newest datapoint evaluated (a step scaling policy picks its step by it). */
  lastDatapoint?: number | null;
  /** The next minute boundary the alarm is evaluated at (ISO). */
  nextEvaluation?: string;
  /** One-minute raw values per input id. */
  samples?: Record<string, Datapoint[]>;
  conditions?: Condition[];
  observedGeneration?: number;
}

export interface AlarmPlanInput {
  now: number;
  name: string;
  generation: number;
  /** The defaulted spec. */
  spec: any;
  status: MetricAlarmStatus;
  /** Each input's raw value now (MetricStat ids, or SINGLE), or why the alarm cannot be simulated. */
  sampleInputs(): Record<string, number | null> | { unsupported: string };
}

export interface AlarmPlan {
  status: MetricAlarmStatus;
  transition?: { from: AlarmStateValue; to: AlarmStateValue; reason: string };
  requeueAfterMs: number;
}

export const alarmArn = (name: string) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** What the alarm reads: its inputs (id → statistic) and how a period's value is formed from them. */
export function alarmQuery(spec: any): { period: number; inputs: Record<string, string>; combine(values: Record<string, number | null>): Sampled } {
  if (Array.isArray(spec.Metrics)) {
    const items: MetricQuery[] = spec.Metrics;
    const inputs: Record<string, string> = {};
    let period = 60;
    for (const q of items) {
      if (q.MetricStat) inputs[q.Id] = q.MetricStat.Stat ?? 'Average';
      const p = (q as any).MetricStat?.Period ?? (q as any).Period;
      if (typeof p === 'number' && (q.ReturnData !== false || q.MetricStat)) period = p;
    }
    return { period, inputs, combine: (values) => evaluateQuery(items, (q) => ({ value: values[q.Id] ?? null })) };
  }
  return { period: spec.Period ?? 60, inputs: { [SINGLE]: spec.Statistic ?? 'Average' }, combine: (values) => ({ value: values[SINGLE] ?? null }) };
}

/** Why the alarm is not evaluated by ecsplane, if it is not. */
export function alarmUnsupported(spec: any): string | undefined {
  if (spec.ExtendedStatistic !== undefined) return `ExtendedStatistic ${spec.ExtendedStatistic} (percentiles) is not simulated; use Statistic`;
  if (spec.ThresholdMetricId !== undefined) return 'anomaly detection alarms (ThresholdMetricId) are not simulated';
  if (spec.EvaluationCriteria !== undefined) return 'EvaluationCriteria (PromQL) alarms are not simulated';
  return undefined;
}

export function planMetricAlarm(input: AlarmPlanInput): AlarmPlan {
  const { now, spec, generation: gen } = input;
  const prev = input.status ?? {};
  const status: MetricAlarmStatus = { ...prev, AlarmArn: alarmArn(input.name), observedGeneration: gen };
  const current: AlarmStateValue = prev.StateValue ?? 'INSUFFICIENT_DATA';
  if (prev.StateValue === undefined) {
    status.StateValue = 'INSUFFICIENT_DATA';
    status.StateReason = 'Unchecked: Initial alarm creation';
    status.StateUpdatedTimestamp = iso(now);
  }
  // A new configuration may read other metrics: start its samples afresh.
  const fresh = prev.observedGeneration !== gen;
  let samples: Record<string, Datapoint[]> = { ...prev.samples };
  const requeueAfterMs = untilNextPeriod(now);
  const unsupported = alarmUnsupported(spec);
  const q = alarmQuery(spec);
  // Evaluations happen on minute boundaries only: a new or changed alarm waits for the next one
  // (INSUFFICIENT_DATA until then), and a SetAlarmState holds until the next one, as in CloudWatch.
  const next = iso(periodStart(now) + PERIOD_MS);
  if (fresh) {
    status.samples = {};
    status.nextEvaluation = next;
    status.conditions = setCondition(prev.conditions, { type: 'Ready', status: 'True', reason: 'Pending', message: 'first evaluated at the next minute', observedGeneration: gen }, now);
    return { status, requeueAfterMs };
  }
  if (prev.nextEvaluation && now < Date.parse(prev.nextEvaluation)) return { status, requeueAfterMs: Math.max(1, Date.parse(prev.nextEvaluation) - now) };
  status.nextEvaluation = next;
  const due = Object.keys(q.inputs).some((id) => datapointDue(samples[id], now));
  if (!due) return { status, requeueAfterMs };

  const sampled = unsupported ? { unsupported } : input.sampleInputs();
  if (typeof sampled.unsupported === 'string') {
    const why = sampled.unsupported;
    status.samples = {};
    status.conditions = setCondition(prev.conditions, { type: 'Ready', status: 'False', reason: 'UnsupportedMetric', message: why, observedGeneration: gen }, now);
    return { status, ...transitionTo(status, current, 'INSUFFICIENT_DATA', `ecsplane cannot evaluate this alarm: ${why}`, now), requeueAfterMs };
  }
  const raw = sampled as Record<string, number | null>;
  const periodMinutes = Math.max(1, Math.ceil(q.period / 60));
  const keep = Math.min(MAX_SAMPLES, periodMinutes * spec.EvaluationPeriods * 2 + 1);
  for (const id of Object.keys(q.inputs)) samples[id] = appendDatapoint(samples[id], now, raw[id] ?? null, keep);
  samples = Object.fromEntries(Object.keys(q.inputs).map((id) => [id, samples[id]]));
  status.samples = samples;
  status.conditions = setCondition(prev.conditions, { type: 'Ready', status: 'True', reason: 'Evaluating', message: `evaluated every minute over ${spec.EvaluationPeriods} period(s) of ${q.period}s`, observedGeneration: gen }, now);

  // Datapoints: windows (end - Period, end] ending now, newest last; enough for the look-back.
  const periodMs = q.period * 1000;
  const count = Math.min(2 * spec.EvaluationPeriods, Math.ceil((keep * PERIOD_MS) / periodMs));
  const history: (number | null)[] = [];
  for (let k = count - 1; k >= 0; k--) {
    const end = now - k * periodMs;
    const values: Record<string, number | null> = {};
    for (const [id, stat] of Object.entries(q.inputs)) {
      const inWindow = samples[id].filter((d) => d.v !== null && Date.parse(d.t) > end - periodMs && Date.parse(d.t) <= end).map((d) => d.v as number);
      values[id] = aggregatePeriod(inWindow, stat);
    }
    const v = q.combine(values);
    history.push('value' in v ? v.value : null);
  }
  status.lastDatapoint = history.at(-1) ?? null;
  const ev = evaluateMetricAlarm(
    history,
    {
      evaluationPeriods: spec.EvaluationPeriods,
      datapointsToAlarm: spec.DatapointsToAlarm ?? spec.EvaluationPeriods,
      threshold: spec.Threshold,
      comparison: spec.ComparisonOperator as Comparison,
      treatMissingData: (spec.TreatMissingData ?? 'missing') as TreatMissingData,
    },
    current,
  );
  return { status, ...transitionTo(status, current, ev.state, ev.reason, now), requeueAfterMs };
}

function transitionTo(status: MetricAlarmStatus, from: AlarmStateValue, to: AlarmStateValue, reason: string, now: number): Pick<AlarmPlan, 'transition'> {
  if (from === to && status.StateValue === to) return {};
  status.StateValue = to;
  status.StateReason = reason;
  status.StateUpdatedTimestamp = iso(now);
  return { transition: { from, to, reason } };
}
