/**
 * Application Auto Scaling on the virtual clock (ecs-semantics §7): memory and request-count metrics,
 * several policies, suspension, deregistration, and a restart from a store snapshot mid-run.
 */
import { expect } from 'chai';
import type { Resource } from '../../../api/meta.js';
import { createApp } from '../../../controllers/register.js';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { SIMULATION_START } from '../../../controllers/simulation/runner.js';
import { doc, MIN, scenario, Stepper } from './helpers.js';

const REF = { ServiceNamespace: 'ecs', ResourceId: 'service/web/api', ScalableDimension: 'ecs:service:DesiredCount' };
const tt = (name: string, metric: string, target: number, extra: Record<string, unknown> = {}) =>
  doc('ScalingPolicy', name, {
    ...REF,
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: { TargetValue: target, PredefinedMetricSpecification: { PredefinedMetricType: metric, ...extra } },
  });

function world(policies: Resource[], steps: unknown[], target: Record<string, unknown> = {}): Resource[] {
  return [
    doc('Cluster', 'web', { capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] }),
    doc('TaskDefinition', 'api', { family: 'api', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'api', image: 'nginx' }] }),
    doc('Service', 'api', { cluster: 'web', taskDefinition: 'api', desiredCount: 4, networkConfiguration: { awsvpcConfiguration: { subnets: ['s-1'] } } }),
    doc('ScalableTarget', 'api', { ...REF, MinCapacity: 1, MaxCapacity: 20, ...target }),
    ...policies,
    scenario('40m', steps),
  ];
}
const load = (at: string, l: Record<string, number>) => ({ at, load: { cluster: 'web', service: 'api', ...l } });

