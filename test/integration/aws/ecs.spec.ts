import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import { fails, instanceInput, startTestApi, webTaskDefinition, type TestApi } from './harness.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';

describe('AWS API: ECS operations through @aws-sdk/client-ecs', () => {
  let t: TestApi;
  let ecs: E.ECSClient;
  beforeEach(async () => {
    t = await startTestApi();
    ecs = t.ecs;
    await ecs.send(new E.CreateClusterCommand({ clusterName: 'prod', tags: [{ key: 'team', value: 'a' }] }));
    await ecs.send(new E.RegisterTaskDefinitionCommand(webTaskDefinition));
  });
  afterEach(async () => t.stop());

  it('clusters: create (idempotent), describe with TAGS and MISSING failures, list with pagination, update, delete', async () => {
    const again = await ecs.send(new E.CreateClusterCommand({ clusterName: 'prod' }));
    expect(again.cluster!.clusterArn).to.equal('arn:aws:ecs:us-east-1:123456789012:cluster/prod');
    for (const n of ['a', 'b', 'c']) await ecs.send(new E.CreateClusterCommand({ clusterName: n }));
    const d = await ecs.send(new E.DescribeClustersCommand({ clusters: ['prod', 'nope'], include: ['TAGS'] }));
    expect(d.clusters!.map((c) => [c.clusterName, c.status, c.tags])).to.deep.equal([['prod', 'ACTIVE', [{ key: 'team', value: 'a' }]]]);
    expect(d.failures).to.deep.equal([{ arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/nope', reason: 'MISSING' }]);
    const p1 = await ecs.send(new E.ListClustersCommand({ maxResults: 3 }));
    expect(p1.clusterArns).to.have.length(3);
    const p2 = await ecs.send(new E.ListClustersCommand({ maxResults: 3, nextToken: p1.nextToken }));
    expect(p2.clusterArns!.map((a) => a.split('/').pop())).to.deep.equal(['prod']);
    expect(p2.nextToken).to.equal(undefined);
    const bad = await fails(ecs.send(new E.ListClustersCommand({ nextToken: 'garbage' })));
    expect([bad.name, bad.$metadata.httpStatusCode]).to.deep.equal(['InvalidParameterException', 400]);
    const u = await ecs.send(new E.UpdateClusterCommand({ cluster: 'a', settings: [{ name: 'containerInsights', value: 'enabled' }] }));
    expect(u.cluster!.settings).to.deep.equal([{ name: 'containerInsights', value: 'enabled' }]);
    const del = await ecs.send(new E.DeleteClusterCommand({ cluster: 'c' }));
    expect(del.cluster!.status).to.equal('INACTIVE');
    t.advance(10_000);
    const gone = await fails(ecs.send(new E.DeleteClusterCommand({ cluster: 'c' })));
    expect([gone.name, gone.message]).to.deep.equal(['ClusterNotFoundException', 'Cluster not found.']);
  });

  it('task definitions: register, describe by family / family:rev / ARN, list (prefix, sort, status), families, deregister, delete', async () => {
    const r2 = await ecs.send(new E.RegisterTaskDefinitionCommand({ ...webTaskDefinition, containerDefinitions: [{ ...webTaskDefinition.containerDefinitions[0], image: 'nginx:2' }] }));
    expect(r2.taskDefinition!.revision).to.equal(2);
    expect(r2.taskDefinition!.registeredAt).to.be.instanceOf(Date);
    await ecs.send(new E.RegisterTaskDefinitionCommand({ ...webTaskDefinition, family: 'worker' }));
    for (const ref of ['web', 'web:2', r2.taskDefinition!.taskDefinitionArn!]) {
      const d = await ecs.send(new E.DescribeTaskDefinitionCommand({ taskDefinition: ref }));
      expect(d.taskDefinition!.containerDefinitions![0].image).to.equal('nginx:2');
    }
    const missing = await fails(ecs.send(new E.DescribeTaskDefinitionCommand({ taskDefinition: 'nope' })));
    expect([missing.name, missing.message]).to.deep.equal(['ClientException', 'Unable to describe task definition. (taskDefinition)']);
    const desc = await ecs.send(new E.ListTaskDefinitionsCommand({ familyPrefix: 'we', sort: 'DESC' }));
    expect(desc.taskDefinitionArns!.map((a) => a.split('/').pop())).to.deep.equal(['web:2', 'web:1']);
    const page = await ecs.send(new E.ListTaskDefinitionsCommand({ maxResults: 2 }));
    expect(page.taskDefinitionArns).to.have.length(2);
    expect((await ecs.send(new E.ListTaskDefinitionsCommand({ nextToken: page.nextToken }))).taskDefinitionArns).to.have.length(1);
    const dereg = await ecs.send(new E.DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    expect(dereg.taskDefinition!.status).to.equal('INACTIVE');
    expect((await ecs.send(new E.ListTaskDefinitionsCommand({ status: 'INACTIVE' }))).taskDefinitionArns!.map((a) => a.split('/').pop())).to.deep.equal(['web:1']);
    await ecs.send(new E.DeregisterTaskDefinitionCommand({ taskDefinition: 'worker:1' }));
    expect((await ecs.send(new E.ListTaskDefinitionFamiliesCommand({}))).families).to.deep.equal(['web']);
    expect((await ecs.send(new E.ListTaskDefinitionFamiliesCommand({ status: 'INACTIVE' }))).families).to.deep.equal(['worker']);
    const del = await ecs.send(new E.DeleteTaskDefinitionsCommand({ taskDefinitions: ['web:1', 'web:2', 'nope:9'] }));
    expect(del.taskDefinitions!.map((d) => [d.revision, d.status])).to.deep.equal([[1, 'DELETE_IN_PROGRESS']]);
    expect(del.failures!.map((f) => f.reason)).to.deep.equal(['TASK_DEFINITION_IN_ACTIVE_STATE', 'TASK_DEFINITION_NOT_FOUND']);
  });

  it('RegisterTaskDefinition with the same input registers a new revision each time, as ECS does', async () => {
    const again = await ecs.send(new E.RegisterTaskDefinitionCommand(webTaskDefinition));
    expect(again.taskDefinition!.revision).to.equal(2);
    const third = await ecs.send(new E.RegisterTaskDefinitionCommand(webTaskDefinition));
    expect(third.taskDefinition!.taskDefinitionArn).to.equal('arn:aws:ecs:us-east-1:123456789012:task-definition/web:3');
    const all = await ecs.send(new E.ListTaskDefinitionsCommand({ familyPrefix: 'web' }));
    expect(all.taskDefinitionArns!.map((a) => a.split('/').pop())).to.deep.equal(['web:1', 'web:2', 'web:3']);
  });

  it('services: create, describe (MISSING), list, update desired count and revision, deployments, delete', async () => {
    await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod')));
    const c = await ecs.send(new E.CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web', desiredCount: 2 }));
    expect(c.service!.serviceArn).to.equal('arn:aws:ecs:us-east-1:123456789012:service/prod/web');
    expect(c.service!.taskDefinition).to.match(/task-definition\/web:1$/);
    const dup = await fails(ecs.send(new E.CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web', desiredCount: 2 })));
    expect([dup.name, dup.message]).to.deep.equal(['InvalidParameterException', 'Creation of service was not idempotent.']);
    t.advance(60_000);
    const d = await ecs.send(new E.DescribeServicesCommand({ cluster: 'prod', services: ['web', 'ghost'] }));
    expect([d.services![0].runningCount, d.services![0].deployments![0].rolloutState]).to.deep.equal([2, 'COMPLETED']);
    expect(d.failures).to.deep.equal([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/ghost', reason: 'MISSING' }]);
    expect((await ecs.send(new E.ListServicesCommand({ cluster: 'prod' }))).serviceArns).to.deep.equal([c.service!.serviceArn]);
    await ecs.send(new E.RegisterTaskDefinitionCommand({ ...webTaskDefinition, containerDefinitions: [{ ...webTaskDefinition.containerDefinitions[0], image: 'nginx:2' }] }));
    // The same family name again: ECS deploys the family's latest revision.
    const u = await ecs.send(new E.UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web', desiredCount: 3 }));
    expect(u.service!.desiredCount).to.equal(3);
    t.advance(1000);
    const after = (await ecs.send(new E.DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0];
    expect(after.deployments!.map((x) => [x.status, x.taskDefinition!.split('/').pop()])).to.deep.equal([['PRIMARY', 'web:2'], ['ACTIVE', 'web:1']]);
    const list = await ecs.send(new E.ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }));
    expect(list.serviceDeployments!.map((x) => x.status)).to.deep.equal(['IN_PROGRESS', 'SUCCESSFUL']);
    const dd = await ecs.send(new E.DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [list.serviceDeployments![0].serviceDeploymentArn!, 'arn:x'] }));
    // A service revision ARN (API_ServiceRevisionSummary), not the task definition's.
    expect(dd.serviceDeployments![0].targetServiceRevision).to.include({ requestedTaskCount: 3 });
    expect(dd.serviceDeployments![0].targetServiceRevision!.arn).to.match(/:service-revision\/prod\/web\/\d{19}$/);
    expect(dd.failures![0].reason).to.equal('MISSING');
    const notZero = await fails(ecs.send(new E.DeleteServiceCommand({ cluster: 'prod', service: 'web' })));
    expect([notZero.name, notZero.message]).to.deep.equal(['InvalidParameterException', 'The service cannot be stopped while it is scaled above 0. (spec.desiredCount)']);
    const del = await ecs.send(new E.DeleteServiceCommand({ cluster: 'prod', service: 'web', force: true }));
    expect(del.service!.status).to.equal('DRAINING');
    const inactive = await fails(ecs.send(new E.UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 })));
    expect([inactive.name, inactive.message]).to.deep.equal(['ServiceNotActiveException', 'Service was not ACTIVE.']);
    const none = await fails(ecs.send(new E.UpdateServiceCommand({ cluster: 'prod', service: 'ghost', desiredCount: 1 })));
    expect([none.name, none.message, none.$metadata.httpStatusCode]).to.deep.equal(['ServiceNotFoundException', 'Service not found.', 400]);
  });

  it('forceNewDeployment starts a new deployment of the same revision', async () => {
    await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod')));
    await ecs.send(new E.CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 1 }));
    t.advance(60_000);
    await ecs.send(new E.UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }));
    t.advance(1000);
    const s = (await ecs.send(new E.DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0];
    expect(s.deployments!.map((d) => d.status)).to.deep.equal(['PRIMARY', 'ACTIVE']);
  });

  it('tasks: RunTask returns placed tasks and failures[], DescribeTasks, ListTasks filters and pages, StopTask', async () => {
    const ci = await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod', 1024)));
    const run = await ecs.send(new E.RunTaskCommand({ cluster: 'prod', taskDefinition: 'web', count: 3, startedBy: 'ci' }));
    expect(run.tasks).to.have.length(2, '2 × 512 MiB fit in 1024');
    expect(run.tasks![0].containerInstanceArn).to.equal(ci.containerInstance!.containerInstanceArn);
    expect(run.failures!.map((f) => f.reason)).to.deep.equal(['RESOURCE:MEMORY']);
    t.advance(30_000);
    const arns = run.tasks!.map((x) => x.taskArn!);
    const d = await ecs.send(new E.DescribeTasksCommand({ cluster: 'prod', tasks: [...arns, 'deadbeef'] }));
    expect(d.tasks!.map((x) => x.lastStatus)).to.deep.equal(['RUNNING', 'RUNNING']);
    expect(d.tasks![0].startedAt).to.be.instanceOf(Date);
    expect(d.failures![0]).to.deep.equal({ arn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/deadbeef', reason: 'MISSING' });
    expect((await ecs.send(new E.ListTasksCommand({ cluster: 'prod', startedBy: 'ci' }))).taskArns).to.deep.equal([...arns].sort());
    expect((await ecs.send(new E.ListTasksCommand({ cluster: 'prod', family: 'nope' }))).taskArns).to.deep.equal([]);
    expect((await ecs.send(new E.ListTasksCommand({ cluster: 'prod', containerInstance: ci.containerInstance!.containerInstanceArn }))).taskArns).to.have.length(2);
    expect((await ecs.send(new E.ListTasksCommand({ cluster: 'prod', launchType: 'FARGATE' }))).taskArns).to.deep.equal([]);
    const p1 = await ecs.send(new E.ListTasksCommand({ cluster: 'prod', maxResults: 1 }));
    const p2 = await ecs.send(new E.ListTasksCommand({ cluster: 'prod', maxResults: 1, nextToken: p1.nextToken }));
    expect([...p1.taskArns!, ...p2.taskArns!]).to.deep.equal([...arns].sort());
    const stop = await ecs.send(new E.StopTaskCommand({ cluster: 'prod', task: arns[0], reason: 'done' }));
    expect([stop.task!.desiredStatus, stop.task!.stopCode, stop.task!.stoppedReason]).to.deep.equal(['STOPPED', 'UserInitiated', 'done']);
    expect((await ecs.send(new E.ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED' }))).taskArns).to.include(arns[0]);
    const nf = await fails(ecs.send(new E.StopTaskCommand({ cluster: 'prod', task: 'nope' })));
    expect(nf.name).to.equal('InvalidParameterException');
    const ns = await fails(ecs.send(new E.ListTasksCommand({ cluster: 'prod', serviceName: 'ghost' })));
    expect(ns.name).to.equal('ServiceNotFoundException');
  });

  it('container instances: register, describe, list (status, CQL filter), drain and activate, deregister', async () => {
    const ci = (await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod')))).containerInstance!;
    await ecs.send(new E.RegisterContainerInstanceCommand({ ...instanceInput('prod'), attributes: [{ name: 'ecs.availability-zone', value: 'us-east-1b' }] }));
    t.advance(5000);
    const d = await ecs.send(new E.DescribeContainerInstancesCommand({ cluster: 'prod', containerInstances: [ci.containerInstanceArn!, 'nope'] }));
    expect(d.containerInstances![0].status).to.equal('ACTIVE');
    expect(d.failures![0].reason).to.equal('MISSING');
    expect((await ecs.send(new E.ListContainerInstancesCommand({ cluster: 'prod' }))).containerInstanceArns).to.have.length(2);
    const filtered = await ecs.send(new E.ListContainerInstancesCommand({ cluster: 'prod', filter: 'attribute:ecs.availability-zone == us-east-1b' }));
    expect(filtered.containerInstanceArns).to.have.length(1);
    const drain = await ecs.send(new E.UpdateContainerInstancesStateCommand({ cluster: 'prod', containerInstances: [ci.containerInstanceArn!], status: 'DRAINING' }));
    expect(drain.containerInstances![0].status).to.equal('DRAINING');
    t.advance(5000);
    expect((await ecs.send(new E.ListContainerInstancesCommand({ cluster: 'prod', status: 'DRAINING' }))).containerInstanceArns).to.deep.equal([ci.containerInstanceArn]);
    await ecs.send(new E.UpdateContainerInstancesStateCommand({ cluster: 'prod', containerInstances: [ci.containerInstanceArn!], status: 'ACTIVE' }));
    t.advance(5000);
    expect((await ecs.send(new E.ListContainerInstancesCommand({ cluster: 'prod', status: 'DRAINING' }))).containerInstanceArns).to.deep.equal([]);
    const dereg = await ecs.send(new E.DeregisterContainerInstanceCommand({ cluster: 'prod', containerInstance: ci.containerInstanceArn! }));
    expect(dereg.containerInstance!.status).to.equal('INACTIVE');
  });

  it('attributes: put, list, delete on container instances', async () => {
    const ci = (await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod')))).containerInstance!;
    await ecs.send(new E.PutAttributesCommand({ cluster: 'prod', attributes: [{ name: 'stack', value: 'blue', targetId: ci.containerInstanceArn }] }));
    const l = await ecs.send(new E.ListAttributesCommand({ cluster: 'prod', targetType: 'container-instance', attributeName: 'stack' }));
    expect(l.attributes).to.deep.equal([{ name: 'stack', value: 'blue', targetType: 'container-instance', targetId: ci.containerInstanceArn }]);
    await ecs.send(new E.DeleteAttributesCommand({ cluster: 'prod', attributes: [{ name: 'stack', targetId: ci.containerInstanceArn }] }));
    expect((await ecs.send(new E.ListAttributesCommand({ cluster: 'prod', targetType: 'container-instance', attributeName: 'stack' }))).attributes).to.deep.equal([]);
    const nt = await fails(ecs.send(new E.PutAttributesCommand({ cluster: 'prod', attributes: [{ name: 'x', targetId: 'nope' }] })));
    expect(nt.name).to.equal('TargetNotFoundException');
  });

  it('capacity providers and PutClusterCapacityProviders', async () => {
    const d = await ecs.send(new E.DescribeCapacityProvidersCommand({}));
    expect(d.capacityProviders!.map((c) => c.name)).to.deep.equal(['FARGATE', 'FARGATE_SPOT']);
    const put = await ecs.send(new E.PutClusterCapacityProvidersCommand({ cluster: 'prod', capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] }));
    expect(put.cluster!.capacityProviders).to.deep.equal(['FARGATE']);
    const bad = await fails(ecs.send(new E.PutClusterCapacityProvidersCommand({ cluster: 'prod', capacityProviders: ['nope'], defaultCapacityProviderStrategy: [] })));
    expect(bad.name).to.equal('InvalidParameterException');
    const asg = await fails(ecs.send(new E.CreateCapacityProviderCommand({ name: 'cp', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:autoScalingGroupName/nope' } })));
    expect([asg.name, asg.message]).to.deep.equal(['ClientException', "The specified Auto Scaling group 'nope' does not exist. (spec.autoScalingGroupProvider.autoScalingGroupArn)"]);
    const missing = await fails(ecs.send(new E.DeleteCapacityProviderCommand({ capacityProvider: 'nope' })));
    expect(missing.name).to.equal('InvalidParameterException');
  });

  it('tags: tag, untag and list by ARN', async () => {
    const arn = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
    await ecs.send(new E.TagResourceCommand({ resourceArn: arn, tags: [{ key: 'env', value: 'dev' }, { key: 'team', value: 'b' }] }));
    expect((await ecs.send(new E.ListTagsForResourceCommand({ resourceArn: arn }))).tags).to.deep.equal([{ key: 'team', value: 'b' }, { key: 'env', value: 'dev' }]);
    await ecs.send(new E.UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    expect((await ecs.send(new E.ListTagsForResourceCommand({ resourceArn: arn }))).tags).to.deep.equal([{ key: 'env', value: 'dev' }]);
    const nf = await fails(ecs.send(new E.ListTagsForResourceCommand({ resourceArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/ghost' })));
    expect(nf.name).to.equal('ResourceNotFoundException');
  });

  it('account settings: put awsvpcTrunking, list user and effective settings', async () => {
    const put = await ecs.send(new E.PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'enabled' }));
    expect(put.setting).to.deep.include({ name: 'awsvpcTrunking', value: 'enabled', principalArn: 'arn:aws:iam::123456789012:root' });
    expect((await ecs.send(new E.ListAccountSettingsCommand({}))).settings!.map((s) => s.name)).to.deep.equal(['awsvpcTrunking']);
    const eff = await ecs.send(new E.ListAccountSettingsCommand({ effectiveSettings: true, name: 'containerInsights' }));
    expect(eff.settings).to.deep.equal([{ name: 'containerInsights', value: 'disabled', principalArn: 'arn:aws:iam::123456789012:root', type: 'aws_managed' }]);
  });
});
