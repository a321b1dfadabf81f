/**
 * EventBridge rules and Scheduler schedules in the simulation: the examples as the docs run them, ECS's own
 * events (shapes from the AWS page "Amazon ECS events") matched by a rule, RunTask semantics (failures[] on
 * the rule, capacity providers scaling out), and Scheduler schedules in a time zone.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { expect } from 'chai';
import type { Resource } from '../../../api/meta.js';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { simulate } from '../../../controllers/simulation/runner.js';
import { ScenarioError } from '../../../controllers/simulation/scenario.js';
import { doc, MIN, scenario, Stepper } from '../scaling/helpers.js';

const HOUR = 60 * MIN;
const events = (name: string) => loadManifests([resolve('examples/events', name)]);
const CLUSTER_ARN = (c: string) => `arn:aws:ecs:us-east-1:123456789012:cluster/${c}`;
const ROLE = 'arn:aws:iam::123456789012:role/ecsEventsRole';

function tasksStartedBy(resources: Resource[], startedBy: string): Resource[] {
  return resources.filter((r) => r.kind === 'Task' && r.spec.startedBy === startedBy);
}

describe('examples/events', () => {
  describe('hourly-batch.yaml: rate(1 hour) → RunTask of 2 every hour', () => {
    const out = simulate(events('hourly-batch.yaml'));
    const rule = out.resources.find((r) => r.kind === 'Rule')!;

    it('invokes at 0h, 1h, 2h and 3h; each invocation starts TaskCount 2 tasks', () => {
      expect(rule.status).to.include({ invocations: 4, tasksStarted: 8, lastScheduledTime: '2026-01-01T03:00:00.000Z', nextInvocationTime: '2026-01-01T04:00:00.000Z' });
      expect(out.samples.map((s) => [s.t, s.rules![0].invocations])).to.deep.equal([[0, 1], [1800, 1], [3600, 2], [5400, 2], [7200, 3], [9000, 3], [10800, 4]]);
    });
    it("tasks carry startedBy events-rule/hourly-batch and the target's Input as overrides", () => {
      // Stopped tasks are cleaned up after an hour, as ECS does: the last two invocations' tasks remain.
      const tasks = tasksStartedBy(out.resources, 'events-rule/hourly-batch');
      expect(tasks.map((t) => t.status.lastStatus)).to.deep.equal(['PENDING', 'PENDING', 'STOPPED', 'STOPPED']);
      expect(tasks[0].spec.overrides.containerOverrides[0].environment).to.deep.equal([{ name: 'PERIOD', value: 'hourly' }]);
      const stopped = out.busEvents.filter((b: any) => b.event['detail-type'] === 'ECS Task State Change' && b.event.detail.lastStatus === 'STOPPED');
      expect(stopped.map((b: any) => [b.t, b.event.detail.stopCode])).to.deep.equal([606, 606, 4206, 4206, 7806, 7806].map((t) => [t, 'EssentialContainerExited']));
    });
    it('busEvents carry ECS Task State Change events for them, each with t and the event JSON', () => {
      const running = out.busEvents.filter((b: any) => b.event['detail-type'] === 'ECS Task State Change' && b.event.detail.lastStatus === 'RUNNING' && b.event.detail.desiredStatus === 'RUNNING');
      expect(running.map((b) => b.t)).to.deep.equal([5, 5, 3605, 3605, 7205, 7205]);
      expect(Object.keys(running[0].event as object)).to.deep.equal(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
      expect((running[0].event as any).detail).to.include({ startedBy: 'events-rule/hourly-batch', clusterArn: CLUSTER_ARN('batch'), launchType: 'EC2' });
    });
  });

  describe('s3-upload.yaml: S3 Object Created → rule → RunTask', () => {
    const out = simulate(events('s3-upload.yaml'));
    const rule = out.resources.find((r) => r.kind === 'Rule')!;
    const tasks = tasksStartedBy(out.resources, 'events-rule/s3-upload');

    it('three uploads under incoming/ invoke the rule; the one under tmp/ does not', () => {
      expect(rule.status).to.include({ invocations: 3, tasksStarted: 2, failedInvocations: 1 });
    });
    it('the InputTransformer hands bucket and key to the container', () => {
      const env = tasks.map((t) => t.spec.overrides.containerOverrides[0].environment.find((e: any) => e.name === 'KEY').value).sort();
      expect(env).to.deep.equal(['incoming/a.csv', 'incoming/b.csv', 'incoming/c.csv']);
    });
    it("the third upload finds no memory: RunTask's failure is on the rule's status with the reason and the DLQ", () => {
      expect(rule.status.failures).to.have.length(1);
      expect(rule.status.failures[0]).to.include({ target: 'process', reason: 'RESOURCE:MEMORY', time: '2026-01-01T00:01:30.000Z', deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:s3-upload-dlq', deliveredToDeadLetterQueue: true });
      const dlq = out.resources.find((r) => r.kind === 'Queue' && r.metadata.name === 's3-upload-dlq')!;
      expect(dlq.status!.ApproximateNumberOfMessages).to.equal(1); // the failed event, in the dead-letter queue
      expect(out.events.some((e) => e.kind === 'Rule' && e.message === 'target process: RESOURCE:MEMORY')).to.equal(true);
    });
    it('the S3 events are on the bus as PutEvents put them', () => {
      const s3 = out.busEvents.filter((b: any) => b.event.source === 'aws.s3');
      expect(s3.map((b) => b.t)).to.deep.equal([60, 70, 80, 90]);
      expect((s3[0].event as any)).to.deep.include({ 'detail-type': 'Object Created', resources: ['arn:aws:s3:::uploads'], time: '2026-01-01T00:01:00Z' });
    });
  });
});

const cluster = doc('Cluster', 'prod', {});
const instance = (name: string, mem = 4096) =>
  doc('ContainerInstance', name, { cluster: 'prod', totalResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 2048 }, { name: 'MEMORY', type: 'INTEGER', integerValue: mem }] });
const notifier = doc('TaskDefinition', 'notify', { containerDefinitions: [{ name: 'notify', image: 'example/notify:1', cpu: 128, memory: 128 }] }, { 'sim.ecsplane.io/exit-after': '30s', 'sim.ecsplane.io/exit-code': '0' });

describe('ECS events on the bus, matched by rules', () => {
  const web = (rev: number) => doc('Service', 'web', { cluster: 'prod', taskDefinition: `web:${rev}`, desiredCount: 2, deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: false } } });
  const webTd = (fail?: string) => doc('TaskDefinition', 'web', { family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', cpu: 256, memory: 512 }] }, fail ? { 'sim.ecsplane.io/fail-start': fail } : undefined);
  const onFailure = doc('Rule', 'deployment-failed', {
    EventPattern: JSON.stringify({ source: ['aws.ecs'], 'detail-type': ['ECS Deployment State Change'], detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] } }),
    Targets: [{ Id: 'notify', Arn: CLUSTER_ARN('prod'), RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'notify' }, InputTransformer: { InputPathsMap: { reason: '$.detail.reason', service: '$.resources[0]' }, InputTemplate: '{"containerOverrides":[{"name":"notify","command":["notify","<service>","<reason>"]}]}' } }],
  });
  const out = simulate([cluster, instance('i-1'), instance('i-2'), webTd(), notifier, web(1), onFailure, scenario('12m', [{ at: '2m', apply: [webTd('CannotPullContainerError: not found'), web(2)] }])]);
  const bus = out.busEvents.map((b) => b.event as any);

  it('deployments: IN_PROGRESS and COMPLETED for the first, IN_PROGRESS and FAILED for the broken one', () => {
    const dep = bus.filter((e) => e['detail-type'] === 'ECS Deployment State Change');
    expect(dep.map((e) => e.detail.eventName)).to.deep.equal(['SERVICE_DEPLOYMENT_IN_PROGRESS', 'SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'SERVICE_DEPLOYMENT_FAILED']);
    const failed = dep[3];
    expect(failed).to.deep.include({ source: 'aws.ecs', resources: ['arn:aws:ecs:us-east-1:123456789012:service/prod/web'] });
    expect(Object.keys(failed.detail)).to.deep.equal(['eventType', 'eventName', 'deploymentId', 'updatedAt', 'reason']);
    expect(failed.detail.eventType).to.equal('ERROR');
  });
  it('service actions: SERVICE_STEADY_STATE with the documented detail', () => {
    const steady = bus.find((e) => e['detail-type'] === 'ECS Service Action' && e.detail.eventName === 'SERVICE_STEADY_STATE');
    expect(steady.detail).to.deep.include({ eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE', clusterArn: CLUSTER_ARN('prod') });
  });
  it('container instances: ACTIVE state changes', () => {
    const ci = bus.filter((e) => e['detail-type'] === 'ECS Container Instance State Change');
    expect(ci.map((e) => e.detail.status)).to.deep.equal(['ACTIVE', 'ACTIVE']);
    expect(ci[0].detail).to.include({ agentConnected: true, clusterArn: CLUSTER_ARN('prod') });
  });
  it('the rule runs the notifier once, for the failed deployment, with the reason as its command', () => {
    const tasks = tasksStartedBy(out.resources, 'events-rule/deployment-failed');
    expect(tasks).to.have.length(1);
    const cmd = tasks[0].spec.overrides.containerOverrides[0].command;
    expect(cmd.slice(0, 2)).to.deep.equal(['notify', 'arn:aws:ecs:us-east-1:123456789012:service/prod/web']);
    expect(cmd[2]).to.match(/circuit breaker|failed/i);
  });
});

describe('RunTask semantics of rule targets', () => {
  it('a capacity provider strategy: tasks wait in PROVISIONING, managed scaling launches an instance, they run', () => {
    const docs = [
      doc('AutoScalingGroup', 'asg', { InstanceType: 'm5.large', MinSize: 0, MaxSize: 3, DesiredCapacity: 0, AvailabilityZones: ['us-east-1a'] }, { 'sim.ecsplane.io/launch-delay': '60s' }),
      doc('CapacityProvider', 'cp', { autoScalingGroupProvider: { autoScalingGroupArn: 'asg', managedScaling: { status: 'ENABLED', targetCapacity: 100 } } }),
      doc('Cluster', 'prod', { capacityProviders: ['cp'] }),
      doc('TaskDefinition', 'job', { requiresCompatibilities: ['EC2'], cpu: '1024', memory: '2048', containerDefinitions: [{ name: 'job', image: 'example/job:1' }] }),
      doc('Rule', 'nightly', { ScheduleExpression: 'cron(0 0 * * ? *)', Targets: [{ Id: 'job', Arn: CLUSTER_ARN('prod'), RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'job', TaskCount: 2, CapacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] } }] }),
    ];
    const s = new Stepper(docs);
    s.to(30_000);
    const tasks = () => s.store.list('Task').filter((t) => t.spec.startedBy === 'events-rule/nightly');
    expect(tasks().map((t) => [t.status?.lastStatus, t.status?.capacityProviderName])).to.deep.equal([['PROVISIONING', 'cp'], ['PROVISIONING', 'cp']]);
    s.to(5 * MIN);
    expect(s.instances('prod').length).to.be.greaterThan(0);
    expect(tasks().map((t) => t.status?.lastStatus)).to.deep.equal(['RUNNING', 'RUNNING']);
    expect(s.status('Rule', 'nightly')).to.include({ invocations: 1, tasksStarted: 2 });
    expect(s.status('Rule', 'nightly').failures).to.equal(undefined);
  });

  it('a missing task definition: the invocation fails with the RunTask error, nothing starts', () => {
    const out = simulate([cluster, instance('i-1'), doc('Rule', 'r', { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 'x', Arn: CLUSTER_ARN('prod'), RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'nope' } }] }), scenario('1m', [])]);
    const r = out.resources.find((x) => x.kind === 'Rule')!;
    expect(r.status).to.include({ invocations: 1, failedInvocations: 1 });
    expect(r.status.failures[0]).to.include({ target: 'x', reason: 'ClientException' });
    expect(out.resources.filter((x) => x.kind === 'Task')).to.have.length(0);
  });

  it('TaskCount above 10: RunTask refuses the count, the invocation fails with InvalidParameterException', () => {
    const td = doc('TaskDefinition', 'job', { containerDefinitions: [{ name: 'job', image: 'example/job:1', cpu: 64, memory: 64 }] });
    const out = simulate([cluster, instance('i-1'), td, doc('Rule', 'r', { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 'x', Arn: CLUSTER_ARN('prod'), RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'job', TaskCount: 1000000 } }] }), scenario('1m', [])]);
    const r = out.resources.find((x) => x.kind === 'Rule')!;
    expect(r.status.failures[0]).to.include({ target: 'x', reason: 'InvalidParameterException' });
    expect(r.status.failures[0].detail).to.match(/spec\.count|count/);
    expect(out.resources.filter((x) => x.kind === 'Task')).to.have.length(0);
  });
});

describe('a rule that matches the events of its own tasks', () => {
  it('is throttled by the per-minute guard instead of growing without bound', () => {
    const loop = doc('Rule', 'loop', {
      EventPattern: JSON.stringify({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }),
      Targets: [{ Id: 't', Arn: CLUSTER_ARN('prod'), RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'fg', LaunchType: 'FARGATE', NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['s-1'] } } } }],
    });
    const fg = doc('TaskDefinition', 'fg', { requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [{ name: 'c', image: 'x' }] }, { 'sim.ecsplane.io/exit-after': '10s', 'sim.ecsplane.io/exit-code': '0' });
    const out = simulate([cluster, fg, loop, scenario('3m', [{ at: '0s', apply: [doc('Task', 'seed', { cluster: 'prod', taskDefinition: 'fg', launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: ['s-1'] } } })] }])]);
    const r = out.resources.find((x) => x.kind === 'Rule')!;
    expect(r.status.invocations).to.be.at.most(3 * 100 + 100);
    expect(r.status.failures.some((f: any) => f.reason === 'Throttled')).to.equal(true);
  });
});

describe('Scheduler schedules in the simulation', () => {
  const td = doc('TaskDefinition', 'job', { containerDefinitions: [{ name: 'job', image: 'example/job:1', cpu: 256, memory: 256 }] }, { 'sim.ecsplane.io/exit-after': '1m', 'sim.ecsplane.io/exit-code': '0' });
  const target = (extra: object = {}) => ({ Arn: CLUSTER_ARN('prod'), RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'job', ReferenceId: 'nightly' }, ...extra });

  it('cron in Asia/Tokyo with a 30-minute flexible window: one invocation a day inside the window', () => {
    // 09:00 Tokyo = 00:00 UTC; the simulation starts 2026-01-01T00:00Z.
    const out = simulate([cluster, instance('i-1'), td, doc('Schedule', 'tokyo', { ScheduleExpression: 'cron(0 9 * * ? *)', ScheduleExpressionTimezone: 'Asia/Tokyo', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 30 }, Target: target() }), scenario('49h', [], '1h')]);
    const sched = out.resources.find((r) => r.kind === 'Schedule')!;
    expect(sched.status).to.include({ invocations: 3, tasksStarted: 3, state: 'ENABLED', arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/tokyo' });
    const started = out.resources.filter((r) => r.kind === 'Task').map((t) => (Date.parse(t.metadata.creationTimestamp!) - Date.UTC(2026, 0, 1)) % (24 * HOUR));
    for (const offset of started) expect(offset).to.be.within(0, 30 * MIN - 1);
    expect(out.resources.filter((r) => r.kind === 'Task').every((t) => t.spec.referenceId === 'nightly' && t.spec.startedBy === undefined)).to.equal(true);
  });

  it('at() with ActionAfterCompletion DELETE: runs once, then the schedule deletes itself', () => {
    const out = simulate([cluster, instance('i-1'), td, doc('Schedule', 'once', { ScheduleExpression: 'at(2026-01-01T01:00:00)', ScheduleExpressionTimezone: 'Europe/London', FlexibleTimeWindow: { Mode: 'OFF' }, ActionAfterCompletion: 'DELETE', Target: target() }), scenario('2h', [], '30m')]);
    expect(out.resources.filter((r) => r.kind === 'Schedule')).to.have.length(0);
    expect(out.resources.filter((r) => r.kind === 'Task')).to.have.length(1);
    // 01:00 London in January is 01:00 UTC; the task is placed at once, so the schedule is gone by the 1h sample.
    expect(out.samples.map((s) => s.schedules?.[0]?.invocations)).to.deep.equal([0, 0, undefined, undefined, undefined]);
    expect(out.events.filter((e) => e.kind === 'Schedule').map((e) => [e.t, e.message.slice(0, 30)])).to.deep.equal([[3600, 'scheduled 2026-01-01T01:00:00.'], [3600, 'ActionAfterCompletion DELETE: ']]);
  });
});

describe('scenario event steps', () => {
  const bad: [string, unknown, RegExp][] = [
    ['no Source', { DetailType: 'x', Detail: '{}' }, /Source is a required argument/],
    ['no DetailType', { Source: 'x', Detail: '{}' }, /DetailType is a required argument/],
    ['Detail not JSON', { Source: 'x', DetailType: 'y', Detail: '{oops' }, /Detail is malformed/],
    ['Detail an array', { Source: 'x', DetailType: 'y', Detail: '[1]' }, /must be a JSON object/],
    ['bad Time', { Source: 'x', DetailType: 'y', Time: 'soon' }, /Parameter Time is not valid/],
    ['over 256 KB', { Source: 'x', DetailType: 'y', Detail: JSON.stringify({ blob: 'x'.repeat(300 * 1024) }) }, /over the limit/],
  ];
  for (const [name, event, msg] of bad) {
    it(`refused before anything runs: ${name}`, () => {
      let err: unknown;
      try {
        simulate([scenario('1m', [{ at: '10s', event }])]);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ScenarioError);
      expect((err as Error).message).to.match(/spec\.steps\[0\]\.event/).and.to.match(msg);
    });
  }
  it('a Detail object is taken as it is', () => {
    const out = simulate([scenario('1m', [{ at: '10s', event: { Source: 'my.app', DetailType: 'Order Placed', Detail: { id: 7 } } }])]);
    expect(out.busEvents).to.have.length(1);
    expect(out.busEvents[0]).to.deep.include({ t: 10 });
    expect((out.busEvents[0].event as any).detail).to.deep.equal({ id: 7 });
  });
});
