/**
 * Capacity providers and Auto Scaling groups on the virtual clock (ecs-semantics §6, §9): managed
 * scaling steps and warm-up, instance replacement, managed draining and termination protection, the
 * desired-capacity rule, groups without a provider, garbage collection.
 */
import { expect } from 'chai';
import type { Resource } from '../../../api/meta.js';
import { instanceAction } from '../../../controllers/simulation/actions.js';
import { doc, MIN, scenario, Stepper } from './helpers.js';

interface Opts {
  asg?: Record<string, unknown>;
  asgAnnotations?: Record<string, string>;
  managedScaling?: Record<string, unknown> | null;
  cp?: Record<string, unknown>;
  desired?: number;
  /** Task CPU units (1024: two per m5.large; 2048: one per instance, whatever the placement). */
  cpu?: string;
  steps?: unknown[];
  until?: string;
}

/**
 * An m5.large group behind `cp`, cluster `prod`, and a service of 1-vCPU tasks (two per instance).
 * Tasks that waited for capacity are placed by the task loop with the RunTask default strategy, not the
 * service's (shared/launch.ts does not carry it), so tests that count instances use one task per instance.
 */
function world(o: Opts = {}): Resource[] {
  return [
    doc('AutoScalingGroup', 'asg', { InstanceType: 'm5.large', MinSize: 0, MaxSize: 10, DesiredCapacity: 0, AvailabilityZones: ['us-east-1a', 'us-east-1b'], ...o.asg }, o.asgAnnotations),
    doc('CapacityProvider', 'cp', {
      autoScalingGroupProvider: {
        autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/asg',
        ...(o.managedScaling === null ? {} : { managedScaling: { status: 'ENABLED', targetCapacity: 100, instanceWarmupPeriod: 60, ...o.managedScaling } }),
        ...o.cp,
      },
    }),
    doc('Cluster', 'prod', { capacityProviders: ['cp'], defaultCapacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] }),
    doc('TaskDefinition', 'app', { family: 'app', requiresCompatibilities: ['EC2'], cpu: o.cpu ?? '1024', memory: '1024', containerDefinitions: [{ name: 'app', image: 'nginx' }] }),
    doc('Service', 'app', { cluster: 'prod', taskDefinition: 'app', desiredCount: o.desired ?? 4, placementStrategy: [{ type: 'binpack', field: 'cpu' }] }),
    scenario(o.until ?? '30m', o.steps ?? []),
  ];
}

const reasons = (s: Stepper) => s.status('CapacityProvider', 'cp').managedScaling.reason;

