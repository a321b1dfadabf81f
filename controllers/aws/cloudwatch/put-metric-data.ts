/**
 * CloudWatch PutMetricData as ecsplane's way to set simulated load without an ecsplane-only API:
 * `AWS/ECS` CPUUtilization / MemoryUtilization with dimensions ClusterName and ServiceName set the
 * service's utilisation exactly as a scenario `load` step does (LoadModel: the demand behind the value
 * at the service's current running count). Other metrics are accepted and not kept, as nothing reads them.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/viewing_cloudwatch_metrics.html
 */
import { makeKey } from '../../../api/meta.js';
import type { App } from '../../register.js';
import { tasksOfService } from '../../shared/indexes.js';
import type { LoadStep } from '../../shared/load-model.js';
import type { JsonOperation } from '../router.js';

export const INVALID_VALUE = 'InvalidParameterValueException';
const ECS_NAMESPACE = 'AWS/ECS';
const LOAD_FIELD: Record<string, 'cpuUtilization' | 'memoryUtilization'> = { CPUUtilization: 'cpuUtilization', MemoryUtilization: 'memoryUtilization' };

interface MetricDatum {
  MetricName: string;
  Dimensions?: Array<{ Name: string; Value: string }>;
  Value?: number;
  Values?: number[];
  Counts?: number[];
  StatisticValues?: { SampleCount: number; Sum: number };
}

/** The datum's average: Value, else Sum / SampleCount, else the count-weighted mean of Values. */
export function averageOf(d: MetricDatum): number | undefined {
  if (d.Value !== undefined) return d.Value;
  if (d.StatisticValues && d.StatisticValues.SampleCount > 0) return d.StatisticValues.Sum / d.StatisticValues.SampleCount;
  if (d.Values?.length) {
    let sum = 0;
    let n = 0;
    d.Values.forEach((v, i) => {
      const c = d.Counts?.[i] ?? 1;
      sum += v * c;
      n += c;
    });
    return n > 0 ? sum / n : undefined;
  }
  return undefined;
}

function runningCount(app: App, cluster: string, service: string): number {
  return tasksOfService(app.store, makeKey(cluster, service)).filter((t) => t.status?.lastStatus === 'RUNNING' && t.status?.desiredStatus === 'RUNNING').length;
}

export const putMetricData: JsonOperation = ({ app }, input: { Namespace: string; MetricData?: MetricDatum[] }) => {
  if (input.Namespace !== ECS_NAMESPACE) return {};
  for (const d of input.MetricData ?? []) {
    const field = LOAD_FIELD[d.MetricName];
    const dims = new Map((d.Dimensions ?? []).map((x) => [x.Name, x.Value]));
    const cluster = dims.get('ClusterName');
    const service = dims.get('ServiceName');
    const value = averageOf(d);
    if (!field || !cluster || !service || value === undefined) continue;
    const step: LoadStep = { cluster, service, [field]: Math.max(0, value) };
    app.load.set(step, runningCount(app, cluster, service));
  }
  return {};
};
