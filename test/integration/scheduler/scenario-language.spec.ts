/**
 * The scenario language on examples/scheduler/scenario-language.yaml (docs/scheduler.md "The
 * scenario language"): health over time for a seeded fraction of tasks, per-container exits for
 * the first N tasks, OOM kills, StopTask reasons, spec.start, refused requests as events, samples.
 */
import { expect } from 'chai';
import { resolve } from 'node:path';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { Simulation, simulate } from '../../../controllers/simulation/runner.js';
import { OOM_REASON } from '../../../controllers/simulation/actions.js';

const docs = () => loadManifests([resolve('examples/scheduler/scenario-language.yaml')]);

describe('the scenario language (examples/scheduler/scenario-language.yaml)', () => {
  const at5m = simulate(docs(), { untilMs: 5 * 60_000, sampleEveryMs: 30_000 });
  const tasks = at5m.resources.filter((r) => r.kind === 'Task');
  const byOrdinal = (n: number) => tasks.find((t) => t.metadata.annotations?.['ecsplane.io/launch-ordinal'] === String(n))!;

  it('the first 2 tasks lose their non-essential sidecar (exit 2) and keep running; the others keep it', () => {
    const sidecar = (t: any) => t.status.containers.find((c: any) => c.name === 'log-router');
    expect(sidecar(byOrdinal(1))).to.include({ lastStatus: 'STOPPED', exitCode: 2 });
    expect(byOrdinal(1).status!.lastStatus).to.equal('RUNNING');
    for (const n of [2, 4]) expect(sidecar(byOrdinal(n)).lastStatus, `task #${n}`).to.equal('RUNNING');
  });

  it('oom kills the essential container with exit 137 and ECS reason; stop carries our reason', () => {
    const oom = tasks.find((t) => t.status?.containers?.some((c: any) => c.exitCode === 137))!;
    expect(oom.status!.containers!.find((c: any) => c.exitCode === 137)).to.include({ name: 'app', reason: OOM_REASON });
    expect(oom.status).to.include({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(tasks.some((t) => t.status?.stopCode === 'UserInitiated' && t.status?.stoppedReason === 'Scaling down for maintenance window')).to.equal(true);
  });

  it('a seeded fifth of the targets turns unhealthy after 3 minutes: taken out, replaced, with ECS\'s event', () => {
    const replaced = tasks.filter((t) => /Task failed ELB health checks/.test(t.status?.stoppedReason ?? ''));
    expect(replaced.length).to.be.within(1, 3);
    const ev = at5m.events.find((e) => / is unhealthy in \(target-group web-tg\) due to \(reason Health checks failed\)\.$/.test(e.message));
    expect(ev?.message).to.match(/^\(service web\) \(task [0-9a-f]+\) \(instance i-[0-9a-f]+\) \(port \d+\) is unhealthy/);
    expect(ev!.t).to.be.within(180, 240); // 3 m healthy, then UnhealthyThresholdCount (2) × 10 s
  });

  it('samples show the service status, its tasks by lastStatus and the target states', () => {
    const s = at5m.samples.find((x) => x.t === 60)!;
    expect(s.services[0]).to.include({ status: 'ACTIVE' });
    expect(s.services[0].tasks).to.deep.equal({ RUNNING: 5 });
    expect(s.targetGroups).to.deep.equal([{ name: 'web-tg', targets: { healthy: 5 } }]);
  });

  it('a refused delete is an event and the run goes on: scaled to 0, the retry deletes the service', () => {
    const r = simulate(docs());
    const refused = r.events.find((e) => e.message.startsWith('delete refused:'))!;
    expect(refused).to.include({ t: 360, kind: 'Service', name: 'web', cluster: 'prod' });
    expect(refused.message).to.equal('delete refused: InvalidParameterException: The service cannot be stopped while it is scaled above 0. (spec.desiredCount)');
    expect(r.samples.find((s) => s.t === 330)!.services[0].desiredCount).to.equal(5);
    expect(r.samples.find((s) => s.t === 390)!.services.find((x) => x.name === 'web')?.desiredCount ?? 0).to.equal(0);
  });

  it('spec.start sets the virtual clock; output times stay relative to it', () => {
    const sim = new Simulation(docs(), { untilMs: 60_000 });
    expect(sim.startMs).to.equal(Date.parse('2026-03-08T06:55:00Z'));
    sim.run();
    expect(sim.clock.now()).to.equal(Date.parse('2026-03-08T06:56:00Z'));
    const task = sim.app.store.list('Task')[0];
    expect(task.status!.createdAt).to.equal('2026-03-08T06:55:00.000Z');
  });
});
