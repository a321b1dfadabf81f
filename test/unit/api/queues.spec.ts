/** Queue (SQS CreateQueue) and MetricAlarm (CloudWatch PutMetricAlarm) rules, with the services' error names. */
import { expect } from 'chai';
import { errorsOf, expectError, expectValid, type Expected } from './helpers.js';
import { parseRedrivePolicy, queueSettings, queueWithDefaults } from '../../../api/v1alpha1/queue.js';
import { metricAlarmWithDefaults, parsePolicyArn } from '../../../api/v1alpha1/metric-alarm.js';
import { parseRate, simAnnotationErrors } from '../../../api/sim.js';

const IAV = 'InvalidAttributeValue';
const IAN = 'InvalidAttributeName';
const IPV = 'InvalidParameterValue';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';

describe('Queue', () => {
  const good: [string, string, any][] = [
    ['no attributes', 'orders', {}],
    ['QueueName equal to metadata.name', 'orders', { QueueName: 'orders' }],
    ['every standard attribute at its bounds', 'orders', { Attributes: { DelaySeconds: '900', MaximumMessageSize: '1048576', MessageRetentionPeriod: '60', ReceiveMessageWaitTimeSeconds: '20', VisibilityTimeout: '43200' } }],
    ['redrive policy (maxReceiveCount as number or string)', 'orders', { Attributes: { RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":"5"}` } }],
    ['FIFO queue', 'orders.fifo', { Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }],
    ['80 characters', 'a'.repeat(80), {}],
    ['tags', 'orders', { tags: { team: 'shop' } }],
  ];
  for (const [what, name, spec] of good) it(`valid: ${what}`, () => expectValid('Queue', spec, name));

  const bad: [string, string, any, Expected][] = [
    ['name with a dot', 'or.ders', {}, { field: 'metadata.name', type: IPV, message: /alphanumeric characters, hyphens, or underscores/ }],
    ['81 characters', 'a'.repeat(81), {}, { field: 'metadata.name', type: IPV }],
    ['QueueName differs', 'orders', { QueueName: 'other' }, { field: 'spec.QueueName', type: IPV }],
    ['unknown attribute', 'orders', { Attributes: { Visibility: '30' } }, { field: 'spec.Attributes.Visibility', type: IAN, message: 'Unknown Attribute Visibility.' }],
    ['VisibilityTimeout over 12 hours', 'orders', { Attributes: { VisibilityTimeout: '43201' } }, { field: 'spec.Attributes.VisibilityTimeout', type: IAV, message: /0 to 43200/ }],
    ['DelaySeconds over 15 minutes', 'orders', { Attributes: { DelaySeconds: '901' } }, { field: 'spec.Attributes.DelaySeconds', type: IAV }],
    ['MessageRetentionPeriod under a minute', 'orders', { Attributes: { MessageRetentionPeriod: '59' } }, { field: 'spec.Attributes.MessageRetentionPeriod', type: IAV }],
    ['MaximumMessageSize over 1 MiB', 'orders', { Attributes: { MaximumMessageSize: '1048577' } }, { field: 'spec.Attributes.MaximumMessageSize', type: IAV }],
    ['a number where SQS takes a string', 'orders', { Attributes: { VisibilityTimeout: 30 } }, { field: 'spec.Attributes.VisibilityTimeout', type: IAV, message: /must be string/ }],
    ['not an integer', 'orders', { Attributes: { VisibilityTimeout: '1.5' } }, { field: 'spec.Attributes.VisibilityTimeout', type: IAV }],
    ['redrive policy not JSON', 'orders', { Attributes: { RedrivePolicy: 'orders-dlq' } }, { field: 'spec.Attributes.RedrivePolicy', type: IAV, message: /not a valid JSON map/ }],
    ['redrive target not an SQS ARN', 'orders', { Attributes: { RedrivePolicy: '{"deadLetterTargetArn":"orders-dlq","maxReceiveCount":5}' } }, { field: 'spec.Attributes.RedrivePolicy', type: IAV, message: /deadLetterTargetArn/ }],
    ['maxReceiveCount 0', 'orders', { Attributes: { RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":0}` } }, { field: 'spec.Attributes.RedrivePolicy', type: IAV, message: /1 to 1000/ }],
    ['maxReceiveCount 1001', 'orders', { Attributes: { RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":1001}` } }, { field: 'spec.Attributes.RedrivePolicy', type: IAV }],
    ['its own dead-letter queue', 'orders-dlq', { Attributes: { RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":3}` } }, { field: 'spec.Attributes.RedrivePolicy', type: IAV, message: /its own dead-letter queue/ }],
    ['FIFO name without FifoQueue', 'orders.fifo', {}, { field: 'metadata.name', type: IPV }],
    ['FifoQueue without .fifo', 'orders', { Attributes: { FifoQueue: 'true' } }, { field: 'spec.Attributes.FifoQueue', type: IAV, message: /must end with \.fifo/ }],
    ['a FIFO-only attribute on a standard queue', 'orders', { Attributes: { ContentBasedDeduplication: 'true' } }, { field: 'spec.Attributes.ContentBasedDeduplication', type: IAN }],
    ['a boolean attribute not true/false', 'orders', { Attributes: { SqsManagedSseEnabled: 'yes' } }, { field: 'spec.Attributes.SqsManagedSseEnabled', type: IAV }],
    ['Policy not a JSON object', 'orders', { Attributes: { Policy: '[1]' } }, { field: 'spec.Attributes.Policy', type: IAV }],
  ];
  for (const [what, name, spec, want] of bad) it(`invalid: ${what}`, () => void expectError(errorsOf('Queue', spec, name), want));

  it('defaults: the documented attribute defaults, as strings; settings as numbers', () => {
    const d = queueWithDefaults({}, { name: 'orders' });
    expect(d).to.deep.equal({ QueueName: 'orders', Attributes: { DelaySeconds: '0', MaximumMessageSize: '1048576', MessageRetentionPeriod: '345600', ReceiveMessageWaitTimeSeconds: '0', VisibilityTimeout: '30' } });
    expect(queueSettings(queueWithDefaults({ Attributes: { VisibilityTimeout: '60', RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":5}` } }))).to.deep.equal({
      delaySeconds: 0,
      retentionSeconds: 345600,
      visibilityTimeoutSeconds: 60,
      redrive: { deadLetterTargetArn: DLQ, maxReceiveCount: 5 },
    });
  });
  it('redrive policy: unknown keys are refused', () => expect(parseRedrivePolicy(`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":5,"x":1}`)).to.have.property('error'));
});

describe('simulation annotations of queue consumers', () => {
  const cases: [string, number | undefined][] = [['5/s', 5], ['300/m', 5], ['300/min', 5], ['3600/h', 1], ['2.5', 2.5], ['0/s', undefined], ['fast', undefined], ['-1/s', undefined], ['5/d', undefined]];
  for (const [text, want] of cases) it(`consume-rate ${text} → ${want ?? 'refused'}`, () => expect(parseRate(text)).to.equal(want));
  it('a FIFO queue name is a queue name', () => expect(simAnnotationErrors('TaskDefinition', { 'sim.ecsplane.io/consumes': 'jobs.fifo' }, 'ClientException')).to.deep.equal([]));
  it('a bad rate or queue name is an admission error naming the annotation', () => {
    const errs = simAnnotationErrors('TaskDefinition', { 'sim.ecsplane.io/consumes': 'bad name', 'sim.ecsplane.io/consume-rate': 'fast' }, 'ClientException');
    expect(errs.map((e) => e.field)).to.deep.equal(['metadata.annotations["sim.ecsplane.io/consumes"]', 'metadata.annotations["sim.ecsplane.io/consume-rate"]']);
  });
});

const IPVE = 'InvalidParameterValueException';
const IPCE = 'InvalidParameterCombinationException';
const MRPE = 'MissingRequiredParameterException';
const POLICY_ARN = 'arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:ab12:resource/ecs/service/media/thumbnailer:policyName/backlog-out';
const single = (o: Record<string, unknown> = {}) => ({
  Namespace: 'AWS/SQS',
  MetricName: 'ApproximateNumberOfMessagesVisible',
  Dimensions: [{ Name: 'QueueName', Value: 'orders' }],
  Statistic: 'Maximum',
  Period: 60,
  EvaluationPeriods: 3,
  Threshold: 500,
  ComparisonOperator: 'GreaterThanThreshold',
  ...o,
});
const m = (Id: string, ReturnData = false) => ({ Id, MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: 'orders' }] }, Period: 60, Stat: 'Sum' }, ReturnData });
const math = (Expression: string, extra: any[] = [m('m1'), m('m2')]) => ({ EvaluationPeriods: 2, Threshold: 100, ComparisonOperator: 'GreaterThanThreshold', Metrics: [...extra, { Id: 'e1', Expression, ReturnData: true }] });

describe('MetricAlarm', () => {
  const good: [string, any][] = [
    ['a single metric', single()],
    ['M of N with an Auto Scaling action', single({ DatapointsToAlarm: 2, AlarmActions: [POLICY_ARN], TreatMissingData: 'notBreaching' })],
    ['period 10 (high resolution) and multiples of 60', single({ Period: 10, EvaluationPeriods: 5 })],
    ['metric math backlog per task', math('m1 / m2')],
    ['metric math with numbers and parentheses', math('(m1 + m2) * 100 / 2 ^ 2')],
    ['a metric math function (not simulated, still valid)', math('FILL(m1, 0)')],
    ['a longer period within 7 days', single({ Period: 3600, EvaluationPeriods: 168 })],
  ];
  for (const [what, spec] of good) it(`valid: ${what}`, () => expectValid('MetricAlarm', spec, 'backlog-high'));

  const bad: [string, any, Expected][] = [
    ['Period 45', single({ Period: 45 }), { field: 'spec.Period', type: IPVE, message: /10, 20, 30 and any multiple of 60/ }],
    ['Period missing', single({ Period: undefined }), { field: 'spec.Period', type: MRPE }],
    ['Statistic and ExtendedStatistic', single({ ExtendedStatistic: 'p90' }), { field: 'spec.Statistic', type: IPCE }],
    ['neither Statistic nor ExtendedStatistic', single({ Statistic: undefined }), { field: 'spec.Statistic', type: IPCE }],
    ['DatapointsToAlarm above EvaluationPeriods', single({ DatapointsToAlarm: 4 }), { field: 'spec.DatapointsToAlarm', type: IPVE }],
    ['over one day for a period under an hour', single({ Period: 60, EvaluationPeriods: 1441 }), { field: 'spec.EvaluationPeriods', type: IPVE, message: /86400/ }],
    ['over seven days', single({ Period: 3600, EvaluationPeriods: 169 }), { field: 'spec.EvaluationPeriods', type: IPVE, message: /604800/ }],
    ['EvaluationPeriods missing', single({ EvaluationPeriods: undefined }), { field: 'spec.EvaluationPeriods', type: MRPE }],
    ['Threshold missing', single({ Threshold: undefined }), { field: 'spec.Threshold', type: MRPE }],
    ['anomaly detection without ThresholdMetricId', single({ ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold', Threshold: undefined }), { field: 'spec.ThresholdMetricId', type: MRPE }],
    ['TreatMissingData unknown', single({ TreatMissingData: 'zero' }), { field: 'spec.TreatMissingData', type: IPVE }],
    ['an action that is not an ARN', single({ AlarmActions: ['backlog-out'] }), { field: 'spec.AlarmActions[0]', type: IPVE }],
    ['more than 5 actions', single({ AlarmActions: Array(6).fill(POLICY_ARN) }), { field: 'spec.AlarmActions', type: IPVE }],
    ['MetricName with Metrics', { ...math('m1 / m2'), MetricName: 'x' }, { field: 'spec.MetricName', type: IPCE }],
    ['no item returns data', { ...math('m1 / m2'), Metrics: [m('m1'), m('m2')] }, { field: 'spec.Metrics', type: IPCE, message: /Exactly one element of the metrics list should return data/ }],
    ['two items return data', math('m1 / m2', [m('m1', true), m('m2')]), { field: 'spec.Metrics', type: IPCE }],
    ['an Id starting with a capital', math('M1 / m2', [m('M1'), m('m2')]), { field: 'spec.Metrics[0].Id', type: IPVE }],
    ['a duplicate Id', math('m1 / m2', [m('m1'), m('m1')]), { field: 'spec.Metrics[1].Id', type: IPVE }],
    ['an expression naming an unknown Id', math('m1 / m3'), { field: 'spec.Metrics[2].Expression', type: IPVE, message: /m3/ }],
    ['an expression that does not parse', math('m1 / (m2'), { field: 'spec.Metrics[2].Expression', type: IPVE, message: /Expected '\)'/ }],
    ['an item with both MetricStat and Expression', math('m1', [{ ...m('m1'), Expression: 'm2' }, m('m2')]), { field: 'spec.Metrics[0]', type: IPCE }],
  ];
  for (const [what, spec, want] of bad) it(`invalid: ${what}`, () => void expectError(errorsOf('MetricAlarm', spec, 'backlog-high'), want));

  it('defaults: DatapointsToAlarm = EvaluationPeriods, TreatMissingData missing, ActionsEnabled', () => {
    expect(metricAlarmWithDefaults(single(), { name: 'a' })).to.include({ AlarmName: 'a', DatapointsToAlarm: 3, TreatMissingData: 'missing', ActionsEnabled: true });
  });
  it('a policy ARN names the service and policy; its id part is free', () => {
    expect(parsePolicyArn(POLICY_ARN)).to.deep.equal({ resourceId: 'service/media/thumbnailer', policyName: 'backlog-out' });
    expect(parsePolicyArn('arn:aws:sns:us-east-1:123456789012:ops')).to.equal(undefined);
  });
});

describe('ScalingPolicy: CustomizedMetricSpecification with metric math (the SQS backlog-per-task recipe)', () => {
  const VX = 'ValidationException';
  const ref = { ServiceNamespace: 'ecs', ResourceId: 'service/jobs/worker', ScalableDimension: 'ecs:service:DesiredCount', PolicyType: 'TargetTrackingScaling' };
  const stat = (Id: string, MetricName: string) => ({ Id, MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName, Dimensions: [{ Name: 'QueueName', Value: 'orders' }] }, Stat: 'Sum' }, ReturnData: false });
  const policy = (c: Record<string, unknown>) => ({ ...ref, TargetTrackingScalingPolicyConfiguration: { TargetValue: 100, CustomizedMetricSpecification: c } });
  const recipe = { Metrics: [stat('m1', 'ApproximateNumberOfMessagesVisible'), stat('m2', 'RunningTaskCount'), { Id: 'e1', Expression: 'm1 / m2', ReturnData: true }] };
  it('valid: the recipe', () => expectValid('ScalingPolicy', policy(recipe), 'backlog'));
  it('valid: one metric, ReturnData left to its default', () => expectValid('ScalingPolicy', policy({ Metrics: [{ ...stat('m1', 'x'), ReturnData: undefined }] }), 'backlog'));
  const bad: [string, any, Expected][] = [
    ['MetricName beside Metrics', { ...recipe, MetricName: 'x' }, { field: 'spec.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.MetricName', type: VX }],
    ['the expression also returns false', { Metrics: [stat('m1', 'a'), { Id: 'e1', Expression: 'm1 * 2', ReturnData: false }] }, { field: 'spec.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics', type: VX, message: /Exactly one element/ }],
    ['an expression naming a missing id', { Metrics: [stat('m1', 'a'), { Id: 'e1', Expression: 'm1 / m9', ReturnData: true }] }, { field: 'spec.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics[1].Expression', type: VX }],
  ];
  for (const [what, c, want] of bad) it(`invalid: ${what}`, () => void expectError(errorsOf('ScalingPolicy', policy(c), 'backlog'), want));
});