describe('Application Auto Scaling (simulated)', () => {
  it('several target tracking policies: any may scale out and the largest capacity wins (CPU 60 %, memory 90 %)', () => {
    const s = new Stepper(world([tt('cpu', 'ECSServiceAverageCPUUtilization', 50), tt('mem', 'ECSServiceAverageMemoryUtilization', 50)], [load('1m', { cpuUtilization: 60, memoryUtilization: 90 })]));
    s.to(4 * MIN);
    expect(s.desired('web/api')).to.equal(8); // memory: ceil(4 × 90 / 50); CPU alone would give 5
    expect(s.status('ScalableTarget', 'api').ScalingActivities[0].Cause).to.match(/AlarmHigh-.* triggered policy mem$/);
  });

  it('ALBRequestCountPerTarget: requests per minute over the running tasks', () => {
    const label = 'app/lb/0123456789abcdef/targetgroup/tg/0123456789abcdef';
    const s = new Stepper(world([tt('rps', 'ALBRequestCountPerTarget', 500, { ResourceLabel: label })], [load('1m', { requestsPerMinute: 6000 })]));
    s.to(4 * MIN);
    expect(s.desired('web/api')).to.equal(12); // 1500 per target on 4 tasks: ceil(4 × 1500 / 500)
    s.to(5 * MIN);
    expect(s.status('ScalableTarget', 'api').metrics.ALBRequestCountPerTarget.at(-1).v).to.equal(500);
  });

  it('several policies must all agree to scale in', () => {
    const policies = [tt('cpu', 'ECSServiceAverageCPUUtilization', 50), tt('mem', 'ECSServiceAverageMemoryUtilization', 50)];
    const s = new Stepper(world(policies, [load('1m', { cpuUtilization: 10, memoryUtilization: 47 })]));
    s.to(25 * MIN);
    expect(s.desired('web/api')).to.equal(4); // memory at 47 % sits in the 45–50 % band: no low alarm, no scale-in
  });

  it('DynamicScalingInSuspended, applied mid-run, stops scale-in; lifting it resumes', () => {
    const suspended = doc('ScalableTarget', 'api', { ...REF, MinCapacity: 1, MaxCapacity: 20, SuspendedState: { DynamicScalingInSuspended: true } });
    const resumed = doc('ScalableTarget', 'api', { ...REF, MinCapacity: 1, MaxCapacity: 20 });
    const s = new Stepper(world([tt('cpu', 'ECSServiceAverageCPUUtilization', 50)], [load('1m', { cpuUtilization: 10 }), { at: '10m', apply: [suspended] }, { at: '25m', apply: [resumed] }]));
    s.to(24 * MIN);
    expect(s.desired('web/api')).to.equal(4);
    expect(s.status('ScalingPolicy', 'cpu').lastNote).to.equal('DynamicScalingInSuspended');
    s.to(26 * MIN);
    expect(s.desired('web/api')).to.equal(3);
  });

  it('a user change of the service desiredCount wins over the target; Application Auto Scaling goes on from there', () => {
    const svc6 = doc('Service', 'api', { cluster: 'web', taskDefinition: 'api', desiredCount: 6, networkConfiguration: { awsvpcConfiguration: { subnets: ['s-1'] } } });
    const s = new Stepper(world([tt('cpu', 'ECSServiceAverageCPUUtilization', 50)], [load('1m', { cpuUtilization: 90 }), { at: '10m', apply: [svc6] }]));
    s.to(4 * MIN);
    expect(s.desired('web/api')).to.equal(8);
    s.to(10 * MIN);
    expect(s.desired('web/api')).to.equal(6);
    expect(s.status('ScalableTarget', 'api')).to.include({ desiredCount: 6, specDesiredCount: 6 });
    expect(s.status('ScalableTarget', 'api').ScalingActivities[0].StatusCode).to.not.equal('InProgress');
  });

  it('deregistering a scalable target deletes its policies and scheduled actions', () => {
    const sa = doc('ScheduledAction', 'night', { ...REF, Schedule: 'cron(0 2 * * ? *)', ScalableTargetAction: { MinCapacity: 1 } });
    const s = new Stepper(world([tt('cpu', 'ECSServiceAverageCPUUtilization', 50), sa], []));
    s.to(MIN);
    expect(s.status('ScheduledAction', 'night').nextFireTime).to.equal('2026-01-01T02:00:00.000Z');
    s.sim.app.api.delete('ScalableTarget', 'api');
    s.to(2 * MIN);
    expect(s.store.list('ScalingPolicy')).to.have.length(0);
    expect(s.store.list('ScheduledAction')).to.have.length(0);
    expect(s.desired('web/api')).to.equal(4); // the service keeps its own desiredCount
  });

  it('quiet windows: between changes the target sleeps; a load change wakes it at once and the datapoints read as every minute', () => {
    const s = new Stepper(world([tt('cpu', 'ECSServiceAverageCPUUtilization', 50)], [load('1m', { cpuUtilization: 48 }), load('30m30s', { cpuUtilization: 20 })]));
    const aas = s.sim.app.manager.controllers.find((c) => c.name === 'application-auto-scaling')!;
    s.to(5 * MIN);
    const before = aas.stats.reconciles;
    s.to(30 * MIN + 10_000);
    expect(aas.stats.reconciles - before).to.be.below(5); // the one-minute loop: 25
    s.to(30 * MIN + 30_000); // the load step wakes it
    const st = s.status('ScalableTarget', 'api');
    expect(st.quiet.values).to.deep.equal({ ECSServiceAverageCPUUtilization: 20 });
    const points = st.metrics.ECSServiceAverageCPUUtilization;
    expect(points.at(-1)).to.deep.equal({ t: new Date(SIMULATION_START + 30 * MIN).toISOString(), v: 48 });
    expect(points.map((p: any) => Date.parse(p.t) - SIMULATION_START)).to.deep.equal(Array.from({ length: 16 }, (_, i) => (15 + i) * MIN));
    expect(s.desired('web/api')).to.equal(4); // 48 % sits in the 45–50 % band
    s.to(47 * MIN); // 20 % from 31m: the low alarm's 15 datapoints are in at 45m
    expect(s.desired('web/api')).to.be.below(4);
    expect(s.status('ScalableTarget', 'api').ScalingActivities[0].StartTime).to.equal(new Date(SIMULATION_START + 45 * MIN).toISOString());
  });

  it('restart-safe: a new control plane restored from a snapshot mid-run continues exactly as the original', () => {
    const docs = world([tt('cpu', 'ECSServiceAverageCPUUtilization', 50)], [load('1m', { cpuUtilization: 90 }), load('12m', { cpuUtilization: 10 })]);
    const original = new Stepper(docs);
    original.to(20 * MIN + 30_000); // mid-way through the 15-datapoint low alarm
    const snap = JSON.parse(JSON.stringify(original.store.snapshot()));
    const clock = new VirtualClock(SIMULATION_START + 20 * MIN + 30_000);
    const restarted = createApp({ clock, deterministicIds: true });
    restarted.store.restore(snap);
    // The LoadModel stands in for the world outside (the service's demand), not for control-plane state.
    (restarted.load as any).demand = new Map((original.sim.app.load as any).demand);
    restarted.manager.startWatching();
    restarted.manager.drain();
    original.to(40 * MIN);
    for (let next = clock.nextTimerAt(); next !== undefined && next <= SIMULATION_START + 40 * MIN; next = clock.nextTimerAt()) {
      clock.advanceTo(next);
      restarted.manager.drain();
    }
    const pick = (st: any) => ({ desiredCount: st.desiredCount, cooldown: st.cooldown, activities: st.ScalingActivities.map((a: any) => [a.Description, a.StartTime, a.StatusCode]), metrics: st.metrics });
    expect(pick(restarted.store.get('ScalableTarget', 'api')!.status)).to.deep.equal(pick(original.status('ScalableTarget', 'api')));
    expect(original.status('ScalableTarget', 'api').desiredCount).to.be.lessThan(8);
  });
});
