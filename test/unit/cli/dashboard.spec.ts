/**
 * The terminal UI of `run` (controllers/cli/dashboard.ts) on a simulated cluster: the service table
 * keeps the columns users and the README test read, a task ECS cannot place shows why, tasks on
 * their way show their stage, and long events are cut to the width instead of wrapping.
 */
import 'reflect-metadata';
import { expect } from 'chai';
import { Simulation, SIMULATION_START } from '../../../controllers/simulation/runner.js';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { dashboardModel, renderDashboard as render, taskReason, type DashboardModel } from '../../../controllers/cli/dashboard.js';

/** Without colour codes (FORCE_COLOR may be set where the tests run). */
const renderDashboard = (m: DashboardModel, columns: number) => render(m, columns).replace(/\x1b\[[0-9;]*m/g, '');

function simulated(file: string, untilMs: number) {
  const sim = new Simulation(loadManifests([file]));
  sim.start();
  sim.runUntil(untilMs);
  const s = sim.app.store;
  return { lists: { services: s.list('Service'), tasks: s.list('Task'), instances: s.list('ContainerInstance') }, now: sim.clock.now() };
}

describe('run: the terminal dashboard', () => {
  it('services with deployments and progress, instances with CPU in use', () => {
    const { lists, now } = simulated('examples/quickstart', 60_000);
    const text = renderDashboard(dashboardModel(lists, [], now), 160);
    expect(text).to.match(/SERVICE\s+DESIRED\s+RUNNING\s+PENDING\s+STATUS\s+DEPLOYMENTS\s+PROGRESS/);
    expect(text).to.match(/prod\/web-app\s+3\s+3\s+0\s+ACTIVE\s+PRIMARY web-app:1 3\/3 COMPLETED\s+web-app:1 ▇▇▇ 3\/3/);
    expect(text).to.match(/prod\/i-a\s+ACTIVE\s+connected\s+1\s+1792\s+7168\s+▇░░░░░░░ 13%/);
    expect(text).to.contain('tasks not running: none');
  });

  it('a service ECS cannot place shows the placement failure reason; starting tasks show their stage', () => {
    const { lists, now } = simulated('examples/scheduler/unhealthy-and-unplaceable.yaml', 2_000);
    const m = dashboardModel(lists, [], now);
    const huge = m.tasks.find((t) => t.group === 'service:huge');
    expect(huge).to.include({ status: 'NOT PLACED' });
    expect(huge!.why).to.equal('The closest matching (container-instance i-a) has insufficient memory available.');
    expect(m.tasks.some((t) => t.status === 'PENDING' && t.why.startsWith('pulling the image'))).to.equal(true);
    expect(renderDashboard(m, 160)).to.match(/—\s+service:huge\s+NOT PLACED\s+The closest matching/);
  });

  it('a task waiting for capacity names its capacity provider, or its RunTask failure', () => {
    const task = (status: any) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Task', metadata: { name: 't' }, spec: {}, status });
    expect(taskReason(task({ lastStatus: 'PROVISIONING', capacityProviderName: 'cp-spot' }))).to.equal('waiting for capacity from cp-spot');
    expect(taskReason(task({ lastStatus: 'PROVISIONING', failures: [{ arn: 'a', reason: 'RESOURCE:MEMORY' }] }))).to.equal('not placed: RESOURCE:MEMORY');
  });

  it('events stay one line each, cut at the terminal width', () => {
    const long = { t: SIMULATION_START, line: `service/web: ${'x'.repeat(300)}`, warning: false };
    const text = renderDashboard(dashboardModel({ services: [], tasks: [], instances: [] }, [long], SIMULATION_START), 80);
    const line = text.split('\n').find((l) => l.includes('service/web'))!;
    expect(line.length).to.be.at.most(80);
    expect(line.endsWith('…')).to.equal(true);
  });
});