describe('capacity provider managed scaling (simulated)', () => {
  it('maximumScalingStepSize per step, and instanceWarmupPeriod blocks the next scale-out', () => {
    // 8 one-vCPU tasks need 4 m5.large; max step 2, warm-up 180 s.
    const s = new Stepper(world({ desired: 8, managedScaling: { maximumScalingStepSize: 2, instanceWarmupPeriod: 180 } }));
    s.to(MIN);
    expect(s.status('CapacityProvider', 'cp').managedScaling).to.include({ metric: 200, M: 4, N: 0, desiredCapacity: 2, reason: 'scale-out' });
    s.to(2 * MIN);
    expect(s.instances('prod')).to.have.length(2); // registered at 2m, just after the 2m datapoint
    expect(s.status('CapacityProvider', 'cp').managedScaling).to.include({ M: 4, N: 0, desiredCapacity: 2, reason: 'scale-out-blocked-by-warmup' });
    s.to(3 * MIN);
    expect(s.status('CapacityProvider', 'cp').managedScaling).to.include({ M: 4, N: 2, reason: 'scale-out-blocked-by-warmup' });
    expect(s.running('prod/app')).to.equal(4);
    s.to(4 * MIN); // warm-up (180 s from the 1m launch) is over
    expect(s.status('CapacityProvider', 'cp').managedScaling).to.include({ desiredCapacity: 4, reason: 'scale-out' });
    s.to(5 * MIN + 10_000);
    expect(s.instances('prod')).to.have.length(4);
    expect(s.running('prod/app')).to.equal(8);
    s.to(6 * MIN);
    expect(s.status('CapacityProvider', 'cp').managedScaling).to.include({ metric: 100, reason: 'at-target' });
  });

  it('targetCapacity below 100 keeps spare instances: M=2, T=50 ⇒ 4', () => {
    const s = new Stepper(world({ cpu: '2048', desired: 2, managedScaling: { targetCapacity: 50, instanceWarmupPeriod: 0 } }));
    s.to(4 * MIN);
    expect(s.status('AutoScalingGroup', 'asg').DesiredCapacity).to.equal(4);
    expect(s.status('CapacityProvider', 'cp').managedScaling).to.include({ M: 2, N: 4, metric: 50, reason: 'at-target' });
    expect(s.running('prod/app')).to.equal(2);
    expect(s.instances('prod').filter((i) => i.status?.runningTasksCount === 0)).to.have.length(2);
  });

  it('an instance terminated outside the group is replaced, and its tasks restart elsewhere', () => {
    const s = new Stepper(world({ asg: { DesiredCapacity: 2 }, managedScaling: null, desired: 4 }));
    s.to(3 * MIN);
    expect(s.running('prod/app')).to.equal(4);
    const victim = s.instances('prod')[0].metadata.name;
    instanceAction(s.store, 'prod', victim, 'terminate'); // the scenario's `instance: {action: terminate}`
    s.to(3 * MIN + 5_000);
    const stopped = s.tasks('prod/app').filter((t) => t.status?.containerInstance === victim);
    expect(stopped.every((t) => t.status?.lastStatus === 'STOPPED' && /Host EC2 \(instance .*\) terminated/.test(t.status?.stoppedReason ?? ''))).to.equal(true);
    expect(s.store.get('ContainerInstance', `prod/${victim}`)).to.equal(undefined);
    const asg = s.status('AutoScalingGroup', 'asg');
    expect(asg.Instances.map((i: any) => i.LifecycleState).sort()).to.deep.equal(['InService', 'Pending']);
    expect(asg.Activities.some((a: any) => /EC2 health check/.test(a.Cause))).to.equal(true);
    s.to(5 * MIN);
    expect(s.instances('prod')).to.have.length(2);
    expect(s.running('prod/app')).to.equal(4);
  });

  it('managed draining: a scale-in victim goes DRAINING, its service tasks move, then it terminates', () => {
    // Without managed termination protection the group may pick a busy instance (as AWS does).
    const steps = [{ at: '4m', apply: [doc('AutoScalingGroup', 'asg', { InstanceType: 'm5.large', MinSize: 0, MaxSize: 10, DesiredCapacity: 1, AvailabilityZones: ['us-east-1a', 'us-east-1b'] })] }];
    const s = new Stepper(world({ asg: { DesiredCapacity: 2 }, managedScaling: null, desired: 2, steps }));
    s.to(3 * MIN);
    const busy = s.instances('prod').filter((i) => (i.status?.runningTasksCount ?? 0) > 0).map((i) => i.metadata.name);
    expect(s.running('prod/app')).to.equal(2);
    s.to(4 * MIN);
    const asg = s.status('AutoScalingGroup', 'asg');
    const victim = asg.Instances.find((i: any) => i.LifecycleState === 'Terminating:Wait');
    expect(victim, 'a victim waits for its tasks').to.not.equal(undefined);
    expect(s.status('ContainerInstance', `prod/${victim.InstanceId}`).status).to.equal('DRAINING');
    expect(asg.Activities[0]).to.include({ StatusCode: 'MidLifecycleAction' });
    s.to(6 * MIN);
    expect(s.store.get('ContainerInstance', `prod/${victim.InstanceId}`)).to.equal(undefined);
    expect(s.running('prod/app')).to.equal(2);
    expect(s.tasks('prod/app').filter((t) => t.status?.desiredStatus === 'RUNNING').every((t) => t.status?.containerInstance !== victim.InstanceId)).to.equal(true);
    expect(s.status('AutoScalingGroup', 'asg').Instances).to.have.length(1);
    expect(busy).to.include(victim.InstanceId);
  });

  it('managed termination protection: busy instances are protected, so a lower desired capacity cannot remove them', () => {
    const steps = [{ at: '4m', apply: [doc('AutoScalingGroup', 'asg', { InstanceType: 'm5.large', MinSize: 0, MaxSize: 10, DesiredCapacity: 1, AvailabilityZones: ['us-east-1a', 'us-east-1b'] })] }];
    const s = new Stepper(world({ asg: { DesiredCapacity: 2 }, desired: 4, cp: { managedTerminationProtection: 'ENABLED' }, managedScaling: { instanceWarmupPeriod: 0 }, steps }));
    s.to(3 * MIN);
    expect(s.status('AutoScalingGroup', 'asg').Instances.map((i: any) => i.ProtectedFromScaleIn)).to.deep.equal([true, true]);
    s.to(4 * MIN + 1000);
    const asg = s.status('AutoScalingGroup', 'asg');
    // The user's new spec value applies (spec wins over an older managed-scaling decision)…
    expect(asg).to.include({ DesiredCapacity: 1, DesiredCapacitySource: 'spec' });
    // …but both instances run tasks: nothing can be removed.
    expect(asg.Instances.map((i: any) => i.LifecycleState)).to.deep.equal(['InService', 'InService']);
    expect(asg.conditions.find((c: any) => c.type === 'Degraded')).to.include({ status: 'True', reason: 'ScaleInProtected' });
    // M/N = 2/2 = 100 = targetCapacity: managed scaling leaves the group's desired capacity alone (as
    // CAS does), so the group stays at 1 with both instances protected until tasks go.
    s.to(6 * MIN);
    expect(s.status('CapacityProvider', 'cp').managedScaling).to.include({ M: 2, N: 2, desiredCapacity: 1, basedOnSpecDesiredCapacity: 1, reason: 'at-target' });
    expect(s.status('AutoScalingGroup', 'asg')).to.include({ DesiredCapacity: 1, DesiredCapacitySource: 'managed-scaling:cp' });
    expect(s.running('prod/app')).to.equal(4);
  });

  it('disabling managed scaling leaves the group where it was; a later spec change takes over', () => {
    const cpDoc = (managedScaling: Record<string, unknown>) => doc('CapacityProvider', 'cp', { autoScalingGroupProvider: { autoScalingGroupArn: 'asg', managedScaling } });
    const asgDoc = (DesiredCapacity: number) => doc('AutoScalingGroup', 'asg', { InstanceType: 'm5.large', MinSize: 0, MaxSize: 10, DesiredCapacity, AvailabilityZones: ['us-east-1a', 'us-east-1b'] });
    const steps = [{ at: '5m', apply: [cpDoc({ status: 'DISABLED' })] }, { at: '8m', apply: [asgDoc(3)] }];
    const s = new Stepper(world({ cpu: '2048', desired: 2, managedScaling: { instanceWarmupPeriod: 0 }, steps }));
    s.to(4 * MIN);
    expect(s.status('AutoScalingGroup', 'asg')).to.include({ DesiredCapacity: 2, DesiredCapacitySource: 'managed-scaling:cp' });
    s.to(7 * MIN);
    expect(s.status('AutoScalingGroup', 'asg')).to.include({ DesiredCapacity: 2 });
    expect(s.instances('prod')).to.have.length(2);
    s.to(8 * MIN);
    expect(s.status('AutoScalingGroup', 'asg')).to.include({ DesiredCapacity: 3, DesiredCapacitySource: 'spec' });
  });

  it('instances running only daemon tasks count as empty and are scaled in', () => {
    const daemonTd = doc('TaskDefinition', 'agent', { family: 'agent', requiresCompatibilities: ['EC2'], cpu: '128', memory: '128', containerDefinitions: [{ name: 'agent', image: 'datadog' }] });
    const daemon = doc('Service', 'agent', { cluster: 'prod', taskDefinition: 'agent', schedulingStrategy: 'DAEMON', launchType: 'EC2' });
    const docs = world({ asg: { DesiredCapacity: 3 }, desired: 1, cpu: '1900', managedScaling: { instanceWarmupPeriod: 0 }, until: '30m' });
    docs.splice(4, 0, daemonTd, daemon);
    const s = new Stepper(docs);
    s.to(3 * MIN);
    expect(s.instances('prod')).to.have.length(3);
    expect(s.running('prod/agent')).to.equal(3);
    s.to(25 * MIN);
    expect(s.status('AutoScalingGroup', 'asg').DesiredCapacity).to.equal(1);
    expect(s.instances('prod')).to.have.length(1);
    expect(s.running('prod/app')).to.equal(1);
    expect(s.running('prod/agent')).to.equal(1);
  });

  it('a group without a capacity provider: instances join the annotated cluster after the annotated launch delay', () => {
    const s = new Stepper([
      doc('Cluster', 'batch', {}),
      doc('AutoScalingGroup', 'plain', { InstanceType: 't3.large', MinSize: 3, MaxSize: 3, AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }, { 'ecsplane.io/cluster': 'batch', 'sim.ecsplane.io/launch-delay': '30s' }),
      scenario('5m', []),
    ]);
    s.to(29_000);
    expect(s.instances('batch')).to.have.length(0);
    s.to(30_000);
    const inst = s.instances('batch');
    expect(inst.map((i) => i.spec.attributes.find((a: any) => a.name === 'ecs.availability-zone').value).sort()).to.deep.equal(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(inst.every((i) => i.metadata.labels?.['ecsplane.io/capacity-provider'] === undefined)).to.equal(true);
    expect(inst[0].status?.registeredResources.find((r: any) => r.name === 'CPU').integerValue).to.equal(2048);
    expect(inst[0].status?.attributes).to.deep.include({ name: 'ecs.instance-type', value: 't3.large' });
  });

  it('deleting a group removes its instances (owner references, garbage collector)', () => {
    const s = new Stepper(world({ asg: { DesiredCapacity: 2 }, managedScaling: null, desired: 0 }));
    s.to(2 * MIN);
    expect(s.instances('prod')).to.have.length(2);
    s.sim.app.api.delete('AutoScalingGroup', 'asg');
    s.to(2 * MIN + 1000);
    expect(s.store.list('ContainerInstance')).to.have.length(0);
    expect(s.status('CapacityProvider', 'cp').conditions.find((c: any) => c.type === 'Ready')).to.include({ status: 'False', reason: 'AutoScalingGroupNotFound' });
  });
});
