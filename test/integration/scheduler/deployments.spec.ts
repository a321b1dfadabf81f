/**
 * Deployment rules through `simulate`, on the examples users read (examples/deployments/ and the
 * circuit-breaker ones in examples/scheduler/): failure counting over more than an hour, no launch
 * after the trip, rollback, deployment alarms, DeleteService's DRAINING → INACTIVE and re-creation,
 * task scale-in protection.
 */
import { expect } from 'chai';
import { resolve } from 'node:path';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { simulate, type SimulationResult } from '../../../controllers/simulation/runner.js';
import { STOPPED_TASK_RETENTION_MS } from '../../../controllers/task/lifecycle.js';

const run = (path: string, sampleEveryMs?: number): SimulationResult => simulate(loadManifests([resolve(path)]), sampleEveryMs ? { sampleEveryMs } : {});
const svc = (r: SimulationResult, name: string) => r.samples.map((s) => ({ t: s.t, ...s.services.find((x) => x.name === name)! }));
const events = (r: SimulationResult, name: string) => r.events.filter((e) => e.name === name);
const tasks = (r: SimulationResult) => r.resources.filter((o) => o.kind === 'Task');
const service = (r: SimulationResult, name: string) => r.resources.find((o) => o.kind === 'Service' && o.metadata.name === name)!;

