/**
 * SQS (JSON 1.0, X-Amz-Target AmazonSQS.*; raw requests, as @aws-sdk/client-sqs is not installed) and the
 * CloudWatch alarm operations (@aws-sdk/client-cloudwatch) over the Queue and MetricAlarm kinds, on the
 * virtual clock: messages sent through the API raise the queue metric and the alarm follows.
 */
import { expect } from 'chai';
import * as C from '@aws-sdk/client-cloudwatch';
import { fails, testCredentials } from './query-helpers.js';
import { startTestApi, type TestApi } from './harness.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';

async function sqs(t: TestApi, op: string, input: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(t.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}` },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const highAlarm = (o: Partial<C.PutMetricAlarmInput> = {}): C.PutMetricAlarmInput => ({
  AlarmName: 'orders-high',
  Namespace: 'AWS/SQS',
  MetricName: 'ApproximateNumberOfMessagesVisible',
  Dimensions: [{ Name: 'QueueName', Value: 'orders' }],
  Statistic: 'Maximum',
  Period: 60,
  EvaluationPeriods: 2,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanThreshold',
  ...o,
});

describe('AWS API: SQS queues and CloudWatch alarms', () => {
  let t: TestApi;
  let cw: C.CloudWatchClient;
  beforeEach(async () => {
    t = await startTestApi();
    cw = new C.CloudWatchClient({ endpoint: t.server.url, ...testCredentials });
  });
  afterEach(async () => {
    cw.destroy();
    await t.stop();
  });

  it('CreateQueue (idempotent), GetQueueUrl, SendMessage(Batch), GetQueueAttributes, ListQueues, DeleteQueue', async () => {
    const created = await sqs(t, 'CreateQueue', { QueueName: 'orders', Attributes: { VisibilityTimeout: '60' } });
    expect(created.status).to.equal(200);
    expect(created.headers.get('content-type')).to.equal('application/x-amz-json-1.0');
    const url: string = created.body.QueueUrl;
    expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/123456789012\/orders$/);
    expect((await sqs(t, 'CreateQueue', { QueueName: 'orders', Attributes: { VisibilityTimeout: '60' } })).body.QueueUrl).to.equal(url);
    const clash = await sqs(t, 'CreateQueue', { QueueName: 'orders', Attributes: { VisibilityTimeout: '30' } });
    expect([clash.status, clash.body.__type]).to.deep.equal([400, 'QueueNameExists']);
    expect((await sqs(t, 'GetQueueUrl', { QueueName: 'orders' })).body.QueueUrl).to.equal(url);

    const sent = await sqs(t, 'SendMessage', { QueueUrl: url, MessageBody: 'hello' });
    expect(sent.body.MD5OfMessageBody).to.equal('5d41402abc4b2a76b9719d911017c592');
    const batch = await sqs(t, 'SendMessageBatch', { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'b', MessageBody: 'y', DelaySeconds: 30 }] });
    expect(batch.body.Successful.map((e: any) => e.Id)).to.deep.equal(['a', 'b']);
    t.advance(1000);
    const attrs = await sqs(t, 'GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] });
    expect(attrs.body.Attributes).to.include({
      ApproximateNumberOfMessages: '2',
      ApproximateNumberOfMessagesDelayed: '1',
      ApproximateNumberOfMessagesNotVisible: '0',
      VisibilityTimeout: '60',
      MessageRetentionPeriod: '345600',
      QueueArn: 'arn:aws:sqs:us-east-1:123456789012:orders',
    });
    const some = await sqs(t, 'GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] });
    expect(some.body.Attributes).to.deep.equal({ ApproximateNumberOfMessages: '2' });

    await sqs(t, 'CreateQueue', { QueueName: 'payments' });
    expect((await sqs(t, 'ListQueues', {})).body.QueueUrls.map((u: string) => u.split('/').pop())).to.deep.equal(['orders', 'payments']);
    expect((await sqs(t, 'ListQueues', { QueueNamePrefix: 'pay' })).body.QueueUrls).to.have.length(1);
    expect((await sqs(t, 'DeleteQueue', { QueueUrl: url })).status).to.equal(200);
    t.advance(1000);
    const gone = await sqs(t, 'GetQueueUrl', { QueueName: 'orders' });
    expect([gone.status, gone.body.__type]).to.deep.equal([400, 'QueueDoesNotExist']);
  });

  it('errors with SQS names: bad attribute values through the admission pipeline, batch rules, a missing queue', async () => {
    const bad = await sqs(t, 'CreateQueue', { QueueName: 'orders', Attributes: { VisibilityTimeout: '99999' } });
    expect([bad.status, bad.body.__type]).to.deep.equal([400, 'InvalidAttributeValue']);
    expect(bad.body.message).to.match(/VisibilityTimeout/);
    const name = await sqs(t, 'CreateQueue', { QueueName: 'bad.name' });
    expect(name.body.__type).to.equal('InvalidParameterValue');
    await sqs(t, 'CreateQueue', { QueueName: 'orders' });
    const url = (await sqs(t, 'GetQueueUrl', { QueueName: 'orders' })).body.QueueUrl;
    expect((await sqs(t, 'SendMessageBatch', { QueueUrl: url, Entries: [] })).body.__type).to.equal('EmptyBatchRequest');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' }));
    expect((await sqs(t, 'SendMessageBatch', { QueueUrl: url, Entries: eleven })).body.__type).to.equal('TooManyEntriesInBatchRequest');
    expect((await sqs(t, 'SendMessageBatch', { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }] })).body.__type).to.equal('BatchEntryIdsNotDistinct');
    expect((await sqs(t, 'SendMessage', { QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })).body.__type).to.equal('InvalidParameterValue');
    expect((await sqs(t, 'SendMessage', { QueueUrl: 'http://x/123456789012/nope', MessageBody: 'x' })).body.__type).to.equal('QueueDoesNotExist');
  });

  it('PutMetricAlarm / DescribeAlarms / SetAlarmState / DeleteAlarms; the alarm follows the queue metric', async () => {
    await sqs(t, 'CreateQueue', { QueueName: 'orders' });
    await cw.send(new C.PutMetricAlarmCommand(highAlarm()));
    const first = await cw.send(new C.DescribeAlarmsCommand({ AlarmNames: ['orders-high'] }));
    expect(first.MetricAlarms![0]).to.include({ AlarmName: 'orders-high', StateValue: 'INSUFFICIENT_DATA', AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-high', DatapointsToAlarm: 2, TreatMissingData: 'missing' });
    const url = (await sqs(t, 'GetQueueUrl', { QueueName: 'orders' })).body.QueueUrl;
    await sqs(t, 'SendMessageBatch', { QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })) });
    t.advance(2 * 60_000);
    const alarmed = await cw.send(new C.DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    expect(alarmed.MetricAlarms!.map((a) => a.AlarmName)).to.deep.equal(['orders-high']);
    expect(alarmed.MetricAlarms![0].StateReason).to.match(/^Threshold Crossed: 2 out of the last 2 datapoints \[10, 10\]/);
    expect(alarmed.MetricAlarms![0].StateUpdatedTimestamp).to.be.instanceOf(Date);

    await cw.send(new C.SetAlarmStateCommand({ AlarmName: 'orders-high', StateValue: 'OK', StateReason: 'testing' }));
    expect((await cw.send(new C.DescribeAlarmsCommand({ AlarmNames: ['orders-high'] }))).MetricAlarms![0]).to.include({ StateValue: 'OK', StateReason: 'testing' });
    t.advance(60_000); // the next evaluation puts the real state back
    expect((await cw.send(new C.DescribeAlarmsCommand({ AlarmNames: ['orders-high'] }))).MetricAlarms![0].StateValue).to.equal('ALARM');

    const missing = await fails(cw.send(new C.DeleteAlarmsCommand({ AlarmNames: ['orders-high', 'nope'] })));
    expect(missing.name).to.equal('ResourceNotFound');
    expect((await cw.send(new C.DescribeAlarmsCommand({}))).MetricAlarms).to.have.length(1); // nothing deleted
    await cw.send(new C.DeleteAlarmsCommand({ AlarmNames: ['orders-high'] }));
    expect((await cw.send(new C.DescribeAlarmsCommand({}))).MetricAlarms).to.have.length(0);
  });

  it('PutMetricAlarm errors carry CloudWatch names and field paths', async () => {
    const period = await fails(cw.send(new C.PutMetricAlarmCommand(highAlarm({ Period: 45 }))));
    expect([period.name, period.$metadata.httpStatusCode]).to.deep.equal(['InvalidParameterValueException', 400]);
    expect(period.message).to.match(/valid values are 10, 20, 30 and any multiple of 60\. \(spec\.Period\)$/);
    const combo = await fails(cw.send(new C.PutMetricAlarmCommand(highAlarm({ Metrics: [{ Id: 'e1', Expression: '1', ReturnData: true }] }))));
    expect(combo.name).to.equal('InvalidParameterCombinationException');
    const state = await fails(cw.send(new C.SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })));
    expect(state.name).to.equal('ResourceNotFound');
  });
});
