/**
 * The scenarios under examples/scaling/ run as `simulate` would run them: each test checks the moments
 * its YAML header promises (virtual clock; nothing sleeps).
 */
import { expect } from 'chai';
import { simulate } from '../../../controllers/simulation/runner.js';
import { example, MIN, Stepper, desiredTimeline } from './helpers.js';

describe('examples/scaling', () => {
  describe('cluster-autoscaling.yaml: load up → scale-out → instances → placed; load down → scale-in → instances removed', () => {
    const s = new Stepper(example('cluster-autoscaling.yaml'));
    const SVC = 'prod/web';

    it('starts with the group at its spec DesiredCapacity and the service placed on it', () => {
      s.to(2 * MIN);
      expect(s.desired(SVC)).to.equal(2);
      expect(s.running(SVC)).to.equal(2);
      expect(s.instances('prod')).to.have.length(1);
      expect(s.status('AutoScalingGroup', 'asg-web')).to.include({ DesiredCapacity: 1, DesiredCapacitySource: 'managed-scaling:cp-web' });
    });

    it('target tracking scales the service out after 3 datapoints above target; new tasks wait in PROVISIONING', () => {
      s.to(5 * MIN);
      expect(s.desired(SVC)).to.equal(4);
      const waiting = s.tasks(SVC).filter((t) => t.status?.lastStatus === 'PROVISIONING');
      expect(waiting).to.have.length(2);
      expect(waiting.every((t) => t.status?.capacityProviderName === 'cp-web' && !t.status?.containerInstance)).to.equal(true);
    });

    it('managed scaling raises the group at the next datapoint (CapacityProviderReservation 200)', () => {
      s.to(6 * MIN);
      const cp = s.status('CapacityProvider', 'cp-web');
      expect(cp.managedScaling).to.include({ metric: 200, M: 2, N: 1, desiredCapacity: 2, reason: 'scale-out' });
      expect(s.status('AutoScalingGroup', 'asg-web')).to.include({ DesiredCapacity: 2, DesiredCapacitySource: 'managed-scaling:cp-web' });
      expect(s.status('AutoScalingGroup', 'asg-web').Instances.map((i: any) => i.LifecycleState)).to.deep.equal(['InService', 'Pending']);
      // The stale metric (new tasks not running) does not compound the scale-out during the cooldown.
      expect(s.desired(SVC)).to.equal(4);
    });

    it('the instance registers after the launch delay, in the other AZ, and the waiting tasks are placed', () => {
      s.to(7 * MIN + 10_000);
      const inst = s.instances('prod');
      expect(inst).to.have.length(2);
      const fresh = inst.find((i) => i.metadata.creationTimestamp === new Date(Date.UTC(2026, 0, 1, 0, 7)).toISOString())!;
      expect(fresh.spec.attributes).to.deep.include({ name: 'ecs.availability-zone', value: 'us-east-1b' });
      expect(fresh.metadata.labels).to.deep.equal({ 'ecsplane.io/auto-scaling-group': 'asg-web', 'ecsplane.io/capacity-provider': 'cp-web' });
      expect(fresh.metadata.ownerReferences![0]).to.include({ kind: 'AutoScalingGroup', name: 'asg-web' });
      expect(s.running(SVC)).to.equal(4);
      const activity = s.status('ScalableTarget', 'web').ScalingActivities[0];
      expect(activity).to.include({ Description: 'Setting desired count to 4.', StatusCode: 'Successful' });
    });

    it('load down: scale-in after 15 low datapoints, then one step per cooldown', () => {
      s.to(29 * MIN);
      expect(s.desired(SVC)).to.equal(4);
      s.to(30 * MIN);
      expect(s.desired(SVC)).to.equal(3);
      s.to(34 * MIN);
      expect(s.desired(SVC)).to.equal(3);
      s.to(35 * MIN);
      expect(s.desired(SVC)).to.equal(2);
    });

    it('the emptied instance is protected no more, drained and terminated after 15 datapoints below target', () => {
      s.to(49 * MIN);
      expect(s.instances('prod')).to.have.length(2);
      s.to(51 * MIN);
      expect(s.instances('prod')).to.have.length(1);
      const asg = s.status('AutoScalingGroup', 'asg-web');
      expect(asg).to.include({ DesiredCapacity: 1 });
      expect(asg.Instances).to.have.length(1);
      expect(asg.Instances[0]).to.include({ ProtectedFromScaleIn: true, LifecycleState: 'InService' });
      expect(asg.Activities[0]).to.include({ Description: `Terminating EC2 instance: ${s.events('AutoScalingGroup', 'InstanceTerminated')[0].message.split(' ')[0]}`, StatusCode: 'Successful' });
      expect(s.running(SVC)).to.equal(2);
    });
  });

  it('fargate-spot.yaml: base/weight split 4/6; Spot tasks get two minutes, then stop with SpotInterruption and are replaced', () => {
    const s = new Stepper(example('fargate-spot.yaml'));
    const SVC = 'fargate/worker';
    s.to(2 * MIN);
    const by = (p: string) => s.tasks(SVC).filter((t) => t.status?.capacityProviderName === p && t.status?.desiredStatus === 'RUNNING').length;
    expect([by('FARGATE'), by('FARGATE_SPOT')]).to.deep.equal([4, 6]);
    s.to(3 * MIN + 30_000);
    const hit = s.tasks(SVC).filter((t) => t.status?.stopCode === 'SpotInterruption');
    expect(hit).to.have.length(2);
    expect(hit.every((t) => t.status?.capacityProviderName === 'FARGATE_SPOT' && t.status?.desiredStatus === 'STOPPED' && t.status?.lastStatus !== 'STOPPED')).to.equal(true);
    expect([by('FARGATE'), by('FARGATE_SPOT')]).to.deep.equal([4, 6]); // replaced at once, on Spot
    s.to(5 * MIN - 1000);
    expect(hit.map((t) => s.status('Task', `fargate/${t.metadata.name}`).lastStatus)).to.not.include('STOPPED');
    // Containers stop at the end of the notice; the awsvpc ENI detaches one second later.
    s.to(5 * MIN + 1000);
    for (const t of hit) {
      expect(s.status('Task', `fargate/${t.metadata.name}`)).to.include({
        lastStatus: 'STOPPED',
        stopCode: 'SpotInterruption',
        stoppedReason: 'Your Spot Task was interrupted.',
        executionStoppedAt: new Date(Date.UTC(2026, 0, 1, 0, 5)).toISOString(),
        stoppedAt: new Date(Date.UTC(2026, 0, 1, 0, 5, 1)).toISOString(),
      });
    }
    expect(s.running(SVC)).to.equal(10);
    expect(s.events('Task', 'SpotInterruption')).to.have.length(2);
  });

  it('scheduled-actions.yaml: at() in a time zone raises the minimum at 00:10Z; cron() lowers it at 00:30Z', () => {
    const r = simulate(example('scheduled-actions.yaml'));
    const d = desiredTimeline(r.samples, 'shop/api');
    expect([d.get(9), d.get(10), d.get(29), d.get(30), d.get(35), d.get(40), d.get(50)]).to.deep.equal([2, 5, 5, 4, 3, 2, 2]);
    const st = r.resources.find((o) => o.kind === 'ScalableTarget')!.status;
    expect(st).to.include({ MinCapacity: 2, MaxCapacity: 10 });
    expect(st.ScalingActivities.map((a: any) => a.Cause)).to.include.members(['scheduled action name business-hours was triggered', 'scheduled action name nightly was triggered', 'minimum capacity was set to 5']);
    const nightly = r.resources.find((o) => o.kind === 'ScheduledAction' && o.metadata.name === 'nightly')!.status;
    expect(nightly).to.include({ lastFireTime: '2026-01-01T00:30:00.000Z', nextFireTime: '2026-01-02T00:30:00.000Z' });
  });

  it('step-scaling.yaml: steps chosen relative to the threshold, percent rounding with MinAdjustmentMagnitude, Cooldown', () => {
    const r = simulate(example('step-scaling.yaml'));
    const d = desiredTimeline(r.samples, 'batch/render');
    expect([d.get(4), d.get(5), d.get(12), d.get(13), d.get(29), d.get(30), d.get(31), d.get(32), d.get(40)]).to.deep.equal([2, 4, 4, 7, 7, 5, 5, 3, 3]);
    const high = r.resources.find((o) => o.kind === 'ScalingPolicy' && o.metadata.name === 'cpu-high')!.status;
    expect(high.Alarms[0]).to.include({ AlarmName: 'render-cpu-high', Threshold: 70, EvaluationPeriods: 3 });
  });

  it('scale-in-guards.yaml: DisableScaleIn never scales in; a deployment pauses scale-in until it completes', () => {
    const r = simulate(example('scale-in-guards.yaml'));
    const keeper = desiredTimeline(r.samples, 'guards/keeper');
    const deployer = desiredTimeline(r.samples, 'guards/deployer');
    expect([keeper.get(3), keeper.get(4), keeper.get(45)]).to.deep.equal([2, 4, 4]);
    expect([21, 22, 23, 24, 25, 26].map((m) => deployer.get(m))).to.deep.equal([4, 4, 4, 4, 4, 4]);
    expect([deployer.get(27), deployer.get(32), deployer.get(37)]).to.deep.equal([3, 2, 1]);
    const policy = r.resources.find((o) => o.kind === 'ScalingPolicy' && o.metadata.name === 'keeper-cpu')!.status;
    expect(policy.Alarms.map((a: any) => a.AlarmName)).to.have.length(1); // no low alarm
  });

  it('is deterministic: the same input gives byte-identical output', () => {
    const a = JSON.stringify(simulate(example('cluster-autoscaling.yaml')));
    const b = JSON.stringify(simulate(example('cluster-autoscaling.yaml')));
    expect(a).to.equal(b);
  });
});