describe('deployments (examples/deployments, examples/scheduler/circuit-breaker-*)', () => {
  it('25 tasks throttled over more than an hour still reach the threshold of 13: the count lives in status', () => {
    const r = run('examples/scheduler/circuit-breaker-throttled.yaml');
    const failedEv = events(r, 'web').find((e) => e.message.includes('deployment failed: tasks failed to start.'));
    expect(failedEv, 'the breaker trips').to.not.equal(undefined);
    expect(failedEv!.t * 1000).to.be.greaterThan(60 * 60_000, 'after the first failed tasks were collected');
    const last = svc(r, 'web').at(-1)!;
    expect(last.deployments[0]).to.include({ rolloutState: 'FAILED', failedTasks: 13, rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' });
    expect(last.deployments[1]).to.include({ runningCount: 25 }, 'without rollback the old tasks keep serving');
    // Fewer than 13 failed tasks are still in the store: a count rebuilt from them would never trip.
    expect(tasks(r).filter((t) => t.status.stopCode === 'TaskFailedToStart').length).to.be.below(13);
    expect(STOPPED_TASK_RETENTION_MS).to.equal(60 * 60_000);
    // After the trip nothing more launches for the failed deployment.
    const startsAfter = events(r, 'web').filter((e) => e.t > failedEv!.t && e.message.includes('has started'));
    expect(startsAfter).to.deep.equal([]);
    expect(service(r, 'web').status.serviceDeployments[0]).to.include({ status: 'STOPPED', statusReason: 'ECS deployment circuit breaker: tasks failed to start.' });
  });

  it('no launches after the trip, not even in the reconcile that trips it (4 failures, threshold 3)', () => {
    const r = run('examples/scheduler/circuit-breaker-no-rollback.yaml', 5000);
    expect(tasks(r).filter((t) => t.status.stopCode === 'TaskFailedToStart')).to.have.length(4, 'only the first batch');
    const last = svc(r, 'web').at(-1)!;
    expect(last.deployments[0]).to.include({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' });
  });

  it('rollback: a new PRIMARY of the last COMPLETED revision keeps the tasks already running it', () => {
    const r = run('examples/scheduler/circuit-breaker-rollback.yaml', 5000);
    const rev1 = tasks(r).filter((t) => /web:1$/.test(t.status.taskDefinitionArn));
    expect(rev1.map((t) => t.status.lastStatus)).to.deep.equal(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING'], 'no revision 1 task restarted');
    const last = svc(r, 'web').at(-1)!;
    expect(last.deployments).to.have.length(1);
    expect(last.deployments[0].taskDefinition).to.match(/web:1$/);
    expect(last.deployments[0].rolloutState).to.equal('COMPLETED');
    const msgs = events(r, 'web').map((e) => e.message);
    const failedAt = msgs.findIndex((m) => m.endsWith('deployment failed: tasks failed to start.'));
    const rollbackAt = msgs.findIndex((m) => m.includes('deployment failed: rolling back to deployment'));
    expect(failedAt).to.be.within(0, rollbackAt - 1);
    // The failed deployment is dropped from deployments[] (INACTIVE); its service deployment says what happened.
    const briefs = last.serviceDeployments;
    expect(briefs[0]).to.include({ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'ECS deployment circuit breaker: tasks failed to start.' });
    expect(briefs[1]).to.include({ status: 'SUCCESSFUL' });
    // Every task was adopted, so the rollback deployment completes in the reconcile that starts it.
    const afterTrip = svc(r, 'web').filter((x) => x.t >= 65);
    for (const x of afterTrip) expect(x.deployments.map((d) => d.rolloutState), `t=${x.t}`).to.deep.equal(['COMPLETED']);
  });

  it('deployment alarms: ALARM during the bake time fails the deployment and rolls back; the bake time holds COMPLETED', () => {
    const r = run('examples/deployments/deployment-alarms.yaml', 5000);
    const s = svc(r, 'web');
    const at = (t: number) => s.find((x) => x.t === t)!;
    expect(at(360).deployments[0]).to.include({ rolloutState: 'IN_PROGRESS' }, 'steady at 5m46s but baking for 3 minutes');
    expect(at(240).deployments[0]).to.include({ rolloutState: 'COMPLETED' }, 'the first deployment baked 3 minutes too');
    const failed = events(r, 'web').find((e) => e.message.endsWith('deployment failed: alarm detected.'));
    expect(failed!.t).to.be.within(420, 430, 'seen within the 10 s alarm poll after 7m');
    const after = at(450);
    expect(after.deployments[0].taskDefinition).to.match(/web:1$/);
    expect(after.deployments[1]).to.include({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment alarms: p99-latency in ALARM state.' });
    const last = s.at(-1)!;
    expect(last.deployments).to.have.length(1);
    expect(last.deployments[0]).to.include({ rolloutState: 'COMPLETED', runningCount: 3 });
    expect(last.serviceDeployments[0]).to.include({ status: 'ROLLBACK_SUCCESSFUL' });
    expect(r.events.some((e) => e.message.includes('not simulated'))).to.equal(false, 'alarms and their bake time are simulated');
  });

  it('DeleteService: DRAINING while targets drain, INACTIVE and describable, then re-created under the same name', () => {
    const r = run('examples/deployments/delete-and-recreate.yaml', 30_000);
    const s = svc(r, 'web');
    const statusAt = (t: number) => s.find((x) => x.t === t)!.status;
    expect([statusAt(30), statusAt(60), statusAt(90), statusAt(120), statusAt(150), statusAt(180)]).to.deep.equal(['ACTIVE', 'DRAINING', 'DRAINING', 'INACTIVE', 'INACTIVE', 'ACTIVE']);
    expect(s.find((x) => x.t === 150)!.deployments[0].taskDefinition).to.match(/web:1$/, 'an INACTIVE service is still describable');
    expect(s.at(-1)).to.include({ status: 'ACTIVE', runningCount: 1 });
  });

  it('task scale-in protection: protected tasks survive scale-in until the protection expires', () => {
    const r = run('examples/deployments/task-protection.yaml');
    const s = svc(r, 'worker');
    const at = (t: number) => s.find((x) => x.t === t)!;
    expect(at(180).runningCount).to.equal(2, 'desired 1, but 2 tasks are protected');
    expect(at(600).runningCount).to.equal(2);
    expect(at(660).runningCount).to.equal(1, 'protection expired at 11m');
    const protectedIds = events(r, 'worker').find((e) => e.message.startsWith('UpdateTaskProtection'))!.message.match(/task ([0-9a-f]+)/g)!.map((m) => m.slice(5));
    const survivor = tasks(r).find((t) => t.status.lastStatus === 'RUNNING')!;
    expect(protectedIds).to.include(survivor.metadata.name);
  });

  it('container dependsOn orders starts (PENDING until proxy is HEALTHY); stopTimeout kills a slow container (137)', () => {
    const r = run('examples/deployments/container-timing.yaml');
    const [t] = tasks(r);
    const at = (iso: string) => (Date.parse(iso) - Date.parse(t.status.createdAt)) / 1000;
    expect([at(t.status.pullStoppedAt), at(t.status.startedAt)]).to.deep.equal([5, 15]);
    expect(at(t.status.stoppedAt) - at(t.status.stoppingAt)).to.equal(10, "app's stopTimeout, not the 45 s it would take");
    expect(t.status.containers.map((c: any) => [c.name, c.exitCode])).to.deep.equal([['migrate', 0], ['proxy', 137], ['app', 137]]);
  });

  it('LINEAR: green scales up beside blue, traffic 25 % a minute, bake time, blue scales down; a FAILED hook rolls back', () => {
    const r = run('examples/deployments/blue-green.yaml');
    const s = svc(r, 'web');
    const at = (t: number) => s.find((x) => x.t === t)!;
    expect(at(90)).to.include({ runningCount: 6 }, 'green (3) beside blue (3)');
    expect(at(120).trafficShift!.productionWeights.map((w) => w.weight)).to.deep.equal([75, 25]);
    expect(at(180).trafficShift!.productionWeights.map((w) => w.weight)).to.deep.equal([50, 50]);
    expect(at(300).trafficShift).to.include({ lifecycleStage: 'BAKE_TIME' });
    expect(at(300).runningCount).to.equal(6, 'both revisions run during the bake time');
    expect(at(420).deployments.map((d) => [d.taskDefinition.split('/').pop(), d.rolloutState])).to.deep.equal([['web:2', 'COMPLETED']]);
    expect(at(420).runningCount).to.equal(3);
    const msgs = events(r, 'web').map((e) => e.message);
    expect(msgs.filter((m) => m.includes('invoked lifecycle hook')).length).to.be.greaterThan(4);
    expect(msgs.some((m) => m.endsWith('deployment failed: lifecycle hook failed.'))).to.equal(true);
    const last = s.at(-1)!;
    expect(last.deployments.map((d) => [d.taskDefinition.split('/').pop(), d.rolloutState])).to.deep.equal([['web:2', 'COMPLETED']], 'rolled back to blue');
    expect(last.runningCount).to.equal(3);
    expect(last.serviceDeployments[0]).to.include({ status: 'ROLLBACK_SUCCESSFUL', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' });
    // Blue was kept (adopted), not restarted: the web:2 tasks running at the end started before the failed deployment.
    const running = tasks(r).filter((t) => t.status.lastStatus === 'RUNNING');
    expect(running.every((t) => Date.parse(t.status.startedAt) < Date.parse('2026-01-01T00:12:00Z'))).to.equal(true);
  });
});

describe('blue/green behind an ALB (examples/deployments/blue-green-alb.yaml)', () => {
  it('green registers in the group production is not using; the groups swap roles when the deployment completes', () => {
    const r = simulate(loadManifests([resolve('examples/deployments/blue-green-alb.yaml')]), { sampleEveryMs: 30_000 });
    const at = (t: number) => Object.fromEntries(r.samples.find((s) => s.t === t)!.targetGroups.map((g) => [g.name, g.targets]));
    expect(at(60)).to.deep.equal({ 'web-blue': { healthy: 2 }, 'web-green': {} }); // web:1 serves from targetGroupArn
    expect(at(180)).to.deep.equal({ 'web-blue': { healthy: 2 }, 'web-green': { healthy: 2 } }); // web:2 (green) beside blue
    expect(at(300)).to.deep.equal({ 'web-blue': {}, 'web-green': { healthy: 2 } }); // completed: production on web-green
    expect(at(600)).to.deep.equal({ 'web-blue': { healthy: 2 }, 'web-green': { healthy: 2 } }); // web:3 (green) in web-blue now
    expect(at(720)).to.deep.equal({ 'web-blue': { healthy: 2 }, 'web-green': {} });
  });
});
