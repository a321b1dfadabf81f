/**
 * The scheduler's behaviours through `simulate`, on the scenarios shipped in examples/scheduler/
 * (users learn from the same files the tests check).
 */
import { expect } from 'chai';
import { resolve } from 'node:path';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { Simulation, simulate, type SimulationResult } from '../../../controllers/simulation/runner.js';

const example = (name: string) => loadManifests([resolve('examples/scheduler', name)]);
const run = (name: string, sampleEveryMs = 1000): SimulationResult => simulate(example(name), { sampleEveryMs });
const svcAt = (r: SimulationResult, name: string) => r.samples.map((s) => ({ t: s.t, ...s.services.find((x) => x.name === name)! }));
const events = (r: SimulationResult, name: string) => r.events.filter((e) => e.name === name).map((e) => e.message);
const tasks = (r: SimulationResult) => r.resources.filter((o) => o.kind === 'Task');

describe('scheduler scenarios (examples/scheduler)', () => {
  it('rolling update 50/100 on 4 tasks: never above 4 tasks, never below 2 running, ends on revision 2', () => {
    const r = run('rolling-50-100.yaml');
    const after = svcAt(r, 'web').filter((s) => s.t >= 20);
    for (const s of after) {
      expect(s.runningCount + s.pendingCount, `t=${s.t}`).to.be.at.most(4);
      expect(s.runningCount, `t=${s.t}`).to.be.at.least(2);
    }
    const last = after.at(-1)!;
    expect(last.deployments).to.have.length(1);
    expect(last.deployments[0].taskDefinition).to.match(/web:2$/);
    expect(last.deployments[0].rolloutState).to.equal('COMPLETED');
    expect(events(r, 'web')[0]).to.not.contain('unable');
    expect(after.some((s) => s.deployments.length === 2), 'both deployments visible mid-rollout').to.equal(true);
  });

  it('rolling update 100/150 on 4 tasks: never above 6 tasks, never below 4 running', () => {
    const r = run('rolling-100-150.yaml');
    const after = svcAt(r, 'web').filter((s) => s.t >= 20);
    for (const s of after) {
      expect(s.runningCount + s.pendingCount, `t=${s.t}`).to.be.at.most(6);
      expect(s.runningCount, `t=${s.t}`).to.be.at.least(4);
    }
    expect(after.at(-1)!.deployments[0].taskDefinition).to.match(/web:2$/);
    expect(after.some((s) => s.runningCount + s.pendingCount === 6), 'uses the 150% headroom').to.equal(true);
  });

  it('100/100 deadlocks and says so instead of hanging silently', () => {
    const r = run('deadlock-100-100.yaml', 30_000);
    expect(events(r, 'web')).to.include(
      '(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.',
    );
    const last = svcAt(r, 'web').at(-1)!;
    expect(last.deployments.map((d) => d.runningCount)).to.deep.equal([0, 4]);
  });

  it('circuit breaker with rollback: FAILED after 3 failures, then back to revision 1', () => {
    const r = run('circuit-breaker-rollback.yaml', 5000);
    // The failed deployment had no task left running, so it is INACTIVE (dropped) at once.
    const failedStarts = tasks(r).filter((t) => t.status.stopCode === 'TaskFailedToStart');
    expect(failedStarts.length).to.be.within(3, 6);
    const last = svcAt(r, 'web').at(-1)!;
    expect(last.deployments).to.have.length(1);
    expect(last.deployments[0].taskDefinition).to.match(/web:1$/);
    expect(last.deployments[0].rolloutState).to.equal('COMPLETED');
    expect(last.runningCount).to.equal(4);
    expect(events(r, 'web').some((m) => m.includes('deployment failed: rolling back to deployment'))).to.equal(true);
    const failedTask = tasks(r).find((t) => t.status.stopCode === 'TaskFailedToStart');
    expect(failedTask?.status.stoppedReason).to.contain('CannotPullContainerError');
  });

  it('circuit breaker without rollback: FAILED, no more launches, old tasks keep running', () => {
    const r = run('circuit-breaker-no-rollback.yaml', 5000);
    const last = svcAt(r, 'web').at(-1)!;
    const primary = last.deployments[0];
    expect(primary.rolloutState).to.equal('FAILED');
    expect(primary.taskDefinition).to.match(/web:2$/);
    expect(last.deployments[1].runningCount).to.equal(4, 'the old deployment keeps serving');
    const failedStarts = tasks(r).filter((t) => t.status.stopCode === 'TaskFailedToStart').length;
    expect(failedStarts).to.be.at.most(6, 'launches stop once the breaker trips');
    expect(events(r, 'web').some((m) => m.includes('deployment failed: tasks failed to start.'))).to.equal(true);
  });

  it('binpack(memory) fills the fewest instances; spread(instanceId) balances', () => {
    const r = run('binpack-vs-spread.yaml', 30_000);
    const perInstance = (svc: string) => {
      const counts: Record<string, number> = {};
      for (const t of tasks(r).filter((t) => t.metadata.labels?.['ecsplane.io/service'] === svc)) counts[t.status.containerInstance] = (counts[t.status.containerInstance] ?? 0) + 1;
      return counts;
    };
    expect(Object.values(perInstance('spread')).sort()).to.deep.equal([2, 2, 2]);
    const packed = Object.values(perInstance('packed'));
    expect(Math.max(...packed)).to.be.at.least(4, 'binpack concentrates tasks');
  });

  it('distinctInstance places at most one task per instance and reports the rest; memberOf keeps tasks on t3', () => {
    const r = run('constraints.yaml', 30_000);
    const distinct = svcAt(r, 'distinct').at(-1)!;
    expect(distinct.runningCount).to.equal(3);
    expect(events(r, 'distinct').some((m) => m.startsWith('(service distinct) was unable to place a task because no container instance met all of its requirements.'))).to.equal(true);
    const t3 = tasks(r).filter((t) => t.metadata.labels?.['ecsplane.io/service'] === 't3-only');
    expect(t3).to.have.length(4);
    expect(new Set(t3.map((t) => t.status.containerInstance))).to.deep.equal(new Set(['i-a', 'i-b']));
  });

  it('DAEMON runs one task per ACTIVE instance, follows new instances and stops on draining ones', () => {
    const r = run('daemon.yaml', 10_000);
    const at = (t: number) => svcAt(r, 'log-agent').find((s) => s.t === t)!;
    expect(at(50).runningCount).to.equal(3);
    expect(at(110).runningCount).to.equal(4, 'new instance i-d got a task');
    const last = svcAt(r, 'log-agent').at(-1)!;
    expect(last.runningCount).to.equal(3, 'the task on draining i-a stopped');
    expect(last.desiredCount).to.equal(3);
    const onA = tasks(r).filter((t) => t.status.containerInstance === 'i-a');
    expect(onA.every((t) => t.status.desiredStatus === 'STOPPED')).to.equal(true);
  });

  it('draining moves service tasks off the instance; termination stops tasks with ECS reasons and they are replaced', () => {
    const r = run('instance-events.yaml', 10_000);
    const sample = (t: number) => r.samples.find((s) => s.t === t)!;
    const inst = (t: number, name: string) => sample(t).containerInstances.find((i) => i.name === name)!;
    expect(inst(170, 'i-a').status).to.equal('DRAINING');
    expect(inst(170, 'i-a').runningTasksCount).to.equal(0);
    for (const s of svcAt(r, 'web').filter((x) => x.t >= 60 && x.t < 180)) expect(s.runningCount, `t=${s.t}`).to.be.at.least(2, '50% floor while draining');
    expect(inst(350, 'i-b').status).to.equal('INACTIVE');
    const killed = tasks(r).filter((t) => String(t.status.stoppedReason).startsWith('Host EC2 (instance'));
    expect(killed.length).to.be.at.least(1);
    expect(killed[0].status.stoppedReason).to.match(/^Host EC2 \(instance i-[0-9a-f]{17}\) terminated\.$/);
    expect(svcAt(r, 'web').at(-1)!.runningCount).to.equal(3);
    expect(inst(350, 'i-c').runningTasksCount).to.equal(3, 'only i-c is left to run them');
  });

  it('unhealthy containers are replaced; unplaceable tasks are reported, not started', () => {
    const r = run('unhealthy-and-unplaceable.yaml', 10_000);
    const replaced = tasks(r).filter((t) => t.status.stoppedReason === 'Task failed container health checks');
    expect(replaced.length).to.be.at.least(4);
    expect(replaced[0].status.stopCode).to.equal('ServiceSchedulerInitiated');
    expect(replaced[0].status.healthStatus).to.equal('UNHEALTHY');
    const huge = svcAt(r, 'huge').at(-1)!;
    expect(huge.runningCount + huge.pendingCount).to.equal(0);
    expect(events(r, 'huge')[0]).to.contain('has insufficient memory available');
    expect(tasks(r).some((t) => t.metadata.labels?.['ecsplane.io/service'] === 'huge')).to.equal(false);
  });

  it('simulate is deterministic per seed and differs across seeds where randomness matters', () => {
    const a = JSON.stringify(simulate(example('binpack-vs-spread.yaml'), { seed: 3 }));
    const b = JSON.stringify(simulate(example('binpack-vs-spread.yaml'), { seed: 3 }));
    expect(a).to.equal(b);
    const sim = new Simulation(example('rolling-50-100.yaml'));
    sim.start();
    sim.runUntil(60_000);
    sim.runUntil(6 * 60_000);
    expect(JSON.stringify(sim.result())).to.equal(JSON.stringify(simulate(example('rolling-50-100.yaml'))), 'stepwise = one run');
  });
});
