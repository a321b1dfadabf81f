import { expect } from 'chai';
import { cluster, instance, runFor, service, taskDefinition, testApp } from '../../helpers/fixtures.js';

describe('loops: a cluster described in manifests converges', () => {
  it('a service keeps desiredCount tasks RUNNING and accounts resources on instances exactly', () => {
    const app = testApp();
    app.api.applyAll([cluster(), instance('i-1', { az: 'us-east-1a' }), instance('i-2', { az: 'us-east-1b' }), taskDefinition('web'), service('web', { desiredCount: 4 })]);
    runFor(app, 60_000);
    const svc = app.store.get('Service', 'prod/web')!;
    expect(svc.status.runningCount).to.equal(4);
    expect(svc.status.status).to.equal('ACTIVE');
    expect(svc.status.observedGeneration).to.equal(svc.metadata.generation);
    expect(svc.status.deployments).to.have.length(1);
    expect(svc.status.deployments[0].rolloutState).to.equal('COMPLETED');
    expect(svc.status.events[0].message).to.equal('(service web) has reached a steady state.');
    const tasks = app.store.list('Task');
    expect(tasks.filter((t) => t.status.lastStatus === 'RUNNING')).to.have.length(4);
    for (const name of ['i-1', 'i-2']) {
      const i = app.store.get('ContainerInstance', `prod/${name}`)!;
      const rem = (n: string) => i.status.remainingResources.find((r: any) => r.name === n).integerValue;
      expect(i.status.runningTasksCount).to.equal(2, 'default spread across AZs');
      expect(rem('CPU')).to.equal(2048 - 2 * 256);
      expect(rem('MEMORY')).to.equal(4096 - 2 * 512);
    }
    const c = app.store.get('Cluster', 'prod')!;
    expect(c.status).to.include({ runningTasksCount: 4, registeredContainerInstancesCount: 2, activeServicesCount: 1, status: 'ACTIVE' });
  });

  it('task lifecycle timestamps and statuses follow ECS', () => {
    const app = testApp();
    app.api.applyAll([cluster(), instance('i-1'), taskDefinition('web', { annotations: { 'sim.ecsplane.io/start-delay': '7s' } }), service('web', { desiredCount: 1 })]);
    app.manager.drain();
    const t0 = app.store.list('Task')[0];
    expect(t0.status.lastStatus).to.equal('PENDING');
    expect(t0.status.desiredStatus).to.equal('RUNNING');
    expect(t0.status.group).to.equal('service:web');
    expect(t0.status.startedBy).to.match(/^ecs-svc\/\d{19}$/);
    runFor(app, 7000);
    const t1 = app.store.list('Task')[0];
    expect(t1.status.lastStatus).to.equal('RUNNING');
    expect(Date.parse(t1.status.startedAt) - Date.parse(t1.status.createdAt)).to.equal(7000);
    expect(t1.status.containers[0].lastStatus).to.equal('RUNNING');
  });

  it('an essential container exit stops the task (EssentialContainerExited) and the service replaces it', () => {
    const app = testApp();
    app.api.applyAll([cluster(), instance('i-1'), taskDefinition('web', { annotations: { 'sim.ecsplane.io/exit-after': '30s', 'sim.ecsplane.io/exit-code': '137' } }), service('web', { desiredCount: 1 })]);
    runFor(app, 36_000);
    const stopped = app.store.list('Task').find((t) => t.status.lastStatus === 'STOPPED')!;
    expect(stopped.status.stopCode).to.equal('EssentialContainerExited');
    expect(stopped.status.stoppedReason).to.equal('Essential container in task exited');
    expect(stopped.status.containers[0].exitCode).to.equal(137);
    expect(app.store.list('Task').filter((t) => t.status.desiredStatus === 'RUNNING')).to.have.length(1);
  });

  it('stopped tasks stay describable for an hour, then are removed', () => {
    const app = testApp();
    app.api.applyAll([cluster(), instance('i-1'), taskDefinition('web', { annotations: { 'sim.ecsplane.io/fail-start': 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' } }), service('web', { desiredCount: 0 })]);
    app.api.apply({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Task', metadata: { name: 'one-off' }, spec: { cluster: 'prod', taskDefinition: 'web' } });
    runFor(app, 10_000);
    const t = app.store.get('Task', 'prod/one-off')!;
    expect(t.status.lastStatus).to.equal('STOPPED');
    expect(t.status.stopCode).to.equal('TaskFailedToStart');
    expect(t.status.stoppedReason).to.contain('CannotPullContainerError');
    runFor(app, 60 * 60_000, 60_000);
    expect(app.store.get('Task', 'prod/one-off')).to.equal(undefined);
  });

  it('deleting a service drains it: DRAINING, then INACTIVE and still describable with its stopped tasks, purged after an hour', () => {
    const app = testApp();
    app.api.applyAll([cluster(), instance('i-1'), taskDefinition('web'), service('web', { desiredCount: 2 })]);
    runFor(app, 10_000);
    app.api.delete('Service', 'prod/web', { force: true });
    app.manager.drain();
    const draining = app.store.get('Service', 'prod/web')!;
    // DRAINING until every task is STOPPING or STOPPED, then INACTIVE (API_DeleteService).
    expect(draining.metadata.deletionTimestamp).to.be.a('string');
    expect(['DRAINING', 'INACTIVE']).to.include(draining.status.status);
    expect(app.store.list('Task').every((t) => t.status.desiredStatus === 'STOPPED')).to.equal(true);
    runFor(app, 10 * 60_000, 60_000);
    const inactive = app.store.get('Service', 'prod/web')!;
    expect(inactive.status.status).to.equal('INACTIVE');
    expect(inactive.status.events.length).to.be.greaterThan(0, 'its events stay');
    expect(app.store.list('Task').map((t) => t.status.lastStatus)).to.deep.equal(['STOPPED', 'STOPPED'], 'stopped tasks stay describable');
    runFor(app, 60 * 60_000, 60_000);
    expect(app.store.get('Service', 'prod/web')).to.equal(undefined, 'purged an hour after INACTIVE');
    expect(app.store.list('Task')).to.have.length(0, 'owned tasks are garbage collected');
  });

  it('a service of the same name cannot be created while being deleted (DRAINING), and can once INACTIVE', () => {
    const app = testApp();
    app.api.applyAll([cluster(), instance('i-1'), taskDefinition('web'), service('web', { desiredCount: 2 })]);
    runFor(app, 10_000);
    app.api.delete('Service', 'prod/web', { force: true });
    expect(app.store.get('Service', 'prod/web')!.status.status).to.equal('ACTIVE', 'the scheduler has not run yet');
    // Deleted but not yet INACTIVE (the scheduler has not drained it): refused, as while DRAINING.
    expect(() => app.api.apply(service('web', { desiredCount: 1 }))).to.throw(/Unable to Start a service that is still Draining/);
    runFor(app, 30_000);
    expect(app.store.get('Service', 'prod/web')!.status.status).to.equal('INACTIVE');
    const oldUid = app.store.get('Service', 'prod/web')!.metadata.uid;
    const r = app.api.apply(service('web', { desiredCount: 1 }));
    expect(r.action).to.equal('created');
    runFor(app, 60_000);
    const again = app.store.get('Service', 'prod/web')!;
    expect(again.metadata.uid).to.not.equal(oldUid);
    expect(again.metadata.deletionTimestamp).to.equal(undefined);
    expect(again.status).to.include({ status: 'ACTIVE', runningCount: 1 });
  });
});

describe('loops: task lifecycle details and agent connectivity', () => {
  it('an awsvpc task passes through STOPPING and DEPROVISIONING (ENI detach) before STOPPED', () => {
    const app = testApp();
    app.api.applyAll([cluster(), instance('i-1'), taskDefinition('web', { spec: { networkMode: 'awsvpc' } }), service('web', { desiredCount: 1 })]);
    runFor(app, 10_000);
    const t = app.store.list('Task')[0];
    app.api.apply(service('web', { desiredCount: 0 }));
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      runFor(app, 100, 100);
      seen.add(app.store.get('Task', `prod/${t.metadata.name}`)!.status.lastStatus);
    }
    expect([...seen]).to.include.members(['STOPPING', 'DEPROVISIONING', 'STOPPED']);
    const done = app.store.get('Task', `prod/${t.metadata.name}`)!.status;
    expect(Date.parse(done.stoppedAt) - Date.parse(done.executionStoppedAt)).to.equal(1000);
  });

  it('a disconnected agent gets no placements and its tasks keep running; reconnecting restores it', () => {
    const app = testApp();
    app.api.applyAll([cluster(), instance('i-1'), instance('i-2'), taskDefinition('web'), service('web', { desiredCount: 2 })]);
    runFor(app, 10_000);
    const inst = app.store.get('ContainerInstance', 'prod/i-1')!;
    app.store.update({ ...inst, metadata: { ...inst.metadata, annotations: { 'sim.ecsplane.io/agent': 'disconnected' } } });
    app.api.apply(service('web', { desiredCount: 4 }));
    runFor(app, 60_000);
    const i1 = app.store.get('ContainerInstance', 'prod/i-1')!;
    expect(i1.status.agentConnected).to.equal(false);
    expect(i1.status.conditions.find((c: any) => c.type === 'Ready').reason).to.equal('AgentDisconnected');
    const onI1 = app.store.list('Task').filter((t) => t.status.containerInstance === 'i-1');
    expect(onI1).to.have.length(1, 'no new placement on the disconnected instance');
    expect(onI1[0].status.lastStatus).to.equal('RUNNING', 'its task keeps running');
    expect(app.store.list('Task').filter((t) => t.status.containerInstance === 'i-2')).to.have.length(3);
    const again = app.store.get('ContainerInstance', 'prod/i-1')!;
    app.store.update({ ...again, metadata: { ...again.metadata, annotations: {} } });
    runFor(app, 5000);
    expect(app.store.get('ContainerInstance', 'prod/i-1')!.status.agentConnected).to.equal(true);
  });
});
