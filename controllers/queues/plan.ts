/**
 * The queue loop's pure plan: step the aggregate model (model.ts) to `now`, publish GetQueueAttributes
 * counts and the one-minute CloudWatch datapoints (AWS/SQS ApproximateNumberOfMessagesVisible,
 * ApproximateNumberOfMessagesNotVisible, ApproximateAgeOfOldestMessage), and say when to look again.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
 */
import { setCondition } from '../../api/conditions.js';
import type { Condition } from '../../api/meta.js';
import { queueArn, queueNameFromArn, type QueueSettings } from '../../api/v1alpha1/queue.js';
import { appendDatapoint, datapointDue, untilNextPeriod, type Datapoint } from '../autoscaling/periods.js';
import { countsOf, emptyQueue, stepQueue, type Cohort, type Consumer, type QueueCounts, type QueueState } from './model.js';

/** The CloudWatch metrics a queue publishes, with the count each is read from. */
export const QUEUE_METRICS = {
  ApproximateNumberOfMessagesVisible: 'ApproximateNumberOfMessages',
  ApproximateNumberOfMessagesNotVisible: 'ApproximateNumberOfMessagesNotVisible',
  ApproximateNumberOfMessagesDelayed: 'ApproximateNumberOfMessagesDelayed',
  ApproximateAgeOfOldestMessage: 'ApproximateAgeOfOldestMessage',
} as const satisfies Record<string, keyof QueueCounts>;
export type QueueMetric = keyof typeof QUEUE_METRICS;
/** One-minute datapoints kept per metric in status. */
export const KEEP_DATAPOINTS = 15;

export interface QueueStatus extends Partial<QueueCounts> {
  QueueArn?: string;
  /** Epoch seconds, as GetQueueAttributes returns it. */
  CreatedTimestamp?: string;
  /** Running tasks consuming the queue. */
  consumers?: number;
  messages?: QueueState;
  metrics?: Partial<Record<QueueMetric, Datapoint[]>>;
  conditions?: Condition[];
  observedGeneration?: number;
}

export interface QueuePlanInput {
  now: number;
  name: string;
  generation: number;
  settings: QueueSettings;
  status: QueueStatus;
  consumers: Consumer[];
  /** The RedrivePolicy's dead-letter queue exists. */
  deadLetterQueueExists: boolean;
}

export interface QueuePlan {
  status: QueueStatus;
  /** Messages for the dead-letter queue (its name and the cohorts). */
  moved?: { queue: string; cohorts: Cohort[] };
  requeueAfterMs: number;
}

export function planQueue(input: QueuePlanInput): QueuePlan {
  const { now, settings, generation: gen } = input;
  const prev = input.status ?? {};
  const r = stepQueue(prev.messages ?? emptyQueue(now), now, settings, input.consumers, input.deadLetterQueueExists);
  const counts = countsOf(r.state, now);
  const status: QueueStatus = {
    ...prev,
    QueueArn: queueArn(input.name),
    CreatedTimestamp: prev.CreatedTimestamp ?? String(Math.floor(now / 1000)),
    ...counts,
    consumers: input.consumers.length,
    messages: r.state,
    observedGeneration: gen,
  };
  const metrics: Partial<Record<QueueMetric, Datapoint[]>> = { ...prev.metrics };
  for (const [metric, count] of Object.entries(QUEUE_METRICS) as Array<[QueueMetric, keyof QueueCounts]>) {
    if (datapointDue(metrics[metric], now)) metrics[metric] = appendDatapoint(metrics[metric], now, counts[count], KEEP_DATAPOINTS);
  }
  status.metrics = metrics;
  const dlq = settings.redrive ? queueNameFromArn(settings.redrive.deadLetterTargetArn) : undefined;
  status.conditions = setCondition(
    prev.conditions,
    dlq && !input.deadLetterQueueExists
      ? { type: 'Ready', status: 'False', reason: 'DeadLetterQueueNotFound', message: `RedrivePolicy names queue ${dlq}, which does not exist: messages are not moved`, observedGeneration: gen }
      : { type: 'Ready', status: 'True', reason: 'Active', message: `${input.consumers.length} consumer task(s)`, observedGeneration: gen },
    now,
  );
  const wake = r.wakeInMs ?? Infinity;
  return {
    status,
    ...(r.moved.length && dlq ? { moved: { queue: dlq, cohorts: r.moved } } : {}),
    requeueAfterMs: Math.max(1, Math.min(wake, untilNextPeriod(now))),
  };
}
