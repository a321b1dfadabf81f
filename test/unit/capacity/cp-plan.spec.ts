/** Table tests for the capacity provider plan (controllers/capacity/plan.ts, ecs-semantics §6). */
import { expect } from 'chai';
import { managedScalingWithDefaults } from '../../../api/v1alpha1/capacity-provider.js';
import { planCapacityProvider, type CapacityProviderPlanInput } from '../../../controllers/capacity/plan.js';
import type { DemandObservation, GroupObservation } from '../../../controllers/capacity/observe.js';
import type { ManagedInstance } from '../../../controllers/scaling-math/index.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

const group = (over: Partial<GroupObservation> = {}): GroupObservation => ({ name: 'asg', specDesired: 1, currentDesired: 1, min: 0, max: 10, ...over });
const demand = (over: Partial<DemandObservation> = {}): DemandObservation => ({ M: 1, N: 1, excludedTasks: 0, provisioningTasks: 0, instances: [], ...over });
const old = (id: string, over: Partial<ManagedInstance> = {}): ManagedInstance => ({ id, launchedAt: T0 - 60 * MIN, empty: false, protected: false, ...over });

function input(over: Partial<CapacityProviderPlanInput> = {}): CapacityProviderPlanInput {
  return {
    name: 'cp',
    uid: 'uid-cp',
    generation: 1,
    spec: { name: 'cp', autoScalingGroupProvider: { autoScalingGroupArn: 'asg' } },
    managedScaling: managedScalingWithDefaults({ targetCapacity: 100, instanceWarmupPeriod: 300 }),
    status: {},
    cluster: 'prod',
    asgName: 'asg',
    group: group(),
    demand: demand({ instances: [old('i-1')] }),
    now: T0,
    ...over,
  };
}

