/** StartTask, UpdateTaskProtection / GetTaskProtection (and the scheduler honouring it), ListServicesByNamespace. */
import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import { fails, instanceInput, startTestApi, webTaskDefinition, type TestApi } from './harness.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';

describe('AWS API: StartTask, task protection, ListServicesByNamespace', () => {
  let t: TestApi;
  let ecs: E.ECSClient;
  beforeEach(async () => {
    t = await startTestApi();
    ecs = t.ecs;
    await ecs.send(new E.CreateClusterCommand({ clusterName: 'prod' }));
    await ecs.send(new E.RegisterTaskDefinitionCommand(webTaskDefinition));
  });
  afterEach(async () => t.stop());

  it('StartTask places one task on each instance named, failures[] for a full or missing one', async () => {
    const a = (await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod')))).containerInstance!;
    const b = (await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod', 512)))).containerInstance!;
    const full = (await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod', 256)))).containerInstance!;
    const ghost = 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0000';
    const r = await ecs.send(new E.StartTaskCommand({
      cluster: 'prod',
      taskDefinition: 'web',
      containerInstances: [a.containerInstanceArn!, b.containerInstanceArn!.split('/').pop()!, full.containerInstanceArn!, ghost],
      startedBy: 'me',
    }));
    // b has less free memory than a: binpack would prefer it for both; StartTask puts one on each.
    expect(r.tasks!.map((x) => x.containerInstanceArn)).to.deep.equal([a.containerInstanceArn, b.containerInstanceArn]);
    expect(r.tasks!.map((x) => [x.lastStatus, x.startedBy, x.launchType])).to.deep.equal([['PENDING', 'me', 'EC2'], ['PENDING', 'me', 'EC2']]);
    expect(r.failures).to.deep.equal([
      { arn: full.containerInstanceArn, reason: 'RESOURCE:MEMORY' },
      { arn: ghost, reason: 'MISSING' },
    ]);
    t.advance(30_000);
    const d = await ecs.send(new E.DescribeTasksCommand({ cluster: 'prod', tasks: r.tasks!.map((x) => x.taskArn!) }));
    expect(d.tasks!.map((x) => x.lastStatus)).to.deep.equal(['RUNNING', 'RUNNING']);
    const e = await fails(ecs.send(new E.StartTaskCommand({ cluster: 'nope', taskDefinition: 'web', containerInstances: [a.containerInstanceArn!] })));
    expect(e.name).to.equal('ClusterNotFoundException');
    const m = await fails(ecs.send(new E.StartTaskCommand({ cluster: 'prod', taskDefinition: 'web' } as any)));
    expect(m.name).to.equal('InvalidParameterException');
  });

  it('UpdateTaskProtection / GetTaskProtection: default 120 minutes, bounds, failures, and scale-in skips protected tasks until they expire', async () => {
    await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod')));
    await ecs.send(new E.CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web', desiredCount: 3 }));
    t.advance(60_000);
    const arns = (await ecs.send(new E.ListTasksCommand({ cluster: 'prod', serviceName: 'web' }))).taskArns!;
    expect(arns).to.have.length(3);
    const now = t.clock.now();
    const u = await ecs.send(new E.UpdateTaskProtectionCommand({ cluster: 'prod', tasks: [arns[0], arns[1].split('/').pop()!, 'ghost'], protectionEnabled: true }));
    expect(u.protectedTasks!.map((p) => [p.taskArn, p.protectionEnabled, p.expirationDate!.getTime()])).to.deep.equal([
      [arns[0], true, now + 120 * 60_000],
      [arns[1], true, now + 120 * 60_000],
    ]);
    expect(u.failures!.map((f) => f.reason)).to.deep.equal(['MISSING']);
    const short = await ecs.send(new E.UpdateTaskProtectionCommand({ cluster: 'prod', tasks: [arns[1]], protectionEnabled: true, expiresInMinutes: 10 }));
    expect(short.protectedTasks![0].expirationDate!.getTime()).to.equal(now + 10 * 60_000);
    for (const bad of [0, 2881]) {
      const e = await fails(ecs.send(new E.UpdateTaskProtectionCommand({ cluster: 'prod', tasks: [arns[0]], protectionEnabled: true, expiresInMinutes: bad })));
      expect(e.name).to.equal('InvalidParameterException');
    }
    const g = await ecs.send(new E.GetTaskProtectionCommand({ cluster: 'prod', tasks: arns }));
    expect(g.protectedTasks!.map((p) => p.protectionEnabled)).to.deep.equal([true, true, false]);

    // Scale in to 0: only the unprotected task stops; the 10-minute one goes when it expires.
    await ecs.send(new E.UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 0 }));
    t.advance(60_000);
    const running = async () => (await ecs.send(new E.ListTasksCommand({ cluster: 'prod', serviceName: 'web' }))).taskArns!;
    expect(await running()).to.deep.equal([arns[0], arns[1]].sort());
    t.advance(10 * 60_000);
    expect(await running()).to.deep.equal([arns[0]]);
    expect((await ecs.send(new E.GetTaskProtectionCommand({ cluster: 'prod', tasks: [arns[1]] }))).failures![0].reason).to.equal('TASK_NOT_VALID');
    await ecs.send(new E.UpdateTaskProtectionCommand({ cluster: 'prod', tasks: [arns[0]], protectionEnabled: false }));
    t.advance(60_000);
    expect(await running()).to.deep.equal([]);

    // A standalone task cannot be protected.
    const run = await ecs.send(new E.RunTaskCommand({ cluster: 'prod', taskDefinition: 'web' }));
    const sa = await ecs.send(new E.UpdateTaskProtectionCommand({ cluster: 'prod', tasks: [run.tasks![0].taskArn!], protectionEnabled: true }));
    expect([sa.protectedTasks, sa.failures!.map((f) => f.reason)]).to.deep.equal([[], ['TASK_NOT_VALID']]);
    const nc = await fails(ecs.send(new E.GetTaskProtectionCommand({ cluster: 'nope' })));
    expect(nc.name).to.equal('ClusterNotFoundException');
  });

  it('RunTask stores its task placed and PROVISIONING in one write (the reply shows it so); the task loop moves it on after the reply', async () => {
    const ci = (await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod')))).containerInstance!;
    const added: Array<{ type: string; lastStatus?: string; containerInstance?: string }> = [];
    const sub = t.app.store.watch('Task').subscribe((ev) => added.push({ type: ev.type, lastStatus: ev.object.status?.lastStatus, containerInstance: ev.object.status?.containerInstance }));
    try {
      const run = await ecs.send(new E.RunTaskCommand({ cluster: 'prod', taskDefinition: 'web' }));
      expect(run.failures).to.deep.equal([]);
      expect([run.tasks![0].lastStatus, run.tasks![0].desiredStatus, run.tasks![0].containerInstanceArn]).to.deep.equal(['PROVISIONING', 'RUNNING', ci.containerInstanceArn]);
      expect(added[0]).to.deep.equal({ type: 'ADDED', lastStatus: 'PROVISIONING', containerInstance: ci.containerInstanceArn!.split('/').pop() });
      const d = await ecs.send(new E.DescribeTasksCommand({ cluster: 'prod', tasks: [run.tasks![0].taskArn!] }));
      expect(d.tasks![0].lastStatus).to.equal('PENDING', 'the task loop took it on (its turn after the reply)');
      // Nowhere to place it: stored STOPPED (TaskFailedToStart), failures[] in the reply.
      await ecs.send(new E.RegisterTaskDefinitionCommand({ family: 'big', containerDefinitions: [{ name: 'app', image: 'nginx:1', memory: 8192, essential: true }] }));
      const big = await ecs.send(new E.RunTaskCommand({ cluster: 'prod', taskDefinition: 'big' }));
      expect([big.tasks, big.failures!.map((f) => [f.arn, f.reason])]).to.deep.equal([[], [[ci.containerInstanceArn, 'RESOURCE:MEMORY']]]);
      const stopped = added.filter((e) => e.type === 'ADDED').at(-1)!;
      expect(stopped.lastStatus).to.equal('STOPPED');
    } finally {
      sub.unsubscribe();
    }
  });

  it('ListServicesByNamespace: services whose Service Connect namespace matches, else empty', async () => {
    const fargate = { ...webTaskDefinition, family: 'fg', requiresCompatibilities: ['FARGATE' as const], networkMode: 'awsvpc' as const, cpu: '256', memory: '512' };
    await ecs.send(new E.RegisterTaskDefinitionCommand(fargate));
    const net = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
    for (const [name, ns] of [['a', 'internal'], ['b', 'internal'], ['c', 'other']]) {
      await ecs.send(new E.CreateServiceCommand({ cluster: 'prod', serviceName: name, taskDefinition: 'fg', desiredCount: 0, launchType: 'FARGATE', networkConfiguration: net, serviceConnectConfiguration: { enabled: true, namespace: ns } }));
    }
    await ecs.send(new E.CreateServiceCommand({ cluster: 'prod', serviceName: 'plain', taskDefinition: 'web', desiredCount: 0 }));
    const all = await ecs.send(new E.ListServicesByNamespaceCommand({ namespace: 'internal' }));
    expect(all.serviceArns!.map((a) => a.split('/').pop())).to.deep.equal(['a', 'b']);
    const p1 = await ecs.send(new E.ListServicesByNamespaceCommand({ namespace: 'internal', maxResults: 1 }));
    const p2 = await ecs.send(new E.ListServicesByNamespaceCommand({ namespace: 'internal', maxResults: 1, nextToken: p1.nextToken }));
    expect([...p1.serviceArns!, ...p2.serviceArns!]).to.deep.equal(all.serviceArns);
    expect((await ecs.send(new E.ListServicesByNamespaceCommand({ namespace: 'none' }))).serviceArns).to.deep.equal([]);
  });
});
