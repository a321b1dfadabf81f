/** Table tests for api/not-simulated.ts: fields ECS acts on that ecsplane does not simulate. */
import { expect } from 'chai';
import {
  NOT_SIMULATED,
  notSimulatedFields,
  notSimulatedMessage,
  notSimulatedOfTaskDefinition,
  withNotSimulatedCondition,
} from '../../../api/not-simulated.js';

const T0 = Date.UTC(2026, 0, 1);
const fieldsOf = (kind: string, spec: unknown) => notSimulatedFields(kind, spec).map((f) => f.field);

describe('notSimulatedFields', () => {
  const rows: Array<{ name: string; kind: string; spec: unknown; fields: string[] }> = [
    { name: 'a plain rolling service', kind: 'Service', spec: { desiredCount: 2, deploymentConfiguration: { strategy: 'ROLLING', minimumHealthyPercent: 50 } }, fields: [] },
    { name: 'BLUE_GREEN is simulated', kind: 'Service', spec: { deploymentConfiguration: { strategy: 'BLUE_GREEN' } }, fields: [] },
    {
      name: 'LINEAR with bake time and steps',
      kind: 'Service',
      spec: { deploymentConfiguration: { strategy: 'LINEAR', bakeTimeInMinutes: 5, linearConfiguration: { stepPercent: 10 } } },
      fields: [],
    },
    { name: 'CANARY', kind: 'Service', spec: { deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: {} } }, fields: [] },
    {
      name: 'alternate target group and listener rules: weights reported, not applied',
      kind: 'Service',
      spec: { loadBalancers: [{ targetGroupArn: 'blue', containerName: 'app', containerPort: 80, advancedConfiguration: { alternateTargetGroupArn: 'green' } }] },
      fields: ['spec.loadBalancers[0].advancedConfiguration'],
    },
    { name: 'bake time 0 changes nothing', kind: 'Service', spec: { deploymentConfiguration: { bakeTimeInMinutes: 0 } }, fields: [] },
    { name: 'lifecycle hooks are simulated', kind: 'Service', spec: { deploymentConfiguration: { lifecycleHooks: [{ hookTargetArn: 'arn:aws:lambda:x' }] } }, fields: [] },
    {
      name: 'a hook timeout is not',
      kind: 'Service',
      spec: { deploymentConfiguration: { lifecycleHooks: [{ hookTargetArn: 'arn:aws:lambda:x', timeoutConfiguration: { timeoutInMinutes: 5, action: 'ROLLBACK' } }] } },
      fields: ['spec.deploymentConfiguration.lifecycleHooks[0].timeoutConfiguration'],
    },
    { name: 'enabled deployment alarms are simulated (failure detection)', kind: 'Service', spec: { deploymentConfiguration: { alarms: { enable: true, rollback: true, alarmNames: ['5xx'] } } }, fields: [] },
    { name: 'bake time of a ROLLING deployment with alarms is simulated', kind: 'Service', spec: { deploymentConfiguration: { bakeTimeInMinutes: 3, alarms: { enable: true, rollback: true, alarmNames: ['5xx'] } } }, fields: [] },
    { name: 'bake time of a ROLLING deployment without alarms is not', kind: 'Service', spec: { deploymentConfiguration: { bakeTimeInMinutes: 3 } }, fields: ['spec.deploymentConfiguration.bakeTimeInMinutes'] },
    { name: 'disabled deployment alarms', kind: 'Service', spec: { deploymentConfiguration: { alarms: { enable: false, alarmNames: ['5xx'] } } }, fields: [] },
    { name: 'CODE_DEPLOY controller', kind: 'Service', spec: { deploymentController: { type: 'CODE_DEPLOY' } }, fields: ['spec.deploymentController.type'] },
    { name: 'EXTERNAL controller', kind: 'Service', spec: { deploymentController: { type: 'EXTERNAL' } }, fields: ['spec.deploymentController.type'] },
    { name: 'ECS controller', kind: 'Service', spec: { deploymentController: { type: 'ECS' } }, fields: [] },
    { name: 'AZ rebalancing ENABLED (simulated)', kind: 'Service', spec: { availabilityZoneRebalancing: 'ENABLED' }, fields: [] },
    { name: 'AZ rebalancing DISABLED', kind: 'Service', spec: { availabilityZoneRebalancing: 'DISABLED' }, fields: [] },
    {
      name: 'a Classic Load Balancer beside a target group',
      kind: 'Service',
      spec: { loadBalancers: [{ targetGroupArn: 'tg', containerName: 'a', containerPort: 80 }, { loadBalancerName: 'clb', containerName: 'a', containerPort: 80 }] },
      fields: ['spec.loadBalancers[1].loadBalancerName'],
    },
    { name: 'VPC Lattice', kind: 'Service', spec: { vpcLatticeConfigurations: [{ roleArn: 'r', targetGroupArn: 't', portName: 'p' }] }, fields: ['spec.vpcLatticeConfigurations'] },
    { name: 'harmless service fields', kind: 'Service', spec: { enableExecuteCommand: true, serviceConnectConfiguration: { enabled: true }, volumeConfigurations: [{ name: 'v' }], tags: [{ key: 'a', value: 'b' }] }, fields: [] },
    { name: 'MANAGED_INSTANCES launch type', kind: 'Service', spec: { launchType: 'MANAGED_INSTANCES' }, fields: ['spec.launchType'] },
    { name: 'EXTERNAL launch type (RunTask)', kind: 'Task', spec: { launchType: 'EXTERNAL' }, fields: ['spec.launchType'] },
    {
      name: 'RunTask size overrides',
      kind: 'Task',
      spec: { overrides: { cpu: '1024', memory: '2048', containerOverrides: [{ name: 'a', command: ['x'] }, { name: 'b', memoryReservation: 256 }] } },
      fields: ['spec.overrides.cpu', 'spec.overrides.memory', 'spec.overrides.containerOverrides[1].memoryReservation'],
    },
    { name: 'RunTask command override only', kind: 'Task', spec: { overrides: { containerOverrides: [{ name: 'a', command: ['x'], environment: [] }] } }, fields: [] },
    {
      name: 'task definition: dependsOn, restartPolicy, GPU',
      kind: 'TaskDefinition',
      spec: {
        containerDefinitions: [
          { name: 'a', dependsOn: [{ containerName: 'b', condition: 'SUCCESS' }], restartPolicy: { enabled: true } },
          { name: 'b', resourceRequirements: [{ type: 'GPU', value: '1' }], restartPolicy: { enabled: false } },
        ],
      },
      fields: ['spec.containerDefinitions[0].dependsOn', 'spec.containerDefinitions[0].restartPolicy', 'spec.containerDefinitions[1].resourceRequirements'],
    },
    { name: 'ARM64 on EC2', kind: 'TaskDefinition', spec: { requiresCompatibilities: ['EC2'], runtimePlatform: { cpuArchitecture: 'ARM64' } }, fields: ['spec.runtimePlatform.cpuArchitecture'] },
    { name: 'ARM64 on Fargate only', kind: 'TaskDefinition', spec: { requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', runtimePlatform: { cpuArchitecture: 'ARM64' } }, fields: [] },
    { name: 'awsvpc on EC2 (ENI limits are simulated)', kind: 'TaskDefinition', spec: { networkMode: 'awsvpc' }, fields: [] },
    { name: 'Windows on EC2', kind: 'TaskDefinitionRevision', spec: { runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } }, fields: ['spec.runtimePlatform.operatingSystemFamily'] },
    { name: 'managed instances capacity provider', kind: 'CapacityProvider', spec: { managedInstancesProvider: { infrastructureRoleArn: 'r' } }, fields: ['spec.managedInstancesProvider'] },
    { name: 'ASG capacity provider', kind: 'CapacityProvider', spec: { autoScalingGroupProvider: { autoScalingGroupArn: 'asg' } }, fields: [] },
    {
      name: 'Auto Scaling group extras',
      kind: 'AutoScalingGroup',
      spec: { MixedInstancesPolicy: {}, DesiredCapacityType: 'vcpu', LifecycleHookSpecificationList: [{}], MaxInstanceLifetime: 86400, TerminationPolicies: ['OldestInstance'] },
      fields: ['spec.MixedInstancesPolicy', 'spec.DesiredCapacityType', 'spec.LifecycleHookSpecificationList', 'spec.MaxInstanceLifetime', 'spec.TerminationPolicies'],
    },
    { name: 'Auto Scaling group defaults', kind: 'AutoScalingGroup', spec: { DesiredCapacityType: 'units', TerminationPolicies: ['Default'], MaxInstanceLifetime: 0 }, fields: [] },
    { name: 'custom metric target tracking (simulated; an unknown metric is UnsupportedMetric instead)', kind: 'ScalingPolicy', spec: { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, CustomizedMetricSpecification: { MetricName: 'm' } } }, fields: [] },
    {
      name: 'alarm actions other than Auto Scaling policies',
      kind: 'MetricAlarm',
      spec: { AlarmActions: ['arn:aws:sns:us-east-1:123456789012:ops', 'arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x:resource/ecs/service/a/b:policyName/p'], OKActions: ['arn:aws:sns:us-east-1:123456789012:ops'] },
      fields: ['spec.AlarmActions', 'spec.OKActions'],
    },
    { name: 'a FIFO queue', kind: 'Queue', spec: { Attributes: { FifoQueue: 'true' } }, fields: ['spec.Attributes.FifoQueue'] },
    { name: 'a standard queue', kind: 'Queue', spec: { Attributes: { VisibilityTimeout: '60' } }, fields: [] },
    { name: 'a kind with nothing to report', kind: 'Cluster', spec: { settings: [{ name: 'containerInsights', value: 'enabled' }] }, fields: [] },
    { name: 'an unknown kind', kind: 'Nope', spec: { strategy: 'BLUE_GREEN' }, fields: [] },
  ];
  for (const r of rows) it(`${r.kind}: ${r.name}`, () => expect(fieldsOf(r.kind, r.spec)).to.deep.equal(r.fields));

  it('names the value and what ecsplane does instead', () => {
    expect(notSimulatedFields('Service', { deploymentController: { type: 'CODE_DEPLOY' } })).to.deep.equal([
      { field: 'spec.deploymentController.type', message: 'deploymentController.type CODE_DEPLOY is not simulated by ecsplane; the service is simulated with the ECS deployment controller (ROLLING)' },
    ]);
  });

  it('never throws, whatever the input', () => {
    const junk: unknown[] = [null, undefined, 0, 'x', [], [1], { deploymentConfiguration: null }, { deploymentConfiguration: [] }, { loadBalancers: 'x' },
      { loadBalancers: [null, 3] }, { containerDefinitions: [null, { dependsOn: 'x', resourceRequirements: [null, 4] }] }, { overrides: { containerOverrides: [null] } },
      { deploymentConfiguration: { strategy: { a: 1 }, alarms: { enable: true, alarmNames: [{}, null] } } }, { TerminationPolicies: 'x' }];
    for (const kind of ['Service', 'Task', 'TaskDefinition', 'CapacityProvider', 'AutoScalingGroup', 'ScalingPolicy']) {
      for (const spec of junk) expect(() => notSimulatedFields(kind, spec), `${kind} ${JSON.stringify(spec)}`).to.not.throw();
    }
  });

  it('task definition fields as a service reports them', () => {
    expect(notSimulatedOfTaskDefinition('web:3', { containerDefinitions: [{ name: 'a', dependsOn: [{ containerName: 'b', condition: 'COMPLETE' }] }] })).to.deep.equal([
      { field: 'taskDefinition(web:3).containerDefinitions[0].dependsOn', message: 'task definition web:3: containerDefinitions[0].dependsOn COMPLETE is not simulated by ecsplane; the dependency exits 0 as soon as it has started' },
    ]);
  });

  it('the message stays bounded however many fields there are', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ field: `f${i}`, message: `m${i}` }));
    const msg = notSimulatedMessage(many);
    expect(msg.split('; ')).to.have.length(21);
    expect(msg.endsWith('and 980 more')).to.equal(true);
  });
});

