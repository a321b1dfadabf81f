/** The SQS and CloudWatch kinds of issue #13 (Queue, MetricAlarm), registered by index.ts. */
import { ErrorType } from '../errors.js';
import type { KindEntry } from './index.js';
import { METRIC_ALARM_NAME, metricAlarmWithDefaults, validateMetricAlarm } from './metric-alarm.js';
import { QUEUE_NAME, queueWithDefaults, validateQueue } from './queue.js';

const AGE = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' } as const;

export const QUEUE_KIND_ENTRIES: KindEntry[] = [
  {
    kind: 'Queue',
    plural: 'queues',
    shortNames: ['sqs'],
    name: QUEUE_NAME,
    errorType: ErrorType.SqsInvalidAttributeValue,
    file: 'queue.json',
    printerColumns: [
      { name: 'VISIBLE', type: 'integer', jsonPath: '.status.ApproximateNumberOfMessages' },
      { name: 'INFLIGHT', type: 'integer', jsonPath: '.status.ApproximateNumberOfMessagesNotVisible' },
      { name: 'DELAYED', type: 'integer', jsonPath: '.status.ApproximateNumberOfMessagesDelayed', priority: 1 },
      { name: 'OLDEST', type: 'integer', jsonPath: '.status.ApproximateAgeOfOldestMessage', description: 'seconds' },
      { name: 'CONSUMERS', type: 'integer', jsonPath: '.status.consumers', priority: 1 },
      AGE,
    ],
    validate: validateQueue,
    withDefaults: queueWithDefaults,
  },
  {
    kind: 'MetricAlarm',
    plural: 'metricalarms',
    shortNames: ['alarm'],
    name: METRIC_ALARM_NAME,
    errorType: ErrorType.CloudWatchInvalidParameterValue,
    file: 'metric-alarm.json',
    printerColumns: [
      { name: 'STATE', type: 'string', jsonPath: '.status.StateValue' },
      { name: 'METRIC', type: 'string', jsonPath: '.spec.MetricName' },
      { name: 'THRESHOLD', type: 'number', jsonPath: '.spec.Threshold' },
      { name: 'REASON', type: 'string', jsonPath: '.status.StateReason', priority: 1 },
      AGE,
    ],
    validate: validateMetricAlarm,
    withDefaults: metricAlarmWithDefaults,
  },
];
