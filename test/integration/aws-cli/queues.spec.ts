/**
 * The real AWS CLI (`make aws-cli`) against `ecsplane run`: SQS (JSON 1.0) and the CloudWatch alarm
 * operations. The v1 CLI pins SQS in us-east-1 to its legacy host (queue.amazonaws.com) unless
 * `--endpoint-url` is given, so the sqs commands pass it (docs/queues.md).
 */
import { expect } from 'chai';
import { awsEnv, requireAwsCli, runBash, startRun, tempHome, type RunningEcsplane } from './aws-cli.js';

describe('AWS CLI: sqs and cloudwatch alarms against ecsplane run', function () {
  this.timeout(120_000);
  let run: RunningEcsplane | undefined;
  let home: ReturnType<typeof tempHome> | undefined;
  afterEach(async () => {
    await run?.stop();
    run = undefined;
    home?.cleanup();
    home = undefined;
  });

  it('create-queue, send-message(-batch), get-queue-attributes, put-metric-alarm, describe-alarms, set-alarm-state, errors, deletes', async function () {
    requireAwsCli(this);
    run = await startRun([]);
    home = tempHome();
    const script = [
      'set -u',
      'sqs() { aws --endpoint-url "$AWS_ENDPOINT_URL" sqs "$@"; }',
      'URL=$(sqs create-queue --queue-name orders --attributes VisibilityTimeout=45 --query QueueUrl --output text)',
      'echo "url=$URL"',
      'sqs send-message --queue-url "$URL" --message-body hello --query MD5OfMessageBody --output text',
      'sqs send-message-batch --queue-url "$URL" --entries Id=a,MessageBody=x Id=b,MessageBody=y --query "Successful[].Id" --output text',
      'sqs get-queue-attributes --queue-url "$URL" --attribute-names VisibilityTimeout QueueArn --query "Attributes.[VisibilityTimeout,QueueArn]" --output text',
      'sqs list-queues --query "QueueUrls[0]" --output text',
      'sqs create-queue --queue-name bad.name 2>&1 || echo "exit=$?"',
      'sqs create-queue --queue-name orders --attributes VisibilityTimeout=99999 2>&1 || echo "exit=$?"',
      'aws cloudwatch put-metric-alarm --alarm-name orders-high --namespace AWS/SQS --metric-name ApproximateNumberOfMessagesVisible --dimensions Name=QueueName,Value=orders --statistic Maximum --period 60 --evaluation-periods 2 --datapoints-to-alarm 1 --threshold 100 --comparison-operator GreaterThanThreshold',
      'aws cloudwatch describe-alarms --alarm-names orders-high --query "MetricAlarms[0].[StateValue,DatapointsToAlarm,TreatMissingData]" --output text',
      'aws cloudwatch put-metric-alarm --alarm-name bad --namespace AWS/SQS --metric-name X --statistic Maximum --period 45 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanThreshold 2>&1 || echo "exit=$?"',
      'aws cloudwatch set-alarm-state --alarm-name orders-high --state-value ALARM --state-reason manual',
      'aws cloudwatch describe-alarms --state-value ALARM --query "MetricAlarms[].AlarmName" --output text',
      'aws cloudwatch delete-alarms --alarm-names orders-high nope 2>&1 || echo "exit=$?"',
      'aws cloudwatch delete-alarms --alarm-names orders-high',
      'sqs delete-queue --queue-url "$URL"',
      'sqs get-queue-url --queue-name orders 2>&1 || echo "exit=$?"',
    ].join('\n');
    const { code, out } = await runBash(['-c', script], awsEnv(run.endpoint, home.dir), 100_000);
    expect(code, out).to.equal(0);
    const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
    const url = `${run.endpoint}/123456789012/orders`;
    const expected = [
      `url=${url}`,
      '5d41402abc4b2a76b9719d911017c592',
      'a\tb',
      '45\tarn:aws:sqs:us-east-1:123456789012:orders',
      url,
      'An error occurred (InvalidParameterValue) when calling the CreateQueue operation: Invalid name \'bad.name\'. Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length. (metadata.name)',
      'exit=255',
      'An error occurred (InvalidAttributeValue) when calling the CreateQueue operation: Invalid value for the parameter VisibilityTimeout: 99999 (an integer from 0 to 43200). (spec.Attributes.VisibilityTimeout)',
      'exit=255',
      'INSUFFICIENT_DATA\t1\tmissing',
      'An error occurred (InvalidParameterValue) when calling the PutMetricAlarm operation: Invalid Period 45: valid values are 10, 20, 30 and any multiple of 60. (spec.Period)',
      'exit=255',
      'orders-high',
      'An error occurred (ResourceNotFound) when calling the DeleteAlarms operation: Alarm nope does not exist.',
      'exit=255',
      'An error occurred (QueueDoesNotExist) when calling the GetQueueUrl operation: The specified queue does not exist.',
      'exit=255',
    ];
    expect(lines).to.deep.equal(expected);
  });
});
