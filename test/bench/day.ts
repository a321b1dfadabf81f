/**
 * A virtual day (issue #16): `n` services under target tracking (CPU 50 %) on a daily load curve
 * (a Scenario `load` step with `curve: {shape: daily}`, seeded noise, a value every 5 minutes, peaks
 * staggered over the afternoon), placed through a capacity provider with managed scaling on an Auto
 * Scaling group, and two scheduled actions per service (a higher floor from 08:00 to 20:00).
 * Simulated for 24 h on the virtual clock (`ecsplane simulate` semantics: every loop).
 */
import type { Resource } from '../../api/meta.js';
import { autoscaledService, managedCapacity, resource } from './capacity-fixture.js';
import { Simulation } from '../../controllers/simulation/runner.js';

export const DAY_SERVICES = 200;

const r = resource;

export function dayDocs(n = DAY_SERVICES, until = '24h'): Resource[] {
  const docs: Resource[] = managedCapacity({ suffix: 'day', cluster: 'day', maxSize: Math.max(20, Math.ceil(n * 2)), desired: Math.ceil(n / 4) });
  const steps: unknown[] = [];
  for (let s = 0; s < n; s++) {
    const name = `svc-${s.toString().padStart(3, '0')}`;
    const { docs: service, target } = autoscaledService('day', name);
    docs.push(
      ...service,
      r('ScheduledAction', `${name}-day`, { ...target, Schedule: 'cron(0 8 * * ? *)', ScalableTargetAction: { MinCapacity: 3 } }),
      r('ScheduledAction', `${name}-night`, { ...target, Schedule: 'cron(0 20 * * ? *)', ScalableTargetAction: { MinCapacity: 2 } }),
    );
    steps.push({
      at: '0s',
      load: { cluster: 'day', service: name, curve: { shape: 'daily', every: '5m', cpuUtilization: { min: 15, max: 85 }, peakAt: `${12 + (s % 6)}h`, noise: 5 } },
    });
  }
  docs.push(r('Scenario', 'day-bench', { seed: 1, until, sampleEvery: until, steps }));
  return docs;
}

export interface DayRun {
  ms: number;
  running: number;
  instances: number;
  peakTasks: number;
  reconciles: number;
}

/** The day, simulated; wall ms and what it ended with. */
export function runDay(n = DAY_SERVICES, until = '24h'): DayRun {
  const docs = dayDocs(n, until);
  const t0 = performance.now();
  const sim = new Simulation(docs);
  let peakTasks = 0;
  sim.start();
  const end = Number(/^(\d+)h$/.exec(until)?.[1] ?? 24) * 3600_000;
  for (let t = 3600_000; t <= end; t += 3600_000) {
    sim.runUntil(t);
    peakTasks = Math.max(peakTasks, sim.app.store.count('Task'));
  }
  const ms = performance.now() - t0;
  const store = sim.app.store;
  return {
    ms,
    running: store.list('Task').filter((t) => t.status?.lastStatus === 'RUNNING').length,
    instances: store.count('ContainerInstance'),
    peakTasks,
    reconciles: sim.app.manager.controllers.reduce((a, c) => a + c.stats.reconciles, 0),
  };
}
