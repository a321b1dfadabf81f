/**
 * Quiet windows (controllers/autoscaling/quiet.ts): the event-driven target decides exactly what the
 * one-minute loop decides, at the same minutes, with far fewer reconciles.
 */
import { expect } from 'chai';
import { scalableTargetWithDefaults } from '../../../api/v1alpha1/scalable-target.js';
import { scalingPolicyWithDefaults } from '../../../api/v1alpha1/scaling-policy.js';
import { scheduledActionWithDefaults } from '../../../api/v1alpha1/scheduled-action.js';
import { planScalableTarget, type ActionPlanInput, type PolicyPlanInput, type ServiceObservation, type TargetPlan } from '../../../controllers/autoscaling/plan.js';
import { fillQuiet, quietEligible } from '../../../controllers/autoscaling/quiet.js';
import type { ScalableTargetStatus, ScalingPolicyStatus, ScheduledActionStatus } from '../../../controllers/autoscaling/types.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const ref = { ServiceNamespace: 'ecs', ResourceId: 'service/prod/web', ScalableDimension: 'ecs:service:DesiredCount' };
const iso = (ms: number) => new Date(ms).toISOString();

const tracking = (name: string, metric: string, cfg: Record<string, unknown> = {}) =>
  scalingPolicyWithDefaults({ ...ref, PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: metric }, ...cfg } } as any, { name });

