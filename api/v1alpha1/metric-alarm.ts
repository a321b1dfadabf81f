/**
 * MetricAlarm (Amazon CloudWatch PutMetricAlarm input) rules and defaults, with CloudWatch's error names
 * (InvalidParameterValue, InvalidParameterCombination, MissingParameter):
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 * An alarm watches one metric (MetricName, Namespace, Statistic, Period, Dimensions) or a metric-math
 * query (Metrics[], exactly one item returning data). Its AlarmActions may name an Application Auto
 * Scaling step scaling policy; the alarm loop (controllers/alarms) evaluates it.
 */
import { parseExpression } from '../metric-math.js';
import { EcsError, ErrorType, capValue } from '../errors.js';
import { Issues, arr, checkName, clone, isInt, isObject, isStr, obj, type NameRule } from './common.js';

export const METRIC_ALARM_NAME: NameRule = {
  // CloudWatch allows any printable name up to 255; ecsplane keeps store keys free of '/' and control characters.
  pattern: /^[^/\u0000-\u001f\u007f]{1,255}$/,
  message: 'Up to 255 printable characters, without a slash.',
  nameField: 'AlarmName',
};

export const STATIC_COMPARISONS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'];
const METRIC_ID = /^[a-z][a-zA-Z0-9_]*$/;
const SINGLE_METRIC_FIELDS = ['MetricName', 'Namespace', 'Statistic', 'ExtendedStatistic', 'Dimensions', 'Period', 'Unit'];
/**
 * `arn:aws:autoscaling:<region>:<account>:scalingPolicy:<id>:resource/ecs/service/<cluster>/<service>:policyName/<name>`:
 * the PolicyARN PutScalingPolicy returns. The id part is not compared (a manifest cannot know it).
 */
export const AAS_POLICY_ARN = /^arn:aws[a-z-]*:autoscaling:[a-z0-9-]+:\d{12}:scalingPolicy:[^:]+:resource\/ecs\/(service\/[^/:]+\/[^/:]+):policyName\/(.+)$/;

/** `{resourceId, policyName}` of an Application Auto Scaling ECS policy ARN, or undefined. */
export function parsePolicyArn(a: unknown): { resourceId: string; policyName: string } | undefined {
  const m = isStr(a) ? AAS_POLICY_ARN.exec(a) : null;
  return m ? { resourceId: m[1], policyName: m[2] } : undefined;
}

/** CloudWatch periods: 10, 20, 30 or a multiple of 60 seconds. */
export const validPeriod = (p: unknown): boolean => isInt(p) && (p === 10 || p === 20 || p === 30 || (p >= 60 && p % 60 === 0));

export function validateMetricAlarm(o: any): EcsError[] {
  const issues = new Issues(ErrorType.CloudWatchInvalidParameterValue);
  const missing = (f: string, m: string) => issues.add(f, m, ErrorType.CloudWatchMissingParameter);
  const combination = (f: string, m: string) => issues.add(f, m, ErrorType.CloudWatchInvalidParameterCombination);
  checkName(o, METRIC_ALARM_NAME, issues);
  const s = obj(o?.spec);
  let period: number | undefined;
  if (s.Metrics !== undefined) {
    for (const k of SINGLE_METRIC_FIELDS) if (s[k] !== undefined) combination(`spec.${k}`, `${k} cannot be used with Metrics: give the metric inside Metrics[].MetricStat.`);
    period = checkMetricQueries(arr(s.Metrics), issues, 'spec.Metrics', CLOUDWATCH_TYPES);
  } else {
    if (s.MetricName === undefined) missing('spec.MetricName', 'MetricName is required unless Metrics is given.');
    if (s.Namespace === undefined) missing('spec.Namespace', 'Namespace is required unless Metrics is given.');
    if ((s.Statistic === undefined) === (s.ExtendedStatistic === undefined)) combination('spec.Statistic', 'Exactly one of Statistic or ExtendedStatistic must be specified.');
    if (s.Period === undefined) missing('spec.Period', 'Period is required for an alarm on a single metric.');
    else if (!validPeriod(s.Period)) issues.add('spec.Period', `Invalid Period ${capValue(s.Period)}: valid values are 10, 20, 30 and any multiple of 60.`);
    else period = s.Period;
  }
  if (s.EvaluationPeriods === undefined) missing('spec.EvaluationPeriods', 'EvaluationPeriods is required.');
  if (isInt(s.DatapointsToAlarm) && isInt(s.EvaluationPeriods) && s.DatapointsToAlarm > s.EvaluationPeriods) {
    issues.add('spec.DatapointsToAlarm', `DatapointsToAlarm (${s.DatapointsToAlarm}) must be less than or equal to EvaluationPeriods (${s.EvaluationPeriods}).`);
  }
  if (period !== undefined && isInt(s.EvaluationPeriods)) {
    const total = period * s.EvaluationPeriods;
    const limit = period < 3600 ? 86_400 : 604_800;
    if (total > limit) {
      issues.add('spec.EvaluationPeriods', `Period (${period}) multiplied by EvaluationPeriods (${s.EvaluationPeriods}) must be at most ${limit} seconds${period < 3600 ? ' for a period under one hour' : ''}.`);
    }
  }
  if (s.ComparisonOperator === undefined) missing('spec.ComparisonOperator', 'ComparisonOperator is required.');
  const anomaly = isStr(s.ComparisonOperator) && !STATIC_COMPARISONS.includes(s.ComparisonOperator);
  if (anomaly && s.ThresholdMetricId === undefined) missing('spec.ThresholdMetricId', `ThresholdMetricId is required with ComparisonOperator ${s.ComparisonOperator}.`);
  if (!anomaly && s.Threshold === undefined && s.ComparisonOperator !== undefined) missing('spec.Threshold', 'Threshold is required with a static ComparisonOperator.');
  if (!anomaly && s.ThresholdMetricId !== undefined) combination('spec.ThresholdMetricId', 'ThresholdMetricId is only valid with an anomaly detection ComparisonOperator.');
  if (s.TreatMissingData !== undefined && !TREAT_MISSING_DATA.includes(s.TreatMissingData)) {
    issues.add('spec.TreatMissingData', `Invalid TreatMissingData ${capValue(s.TreatMissingData)}: valid values are ${TREAT_MISSING_DATA.join(', ')}.`);
  }
  if (s.EvaluateLowSampleCountPercentile !== undefined && !['evaluate', 'ignore'].includes(s.EvaluateLowSampleCountPercentile)) {
    issues.add('spec.EvaluateLowSampleCountPercentile', 'EvaluateLowSampleCountPercentile must be evaluate or ignore.');
  }
  for (const k of ['AlarmActions', 'OKActions', 'InsufficientDataActions']) {
    arr(s[k]).forEach((a, i) => {
      if (isStr(a) && !a.startsWith('arn:')) issues.add(`spec.${k}[${i}]`, `Invalid action ${capValue(a)}: an action is an ARN.`);
    });
  }
  return issues.list;
}

