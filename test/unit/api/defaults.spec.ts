/** withDefaults: pure (never mutates, works on deep-frozen store objects) and ECS's defaults. */
import { expect } from 'chai';
import { withDefaults } from '../../../api/validate.js';
import { KINDS } from '../../../api/v1alpha1/index.js';
import { deepFreeze, ec2Td, expectValid, fargateTd, fixture } from './helpers.js';

const target = { ServiceNamespace: 'ecs', ResourceId: 'service/prod/web', ScalableDimension: 'ecs:service:DesiredCount' };

describe('withDefaults purity', () => {
  const specs: Record<string, any> = {
    Cluster: { capacityProviders: ['FARGATE'] },
    TaskDefinition: fixture('seed-002-task-definition.json'),
    TaskDefinitionRevision: ec2Td(),
    Service: { taskDefinition: 'web', desiredCount: 1, capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] },
    Task: { taskDefinition: 'web:1' },
    ContainerInstance: { attributes: [{ name: 'ecs.instance-type', value: 't3.large' }] },
    CapacityProvider: { autoScalingGroupProvider: { autoScalingGroupArn: 'asg', managedScaling: { targetCapacity: 90 } } },
    AutoScalingGroup: { MinSize: 1, MaxSize: 3, AvailabilityZones: ['a'] },
    ScalableTarget: { ...target, MinCapacity: 1, MaxCapacity: 2 },
    ScalingPolicy: { ...target, PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50 } },
    ScheduledAction: { ...target, Schedule: 'rate(1 hour)', ScalableTargetAction: { MinCapacity: 1 } },
    TargetGroup: { Protocol: 'HTTP', Port: 80 },
    Subnet: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' },
    AccountSetting: { value: 'enabled' },
    Queue: { Attributes: { VisibilityTimeout: '60' } },
    MetricAlarm: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Sum', Period: 60, EvaluationPeriods: 2, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' },
    Rule: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 't', Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c', RoleArn: 'r', EcsParameters: { TaskDefinitionArn: 'web' } }] },
    Schedule: { ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c', RoleArn: 'r', EcsParameters: { TaskDefinitionArn: 'web' } } },
  };

  it('covers every kind', () => expect(Object.keys(specs).sort()).to.deep.equal(Object.keys(KINDS).sort()));

  for (const [kind, spec] of Object.entries(specs)) {
    it(`${kind}: returns a new object and leaves the (frozen) input alone`, () => {
      const before = JSON.stringify(spec);
      const frozen = deepFreeze(structuredClone(spec));
      const out = withDefaults(kind, frozen, { name: kind === 'TaskDefinitionRevision' ? 'web:1' : 'web' });
      expect(out).to.not.equal(frozen);
      expect(JSON.stringify(frozen)).to.equal(before);
      expect(Object.isFrozen(out)).to.equal(false);
      // idempotent
      expect(withDefaults(kind, out, { name: 'web' })).to.deep.equal(out);
    });
  }
});

