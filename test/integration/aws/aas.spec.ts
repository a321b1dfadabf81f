import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import * as A from '@aws-sdk/client-application-auto-scaling';
import { fails } from './query-helpers.js';
import { instanceInput, startTestApi, webTaskDefinition, type TestApi } from './harness.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';


const target = (service: string) => ({ ServiceNamespace: 'ecs' as const, ResourceId: `service/prod/${service}`, ScalableDimension: 'ecs:service:DesiredCount' as const });

describe('AWS API: Application Auto Scaling through @aws-sdk/client-application-auto-scaling', () => {
  let t: TestApi;
  let aas: A.ApplicationAutoScalingClient;
  beforeEach(async () => {
    t = await startTestApi();
    aas = new A.ApplicationAutoScalingClient({ endpoint: t.server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await t.ecs.send(new E.CreateClusterCommand({ clusterName: 'prod' }));
    await t.ecs.send(new E.RegisterTaskDefinitionCommand(webTaskDefinition));
    await t.ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod', 16384)));
    for (const s of ['web', 'api', 'worker']) await t.ecs.send(new E.CreateServiceCommand({ cluster: 'prod', serviceName: s, taskDefinition: 'web', desiredCount: 2 }));
  });
  afterEach(async () => {
    aas.destroy();
    await t.stop();
  });

  it('scalable targets: register, re-register changes only what is given, describe with filters and pagination, deregister', async () => {
    const r = await aas.send(new A.RegisterScalableTargetCommand({ ...target('web'), MinCapacity: 1, MaxCapacity: 10, Tags: { team: 'a' } }));
    expect(r.ScalableTargetARN).to.match(/^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\/[0-9a-f]{28}$/);
    await aas.send(new A.RegisterScalableTargetCommand({ ...target('web'), MaxCapacity: 6 }));
    for (const s of ['api', 'worker']) await aas.send(new A.RegisterScalableTargetCommand({ ...target(s), MinCapacity: 2, MaxCapacity: 4 }));
    expect(t.app.store.get('ScalableTarget', 'prod.web')!.spec).to.deep.equal({ ...target('web'), MinCapacity: 1, MaxCapacity: 6, Tags: { team: 'a' } });
    const d = await aas.send(new A.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: ['service/prod/web'] }));
    const web = d.ScalableTargets![0];
    expect([web.ResourceId, web.MinCapacity, web.MaxCapacity, web.ScalableTargetARN]).to.deep.equal(['service/prod/web', 1, 6, r.ScalableTargetARN]);
    expect(web.CreationTime).to.be.instanceOf(Date);
    expect(web.RoleARN).to.include('AWSServiceRoleForApplicationAutoScaling_ECSService');
    expect(web.SuspendedState).to.deep.equal({ DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false });
    const p1 = await aas.send(new A.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', MaxResults: 2 }));
    expect(p1.ScalableTargets).to.have.length(2);
    const p2 = await aas.send(new A.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', MaxResults: 2, NextToken: p1.NextToken }));
    expect(p2.ScalableTargets).to.have.length(1);
    expect(p2.NextToken).to.equal(undefined);
    const bad = await fails(aas.send(new A.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', NextToken: 'garbage' })));
    expect([bad.name, bad.$metadata.httpStatusCode]).to.deep.equal(['InvalidNextTokenException', 400]);
    await aas.send(new A.DeregisterScalableTargetCommand(target('web')));
    expect((await aas.send(new A.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }))).ScalableTargets!.map((x) => x.ResourceId)).to.deep.equal([
      'service/prod/api',
      'service/prod/worker',
    ]);
    const gone = await fails(aas.send(new A.DeregisterScalableTargetCommand(target('web'))));
    expect([gone.name, gone.message]).to.deep.equal([
      'ObjectNotFoundException',
      'No scalable target found for service namespace: ecs, resource ID: service/prod/web, scalable dimension: ecs:service:DesiredCount',
    ]);
  });

  it('errors: a missing service, a missing bound, an unsupported namespace, model checks; nothing is stored', async () => {
    const nosvc = await fails(aas.send(new A.RegisterScalableTargetCommand({ ...target('nope'), MinCapacity: 1, MaxCapacity: 2 })));
    expect([nosvc.name, nosvc.$metadata.httpStatusCode]).to.deep.equal(['ValidationException', 400]);
    expect(nosvc.message).to.include("ECS service doesn't exist: service/prod/nope");
    const nomax = await fails(aas.send(new A.RegisterScalableTargetCommand({ ...target('web'), MinCapacity: 1 })));
    expect([nomax.name, nomax.message]).to.deep.equal(['ValidationException', 'MaxCapacity is required to register a scalable target. (spec.MaxCapacity)']);
    const ns = await fails(aas.send(new A.RegisterScalableTargetCommand({ ...target('web'), ServiceNamespace: 'dynamodb', MinCapacity: 1, MaxCapacity: 2 })));
    expect(ns.name).to.equal('ValidationException');
    expect(ns.message).to.include("ecsplane supports ServiceNamespace 'ecs' only");
    const neg = await fails(aas.send(new A.RegisterScalableTargetCommand({ ...target('web'), MinCapacity: 1, MaxCapacity: 2, ScalableDimension: 'nope' as any })));
    expect(neg.name).to.equal('ValidationException');
    expect(neg.message).to.include('enum value set');
    const raw = await fetch(t.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AnyScaleFrontendService.RegisterScalableTarget' },
      body: '{"ServiceNamespace": "ecs"}',
    });
    expect([raw.status, raw.headers.get('x-amzn-errortype')]).to.deep.equal([400, 'ValidationException']);
    expect((await raw.json()).message).to.include('Missing required parameter in input: "ResourceId"');
    expect(t.app.store.list('ScalableTarget')).to.deep.equal([]);
    const nopolicy = await fails(
      aas.send(new A.PutScalingPolicyCommand({ ...target('web'), PolicyName: 'cpu', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } } })),
    );
    expect(nopolicy.name).to.equal('ObjectNotFoundException');
    expect(nopolicy.message).to.include('No scalable target registered for service namespace: ecs, resource ID: service/prod/web');
  });

  it('scaling policies: put (target tracking, step), update, describe by name with pagination, delete; names stay per target', async () => {
    await aas.send(new A.RegisterScalableTargetCommand({ ...target('web'), MinCapacity: 1, MaxCapacity: 10 }));
    await aas.send(new A.RegisterScalableTargetCommand({ ...target('api'), MinCapacity: 1, MaxCapacity: 10 }));
    const tt = { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' as const }, ScaleOutCooldown: 60 };
    const put = await aas.send(new A.PutScalingPolicyCommand({ ...target('web'), PolicyName: 'cpu70', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: tt }));
    expect(put.PolicyARN).to.match(/^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:resource\/ecs\/service\/prod\/web:policyName\/cpu70$/);
    const step = { AdjustmentType: 'ChangeInCapacity' as const, StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }], Cooldown: 60 };
    await aas.send(new A.PutScalingPolicyCommand({ ...target('web'), PolicyName: 'step', PolicyType: 'StepScaling', StepScalingPolicyConfiguration: step }));
    t.advance(1000);
    const again = await aas.send(new A.PutScalingPolicyCommand({ ...target('web'), PolicyName: 'cpu70', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { ...tt, TargetValue: 60 } }));
    expect(again.PolicyARN).to.equal(put.PolicyARN);
    const alarms = again.Alarms!.map((a) => a.AlarmName!);
    expect(alarms).to.have.length(2);
    expect(alarms[0]).to.match(/^TargetTracking-service\/prod\/web-AlarmHigh-[0-9a-f-]{36}$/);
    expect(alarms[1]).to.match(/^TargetTracking-service\/prod\/web-AlarmLow-[0-9a-f-]{36}$/);
    expect(again.Alarms![0].AlarmARN).to.match(/^arn:aws:cloudwatch:us-east-1:123456789012:alarm:TargetTracking-/);
    const clash = await fails(aas.send(new A.PutScalingPolicyCommand({ ...target('api'), PolicyName: 'cpu70', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: tt })));
    expect([clash.name, clash.$metadata.httpStatusCode]).to.deep.equal(['ValidationException', 400]);
    const all = await aas.send(new A.DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/prod/web' }));
    expect(all.ScalingPolicies!.map((p) => [p.PolicyName, p.PolicyType])).to.deep.equal([
      ['cpu70', 'TargetTrackingScaling'],
      ['step', 'StepScaling'],
    ]);
    expect(all.ScalingPolicies![0].TargetTrackingScalingPolicyConfiguration!.TargetValue).to.equal(60);
    expect(all.ScalingPolicies![1].StepScalingPolicyConfiguration).to.deep.equal(step);
    const p1 = await aas.send(new A.DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', MaxResults: 1 }));
    const p2 = await aas.send(new A.DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', MaxResults: 1, NextToken: p1.NextToken }));
    expect([p1.ScalingPolicies![0].PolicyName, p2.ScalingPolicies![0].PolicyName, p2.NextToken]).to.deep.equal(['cpu70', 'step', undefined]);
    const byName = await aas.send(new A.DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', PolicyNames: ['step'] }));
    expect(byName.ScalingPolicies!.map((p) => p.PolicyName)).to.deep.equal(['step']);
    const badStep = await fails(
      aas.send(new A.PutScalingPolicyCommand({ ...target('web'), PolicyName: 'bad', PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [] } })),
    );
    expect([badStep.name, badStep.message]).to.deep.equal(['ValidationException', 'At least one step adjustment is required. (spec.StepScalingPolicyConfiguration.StepAdjustments)']);
    await aas.send(new A.DeleteScalingPolicyCommand({ ...target('web'), PolicyName: 'step' }));
    const missing = await fails(aas.send(new A.DeleteScalingPolicyCommand({ ...target('web'), PolicyName: 'step' })));
    expect([missing.name, missing.message]).to.deep.equal([
      'ObjectNotFoundException',
      'No scaling policy found for service namespace: ecs, resource ID: service/prod/web, scalable dimension: ecs:service:DesiredCount, policy name: step',
    ]);
    await aas.send(new A.DeregisterScalableTargetCommand(target('web')));
    expect(t.app.store.list('ScalingPolicy')).to.deep.equal([]);
  });

  it('scheduled actions: put, update keeps what is not given, describe, fire on the virtual clock, delete; activities show it', async () => {
    await aas.send(new A.RegisterScalableTargetCommand({ ...target('web'), MinCapacity: 1, MaxCapacity: 10 }));
    const at = new Date(t.clock.now() + 10 * 60_000);
    await aas.send(new A.PutScheduledActionCommand({ ...target('web'), ScheduledActionName: 'morning', Schedule: 'at(2026-01-01T00:10:00)', ScalableTargetAction: { MinCapacity: 5, MaxCapacity: 10 }, EndTime: new Date(at.getTime() + 3600_000) }));
    await aas.send(new A.PutScheduledActionCommand({ ...target('web'), ScheduledActionName: 'morning', Timezone: 'UTC' }));
    const d = await aas.send(new A.DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs', ScheduledActionNames: ['morning'] }));
    const a = d.ScheduledActions![0];
    expect([a.Schedule, a.Timezone, a.ScalableTargetAction]).to.deep.equal(['at(2026-01-01T00:10:00)', 'UTC', { MinCapacity: 5, MaxCapacity: 10 }]);
    expect(a.EndTime!.getTime()).to.equal(at.getTime() + 3600_000);
    expect(a.ScheduledActionARN).to.match(/:scheduledAction:[0-9a-f-]{36}:resource\/ecs\/service\/prod\/web:scheduledActionName\/morning$/);
    t.advance(11 * 60_000);
    const st = await aas.send(new A.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }));
    expect(st.ScalableTargets![0].MinCapacity).to.equal(5);
    const acts = await aas.send(new A.DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/prod/web' }));
    expect(acts.ScalingActivities!.length).to.be.greaterThan(0);
    expect(acts.ScalingActivities!.map((x) => x.Description)).to.include.members(['Setting desired count to 5.', 'Setting min capacity to 5 and max capacity to 10']);
    expect(acts.ScalingActivities![0].StartTime).to.be.instanceOf(Date);
    const page = await aas.send(new A.DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', MaxResults: 1 }));
    expect(page.ScalingActivities).to.have.length(1);
    await aas.send(new A.DeleteScheduledActionCommand({ ...target('web'), ScheduledActionName: 'morning' }));
    const gone = await fails(aas.send(new A.DeleteScheduledActionCommand({ ...target('web'), ScheduledActionName: 'morning' })));
    expect(gone.name).to.equal('ObjectNotFoundException');
  });
});
