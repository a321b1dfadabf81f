/**
 * Table tests: the CapacityProvider and AutoScalingGroup plans report the spec fields
 * ecsplane does not simulate (api/not-simulated.ts) as a NotSimulated condition and one Warning event
 * per generation, and drop the condition when the fields go.
 */
import { expect } from 'chai';
import type { Condition } from '../../../api/meta.js';
import { notSimulatedReport } from '../../../api/not-simulated.js';
import { autoScalingGroupWithDefaults } from '../../../api/v1alpha1/auto-scaling-group.js';
import { managedScalingWithDefaults } from '../../../api/v1alpha1/capacity-provider.js';
import { planAutoScalingGroup } from '../../../controllers/autoscaling-group/plan.js';
import { planCapacityProvider } from '../../../controllers/capacity/plan.js';

const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/** One plan run, reduced to what the report is about. */
interface Outcome {
  conditions: Condition[] | undefined;
  /** Events the plan returns about the object (not the other events it returns). */
  warnings: Array<{ reason: string; message: string; type?: string }>;
}
type Run = (spec: Record<string, any>, prev: unknown, generation: number, now: number) => Outcome & { status: unknown };

const cpRun: Run = (spec, prev, generation, now) => {
  const plan = planCapacityProvider({
    name: 'cp', uid: 'uid-cp', generation, spec: spec as any, managedScaling: managedScalingWithDefaults(undefined), status: (prev ?? {}) as any, now,
  });
  return { status: plan.status, conditions: plan.status.conditions, warnings: plan.events.filter((e) => e.type === 'Warning') };
};

const asgRun: Run = (spec, prev, generation, now) => {
  const plan = planAutoScalingGroup({
    name: 'asg', uid: 'uid-asg', generation, spec: autoScalingGroupWithDefaults(spec as any), status: (prev ?? {}) as any,
    cluster: 'prod', clusterExists: true, launchDelayMs: 60_000, observed: {}, now,
  });
  return { status: plan.status, conditions: plan.status.conditions, warnings: plan.events.filter((e) => e.type === 'Warning') };
};

const asgBase = { MinSize: 0, MaxSize: 4, AvailabilityZones: ['us-east-1a'] };

const rows: Array<{ name: string; kind: string; run: Run; spec: Record<string, any>; plain: Record<string, any>; message: string }> = [
  {
    name: 'CapacityProvider: managedInstancesProvider',
    kind: 'CapacityProvider',
    run: cpRun,
    spec: { name: 'cp', managedInstancesProvider: { infrastructureRoleArn: 'r' } },
    plain: { name: 'cp', autoScalingGroupProvider: { autoScalingGroupArn: 'asg' } },
    message: 'managedInstancesProvider is not simulated by ecsplane; no instance is launched for this provider and its tasks wait in PROVISIONING',
  },
  {
    name: 'AutoScalingGroup: MixedInstancesPolicy and TerminationPolicies',
    kind: 'AutoScalingGroup',
    run: asgRun,
    spec: { ...asgBase, MixedInstancesPolicy: {}, TerminationPolicies: ['OldestInstance'] },
    plain: { ...asgBase, TerminationPolicies: ['Default'] },
    message:
      'MixedInstancesPolicy is not simulated by ecsplane; every instance is launched as spec.InstanceType, On-Demand; ' +
      'TerminationPolicies OldestInstance is not simulated by ecsplane; scale-in uses the Default policy (AZ balance, then the oldest instance)',
  },
];

const notSimulated = (o: Outcome) => o.conditions?.find((c) => c.type === 'NotSimulated');

describe('NotSimulated in the CapacityProvider and AutoScalingGroup plans', () => {
  for (const row of rows) {
    describe(row.name, () => {
      it('generation 1: the condition (True, NotSimulated, naming the fields) and one Warning event', () => {
        const first = row.run(row.spec, undefined, 1, T0);
        expect(notSimulated(first)).to.deep.equal({
          type: 'NotSimulated', status: 'True', reason: 'NotSimulated', message: row.message, lastTransitionTime: iso(T0), observedGeneration: 1,
        });
        expect(first.warnings.map(({ reason, message, type }) => ({ reason, message, type }))).to.deep.equal([{ reason: 'NotSimulated', message: row.message, type: 'Warning' }]);
      });

      it('the same generation again: the same condition, no second event', () => {
        const first = row.run(row.spec, undefined, 1, T0);
        const again = row.run(row.spec, first.status, 1, T0 + 60_000);
        expect(notSimulated(again)).to.deep.equal(notSimulated(first));
        expect(again.warnings).to.deep.equal([]);
      });

      it('a new generation with the fields: one more event, the condition keeps its transition time', () => {
        const first = row.run(row.spec, undefined, 1, T0);
        const next = row.run(row.spec, first.status, 2, T0 + 60_000);
        expect(next.warnings).to.have.length(1);
        expect(notSimulated(next)).to.include({ observedGeneration: 2, lastTransitionTime: iso(T0) });
      });

      it('the fields removed: the condition goes, no event', () => {
        const first = row.run(row.spec, undefined, 1, T0);
        const fixed = row.run(row.plain, first.status, 2, T0 + 60_000);
        expect(notSimulated(fixed)).to.equal(undefined);
        expect(fixed.warnings).to.deep.equal([]);
      });

      it('never had the fields: no condition, no event', () => {
        const plain = row.run(row.plain, undefined, 1, T0);
        expect(plain.conditions?.map((c) => c.type) ?? []).to.not.include('NotSimulated');
        expect(plain.warnings).to.deep.equal([]);
      });
    });
  }

  it('the Auto Scaling group reports before its launches (the warning is the first event)', () => {
    const plan = planAutoScalingGroup({
      name: 'asg', uid: 'uid-asg', generation: 1, spec: autoScalingGroupWithDefaults({ ...asgBase, DesiredCapacity: 1, MaxInstanceLifetime: 86_400 } as any),
      status: {}, cluster: 'prod', clusterExists: true, launchDelayMs: 60_000, observed: {}, now: T0,
    });
    expect(plan.events.map((e) => e.reason)).to.deep.equal(['NotSimulated', 'LaunchingInstance']);
    expect(plan.status.Instances).to.have.length(1, 'the group still launches as usual');
  });
});

describe('notSimulatedReport', () => {
  it('returns the event only when the report is new, and the conditions untouched when there is nothing to say', () => {
    const spec = { managedInstancesProvider: {} };
    const first = notSimulatedReport('CapacityProvider', spec, [], 1, T0);
    expect(first.event).to.deep.include({ reason: 'NotSimulated', type: 'Warning' });
    expect(notSimulatedReport('CapacityProvider', spec, first.conditions, 1, T0).event).to.equal(undefined);
    const none: Condition[] = [];
    expect(notSimulatedReport('CapacityProvider', {}, none, 1, T0)).to.deep.equal({ conditions: none });
    expect(notSimulatedReport('CapacityProvider', {}, none, 1, T0).conditions).to.equal(none);
  });
});
