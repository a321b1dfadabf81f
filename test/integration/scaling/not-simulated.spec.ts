/**
 * Fields ecsplane does not simulate (api/not-simulated.ts) on a CapacityProvider, an AutoScalingGroup,
 * a ScalingPolicy and a TaskDefinition are reported through `simulate --output json`: a NotSimulated
 * condition on the object and (for the loops' kinds) one event per generation; their plain
 * neighbours get neither.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = resolve('dist/controllers/cli/main.js');

const MANIFESTS = `
apiVersion: ecsplane.io/v1alpha1
kind: Cluster
metadata: {name: prod}
spec:
  capacityProviders: [FARGATE, cp-ec2]
---
apiVersion: ecsplane.io/v1alpha1
kind: AutoScalingGroup
metadata: {name: asg-mixed}
spec:
  MinSize: 0
  MaxSize: 2
  DesiredCapacity: 1
  AvailabilityZones: [us-east-1a]
  MixedInstancesPolicy: {InstancesDistribution: {OnDemandPercentageAboveBaseCapacity: 0}}
  TerminationPolicies: [NewestInstance]
---
apiVersion: ecsplane.io/v1alpha1
kind: AutoScalingGroup
metadata: {name: asg-plain}
spec: {MinSize: 0, MaxSize: 2, AvailabilityZones: [us-east-1a]}
---
apiVersion: ecsplane.io/v1alpha1
kind: CapacityProvider
metadata: {name: cp-ec2}
spec:
  autoScalingGroupProvider: {autoScalingGroupArn: asg-mixed}
---
apiVersion: ecsplane.io/v1alpha1
kind: CapacityProvider
metadata: {name: cp-managed}
spec:
  managedInstancesProvider:
    infrastructureRoleArn: arn:aws:iam::123456789012:role/ecsInfrastructureRole
    instanceLaunchTemplate:
      ec2InstanceProfileArn: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
      networkConfiguration: {subnets: [subnet-1]}
---
apiVersion: ecsplane.io/v1alpha1
kind: TaskDefinition
metadata: {name: web}
spec:
  family: web
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - {name: app, image: nginx, essential: true}
---
apiVersion: ecsplane.io/v1alpha1
kind: TaskDefinition
metadata: {name: batch}
spec:
  family: batch
  requiresCompatibilities: [EC2]
  networkMode: awsvpc
  containerDefinitions:
    - {name: app, image: nginx, memory: 128, dependsOn: [{containerName: init, condition: COMPLETE}]}
    - {name: init, image: busybox, memory: 64, essential: false}
---
apiVersion: ecsplane.io/v1alpha1
kind: Service
metadata: {name: web}
spec:
  cluster: prod
  taskDefinition: web
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-1]}}
---
apiVersion: ecsplane.io/v1alpha1
kind: ScalableTarget
metadata: {name: web}
spec: {ServiceNamespace: ecs, ResourceId: service/prod/web, ScalableDimension: "ecs:service:DesiredCount", MinCapacity: 1, MaxCapacity: 4}
---
apiVersion: ecsplane.io/v1alpha1
kind: ScalingPolicy
metadata: {name: queue-depth}
spec:
  ServiceNamespace: ecs
  ResourceId: service/prod/web
  ScalableDimension: "ecs:service:DesiredCount"
  PolicyType: TargetTrackingScaling
  TargetTrackingScalingPolicyConfiguration:
    TargetValue: 10
    CustomizedMetricSpecification: {MetricName: ApproximateNumberOfMessagesVisible, Namespace: AWS/SQS, Statistic: Average}
---
apiVersion: ecsplane.io/v1alpha1
kind: ScalingPolicy
metadata: {name: cpu}
spec:
  ServiceNamespace: ecs
  ResourceId: service/prod/web
  ScalableDimension: "ecs:service:DesiredCount"
  PolicyType: TargetTrackingScaling
  TargetTrackingScalingPolicyConfiguration:
    TargetValue: 50
    PredefinedMetricSpecification: {PredefinedMetricType: ECSServiceAverageCPUUtilization}
`;

describe('NotSimulated on capacity providers, Auto Scaling groups, scaling policies and task definitions (simulate --output json)', function () {
  this.timeout(60_000);
  let dir: string;
  let out: { resources: any[]; events: Array<{ kind: string; name: string; message: string }> };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-notsim-kinds-'));
    const file = join(dir, 'not-simulated.yaml');
    writeFileSync(file, MANIFESTS);
    // 5 minutes: several reconciles of every loop (the capacity provider's runs once a minute).
    const { stdout } = await run('node', [CLI, 'simulate', file, '--until', '5m', '--output', 'json'], { maxBuffer: 64 * 1024 * 1024 });
    out = JSON.parse(stdout);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const object = (kind: string, name: string) => out.resources.find((o) => o.kind === kind && o.metadata.name === name);
  const condition = (kind: string, name: string) => object(kind, name).status?.conditions?.find((c: any) => c.type === 'NotSimulated');
  const reports = (kind: string, name: string) => out.events.filter((e) => e.kind === kind && e.name === name && e.message.includes('is not simulated by ecsplane'));

  function expectReported(kind: string, name: string, fragments: string[], events: number): void {
    const cond = condition(kind, name);
    expect(cond, `${kind} ${name} condition`).to.include({ status: 'True', reason: 'NotSimulated', observedGeneration: 1 });
    for (const f of fragments) expect(cond.message).to.contain(f);
    const evs = reports(kind, name);
    expect(evs, `${kind} ${name} events`).to.have.length(events);
    if (events) expect(evs[0].message).to.equal(cond.message);
  }
  function expectQuiet(kind: string, name: string): void {
    expect(condition(kind, name), `${kind} ${name} condition`).to.equal(undefined);
    expect(reports(kind, name), `${kind} ${name} events`).to.deep.equal([]);
  }

  it('CapacityProvider: managedInstancesProvider', () => {
    expectReported('CapacityProvider', 'cp-managed', ['managedInstancesProvider is not simulated by ecsplane; no instance is launched for this provider'], 1);
    expectQuiet('CapacityProvider', 'cp-ec2');
  });

  it('AutoScalingGroup: MixedInstancesPolicy and TerminationPolicies, and the group still launches', () => {
    expectReported('AutoScalingGroup', 'asg-mixed', ['MixedInstancesPolicy is not simulated by ecsplane', 'TerminationPolicies NewestInstance is not simulated by ecsplane'], 1);
    expect(object('AutoScalingGroup', 'asg-mixed').status.Instances.map((i: any) => i.LifecycleState)).to.deep.equal(['InService']);
    expectQuiet('AutoScalingGroup', 'asg-plain');
  });

  it('ScalingPolicy: a customized metric ecsplane cannot answer (no QueueName) is UnsupportedMetric on the policy, not NotSimulated', () => {
    expectQuiet('ScalingPolicy', 'queue-depth');
    const ready = object('ScalingPolicy', 'queue-depth').status.conditions.find((c: any) => c.type === 'Ready');
    expect(ready).to.include({ status: 'False', reason: 'UnsupportedMetric' });
    expect(ready.message).to.match(/needs the dimension QueueName/);
    expectQuiet('ScalingPolicy', 'cpu');
    expectQuiet('ScalableTarget', 'web');
  });

  it('TaskDefinition: the condition at admission (no event: the store cannot reach the event recorder)', () => {
    expectReported('TaskDefinition', 'batch', ['containerDefinitions[0].dependsOn COMPLETE is not simulated by ecsplane'], 0);
    expect(object('TaskDefinition', 'batch').status.conditions.map((c: any) => c.type)).to.deep.equal(['NotSimulated', 'Ready']);
    expectQuiet('TaskDefinition', 'web');
  });
});
