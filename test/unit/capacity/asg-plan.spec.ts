/** Table tests for the Auto Scaling group plan (controllers/autoscaling-group/plan.ts). */
import { expect } from 'chai';
import {
  effectiveDesiredCapacity,
  planAutoScalingGroup,
  TERMINATION_RECHECK_MS,
  type AsgPlanInput,
  type DrivingProvider,
} from '../../../controllers/autoscaling-group/plan.js';
import type { AsgInstance, ObservedInstance } from '../../../controllers/autoscaling-group/types.js';
import { autoScalingGroupWithDefaults } from '../../../api/v1alpha1/auto-scaling-group.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function input(over: Partial<AsgPlanInput> & { specOver?: Record<string, unknown> } = {}): AsgPlanInput {
  const { specOver, ...rest } = over;
  return {
    name: 'asg',
    uid: 'uid-1',
    generation: 1,
    spec: autoScalingGroupWithDefaults({ MinSize: 0, MaxSize: 10, DesiredCapacity: 2, AvailabilityZones: ['us-east-1a', 'us-east-1b'], ...specOver } as any),
    status: {},
    cluster: 'prod',
    clusterExists: true,
    launchDelayMs: 60_000,
    observed: {},
    now: T0,
    ...rest,
  };
}

function inst(id: string, over: Partial<AsgInstance> = {}): AsgInstance {
  return {
    InstanceId: id,
    InstanceType: 'm5.large',
    AvailabilityZone: 'us-east-1a',
    LifecycleState: 'InService',
    HealthStatus: 'Healthy',
    ProtectedFromScaleIn: false,
    LaunchTime: iso(T0),
    Cluster: 'prod',
    ...over,
  };
}

const obs = (over: Partial<ObservedInstance> = {}): ObservedInstance => ({ registered: true, ec2State: 'running', tasks: 0, busy: false, serviceTasks: 0, ...over });
const provider = (over: Partial<DrivingProvider> = {}): DrivingProvider => ({ name: 'cp', managedTerminationProtection: false, managedDraining: true, ...over });

