/**
 * The CloudWatch metrics ecsplane can answer, read from the store at the moment asked (callers sample once
 * per one-minute period, CloudWatch's standard resolution):
 *   AWS/SQS            ApproximateNumberOfMessagesVisible | ...NotVisible | ...Delayed | ApproximateAgeOfOldestMessage  {QueueName}
 *   ECS/ContainerInsights  RunningTaskCount | DesiredTaskCount | PendingTaskCount                           {ClusterName, ServiceName}
 *   AWS/ECS            CPUUtilization | MemoryUtilization (the scenario's load)                                  {ClusterName, ServiceName}
 * and metric math over them (api/metric-math.ts). Anything else is reported as unsupported, never guessed.
 * One datapoint per minute means every statistic but SampleCount (1) is the value itself.
 */
import { makeKey } from '../../api/meta.js';
import { evaluateExpression, parseExpression } from '../../api/metric-math.js';
import type { ResourceStore } from '../../store/store.js';
import { tasksOfService } from './indexes.js';
import type { LoadModel } from './load-model.js';

export interface MetricRef {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Array<{ Name: string; Value: string }>;
}
/** Metrics[] of PutMetricAlarm or of a CustomizedMetricSpecification. */
export interface MetricQuery {
  Id: string;
  MetricStat?: { Metric: MetricRef; Stat?: string };
  Expression?: string;
  ReturnData?: boolean;
}
/** A value (null: no datapoint this period), or why the metric cannot be simulated. */
export type Sampled = { value: number | null } | { unsupported: string };

const SQS_COUNTS: Record<string, string> = {
  ApproximateNumberOfMessagesVisible: 'ApproximateNumberOfMessages',
  ApproximateNumberOfMessagesNotVisible: 'ApproximateNumberOfMessagesNotVisible',
  ApproximateNumberOfMessagesDelayed: 'ApproximateNumberOfMessagesDelayed',
  ApproximateAgeOfOldestMessage: 'ApproximateAgeOfOldestMessage',
};
const TASK_COUNTS = ['RunningTaskCount', 'DesiredTaskCount', 'PendingTaskCount'];
const STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'];

const dim = (m: MetricRef, name: string) => m.Dimensions?.find((d) => d.Name === name)?.Value;

export class MetricSource {
  constructor(
    private readonly store: ResourceStore,
    private readonly load: LoadModel,
  ) {}

  /** One metric's value now with statistic `stat`. */
  sample(m: MetricRef, stat = 'Average'): Sampled {
    if (!STATISTICS.includes(stat)) return { unsupported: `statistic ${stat} is not simulated (use ${STATISTICS.join(', ')})` };
    const raw = this.raw(m);
    if ('unsupported' in raw || raw.value === null) return raw;
    return { value: stat === 'SampleCount' ? 1 : raw.value };
  }

  /** A Metrics[] query's value now: the item with ReturnData (default true) evaluated over the others. */
  query(items: readonly MetricQuery[]): Sampled {
    return evaluateQuery(items, (q) => this.sample(q.MetricStat!.Metric, q.MetricStat!.Stat));
  }

  private raw(m: MetricRef): Sampled {
    const name = m.MetricName ?? '';
    if (m.Namespace === 'AWS/SQS' && SQS_COUNTS[name]) {
      const queue = dim(m, 'QueueName');
      if (!queue) return { unsupported: `AWS/SQS ${name} needs the dimension QueueName` };
      const q = this.store.get('Queue', queue);
      return { value: q?.status ? (q.status[SQS_COUNTS[name]] ?? 0) : null };
    }
    const ecs = m.Namespace === 'ECS/ContainerInsights' ? TASK_COUNTS.includes(name) : m.Namespace === 'AWS/ECS' && (name === 'CPUUtilization' || name === 'MemoryUtilization');
    if (ecs) {
      const cluster = dim(m, 'ClusterName');
      const service = dim(m, 'ServiceName');
      if (!cluster || !service) return { unsupported: `${m.Namespace} ${name} needs the dimensions ClusterName and ServiceName` };
      const key = makeKey(cluster, service);
      const svc = this.store.get('Service', key);
      if (!svc) return { value: null };
      const running = tasksOfService(this.store, key).filter((t) => t.status?.lastStatus === 'RUNNING' && t.status?.desiredStatus === 'RUNNING').length;
      if (name === 'RunningTaskCount') return { value: running };
      if (name === 'DesiredTaskCount') return { value: svc.status?.desiredCount ?? svc.spec.desiredCount ?? 0 };
      if (name === 'PendingTaskCount') return { value: svc.status?.pendingCount ?? 0 };
      if (running === 0) return { value: null }; // no tasks, no utilisation datapoint
      const u = this.load.utilization(key, running);
      return { value: name === 'CPUUtilization' ? u.cpu : u.memory };
    }
    return { unsupported: `metric ${m.Namespace ?? '?'} ${name || '?'} is not simulated by ecsplane (docs/queues.md lists the metrics it publishes)` };
  }
}

/**
 * A Metrics[] query: the item with ReturnData (default true), its expression evaluated over the other
 * items; `valueOf` gives a MetricStat item's value (now, or aggregated over a period). Pure.
 */
export function evaluateQuery(items: readonly MetricQuery[], valueOf: (q: MetricQuery) => Sampled): Sampled {
  const byId = new Map(items.map((q) => [q.Id, q]));
  const result = items.find((q) => q.ReturnData !== false);
  if (!result) return { unsupported: 'no item of Metrics returns data' };
  const done = new Map<string, Sampled>();
  const visiting = new Set<string>();
  const ev = (q: MetricQuery): Sampled => {
    const known = done.get(q.Id);
    if (known) return known;
    if (visiting.has(q.Id)) return { unsupported: `Metrics item ${q.Id} refers to itself` };
    visiting.add(q.Id);
    let out: Sampled;
    if (q.MetricStat) out = valueOf(q);
    else {
      const p = parseExpression(q.Expression ?? '');
      if ('error' in p) out = { unsupported: p.error };
      else {
        const inputs = new Map<string, number | null>();
        let bad: Sampled | undefined;
        for (const id of p.ids) {
          const dep = byId.get(id);
          const v: Sampled = dep ? ev(dep) : { unsupported: `the expression refers to unknown Id ${id}` };
          if ('unsupported' in v) bad ??= v;
          else inputs.set(id, v.value);
        }
        out = bad ?? { value: evaluateExpression(p.ast, (id) => inputs.get(id) ?? null) };
      }
    }
    visiting.delete(q.Id);
    done.set(q.Id, out);
    return out;
  };
  return ev(result);
}
