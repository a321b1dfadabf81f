import { expect } from 'chai';
import { resolve } from 'node:path';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { simulate } from '../../../controllers/simulation/runner.js';
import { cluster, instance, runFor, service, taskDefinition, testApp } from '../../helpers/fixtures.js';

describe('load balancers, standalone tasks, throttling', () => {
  it('targets register, turn healthy, and drain for the deregistration delay (DEACTIVATING) before stopping', () => {
    const r = simulate(loadManifests([resolve('examples/scheduler/load-balancer.yaml')]), { sampleEveryMs: 5000, untilMs: 100_000 });
    const tg = r.resources.find((o) => o.kind === 'TargetGroup')!;
    const states = tg.status.TargetHealthDescriptions.map((d: any) => d.TargetHealth.State).sort();
    expect(states).to.deep.equal(['draining', 'draining', 'healthy', 'healthy']);
    for (const d of tg.status.TargetHealthDescriptions) {
      expect(d.Target.Id).to.match(/^i-[0-9a-f]{17}$/);
      expect(d.Target.Port).to.be.within(32768, 61000, 'dynamic host port from the ephemeral range');
    }
    const old = r.resources.filter((o) => o.kind === 'Task' && o.status.desiredStatus === 'STOPPED');
    expect(old.map((t) => t.status.lastStatus)).to.deep.equal(['DEACTIVATING', 'DEACTIVATING']);
    const msgs = r.events.map((e) => e.message);
    expect(msgs.some((m) => m.startsWith('(service web) registered 2 targets in (target-group arn:aws:elasticloadbalancing:'))).to.equal(true);
    expect(msgs).to.include('(service web) has begun draining connections on 2 tasks.');
  });

  it('the deregistration delay elapses, then the old tasks stop', () => {
    const r = simulate(loadManifests([resolve('examples/scheduler/load-balancer.yaml')]), { sampleEveryMs: 60_000, untilMs: 5 * 60_000 });
    const old = r.resources.filter((o) => o.kind === 'Task' && o.status.desiredStatus === 'STOPPED');
    for (const t of old) {
      expect(t.status.lastStatus).to.equal('STOPPED');
      expect(Date.parse(t.status.stoppedAt) - Date.parse(t.status.stoppingAt)).to.equal(60_000 + 1000, 'deregistration delay + stop');
    }
  });

  it('a standalone Task (RunTask) with count places each task and reports failures[] for those that do not fit', () => {
    const app = testApp();
    app.api.applyAll([cluster(), instance('i-1', { memory: 1024 }), taskDefinition('batch', { memory: 400 })]);
    app.api.apply({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Task', metadata: { name: 'job' }, spec: { cluster: 'prod', taskDefinition: 'batch', count: 3 } });
    runFor(app, 10_000);
    const tasks = app.store.list('Task').sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    expect(tasks.map((t) => t.metadata.name)).to.deep.equal(['job', 'job-2', 'job-3']);
    const running = tasks.filter((t) => t.status.lastStatus === 'RUNNING');
    expect(running).to.have.length(2, '2 × 400 MiB fit in 1024');
    const failed = tasks.find((t) => t.status.failures)!;
    expect(failed.status.failures[0]).to.deep.include({ reason: 'RESOURCE:MEMORY' });
    expect(failed.status.lastStatus).to.equal('STOPPED');
    expect(running[0].status.group).to.equal('family:batch');
  });

  it('failing-to-start tasks are throttled with back-off and the service says so', () => {
    const app = testApp();
    app.api.applyAll([cluster(), instance('i-1'), taskDefinition('web', { annotations: { 'sim.ecsplane.io/fail-start': 'CannotPullContainerError: nope' } }), service('web', { desiredCount: 1 })]);
    runFor(app, 10 * 60_000, 5000);
    const svc = app.store.get('Service', 'prod/web')!;
    expect(svc.status.events.map((e: any) => e.message)).to.include('(service web) is unable to consistently start tasks successfully.');
    const starts = app.store.list('Task').length;
    // Without throttling a 5 s start failure would relaunch ~120 times in 10 minutes.
    expect(starts).to.be.lessThan(20);
    expect(starts).to.be.greaterThan(3);
  });

  it('healthCheckGracePeriodSeconds: failing health checks inside the grace period do not replace tasks', () => {
    const app = testApp();
    app.api.applyAll([
      cluster(),
      instance('i-1'),
      taskDefinition('web', { healthCheck: true, annotations: { 'sim.ecsplane.io/health': 'unhealthy' } }),
      service('web', { desiredCount: 1, spec: { healthCheckGracePeriodSeconds: 60 } }),
    ]);
    runFor(app, 30_000);
    const t = app.store.list('Task');
    expect(t).to.have.length(1);
    expect(t[0].status.healthStatus).to.equal('UNHEALTHY');
    expect(t[0].status.desiredStatus).to.equal('RUNNING', 'still in the grace period');
    runFor(app, 40_000);
    expect(app.store.list('Task').find((x) => x.metadata.name === t[0].metadata.name)!.status.stoppedReason).to.equal('Task failed container health checks');
  });
});