describe('TaskDefinition defaults', () => {
  it('fills ECS defaults and normalises cpu/memory', () => {
    const d = withDefaults('TaskDefinition', fargateTd({ family: undefined, cpu: '1 vCPU', memory: '2 GB', containerDefinitions: [
      { name: 'app', image: 'x', portMappings: [{ containerPort: 8080 }], healthCheck: { command: ['CMD', 'true'] } },
    ] }), { name: 'web' });
    expect(d).to.include({ family: 'web', networkMode: 'awsvpc', cpu: '1024', memory: '2048' });
    const c = d.containerDefinitions[0];
    expect(c).to.include({ essential: true, cpu: 0 });
    expect(c.portMappings[0]).to.deep.equal({ containerPort: 8080, hostPort: 8080, protocol: 'tcp' });
    expect(c.healthCheck).to.deep.equal({ command: ['CMD', 'true'], interval: 30, timeout: 5, retries: 3 });
    expect(c.healthCheck.startPeriod).to.equal(undefined);
    expect(d.volumes).to.deep.equal([]);
  });

  it('bridge mode gets dynamic host ports and keeps explicit ones', () => {
    const d = withDefaults('TaskDefinition', ec2Td({ networkMode: undefined, containerDefinitions: [
      { name: 'a', image: 'x', memory: 64, essential: false, portMappings: [{ containerPort: 80 }, { containerPort: 81, hostPort: 8081, protocol: 'udp' }] },
    ] }));
    expect(d.networkMode).to.equal('bridge');
    expect(d.containerDefinitions[0].essential).to.equal(false);
    expect(d.containerDefinitions[0].portMappings).to.deep.equal([
      { containerPort: 80, hostPort: 0, protocol: 'tcp' },
      { containerPort: 81, hostPort: 8081, protocol: 'udp' },
    ]);
  });

  it('the defaulted seed still validates', () => expectValid('TaskDefinition', withDefaults('TaskDefinition', fixture('seed-002-task-definition.json')), 'web-app'));
});

describe('Service defaults', () => {
  it('REPLICA: 100/200, ECS controller, default cluster, no circuit breaker', () => {
    const d = withDefaults('Service', { taskDefinition: 'web', desiredCount: 2 }, { name: 'web' });
    expect(d).to.include({ serviceName: 'web', cluster: 'default', schedulingStrategy: 'REPLICA', healthCheckGracePeriodSeconds: 0, forceNewDeployment: false });
    expect(d.deploymentController).to.deep.equal({ type: 'ECS' });
    expect(d.deploymentConfiguration).to.deep.include({ minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: false, rollback: false } });
    expect(d.loadBalancers).to.deep.equal([]);
    expect(d.platformVersion).to.equal(undefined);
  });
  it('DAEMON: 0/100', () => {
    const d = withDefaults('Service', { taskDefinition: 'web', schedulingStrategy: 'DAEMON' });
    expect(d.deploymentConfiguration).to.include({ minimumHealthyPercent: 0, maximumPercent: 100 });
  });
  it('keeps given values; Fargate gets LATEST; strategy items get base/weight 0', () => {
    const d = withDefaults('Service', {
      taskDefinition: 'web',
      desiredCount: 1,
      deploymentConfiguration: { minimumHealthyPercent: 50 },
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }, { capacityProvider: 'FARGATE_SPOT' }],
    });
    expect(d.deploymentConfiguration).to.include({ minimumHealthyPercent: 50, maximumPercent: 200 });
    expect(d.platformVersion).to.equal('LATEST');
    expect(d.capacityProviderStrategy).to.deep.equal([
      { capacityProvider: 'FARGATE', weight: 1, base: 0 },
      { capacityProvider: 'FARGATE_SPOT', weight: 0, base: 0 },
    ]);
  });
});

