/**
 * CloudWatch metric alarm evaluation, pure: "M out of N" (DatapointsToAlarm of EvaluationPeriods) with
 * the four TreatMissingData modes.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 *  - With no missing datapoint in the evaluation range: ALARM when at least M breach, else OK.
 *  - With some missing: CloudWatch first looks further back for real datapoints; if it finds at least M
 *    (among the newest N real ones), it evaluates those and TreatMissingData does not matter.
 *  - Otherwise the missing ones are filled as the mode says: breaching / notBreaching count as such;
 *    ignore keeps the current state; missing goes to INSUFFICIENT_DATA when the whole range is missing,
 *    and otherwise evaluates only the real datapoints (OK when one is within the threshold, else the state
 *    is kept, since fewer than M real datapoints cannot make an ALARM).
 */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type Comparison = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

export function breaches(value: number, threshold: number, op: Comparison): boolean {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

export interface AlarmEvaluation {
  state: AlarmStateValue;
  reason: string;
}

/**
 * `history`: one value per period, oldest first, the newest last (null = missing); it may be longer than N
 * (the extra, older datapoints CloudWatch looks back to).
 */
export function evaluateMetricAlarm(
  history: readonly (number | null)[],
  cfg: { evaluationPeriods: number; datapointsToAlarm: number; threshold: number; comparison: Comparison; treatMissingData: TreatMissingData },
  current: AlarmStateValue,
): AlarmEvaluation {
  const n = cfg.evaluationPeriods;
  const m = cfg.datapointsToAlarm;
  const range = history.slice(-n);
  while (range.length < n) range.unshift(null);
  const sym = OP_TEXT[cfg.comparison];
  const verdict = (values: readonly number[], fillBreaching = 0, fillOk = 0): AlarmEvaluation => {
    const breaching = values.filter((v) => breaches(v, cfg.threshold, cfg.comparison)).length + fillBreaching;
    const total = values.length + fillBreaching + fillOk;
    const shown = values.map((v) => round(v)).join(', ');
    const filled = fillBreaching + fillOk > 0 ? ` (+${fillBreaching + fillOk} missing treated as ${fillBreaching ? 'breaching' : 'not breaching'})` : '';
    return breaching >= m
      ? { state: 'ALARM', reason: `Threshold Crossed: ${breaching} out of the last ${total} datapoints [${shown}]${filled} were ${sym} the threshold (${cfg.threshold}) (minimum ${m} datapoints for OK -> ALARM transition).` }
      : { state: 'OK', reason: `Threshold Crossed: ${total - breaching} out of the last ${total} datapoints [${shown}]${filled} were not ${sym} the threshold (${cfg.threshold}) (minimum ${Math.max(1, total - m + 1)} datapoints for ALARM -> OK transition).` };
  };
  const real = range.filter((v): v is number => v !== null);
  if (real.length === n) return verdict(real);
  const further = history.filter((v): v is number => v !== null).slice(-n);
  if (further.length >= m) return verdict(further);
  const missing = n - real.length;
  switch (cfg.treatMissingData) {
    case 'breaching':
      return verdict(real, missing, 0);
    case 'notBreaching':
      return verdict(real, 0, missing);
    case 'ignore':
      return { state: current, reason: `${missing} of ${n} datapoints are missing: the state is kept (TreatMissingData ignore).` };
    case 'missing':
    default:
      if (real.length === 0) return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${n} datapoint(s) were unknown.` };
      if (real.some((v) => !breaches(v, cfg.threshold, cfg.comparison))) return verdict(real);
      return { state: current, reason: `${missing} of ${n} datapoints are missing and the ${real.length} real one(s) are fewer than ${m}: the state is kept (TreatMissingData missing).` };
  }
}

const OP_TEXT: Record<Comparison, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};
const round = (v: number) => Math.round(v * 1000) / 1000;

/** One statistic over the one-minute samples of a period (null when the period has none). */
export function aggregatePeriod(samples: readonly number[], stat: string): number | null {
  if (samples.length === 0) return null;
  switch (stat) {
    case 'Sum':
      return samples.reduce((a, b) => a + b, 0);
    case 'Minimum':
      return Math.min(...samples);
    case 'Maximum':
      return Math.max(...samples);
    case 'SampleCount':
      return samples.length;
    default:
      return samples.reduce((a, b) => a + b, 0) / samples.length;
  }
}
