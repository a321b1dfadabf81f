/**
 * EventBridge (AWS JSON 1.1, `AWSEvents.*`) and EventBridge Scheduler (REST-JSON) on the AWS front end, with
 * signed raw requests as the SDKs send them (@aws-sdk/client-eventbridge and client-scheduler are not
 * installed). Both are thin adapters: what they write is a Rule or Schedule through the admission pipeline.
 */
import { expect } from 'chai';
import { makeKey } from '../../../api/meta.js';
import { instanceInput, startTestApi, type TestApi } from './harness.js';
import * as E from '@aws-sdk/client-ecs';

const CLUSTER = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
const ROLE = 'arn:aws:iam::123456789012:role/ecsEventsRole';
const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;

async function events(t: TestApi, op: string, input: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(t.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${op}`, authorization: auth('events') },
    body: JSON.stringify(input),
  });
  const out = { status: res.status, body: JSON.parse(await res.text()) };
  t.app.manager.drain();
  return out;
}

async function scheduler(t: TestApi, method: string, path: string, input?: unknown): Promise<{ status: number; type: string | null; body: any }> {
  const res = await fetch(t.server.url + path, {
    method,
    headers: { 'content-type': 'application/json', authorization: auth('scheduler') },
    ...(input === undefined ? {} : { body: JSON.stringify(input) }),
  });
  const out = { status: res.status, type: res.headers.get('x-amzn-errortype'), body: JSON.parse(await res.text()) };
  t.app.manager.drain();
  return out;
}

describe('AWS API: EventBridge and EventBridge Scheduler (raw signed requests)', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await startTestApi();
    await t.ecs.send(new E.CreateClusterCommand({ clusterName: 'prod' }));
    await t.ecs.send(new E.RegisterTaskDefinitionCommand({ family: 'job', containerDefinitions: [{ name: 'job', image: 'example/job:1', cpu: 256, memory: 512 }] }));
    await t.ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod')));
    t.advance(1000);
  });
  afterEach(async () => t.stop());

  const target = { Id: 'job', Arn: CLUSTER, RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'job', TaskCount: 1 } };

  it('PutRule + PutTargets + PutEvents: a matching event runs the target (startedBy events-rule/<name>)', async () => {
    const put = await events(t, 'PutRule', { Name: 'uploads', EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': ['Object Created'] }) });
    expect(put).to.deep.equal({ status: 200, body: { RuleArn: 'arn:aws:events:us-east-1:123456789012:rule/uploads' } });
    expect((await events(t, 'PutTargets', { Rule: 'uploads', Targets: [target] })).body).to.deep.equal({ FailedEntryCount: 0, FailedEntries: [] });
    const sent = await events(t, 'PutEvents', {
      Entries: [
        { Source: 'aws.s3', DetailType: 'Object Created', Detail: '{"bucket":{"name":"b"}}' },
        { Source: 'my.app', DetailType: 'Other', Detail: '{}' },
        { Source: 'aws.s3', DetailType: 'Object Created', Detail: '{not json' },
      ],
    });
    expect(sent.body.FailedEntryCount).to.equal(1);
    expect(sent.body.Entries[0].EventId).to.match(/^[0-9a-f-]{36}$/);
    expect(sent.body.Entries[2]).to.include({ ErrorCode: 'MalformedDetail' });
    t.advance(10_000);
    const listed = await t.ecs.send(new E.ListTasksCommand({ cluster: 'prod', startedBy: 'events-rule/uploads' }));
    expect(listed.taskArns).to.have.length(1);
    expect(t.app.store.get('Rule', 'uploads')!.status).to.include({ invocations: 1, tasksStarted: 1 });
  });

  it('DescribeRule, ListRules, ListTargetsByRule show what was put; PutRule keeps the targets', async () => {
    await events(t, 'PutRule', { Name: 'hourly', ScheduleExpression: 'rate(1 hour)', Description: 'batch' });
    await events(t, 'PutTargets', { Rule: 'hourly', Targets: [target] });
    await events(t, 'PutRule', { Name: 'hourly', ScheduleExpression: 'rate(2 hours)', State: 'DISABLED' });
    expect((await events(t, 'DescribeRule', { Name: 'hourly' })).body).to.deep.equal({
      Name: 'hourly',
      Arn: 'arn:aws:events:us-east-1:123456789012:rule/hourly',
      ScheduleExpression: 'rate(2 hours)',
      State: 'DISABLED',
      EventBusName: 'default',
      CreatedBy: '123456789012',
    });
    expect((await events(t, 'ListRules', { NamePrefix: 'hour' })).body.Rules.map((r: any) => r.Name)).to.deep.equal(['hourly']);
    expect((await events(t, 'ListTargetsByRule', { Rule: 'hourly' })).body.Targets).to.deep.equal([target]);
  });

  it('errors: ValidationException for a bad cron, InvalidEventPatternException, ResourceNotFoundException, a rule with targets', async () => {
    const cron = await events(t, 'PutRule', { Name: 'bad', ScheduleExpression: 'cron(0 12 * * *)' });
    expect(cron.status).to.equal(400);
    expect(cron.body.__type).to.equal('ValidationException');
    expect(cron.body.message).to.match(/^Parameter ScheduleExpression is not valid/);
    const pattern = await events(t, 'PutRule', { Name: 'bad', EventPattern: '{"source":[{"nope":1}]}' });
    expect(pattern.body.__type).to.equal('InvalidEventPatternException');
    expect((await events(t, 'PutTargets', { Rule: 'missing', Targets: [target] })).body.__type).to.equal('ResourceNotFoundException');
    await events(t, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(1 day)' });
    await events(t, 'PutTargets', { Rule: 'r', Targets: [target] });
    expect((await events(t, 'DeleteRule', { Name: 'r' })).body.message).to.equal("Rule can't be deleted since it has targets.");
    const removed = await events(t, 'RemoveTargets', { Rule: 'r', Ids: ['job', 'ghost'] });
    expect(removed.body, JSON.stringify(removed.body)).to.deep.include({ FailedEntryCount: 1 });
    expect((await events(t, 'DeleteRule', { Name: 'r' })).status).to.equal(200);
    expect(t.app.store.get('Rule', 'r')).to.equal(undefined);
    expect(t.app.store.get('Rule', 'bad')).to.equal(undefined); // nothing stored from a refused request
  });

  it('Scheduler: CreateSchedule, GetSchedule, ListSchedules, DeleteSchedule; the schedule runs its target', async () => {
    const body = { ScheduleExpression: 'rate(5 minutes)', ScheduleExpressionTimezone: 'Europe/Paris', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: CLUSTER, RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'job' } } };
    const created = await scheduler(t, 'POST', '/schedules/every-5', body);
    expect(created).to.deep.equal({ status: 200, type: null, body: { ScheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/every-5' } });
    const again = await scheduler(t, 'POST', '/schedules/every-5', body);
    expect([again.status, again.type]).to.deep.equal([409, 'ConflictException']);
    const got = await scheduler(t, 'GET', '/schedules/every-5');
    expect(got.body).to.deep.include({ Name: 'every-5', GroupName: 'default', State: 'ENABLED', ScheduleExpression: 'rate(5 minutes)', ActionAfterCompletion: 'NONE', CreationDate: Date.UTC(2026, 0, 1, 0, 0, 1) / 1000 });
    expect(got.body.Target).to.deep.equal(body.Target);
    t.advance(10 * 60_000);
    expect(t.app.store.get('Schedule', 'every-5')!.status).to.include({ invocations: 3, tasksStarted: 3 });
    expect(t.app.store.list('Task', { cluster: 'prod' }).every((x) => x.metadata.labels?.['scheduler.ecsplane.io/schedule'] === 'every-5')).to.equal(true);
    const list = await scheduler(t, 'GET', '/schedules?NamePrefix=every');
    expect(list.body.Schedules.map((s: any) => [s.Name, s.State, s.Target.Arn])).to.deep.equal([['every-5', 'ENABLED', CLUSTER]]);
    expect((await scheduler(t, 'DELETE', '/schedules/every-5')).status).to.equal(200);
    const gone = await scheduler(t, 'GET', '/schedules/every-5');
    expect([gone.status, gone.type, gone.body.Message]).to.deep.equal([404, 'ResourceNotFoundException', 'Schedule every-5 does not exist.']);
    void makeKey;
  });

  it('Scheduler: ValidationException with the field for a bad cron or a missing window', async () => {
    const bad = await scheduler(t, 'POST', '/schedules/bad', { ScheduleExpression: 'cron(0 9 * * * *)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: CLUSTER, RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'job' } } });
    expect([bad.status, bad.type]).to.deep.equal([400, 'ValidationException']);
    expect(bad.body.Message).to.match(/Invalid Schedule Expression .*\(spec\.ScheduleExpression\)/);
    const noWindow = await scheduler(t, 'POST', '/schedules/bad', { ScheduleExpression: 'rate(1 hour)', Target: { Arn: CLUSTER, RoleArn: ROLE } });
    expect([noWindow.status, noWindow.type]).to.deep.equal([400, 'ValidationException']);
    expect(t.app.store.get('Schedule', 'bad')).to.equal(undefined);
  });
});