describe('other defaults', () => {
  it('Task: count 1, default cluster, group family:<family>', () => {
    expect(withDefaults('Task', { taskDefinition: 'web:3' })).to.include({ count: 1, cluster: 'default', group: 'family:web' });
    expect(withDefaults('Task', { taskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/api:2' }).group).to.equal('family:api');
    expect(withDefaults('Task', { taskDefinition: 'web', group: 'batch' }).group).to.equal('batch');
  });

  it('ContainerInstance: resources from the instance type, agent reserved ports, built-in attributes', () => {
    const d = withDefaults('ContainerInstance', { attributes: [{ name: 'ecs.instance-type', value: 't3.large' }] });
    expect(d.cluster).to.equal('default');
    const res = Object.fromEntries(d.totalResources.map((r: any) => [r.name, r.integerValue ?? r.stringSetValue]));
    expect(res.CPU).to.equal(2048);
    expect(res.MEMORY).to.be.within(7000, 8192);
    expect(res.PORTS).to.deep.equal(['22', '2375', '2376', '51678', '51679']);
    expect(res.PORTS_UDP).to.deep.equal([]);
    expect(d.attributes).to.deep.include({ name: 'ecs.os-type', value: 'linux' });
    expect(d.attributes).to.deep.include({ name: 'ecs.cpu-architecture', value: 'x86_64' });
    const given = withDefaults('ContainerInstance', { totalResources: [{ name: 'CPU', integerValue: 512 }] });
    expect(given.totalResources[0]).to.deep.equal({ name: 'CPU', integerValue: 512, type: 'INTEGER' });
    expect(given.attributes).to.deep.include({ name: 'ecs.instance-type', value: 'm5.large' });
  });

  it('CapacityProvider: managed scaling defaults, draining ENABLED, protection DISABLED', () => {
    const d = withDefaults('CapacityProvider', { autoScalingGroupProvider: { autoScalingGroupArn: 'asg', managedScaling: { targetCapacity: 90 } } }, { name: 'cp' });
    expect(d.name).to.equal('cp');
    expect(d.autoScalingGroupProvider).to.deep.equal({
      autoScalingGroupArn: 'asg',
      managedScaling: { status: 'ENABLED', targetCapacity: 90, minimumScalingStepSize: 1, maximumScalingStepSize: 10000, instanceWarmupPeriod: 300 },
      managedTerminationProtection: 'DISABLED',
      managedDraining: 'ENABLED',
    });
    const none = withDefaults('CapacityProvider', { autoScalingGroupProvider: { autoScalingGroupArn: 'asg' } });
    expect(none.autoScalingGroupProvider.managedScaling.status).to.equal('DISABLED');
  });

  it('AutoScalingGroup: desired = min, cooldown 300, m5.large', () => {
    expect(withDefaults('AutoScalingGroup', { MinSize: 2, MaxSize: 5, AvailabilityZones: ['a'] }, { name: 'asg' })).to.include({
      AutoScalingGroupName: 'asg',
      DesiredCapacity: 2,
      DefaultCooldown: 300,
      InstanceType: 'm5.large',
      NewInstancesProtectedFromScaleIn: false,
    });
  });

  it('Application Auto Scaling: nothing suspended, 300 s cooldowns, UTC', () => {
    expect(withDefaults('ScalableTarget', target).SuspendedState).to.deep.equal({
      DynamicScalingInSuspended: false,
      DynamicScalingOutSuspended: false,
      ScheduledScalingSuspended: false,
    });
    const tt = withDefaults('ScalingPolicy', { ...target, PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, ScaleOutCooldown: 60 } });
    expect(tt.TargetTrackingScalingPolicyConfiguration).to.include({ ScaleOutCooldown: 60, ScaleInCooldown: 300, DisableScaleIn: false });
    const step = withDefaults('ScalingPolicy', { ...target, StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity' } });
    expect(step.PolicyType).to.equal('StepScaling');
    expect(step.StepScalingPolicyConfiguration).to.include({ Cooldown: 300, MetricAggregationType: 'Average' });
    expect(withDefaults('ScheduledAction', { ...target, Schedule: 'rate(1 hour)' }, { name: 'n' })).to.include({ Timezone: 'UTC', ScheduledActionName: 'n' });
  });

  it('TargetGroup: 300 s deregistration delay and HTTP health check defaults', () => {
    expect(withDefaults('TargetGroup', { Protocol: 'HTTP', Port: 80 }, { name: 'tg' })).to.deep.include({
      Name: 'tg',
      TargetType: 'instance',
      DeregistrationDelay: 300,
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 6,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    });
    expect(withDefaults('TargetGroup', { Protocol: 'TCP', Port: 80, DeregistrationDelay: 0 })).to.include({ DeregistrationDelay: 0, HealthCheckProtocol: 'TCP' });
  });

  it('Cluster: name, empty provider lists', () => {
    expect(withDefaults('Cluster', {}, { name: 'prod' })).to.deep.include({ clusterName: 'prod', capacityProviders: [], defaultCapacityProviderStrategy: [] });
  });
});