describe('quiet windows', () => {
  it('apply to target tracking on predefined metrics only', () => {
    const input = (spec: any, extra: Partial<PolicyPlanInput> = {}) => ({ name: 'p', alarmSuffix: 's', spec, ...extra });
    expect(quietEligible([])).to.equal(true);
    expect(quietEligible([input(tracking('cpu', 'ECSServiceAverageCPUUtilization'))])).to.equal(true);
    expect(quietEligible([input(tracking('cpu', 'ECSServiceAverageCPUUtilization')), input(tracking('mem', 'ECSServiceAverageMemoryUtilization'))])).to.equal(true);
    const custom = scalingPolicyWithDefaults({ ...ref, PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 10, CustomizedMetricSpecification: { MetricName: 'Backlog', Namespace: 'x', Statistic: 'Average' } } } as any, { name: 'q' });
    expect(quietEligible([input(custom)])).to.equal(false);
    const step = scalingPolicyWithDefaults({ ...ref, PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] } } as any, { name: 's' });
    expect(quietEligible([input(tracking('cpu', 'ECSServiceAverageCPUUtilization')), input(step)])).to.equal(false);
    expect(quietEligible([input(tracking('cpu', 'ECSServiceAverageCPUUtilization'), { metricError: 'x' })])).to.equal(false);
  });

  it('fill the periods after the last datapoint with the quiet value, keeping the newest `keep`', () => {
    const series = [{ t: iso(T0), v: 10 }];
    expect(fillQuiet(series, 20, T0, 16)).to.equal(series);
    expect(fillQuiet(undefined, 20, T0 + 5 * MIN, 16)).to.equal(undefined);
    expect(fillQuiet(series, 20, T0 + 2 * MIN, 16)).to.deep.equal([series[0], { t: iso(T0 + MIN), v: 20 }, { t: iso(T0 + 2 * MIN), v: 20 }]);
    const long = fillQuiet(series, null, T0 + 1000 * MIN, 16)!;
    expect(long).to.have.length(16);
    expect(long.at(-1)).to.deep.equal({ t: iso(T0 + 1000 * MIN), v: null });
    expect(long[0]).to.deep.equal({ t: iso(T0 + 985 * MIN), v: null });
  });

  /** A service whose value and context change at given times (mid-period, as wakes see them). */
  interface Script {
    minutes: number;
    /** [at ms since T0, cpu % (null: no running task), deploying] */
    changes: Array<[number, number | null, boolean?]>;
    cfg?: Record<string, unknown>;
    schedule?: string;
    min?: number;
    max?: number;
  }

  interface Outcome {
    reconciles: number;
    /** What each minute ended with: desired count, bounds, cooldowns, activities and the policy's verdict. */
    minutes: string[];
  }

  function run(script: Script, mode: 'every-minute' | 'quiet'): Outcome {
    const policy = tracking('cpu50', 'ECSServiceAverageCPUUtilization', script.cfg);
    const action = script.schedule ? scheduledActionWithDefaults({ ...ref, Schedule: script.schedule, ScalableTargetAction: { MinCapacity: 4 } } as any, { name: 'raise' }) : undefined;
    let status: ScalableTargetStatus = {};
    let policyStatus: ScalingPolicyStatus = {};
    let actionStatus: ScheduledActionStatus = {};
    let desired = 2;
    let reconciles = 0;
    const valueAt = (t: number) => {
      let v: [number, number | null, boolean?] = [0, 20, false];
      for (const c of script.changes) if (c[0] <= t - T0) v = c;
      return v;
    };
    const plan = (now: number): TargetPlan => {
      reconciles++;
      const [, cpu, deploying] = valueAt(now);
      const svc: ServiceObservation = { exists: true, specDesired: 2, statusDesired: desired, running: desired, deploying: Boolean(deploying) };
      const actions: ActionPlanInput[] = action
        ? [{ name: 'raise', spec: action as any, createdAt: T0, generation: 1, status: actionStatus, lastFireTime: actionStatus.lastFireTime ? Date.parse(actionStatus.lastFireTime) : undefined }]
        : [];
      const p = planScalableTarget({
        now,
        name: 'web',
        uid: 'uid-st',
        generation: 1,
        spec: scalableTargetWithDefaults({ ...ref, MinCapacity: script.min ?? 1, MaxCapacity: script.max ?? 10 } as any),
        // The one-minute loop: no window is ever kept, so every period is evaluated at its start.
        status: mode === 'every-minute' ? { ...status, quiet: undefined } : status,
        service: svc,
        policies: [{ name: 'cpu50', alarmSuffix: 'sfx', spec: policy as any, generation: 1, status: policyStatus }],
        actions,
        sample: () => (cpu === null ? null : cpu),
      });
      status = p.status;
      policyStatus = p.policyStatuses.cpu50;
      if (action) actionStatus = p.actionStatuses.raise;
      desired = p.status.desiredCount!; // the service adopts it at once
      return p;
    };
    const minutes: string[] = [];
    const wakes = script.changes.map((c) => T0 + c[0]);
    let next = T0;
    for (let m = 0; m <= script.minutes; m++) {
      const end = T0 + (m + 1) * MIN;
      // Reconciles inside minute m: its timer (every minute, or when the window ends) and the wakes.
      const due = [...new Set([...(mode === 'every-minute' ? [T0 + m * MIN] : []), ...(next < end ? [next] : []), ...wakes.filter((w) => w >= T0 + m * MIN && w < end)])].sort((a, b) => a - b);
      for (const t of due) {
        if (t < T0 + m * MIN) continue;
        const before = desired;
        let p = plan(t);
        // The service adopts a new desired count and its event wakes the target at the same instant.
        if (desired !== before) p = plan(t);
        next = t + p.requeueAfterMs;
      }
      const acts = (status.ScalingActivities ?? []).map((a) => `${a.StartTime} ${a.Description} ${a.StatusCode}`).join('|');
      minutes.push(`${m}: desired ${status.desiredCount} [${status.MinCapacity},${status.MaxCapacity}] ${JSON.stringify(status.cooldown ?? {})} ${acts} :: ${JSON.stringify(policyStatus.Alarms)} ${policyStatus.lastProposal} ${policyStatus.lastNote}`);
    }
    return { reconciles, minutes };
  }

  const scripts: Array<[string, Script]> = [
    ['steady load inside the band', { minutes: 120, changes: [] }],
    ['a spike scales out after 3 datapoints, then the cooldown gates', { minutes: 90, changes: [[10 * MIN + 30_000, 95], [40 * MIN + 30_000, 30]] }],
    ['low load scales in gradually through the scale-in cooldowns', { minutes: 120, changes: [[30_000, 95], [20 * MIN + 30_000, 5]] }],
    ['no running task: missing data', { minutes: 40, changes: [[5 * MIN + 10_000, null], [25 * MIN + 10_000, 80]] }],
    ['a deployment pauses scale-in; it resumes after', { minutes: 90, changes: [[30_000, 95], [15 * MIN + 30_000, 5, true], [45 * MIN + 30_000, 5, false]] }],
    ['a load curve moving every 5 minutes', { minutes: 240, changes: Array.from({ length: 48 }, (_, i) => [i * 5 * MIN + 20_000, 20 + ((i * 37) % 80)] as [number, number]) }],
    ['long cooldowns', { minutes: 180, cfg: { ScaleOutCooldown: 3600, ScaleInCooldown: 5400 }, changes: [[30_000, 95], [30 * MIN + 30_000, 99], [70 * MIN + 30_000, 5]] }],
    ['DisableScaleIn', { minutes: 60, cfg: { DisableScaleIn: true }, changes: [[30_000, 95], [20 * MIN + 30_000, 5]] }],
    ['a scheduled action raises the minimum', { minutes: 60, schedule: 'cron(30 0 * * ? *)', changes: [[10 * MIN + 30_000, 5]] }],
  ];
  for (const [name, script] of scripts) {
    it(`decide what the one-minute loop decides, at the same minutes: ${name}`, () => {
      const reference = run(script, 'every-minute');
      const quiet = run(script, 'quiet');
      const first = quiet.minutes.findIndex((x, i) => x !== reference.minutes[i]);
      expect(first === -1 ? "" : `${reference.minutes[first]}\n${quiet.minutes[first]}`).to.equal("");
      expect(quiet.minutes).to.deep.equal(reference.minutes);
      expect(quiet.reconciles).to.be.below(reference.reconciles);
    });
  }
});
