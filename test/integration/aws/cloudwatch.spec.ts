import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import * as A from '@aws-sdk/client-application-auto-scaling';
import * as C from '@aws-sdk/client-cloudwatch';
import { makeKey } from '../../../api/meta.js';
import { fails, queryPost, testCredentials } from './query-helpers.js';
import { instanceInput, startTestApi, webTaskDefinition, type TestApi } from './harness.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';

const ecsDimensions = (service: string) => [
  { Name: 'ClusterName', Value: 'prod' },
  { Name: 'ServiceName', Value: service },
];

describe('AWS API: CloudWatch PutMetricData sets simulated load (@aws-sdk/client-cloudwatch, Query)', () => {
  let t: TestApi;
  let cw: C.CloudWatchClient;
  let aas: A.ApplicationAutoScalingClient;
  beforeEach(async () => {
    t = await startTestApi();
    cw = new C.CloudWatchClient({ endpoint: t.server.url, ...testCredentials });
    aas = new A.ApplicationAutoScalingClient({ endpoint: t.server.url, ...testCredentials });
    await t.ecs.send(new E.CreateClusterCommand({ clusterName: 'prod' }));
    await t.ecs.send(new E.RegisterTaskDefinitionCommand(webTaskDefinition));
    await t.ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod', 16384)));
    await t.ecs.send(new E.CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web', desiredCount: 2 }));
    t.advance(60_000);
  });
  afterEach(async () => {
    cw.destroy();
    aas.destroy();
    await t.stop();
  });

  const utilization = () => t.app.load.utilization(makeKey('prod', 'web'), 2);

  it('AWS/ECS CPUUtilization and MemoryUtilization (Value, StatisticValues, Values) set the service load; other metrics are accepted and ignored', async () => {
    await cw.send(new C.PutMetricDataCommand({ Namespace: 'AWS/ECS', MetricData: [{ MetricName: 'CPUUtilization', Dimensions: ecsDimensions('web'), Value: 90, Unit: 'Percent' }] }));
    expect(utilization().cpu).to.equal(90);
    await cw.send(
      new C.PutMetricDataCommand({
        Namespace: 'AWS/ECS',
        MetricData: [
          { MetricName: 'MemoryUtilization', Dimensions: ecsDimensions('web'), StatisticValues: { SampleCount: 4, Sum: 160, Minimum: 30, Maximum: 50 } },
          { MetricName: 'CPUUtilization', Dimensions: ecsDimensions('web'), Values: [50, 80], Counts: [1, 2], Timestamp: new Date() },
        ],
      }),
    );
    expect(utilization()).to.deep.equal({ cpu: 70, memory: 40, requestCountPerTarget: 0 });
    await cw.send(new C.PutMetricDataCommand({ Namespace: 'MyApp', MetricData: [{ MetricName: 'CPUUtilization', Dimensions: ecsDimensions('web'), Value: 5 }] }));
    await cw.send(new C.PutMetricDataCommand({ Namespace: 'AWS/ECS', MetricData: [{ MetricName: 'CPUUtilization', Dimensions: [{ Name: 'ClusterName', Value: 'prod' }], Value: 5 }] }));
    expect(utilization().cpu).to.equal(70);
  });

  it('errors: input outside the model is InvalidParameterValue (JSON 1.0 and Query); the Query form works like the SDK', async () => {
    const err = await fails(cw.send(new C.PutMetricDataCommand({ Namespace: 'AWS/ECS', MetricData: [{ MetricName: 'CPUUtilization', Value: 1, Dimensions: new Array(31).fill({ Name: 'a', Value: 'b' }) }] })));
    expect([err.name, err.$metadata.httpStatusCode]).to.deep.equal(['InvalidParameterValueException', 400]);
    const raw = await fetch(t.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' },
      body: '{"MetricData": []}',
    });
    expect([raw.status, raw.headers.get('content-type'), raw.headers.get('x-amzn-errortype')]).to.deep.equal([400, 'application/x-amz-json-1.0', 'InvalidParameterValueException']);
    const form = {
      Action: 'PutMetricData',
      Version: '2010-08-01',
      Namespace: 'AWS/ECS',
      'MetricData.member.1.MetricName': 'CPUUtilization',
      'MetricData.member.1.Value': '85',
      'MetricData.member.1.Dimensions.member.1.Name': 'ClusterName',
      'MetricData.member.1.Dimensions.member.1.Value': 'prod',
      'MetricData.member.1.Dimensions.member.2.Name': 'ServiceName',
      'MetricData.member.1.Dimensions.member.2.Value': 'web',
    };
    const ok = await queryPost(t.server.url, form, 'monitoring');
    expect(ok.status).to.equal(200);
    expect(ok.body).to.include('<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata>');
    expect(utilization().cpu).to.equal(85);
    const bad = await queryPost(t.server.url, { ...form, 'MetricData.member.1.Value': 'NaN' }, 'monitoring');
    expect([bad.status, bad.body.includes('<Code>InvalidParameterValue</Code>')]).to.deep.equal([400, true]);
  });

  it('end to end: target tracking at 70 % CPU, PutMetricData 90 % → the service scales out after its alarm periods on the virtual clock', async () => {
    const ref = { ServiceNamespace: 'ecs' as const, ResourceId: 'service/prod/web', ScalableDimension: 'ecs:service:DesiredCount' as const };
    await aas.send(new A.RegisterScalableTargetCommand({ ...ref, MinCapacity: 2, MaxCapacity: 10 }));
    await aas.send(
      new A.PutScalingPolicyCommand({
        ...ref,
        PolicyName: 'cpu70',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
      }),
    );
    await cw.send(new C.PutMetricDataCommand({ Namespace: 'AWS/ECS', MetricData: [{ MetricName: 'CPUUtilization', Dimensions: ecsDimensions('web'), Value: 90 }] }));
    const desired = async () => (await t.ecs.send(new E.DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0].desiredCount;
    t.advance(60_000);
    expect(await desired()).to.equal(2); // one datapoint: the high alarm needs three
    t.advance(4 * 60_000);
    expect(await desired()).to.equal(3); // ceil(2 × 90 / 70)
    const acts = await aas.send(new A.DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: ref.ResourceId }));
    expect(acts.ScalingActivities![0].Description).to.equal('Setting desired count to 3.');
    expect(acts.ScalingActivities![0].Cause).to.include('TargetTracking-service/prod/web-AlarmHigh');
    const policy = await aas.send(new A.DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', PolicyNames: ['cpu70'] }));
    expect(policy.ScalingPolicies![0].Alarms!.map((a) => /-(AlarmHigh|AlarmLow)-/.exec(a.AlarmName!)?.[1])).to.deep.equal(['AlarmHigh', 'AlarmLow']);
  });
});