describe('Auto Scaling group plan', () => {
  describe('effective desired capacity (docs/scaling.md "Desired capacity")', () => {
    const spec = autoScalingGroupWithDefaults({ MinSize: 1, MaxSize: 5, DesiredCapacity: 2, AvailabilityZones: ['a'] } as any);
    const cases: Array<[string, DrivingProvider | undefined, number, string]> = [
      ['spec without a provider', undefined, 2, 'spec'],
      ['spec when managed scaling has not decided', provider(), 2, 'spec'],
      ['managed scaling decided against the current spec', provider({ managedScaling: { desiredCapacity: 4, basedOnSpecDesiredCapacity: 2 } }), 4, 'managed-scaling:cp'],
      ['spec wins after the user changed it', provider({ managedScaling: { desiredCapacity: 4, basedOnSpecDesiredCapacity: 3 } }), 2, 'spec'],
      ['clamped to MaxSize', provider({ managedScaling: { desiredCapacity: 9, basedOnSpecDesiredCapacity: 2 } }), 5, 'managed-scaling:cp'],
      ['clamped to MinSize', provider({ managedScaling: { desiredCapacity: 0, basedOnSpecDesiredCapacity: 2 } }), 1, 'managed-scaling:cp'],
    ];
    for (const [name, p, desired, source] of cases) {
      it(name, () => expect(effectiveDesiredCapacity(spec, p)).to.deep.equal({ desired, source }));
    }
    it('DesiredCapacity defaults to MinSize', () => {
      const s = autoScalingGroupWithDefaults({ MinSize: 3, MaxSize: 5, AvailabilityZones: ['a'] } as any);
      expect(effectiveDesiredCapacity(s).desired).to.equal(3);
    });
  });

  it('launches the desired instances Pending, balanced across AZs, with deterministic ids and activities', () => {
    const plan = planAutoScalingGroup(input({ specOver: { DesiredCapacity: 3 } }));
    const recs = plan.status.Instances!;
    expect(recs.map((r) => [r.LifecycleState, r.AvailabilityZone])).to.deep.equal([
      ['Pending', 'us-east-1a'],
      ['Pending', 'us-east-1b'],
      ['Pending', 'us-east-1a'],
    ]);
    expect(recs.every((r) => /^i-[0-9a-f]{17}$/.test(r.InstanceId))).to.equal(true);
    expect(planAutoScalingGroup(input({ specOver: { DesiredCapacity: 3 } })).status.Instances).to.deep.equal(recs);
    expect(plan.status.DesiredCapacity).to.equal(3);
    expect(plan.status.launchSeq).to.equal(3);
    expect(plan.status.Activities!.map((a) => a.StatusCode)).to.deep.equal(['InProgress', 'InProgress', 'InProgress']);
    expect(plan.status.Activities![0].Cause).to.match(/increasing the capacity from 0 to 3\.$/);
    expect(plan.actions).to.deep.equal([]);
    expect(plan.requeueAfterMs).to.equal(60_000);
    expect(plan.status.conditions!.find((c) => c.type === 'Ready')!.status).to.equal('False');
  });

  it('registers a Pending instance once the launch delay has passed, with the cluster known then', () => {
    const pending = inst('i-1', { LifecycleState: 'Pending', Cluster: 'default' });
    const early = planAutoScalingGroup(input({ specOver: { DesiredCapacity: 1 }, status: { Instances: [pending] }, now: T0 + 59_000 }));
    expect(early.actions).to.deep.equal([]);
    expect(early.requeueAfterMs).to.equal(1000);
    const due = planAutoScalingGroup(input({ specOver: { DesiredCapacity: 1 }, status: { Instances: [pending] }, now: T0 + MIN }));
    expect(due.status.Instances![0]).to.include({ LifecycleState: 'InService', Cluster: 'prod' });
    expect(due.actions.map((a) => [a.type, a.instance.InstanceId, a.instance.Cluster])).to.deep.equal([['register', 'i-1', 'prod']]);
    expect(due.status.conditions!.find((c) => c.type === 'Ready')).to.include({ status: 'True', reason: 'AtDesiredCapacity' });
  });

  it('keeps an instance Pending while its cluster does not exist, and says so', () => {
    const pending = inst('i-1', { LifecycleState: 'Pending' });
    const plan = planAutoScalingGroup(input({ specOver: { DesiredCapacity: 1 }, status: { Instances: [pending] }, clusterExists: false, now: T0 + 5 * MIN }));
    expect(plan.status.Instances![0].LifecycleState).to.equal('Pending');
    expect(plan.actions).to.deep.equal([]);
    expect(plan.status.conditions!.find((c) => c.type === 'Degraded')).to.include({ status: 'True', reason: 'CannotRegister' });
  });

  it('does not register twice after a crash (the container instance already exists)', () => {
    const pending = inst('i-1', { LifecycleState: 'Pending' });
    const plan = planAutoScalingGroup(input({ specOver: { DesiredCapacity: 1 }, status: { Instances: [pending] }, observed: { 'i-1': obs() }, now: T0 + MIN }));
    expect(plan.status.Instances![0].LifecycleState).to.equal('InService');
    expect(plan.actions).to.deep.equal([]);
  });

  describe('scale-in', () => {
    const fleet = [
      inst('i-a1', { AvailabilityZone: 'us-east-1a', LaunchTime: iso(T0) }),
      inst('i-a2', { AvailabilityZone: 'us-east-1a', LaunchTime: iso(T0 + MIN) }),
      inst('i-b1', { AvailabilityZone: 'us-east-1b', LaunchTime: iso(T0 + 2 * MIN) }),
    ];
    const observed = { 'i-a1': obs(), 'i-a2': obs(), 'i-b1': obs() };

    it('with managed draining: the victim (AZ with most, oldest) goes DRAINING first', () => {
      const plan = planAutoScalingGroup(input({ specOver: { DesiredCapacity: 2 }, status: { Instances: fleet }, observed, provider: provider(), now: T0 + 10 * MIN }));
      expect(plan.actions.map((a) => [a.type, a.instance.InstanceId])).to.deep.equal([['drain', 'i-a1']]);
      expect(plan.status.Instances!.find((i) => i.InstanceId === 'i-a1')!.LifecycleState).to.equal('Terminating:Wait');
      expect(plan.status.Activities![0]).to.include({ StatusCode: 'MidLifecycleAction', Description: 'Terminating EC2 instance: i-a1' });
      expect(plan.requeueAfterMs).to.equal(TERMINATION_RECHECK_MS);
    });

    it('without managed draining: terminated at once', () => {
      const plan = planAutoScalingGroup(input({ specOver: { DesiredCapacity: 2 }, status: { Instances: fleet }, observed, provider: provider({ managedDraining: false }), now: T0 + 10 * MIN }));
      expect(plan.actions.map((a) => [a.type, a.instance.InstanceId])).to.deep.equal([['terminate', 'i-a1']]);
    });

    it('skips protected instances and reports what it could not remove', () => {
      const prot = fleet.map((i) => ({ ...i, ProtectedFromScaleIn: i.InstanceId !== 'i-b1' }));
      const plan = planAutoScalingGroup(input({ specOver: { DesiredCapacity: 1 }, status: { Instances: prot }, observed, provider: provider(), now: T0 + 10 * MIN }));
      expect(plan.actions.map((a) => [a.type, a.instance.InstanceId])).to.deep.equal([['drain', 'i-b1']]);
      expect(plan.status.conditions!.find((c) => c.type === 'Degraded')).to.include({ status: 'True', reason: 'ScaleInProtected' });
    });

    it('a draining instance waits for its service tasks, then is terminated, then deregistered', () => {
      const draining = [inst('i-a1', { LifecycleState: 'Terminating:Wait' }), fleet[1], fleet[2]];
      const waiting = planAutoScalingGroup(input({ status: { Instances: draining }, observed: { ...observed, 'i-a1': obs({ tasks: 2, serviceTasks: 2 }) }, provider: provider(), now: T0 + 10 * MIN }));
      expect(waiting.actions).to.deep.equal([]);
      expect(waiting.status.Instances![0].LifecycleState).to.equal('Terminating:Wait');
      // Standalone tasks are not drained: they do not hold the termination up.
      const drained = planAutoScalingGroup(input({ status: { Instances: draining }, observed: { ...observed, 'i-a1': obs({ tasks: 1, serviceTasks: 0 }) }, provider: provider(), now: T0 + 11 * MIN }));
      expect(drained.actions.map((a) => a.type)).to.deep.equal(['terminate']);
      expect(drained.status.Instances![0].LifecycleState).to.equal('Terminating');
      const gone = planAutoScalingGroup(input({ status: drained.status, observed: { ...observed, 'i-a1': obs({ ec2State: 'terminated', tasks: 0 }) }, provider: provider(), now: T0 + 12 * MIN }));
      expect(gone.actions.map((a) => a.type)).to.deep.equal(['deregister']);
      expect(gone.status.Instances!.map((i) => i.InstanceId)).to.deep.equal(['i-a2', 'i-b1']);
    });

    it('a Pending instance picked for termination is simply dropped', () => {
      const withPending = [inst('i-a1', { AvailabilityZone: 'us-east-1b' }), inst('i-p', { LifecycleState: 'Pending', AvailabilityZone: 'us-east-1a', LaunchTime: iso(T0) })];
      const plan = planAutoScalingGroup(input({ specOver: { DesiredCapacity: 1 }, status: { Instances: withPending }, observed: { 'i-a1': obs() }, provider: provider(), now: T0 + 30_000 }));
      expect(plan.status.Instances!.map((i) => i.InstanceId)).to.deep.equal(['i-a1']);
      expect(plan.actions).to.deep.equal([]);
    });
  });

  it('managed termination protection: InService instances are protected exactly while they run non-daemon tasks', () => {
    const recs = [inst('i-1'), inst('i-2', { ProtectedFromScaleIn: true })];
    const plan = planAutoScalingGroup(input({ status: { Instances: recs }, observed: { 'i-1': obs({ busy: true, tasks: 1 }), 'i-2': obs() }, provider: provider({ managedTerminationProtection: true }) }));
    expect(plan.status.Instances!.map((i) => i.ProtectedFromScaleIn)).to.deep.equal([true, false]);
    const without = planAutoScalingGroup(input({ status: { Instances: recs }, observed: { 'i-1': obs({ busy: true }), 'i-2': obs() }, provider: provider() }));
    expect(without.status.Instances!.map((i) => i.ProtectedFromScaleIn)).to.deep.equal([false, true]);
  });

  it('replaces an instance terminated or deregistered outside the group (EC2 health check)', () => {
    const recs = [inst('i-1'), inst('i-2', { AvailabilityZone: 'us-east-1b' })];
    const plan = planAutoScalingGroup(input({ status: { Instances: recs }, observed: { 'i-1': obs({ ec2State: 'terminated', tasks: 0 }), 'i-2': obs() } }));
    expect(plan.actions.map((a) => [a.type, a.instance.InstanceId])).to.deep.equal([['deregister', 'i-1']]);
    const ids = plan.status.Instances!.map((i) => [i.InstanceId, i.LifecycleState, i.AvailabilityZone]);
    expect(ids[0]).to.deep.equal(['i-2', 'InService', 'us-east-1b']);
    expect(ids[1][1]).to.equal('Pending');
    expect(ids[1][2]).to.equal('us-east-1a');
    expect(plan.status.Activities!.some((a) => /EC2 health check/.test(a.Cause))).to.equal(true);
    const deregistered = planAutoScalingGroup(input({ status: { Instances: recs }, observed: { 'i-2': obs() } }));
    expect(deregistered.actions).to.deep.equal([]);
    expect(deregistered.status.Instances!.filter((i) => i.LifecycleState === 'Pending')).to.have.length(1);
  });

  it('is idempotent: planning again from its own result changes nothing', () => {
    const recs = [inst('i-1'), inst('i-2', { AvailabilityZone: 'us-east-1b' })];
    const observed = { 'i-1': obs(), 'i-2': obs() };
    const first = planAutoScalingGroup(input({ status: { Instances: recs }, observed, now: T0 + 5 * MIN }));
    const second = planAutoScalingGroup(input({ status: first.status, observed, now: T0 + 6 * MIN }));
    expect(second.status).to.deep.equal(first.status);
    expect(second.actions).to.deep.equal([]);
  });

  it('writes observedGeneration and the DescribeAutoScalingGroups fields', () => {
    const plan = planAutoScalingGroup(input({ generation: 4 }));
    expect(plan.status).to.include({ AutoScalingGroupName: 'asg', MinSize: 0, MaxSize: 10, DesiredCapacity: 2, DesiredCapacitySource: 'spec', observedGeneration: 4 });
    expect(plan.status.AutoScalingGroupARN).to.match(/:autoScalingGroupName\/asg$/);
  });
});
