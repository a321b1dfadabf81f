/**
 * The queue examples (examples/queues/) and the queue rules end to end on the virtual clock: the moments
 * each YAML header promises, a stopped task's messages coming back, redrive into a dead-letter queue.
 */
import { expect } from 'chai';
import { resolve } from 'node:path';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { simulate } from '../../../controllers/simulation/runner.js';
import { renderTimeline } from '../../../controllers/cli/simulate-output.js';
import { doc, MIN, scenario, Stepper } from './helpers.js';

const example = (name: string) => loadManifests([resolve('examples/queues', name)]);
const queue = (s: Stepper, name: string) => s.status('Queue', name);

describe('examples/queues', () => {
  describe('backlog-scaling.yaml: 10,000 messages, backlog-per-task target tracking, scale-out and back in', () => {
    const s = new Stepper(example('backlog-scaling.yaml'));
    const SVC = 'jobs/worker';

    it('the burst lands at 1m; one task consumes 300 a minute', () => {
      s.to(1 * MIN);
      expect(queue(s, 'orders')).to.include({ ApproximateNumberOfMessages: 10_000, consumers: 1 });
      s.to(2 * MIN);
      expect(queue(s, 'orders')).to.include({ ApproximateNumberOfMessages: 9_700, ApproximateNumberOfMessagesNotVisible: 5, ApproximateAgeOfOldestMessage: 60 });
      expect(s.desired(SVC)).to.equal(1);
    });

    it('the high alarm needs 3 datapoints of backlog per task above 100: 1 → 20 (MaxCapacity) at 4m', () => {
      s.to(4 * MIN - 1);
      expect(s.desired(SVC)).to.equal(1);
      s.to(4 * MIN);
      expect(s.desired(SVC)).to.equal(20);
      const policy = s.status('ScalingPolicy', 'backlog-per-task');
      expect(policy.Alarms[0]).to.include({ MetricName: 'MetricMath', StateValue: 'ALARM', Threshold: 100 });
      expect(policy.conditions.find((c: any) => c.type === 'Ready')).to.include({ status: 'True' });
    });

    it('20 tasks drain the backlog within two minutes; ten thousand messages stay a handful of cohorts', () => {
      s.to(5 * MIN);
      expect(queue(s, 'orders').consumers).to.equal(20);
      expect(queue(s, 'orders').messages.visible.length).to.be.at.most(3);
      s.to(6 * MIN);
      expect(queue(s, 'orders')).to.include({ ApproximateNumberOfMessages: 0, ApproximateNumberOfMessagesNotVisible: 0, ApproximateAgeOfOldestMessage: 0 });
      expect(queue(s, 'orders').messages.totals).to.include({ sent: 10_000, deleted: 10_000, movedToDeadLetterQueue: 0 });
    });

    it('the low alarm (15 datapoints below 90) scales in from 20m, one task a minute, back to MinCapacity', () => {
      s.to(19 * MIN);
      expect(s.desired(SVC)).to.equal(20);
      s.to(21 * MIN);
      expect(s.desired(SVC)).to.be.below(20);
      s.to(40 * MIN);
      expect(s.desired(SVC)).to.equal(1);
      expect(queue(s, 'orders-dlq').ApproximateNumberOfMessages).to.equal(0);
    });

    it('the CloudWatch datapoints of the queue are one a minute', () => {
      const m = queue(s, 'orders').metrics;
      expect(Object.keys(m).sort()).to.deep.equal(['ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesVisible']);
      const times = m.ApproximateNumberOfMessagesVisible.map((d: any) => Date.parse(d.t));
      expect(times.slice(1).map((t: number, i: number) => t - times[i])).to.satisfy((gaps: number[]) => gaps.every((g) => g === MIN));
    });
  });

  describe('step-alarm.yaml: MetricAlarms invoke step scaling policies', () => {
    const s = new Stepper(example('step-alarm.yaml'));
    const SVC = 'media/thumbnailer';
    const alarm = (name: string) => s.status('MetricAlarm', name);

    it('the alarms are INSUFFICIENT_DATA until their first evaluation, then OK', () => {
      s.to(0);
      expect(alarm('thumbnails-backlog-high').StateValue).to.equal('INSUFFICIENT_DATA');
      s.to(1 * MIN);
      expect(alarm('thumbnails-backlog-high').StateValue).to.equal('OK');
    });

    it('2 of 3 datapoints above 500 at 3m: ALARM; the policy adds 4 tasks a minute (backlog over 1000 above the threshold) up to 15', () => {
      s.to(3 * MIN);
      expect(alarm('thumbnails-backlog-high')).to.include({ StateValue: 'ALARM', lastDatapoint: 2640 });
      const desired: number[] = [];
      for (let m = 4; m <= 7; m++) desired.push(s.to(m * MIN).desired(SVC));
      expect(desired).to.deep.equal([6, 10, 14, 15]);
      expect(s.status('ScalableTarget', 'thumbnailer').ScalingActivities[0].Cause).to.equal('monitor alarm thumbnails-backlog-high in state ALARM triggered policy backlog-out');
    });

    it('a crashed task\'s messages come back after the visibility timeout; the backlog drains by 9m', () => {
      s.to(9 * MIN);
      expect(queue(s, 'thumbnails').messages.totals.returned).to.be.greaterThan(0);
      expect(queue(s, 'thumbnails').ApproximateNumberOfMessages).to.equal(0);
      s.to(10 * MIN);
      expect(alarm('thumbnails-backlog-high').StateValue).to.equal('OK');
    });

    it('the low alarm (5 datapoints below 10) removes 2 tasks a minute back to MinCapacity 2', () => {
      s.to(13 * MIN);
      expect(alarm('thumbnails-backlog-low').StateValue).to.equal('ALARM');
      s.to(14 * MIN);
      expect(s.desired(SVC)).to.equal(13);
      s.to(25 * MIN);
      expect(s.desired(SVC)).to.equal(2);
    });
  });

  it('the timeline shows queue depth, age and alarm state changes', () => {
    const out = renderTimeline(simulate(example('step-alarm.yaml'), { untilMs: 5 * MIN }));
    expect(out).to.contain('  2m00s  queue thumbnails  visible=1320 inflight=8 oldest=44s consumers=2');
    expect(out).to.contain('  3m00s  alarms thumbnails-backlog-high=ALARM thumbnails-backlog-low=OK');
    expect(out.match(/alarms /g)).to.have.length(3); // only when a state changed: 0m, 1m, 3m
  });
});