/** The exceptions a service reports Metrics[] problems with. */
export interface MetricQueryErrorTypes {
  value: string;
  combination: string;
  missing: string;
}
const CLOUDWATCH_TYPES: MetricQueryErrorTypes = {
  value: ErrorType.CloudWatchInvalidParameterValue,
  combination: ErrorType.CloudWatchInvalidParameterCombination,
  missing: ErrorType.CloudWatchMissingParameter,
};

/**
 * Metrics[] rules (PutMetricAlarm's MetricDataQuery, Application Auto Scaling's TargetTrackingMetricDataQuery):
 * ids `^[a-z][a-zA-Z0-9_]*$` and unique, MetricStat xor Expression, expressions that parse and name other
 * items, exactly one item returning data. Returns the period of the data returned (when the items give one).
 */
export function checkMetricQueries(metrics: any[], issues: Issues, f: string, types: MetricQueryErrorTypes): number | undefined {
  if (metrics.length === 0) return void issues.add(f, 'Metrics must not be empty.', types.missing);
  const ids = new Set<string>();
  for (const [i, m] of metrics.entries()) {
    if (isStr(m?.Id)) {
      if (!METRIC_ID.test(m.Id)) issues.add(`${f}[${i}].Id`, `Invalid Id ${capValue(m.Id)}: it must start with a lowercase letter and contain only letters, numbers and underscores.`, types.value);
      if (ids.has(m.Id)) issues.add(`${f}[${i}].Id`, `The Id ${capValue(m.Id)} is used more than once.`, types.value);
      ids.add(m.Id);
    }
  }
  let returning = 0;
  let period: number | undefined;
  for (const [i, m] of metrics.entries()) {
    const at = `${f}[${i}]`;
    if (!isObject(m)) continue;
    if ((m.MetricStat === undefined) === (m.Expression === undefined)) {
      issues.add(at, 'Each item of Metrics needs exactly one of MetricStat or Expression.', types.combination);
    }
    const stat = obj(m.MetricStat);
    if (stat.Period !== undefined && !validPeriod(stat.Period)) issues.add(`${at}.MetricStat.Period`, `Invalid Period ${capValue(stat.Period)}: valid values are 10, 20, 30 and any multiple of 60.`, types.value);
    if (m.Period !== undefined && !validPeriod(m.Period)) issues.add(`${at}.Period`, `Invalid Period ${capValue(m.Period)}: valid values are 10, 20, 30 and any multiple of 60.`, types.value);
    if (isStr(m.Expression)) {
      const p = parseExpression(m.Expression);
      if ('error' in p) {
        if (!p.unsupported) issues.add(`${at}.Expression`, `Invalid metrics math expression: ${p.error}`, types.value);
      } else {
        for (const id of p.ids) if (!ids.has(id) || id === m.Id) issues.add(`${at}.Expression`, `The expression refers to ${capValue(id)}, which is not the Id of another item in Metrics.`, types.value);
      }
    }
    if (m.ReturnData !== false) {
      returning++;
      period = isInt(stat.Period) ? stat.Period : isInt(m.Period) ? m.Period : period;
      if (m.Expression !== undefined && m.Period === undefined) {
        // An expression's period is its inputs' (CloudWatch requires them to agree).
        period = metrics.map((x) => obj(x?.MetricStat).Period).find(isInt) ?? period;
      }
    }
  }
  if (returning !== 1) {
    issues.add(f, `Exactly one element of the metrics list should return data (ReturnData true; ${returning} do). Set ReturnData false on the others.`, types.combination);
  }
  return period;
}

/** The defaulted view (pure): AlarmName from metadata.name; ActionsEnabled true; DatapointsToAlarm = EvaluationPeriods; TreatMissingData missing. */
export function metricAlarmWithDefaults(spec: any, meta?: { name?: string }): any {
  const s = clone(spec) ?? {};
  if (s.AlarmName === undefined && meta?.name) s.AlarmName = meta.name;
  s.ActionsEnabled ??= true;
  if (s.EvaluationPeriods !== undefined) s.DatapointsToAlarm ??= s.EvaluationPeriods;
  s.TreatMissingData ??= 'missing';
  return s;
}