describe('withNotSimulatedCondition', () => {
  const fields = notSimulatedFields('Service', { deploymentController: { type: 'CODE_DEPLOY' } });
  const ready = { type: 'Ready', status: 'True' as const, reason: 'SteadyState', message: '', lastTransitionTime: iso(T0) };
  function iso(ms: number) {
    return new Date(ms).toISOString();
  }

  it('sets the condition and reports once per generation', () => {
    const first = withNotSimulatedCondition([ready], fields, 1, T0);
    expect(first.report).to.equal(true);
    expect(first.conditions!.find((c) => c.type === NOT_SIMULATED)).to.deep.equal({
      type: 'NotSimulated', status: 'True', reason: 'NotSimulated', message: fields[0].message, lastTransitionTime: iso(T0), observedGeneration: 1,
    });
    const again = withNotSimulatedCondition(first.conditions, fields, 1, T0 + 1000);
    expect(again).to.deep.equal({ conditions: first.conditions, report: false });
    const nextGen = withNotSimulatedCondition(first.conditions, fields, 2, T0 + 2000);
    expect(nextGen.report).to.equal(true);
    expect(nextGen.conditions!.find((c) => c.type === NOT_SIMULATED)!.lastTransitionTime).to.equal(iso(T0), 'still True: no transition');
  });

  it('removes the condition when nothing is left to report, and adds nothing when there never was', () => {
    const set = withNotSimulatedCondition([ready], fields, 1, T0).conditions;
    expect(withNotSimulatedCondition(set, [], 2, T0)).to.deep.equal({ conditions: [ready], report: false });
    const none = [ready];
    expect(withNotSimulatedCondition(none, [], 1, T0).conditions).to.equal(none);
    expect(withNotSimulatedCondition(undefined, [], 1, T0).conditions).to.equal(undefined);
  });
});