describe('queue rules end to end', () => {
  const td = (annotations: Record<string, string>) =>
    doc('TaskDefinition', 'worker', { family: 'worker', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'w', image: 'busybox' }] }, annotations);
  const world = (attrs: Record<string, string>, annotations: Record<string, string>, steps: unknown[]) => [
    doc('Cluster', 'jobs', { capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] }),
    doc('Queue', 'work', { Attributes: attrs }),
    doc('Queue', 'work-dlq', {}),
    td({ 'sim.ecsplane.io/consumes': 'work', ...annotations }),
    doc('Service', 'worker', { cluster: 'jobs', taskDefinition: 'worker', desiredCount: 1, networkConfiguration: { awsvpcConfiguration: { subnets: ['s'] } } }),
    scenario('30m', steps),
  ];

  it('tasks that crash while holding messages: each comes back after the visibility timeout, then moves to the DLQ after maxReceiveCount', () => {
    const s = new Stepper(
      world(
        { VisibilityTimeout: '10', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:work-dlq","maxReceiveCount":2}' },
        // Every task receives one message 2 s after it starts (0.5/s), would delete it 2 s later, and dies at 3 s.
        { 'sim.ecsplane.io/consume-rate': '0.5/s', 'sim.ecsplane.io/exit-after': '3s' },
        [{ at: '1m', queue: { name: 'work', send: 3 } }],
      ),
    );
    s.to(20 * MIN);
    // Each message is received twice (maxReceiveCount), comes back twice, and moves on the third receive.
    expect(queue(s, 'work').messages.totals).to.include({ sent: 3, deleted: 0, returned: 6, movedToDeadLetterQueue: 3 });
    expect(queue(s, 'work-dlq').ApproximateNumberOfMessages).to.equal(3);
    expect(s.events('Queue', 'MovedToDeadLetterQueue').length).to.be.greaterThan(0);
  });

  it('a producer rate for a duration; DelaySeconds keeps messages delayed first', () => {
    const s = new Stepper(world({ DelaySeconds: '30' }, { 'sim.ecsplane.io/consume-rate': '100/s' }, [{ at: '1m', queue: { name: 'work', ratePerSecond: 10, for: '1m' } }]));
    s.to(1 * MIN + 20_000);
    expect(queue(s, 'work')).to.include({ ApproximateNumberOfMessages: 0, ApproximateNumberOfMessagesDelayed: 200 });
    s.to(5 * MIN);
    expect(queue(s, 'work').messages.totals).to.include({ sent: 600, deleted: 600 });
  });

  it('a scenario step naming a queue that does not exist fails with the step and the queue', () => {
    expect(() => simulate(world({}, {}, [{ at: '1m', queue: { name: 'nope', send: 1 } }]))).to.throw(/step at 60s: queue: Queue nope not found/);
  });
});

describe('NotSimulated on queues and alarms', () => {
  it('a FIFO queue and an SNS alarm action: the condition and one Warning event each', () => {
    const s = new Stepper([
      doc('Queue', 'jobs.fifo', { Attributes: { FifoQueue: 'true' } }),
      doc('MetricAlarm', 'notify', {
        Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: 'jobs.fifo' }],
        Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: ['arn:aws:sns:us-east-1:123456789012:ops'],
      }),
      scenario('3m', []),
    ]);
    s.to(3 * MIN);
    for (const [kind, name, text] of [['Queue', 'jobs.fifo', 'FifoQueue true is not simulated'], ['MetricAlarm', 'notify', 'AlarmActions arn:aws:sns:us-east-1:123456789012:ops is not simulated']]) {
      const c = s.status(kind, name).conditions.find((x: any) => x.type === 'NotSimulated');
      expect(c?.message, `${kind} ${name}`).to.contain(text);
      expect(s.events(kind, 'NotSimulated')).to.have.length(1);
    }
  });
});

describe('the live view of `ecsplane run`', () => {
  it('shows queues and alarms when there are any', async () => {
    const { queueTables } = await import('../../../controllers/cli/live-view.js');
    const s = new Stepper(example('step-alarm.yaml'));
    expect(queueTables(new Stepper([scenario('1m', [])]).sim.app)).to.deep.equal([]);
    s.to(3 * MIN);
    const text = queueTables(s.sim.app).join('\n');
    expect(text).to.match(/QUEUE\s+VISIBLE\s+INFLIGHT\s+DELAYED\s+OLDEST\s+CONSUMERS/);
    expect(text).to.match(/thumbnails\s+2640\s+8\s+0\s+88s\s+2/);
    expect(text).to.match(/thumbnails-backlog-high\s+ALARM\s+Threshold Crossed: 2 out of the last 3 datapoints/);
  });
});
