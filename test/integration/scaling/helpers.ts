/** Helpers for the scaling scenario tests: examples, document builders, stepping a Simulation. */
import 'reflect-metadata';
import { resolve } from 'node:path';
import type { Resource } from '../../../api/meta.js';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { Simulation, SIMULATION_START } from '../../../controllers/simulation/runner.js';
import { tasksOfService } from '../../../controllers/shared/indexes.js';

export const MIN = 60_000;

export function example(name: string): Resource[] {
  // Relative to the repository root (tests run from it, as sources under tsx or compiled in dist/).
  return loadManifests([resolve('examples/scaling', name)]);
}

export const doc = (kind: string, name: string, spec: unknown, annotations?: Record<string, string>): Resource => ({
  apiVersion: 'ecsplane.io/v1alpha1',
  kind,
  metadata: { name, ...(annotations ? { annotations } : {}) },
  spec,
});

export const scenario = (until: string, steps: unknown[], sampleEvery = '1m'): Resource => doc('Scenario', 'test', { until, sampleEvery, steps });

/** A simulation you can step through minute by minute and inspect. */
export class Stepper {
  readonly sim: Simulation;
  constructor(docs: Resource[]) {
    this.sim = new Simulation(docs);
    this.sim.start();
  }
  /** Advance to `ms` after the start (first finishing work queued by direct writes in the test). */
  to(ms: number): this {
    this.sim.app.manager.drain();
    this.sim.runUntil(ms);
    return this;
  }
  get store() {
    return this.sim.app.store;
  }
  get now(): number {
    return this.sim.clock.now() - SIMULATION_START;
  }
  status(kind: string, key: string): any {
    return this.store.get(kind, key)?.status;
  }
  /** The service's desired count as the scheduler sees it. */
  desired(key: string): number {
    return this.status('Service', key)?.desiredCount;
  }
  running(key: string): number {
    return tasksOfService(this.store, key).filter((t) => t.status?.lastStatus === 'RUNNING' && t.status?.desiredStatus === 'RUNNING').length;
  }
  tasks(key: string) {
    return tasksOfService(this.store, key);
  }
  /** Container instances not being terminated. */
  instances(cluster?: string) {
    return this.store.list('ContainerInstance', cluster ? { cluster } : {}).filter((i) => i.metadata.annotations?.['sim.ecsplane.io/ec2-state'] !== 'terminated');
  }
  events(kind?: string, reason?: string) {
    return this.sim.app.events.events.filter((e) => (!kind || e.kind === kind) && (!reason || e.reason === reason));
  }
}

/** Sample rows (t in minutes → desiredCount) for a service, from a finished run. */
export function desiredTimeline(samples: Array<{ t: number; services: Array<{ cluster: string; name: string; desiredCount: number }> }>, key: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of samples) {
    const svc = s.services.find((x) => `${x.cluster}/${x.name}` === key);
    if (svc && s.t % 60 === 0) out.set(s.t / 60, svc.desiredCount);
  }
  return out;
}