describe('capacity provider plan (managed scaling)', () => {
  it('records one CapacityProviderReservation datapoint per minute and requeues at the next minute', () => {
    const first = planCapacityProvider(input({ now: T0 + 10_000 }));
    expect(first.status.managedScaling!.datapoints).to.deep.equal([{ t: new Date(T0).toISOString(), v: 100 }]);
    expect(first.requeueAfterMs).to.equal(50_000);
    const same = planCapacityProvider(input({ status: first.status, now: T0 + 40_000, demand: demand({ M: 3 }) }));
    expect(same.status.managedScaling).to.deep.equal(first.status.managedScaling);
    const next = planCapacityProvider(input({ status: first.status, now: T0 + MIN, demand: demand({ M: 3, instances: [old('i-1')] }) }));
    expect(next.status.managedScaling!.datapoints.map((d) => d.v)).to.deep.equal([100, 300]);
  });

  const decisions: Array<[string, Partial<CapacityProviderPlanInput>, number, string]> = [
    ['M=9, N=6, T=90 ⇒ metric 150, desired 10 (ecs-semantics §6)', {
      managedScaling: managedScalingWithDefaults({ targetCapacity: 90 }),
      group: group({ currentDesired: 6, specDesired: 6 }),
      demand: demand({ M: 9, N: 6, instances: ['1', '2', '3', '4', '5', '6'].map((i) => old(i)) }),
    }, 10, 'scale-out'],
    ['maximumScalingStepSize caps a step', {
      managedScaling: managedScalingWithDefaults({ targetCapacity: 90, maximumScalingStepSize: 2 }),
      group: group({ currentDesired: 6, specDesired: 6 }),
      demand: demand({ M: 9, N: 6, instances: ['1', '2', '3', '4', '5', '6'].map((i) => old(i)) }),
    }, 8, 'scale-out'],
    ['minimumScalingStepSize raises a small step', {
      managedScaling: managedScalingWithDefaults({ minimumScalingStepSize: 3 }),
      demand: demand({ M: 2, N: 1, instances: [old('i-1')] }),
    }, 4, 'scale-out'],
    ['N = 0 with tasks waiting ⇒ 200, launch', { group: group({ currentDesired: 0, specDesired: 0 }), demand: demand({ M: 1, N: 0 }) }, 1, 'scale-out'],
    ['warm-up blocks further scale-out', { demand: demand({ M: 3, N: 1, instances: [old('i-1', { launchedAt: T0 - 60_000 })] }) }, 1, 'scale-out-blocked-by-warmup'],
    ['instances still launching', { group: group({ currentDesired: 2 }), demand: demand({ M: 2, N: 1, instances: [old('i-1')] }) }, 2, 'scale-out-in-progress'],
    ['below target waits for 15 datapoints', { group: group({ currentDesired: 2 }), demand: demand({ M: 1, N: 2, instances: [old('i-1'), old('i-2', { empty: true })] }) }, 2, 'scale-in-waiting-for-datapoints'],
    ['ASG MaxSize clamps', { group: group({ max: 1 }), demand: demand({ M: 3, N: 1, instances: [old('i-1')] }) }, 1, 'clamped-to-asg-bounds'],
  ];
  for (const [name, over, desired, reason] of decisions) {
    it(name, () => {
      const plan = planCapacityProvider(input(over));
      expect(plan.status.managedScaling).to.include({ desiredCapacity: desired, reason });
    });
  }

  it('scales in after 15 low datapoints: empty, unprotected, warmed-up instances, at most half', () => {
    const low = Array.from({ length: 14 }, (_, i) => ({ t: new Date(T0 + (i - 14) * MIN).toISOString(), v: 25 }));
    const instances = [old('i-1'), old('i-2', { empty: true }), old('i-3', { empty: true }), old('i-4', { empty: true, protected: true })];
    const plan = planCapacityProvider(input({
      status: { managedScaling: { metric: 25, M: 1, N: 4, desiredCapacity: 4, basedOnSpecDesiredCapacity: 4, reason: 'at-target', excludedTasks: 0, datapoints: low } },
      group: group({ currentDesired: 4, specDesired: 4 }),
      demand: demand({ M: 1, N: 4, instances }),
    }));
    expect(plan.status.managedScaling).to.include({ desiredCapacity: 2, reason: 'scale-in', M: 1, N: 4, metric: 25 });
    expect(plan.status.activities![0]).to.include({ StatusCode: 'InProgress', DesiredCapacity: 2 });
    expect(plan.status.activities![0].Cause).to.match(/CapacityProviderReservation 25 < targetCapacity 100 \(M=1, N=4, 15 datapoints below target\)/);
    expect(plan.events.map((e) => e.reason)).to.deep.equal(['ManagedScaleIn']);
  });

  it('a decision is made against the group spec it saw, and its activity completes when the group adopts it', () => {
    const out = planCapacityProvider(input({ group: group({ specDesired: 1, currentDesired: 1 }), demand: demand({ M: 2, N: 1, instances: [old('i-1')] }) }));
    expect(out.status.managedScaling).to.include({ desiredCapacity: 2, basedOnSpecDesiredCapacity: 1 });
    expect(out.status.activities![0]).to.include({ StatusCode: 'InProgress', Description: 'Setting desired capacity of Auto Scaling group asg to 2.' });
    const adopted = planCapacityProvider(input({ status: out.status, group: group({ currentDesired: 2 }), now: T0 + 5_000 }));
    expect(adopted.status.activities![0]).to.include({ StatusCode: 'Successful', EndTime: new Date(T0 + 5_000).toISOString() });
  });

  it('a newer decision overrides one still in progress', () => {
    const first = planCapacityProvider(input({ demand: demand({ M: 2, N: 1, instances: [old('i-1')] }) }));
    const second = planCapacityProvider(input({ status: first.status, now: T0 + 20 * MIN, group: group({ currentDesired: 1 }), demand: demand({ M: 3, N: 1, instances: [old('i-1')] }) }));
    expect(second.status.activities!.map((a) => [a.DesiredCapacity, a.StatusCode])).to.deep.equal([[3, 'InProgress'], [2, 'Overridden']]);
  });

  it('managed scaling DISABLED: no datapoints, no decisions; an earlier decision stands', () => {
    const plan = planCapacityProvider(input({ managedScaling: managedScalingWithDefaults(undefined), demand: demand({ M: 5, N: 1 }) }));
    expect(plan.status.managedScaling).to.equal(undefined);
    expect(plan.status.conditions!.find((c) => c.type === 'Ready')).to.include({ status: 'True', message: 'managed scaling DISABLED' });
    const decided = planCapacityProvider(input({ demand: demand({ M: 2, N: 1, instances: [old('i-1')] }) }));
    const disabled = planCapacityProvider(input({ status: decided.status, managedScaling: managedScalingWithDefaults(undefined), demand: demand({ M: 0, N: 2 }), now: T0 + 30 * MIN }));
    expect(disabled.status.managedScaling).to.deep.equal(decided.status.managedScaling);
  });

  it('reports a missing Auto Scaling group and tasks that fit no instance', () => {
    const missing = planCapacityProvider(input({ group: undefined, demand: undefined }));
    expect(missing.status.conditions!.find((c) => c.type === 'Ready')).to.include({ status: 'False', reason: 'AutoScalingGroupNotFound' });
    const excluded = planCapacityProvider(input({ demand: demand({ excludedTasks: 2 }) }));
    expect(excluded.status.conditions!.find((c) => c.type === 'Degraded')).to.include({ status: 'True', reason: 'TasksFitNoInstance' });
  });

  it('DescribeCapacityProviders fields, observedGeneration and the association', () => {
    const plan = planCapacityProvider(input({ generation: 2 }));
    expect(plan.status).to.include({ name: 'cp', type: 'EC2_AUTOSCALING', status: 'ACTIVE', updateStatus: 'UPDATE_COMPLETE', cluster: 'prod', autoScalingGroupName: 'asg', observedGeneration: 2 });
    expect(plan.status.capacityProviderArn).to.match(/:capacity-provider\/cp$/);
  });
});
