import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import { startTestApi, webTaskDefinition, instanceInput, type TestApi } from './harness.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';

async function post(url: string, target: string | undefined, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}), ...headers } });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), requestId: res.headers.get('x-amzn-requestid'), body: await res.json() };
}

const T = 'AmazonEC2ContainerServiceV20141113.';

describe('AWS API: protocol, input checks and errors', () => {
  let t: TestApi;
  beforeEach(async () => (t = await startTestApi()));
  afterEach(async () => t.stop());

  it('answers every request with x-amzn-RequestId; unknown operations are UnknownOperationException', async () => {
    const ok = await post(t.server.url, `${T}ListClusters`, '{}');
    expect([ok.status, ok.body]).to.deep.equal([200, { clusterArns: [] }]);
    expect(ok.requestId).to.match(/^[0-9a-f-]{36}$/);
    const unknown = await post(t.server.url, `${T}FlyToTheMoon`, '{}');
    expect([unknown.status, unknown.type, unknown.body.__type]).to.deep.equal([400, 'UnknownOperationException', 'UnknownOperationException']);
    expect(unknown.requestId).to.match(/^[0-9a-f-]{36}$/);
    expect((await post(t.server.url, undefined, '{}')).type).to.equal('UnknownOperationException');
  });

  it('refuses bad JSON, wrong types, unknown and missing members, enum values; nothing is stored', async () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ['CreateCluster', '{', 'SerializationException', /not valid JSON/],
      ['CreateCluster', '{"clusterName": 5}', 'SerializationException', /NUMBER_VALUE can not be converted to a String \(clusterName\)/],
      ['CreateCluster', '{"tags": "x"}', 'SerializationException', /Expected list or null/],
      ['CreateCluster', '{"clusterName": "a", "foo": 1}', 'InvalidParameterException', /Unknown parameter in input: "foo"/],
      ['RegisterTaskDefinition', '{"family": "x"}', 'InvalidParameterException', /Missing required parameter in input: "containerDefinitions"/],
      ['ListTasks', '{"desiredStatus": "SLEEPING"}', 'InvalidParameterException', /enum value set: \[RUNNING, PENDING, STOPPED\]/],
    ];
    for (const [op, body, type, message] of cases) {
      const r = await post(t.server.url, T + op, body);
      expect([r.status, r.type, r.body.__type], `${op} ${body}`).to.deep.equal([400, type, type]);
      expect(r.body.message).to.match(message);
    }
    expect(t.app.store.list('Cluster')).to.deep.equal([]);
  });

  it('refuses an oversized body with 413 and keeps serving', async () => {
    const r = await post(t.server.url, `${T}CreateCluster`, JSON.stringify({ clusterName: 'x'.repeat(2 << 20) }));
    expect([r.status, r.type]).to.deep.equal([413, 'RequestEntityTooLargeException']);
    expect((await post(t.server.url, `${T}ListClusters`, '{}')).status).to.equal(200);
  });

  it('admission errors keep the ECS exception and name the field', async () => {
    await t.ecs.send(new E.CreateClusterCommand({ clusterName: 'prod' }));
    const err: any = await t.ecs.send(new E.RegisterTaskDefinitionCommand({ family: 'f', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '4096', containerDefinitions: [{ name: 'a', image: 'x' }] })).catch((e) => e);
    expect(err.name).to.equal('ClientException');
    expect(err.message).to.include('No Fargate configuration exists for given values');
    expect(err.$metadata.httpStatusCode).to.equal(400);
    const nc: any = await t.ecs.send(new E.RunTaskCommand({ cluster: 'nope', taskDefinition: 'f' })).catch((e) => e);
    expect([nc.name, nc.message]).to.deep.equal(['ClusterNotFoundException', 'Cluster not found.']);
  });

  it('timestamps are epoch seconds on the wire', async () => {
    await t.ecs.send(new E.RegisterTaskDefinitionCommand(webTaskDefinition));
    const r = await post(t.server.url, `${T}DescribeTaskDefinition`, '{"taskDefinition": "web"}');
    expect(r.body.taskDefinition.registeredAt).to.equal(Date.UTC(2026, 0, 1) / 1000);
    expect(r.body.taskDefinition).to.not.have.property('specHash');
  });

  it('SDK waiters: services stable, tasks running, tasks stopped, on the virtual clock', async () => {
    await t.ecs.send(new E.CreateClusterCommand({ clusterName: 'prod' }));
    await t.ecs.send(new E.RegisterTaskDefinitionCommand(webTaskDefinition));
    await t.ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod')));
    await t.ecs.send(new E.CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web', desiredCount: 2 }));
    t.timePerPoll = 15_000; // each Describe* poll moves virtual time on
    const cfg = { client: t.ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 };
    const stable = await E.waitUntilServicesStable(cfg, { cluster: 'prod', services: ['web'] });
    expect(stable.state).to.equal('SUCCESS');
    t.timePerPoll = 0;
    const run = await t.ecs.send(new E.RunTaskCommand({ cluster: 'prod', taskDefinition: 'web' }));
    const tasks = run.tasks!.map((x) => x.taskArn!);
    t.timePerPoll = 15_000;
    expect((await E.waitUntilTasksRunning(cfg, { cluster: 'prod', tasks })).state).to.equal('SUCCESS');
    t.timePerPoll = 0;
    await t.ecs.send(new E.StopTaskCommand({ cluster: 'prod', task: tasks[0] }));
    t.timePerPoll = 15_000;
    expect((await E.waitUntilTasksStopped(cfg, { cluster: 'prod', tasks })).state).to.equal('SUCCESS');
  });
});
