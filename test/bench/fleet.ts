/**
 * The fleet workload through the whole controller stack on the virtual clock (Simulation, the
 * engine behind `ecsplane simulate`): empty → steady state, then a rolling deployment of every
 * service (a new task definition revision) → steady state.
 */
import { Simulation } from '../../controllers/simulation/runner.js';
import { fleetDocs, rolloutDocs, type FleetSpec } from './workloads.js';

/** Every service has one COMPLETED deployment running its desired count on `revision`. */
export function fleetSteady(sim: Simulation, f: FleetSpec, revision: number): boolean {
  const services = sim.app.store.list('Service');
  if (services.length !== f.services) return false;
  const suffix = `:${revision}`;
  for (const s of services) {
    const st = s.status;
    const deps = st?.deployments;
    if (!deps || deps.length !== 1) return false;
    const d = deps[0];
    if (d.rolloutState !== 'COMPLETED' || st.runningCount !== f.tasksPerService || d.runningCount !== f.tasksPerService) return false;
    if (!String(d.taskDefinition).endsWith(suffix)) return false;
  }
  return true;
}

export interface FleetRun {
  sim: Simulation;
  /** Wall ms from an empty store to steady state (manifests applied on the way). */
  upMs: number;
  /** Virtual ms it took. */
  upVirtualMs: number;
  /** Wall ms of the rolling deployment (applying the new revisions included) to steady state. */
  rollMs?: number;
  rollVirtualMs?: number;
  /** Reconciles by all loops, writes to the store. */
  reconciles: number;
  writes: number;
}

/** Steady state is checked every STEP_MS of virtual time. */
export const STEP_MS = 5_000;
const LIMIT_MS = 60 * 60_000;

/** Advance in STEP_MS steps until `done`; returns the virtual time (relative to the start) reached. */
function runUntilSteady(sim: Simulation, fromMs: number, done: () => boolean): number {
  for (let t = fromMs + STEP_MS; t <= fromMs + LIMIT_MS; t += STEP_MS) {
    sim.runUntil(t);
    if (done()) return t;
  }
  throw new Error(`fleet did not reach a steady state within ${LIMIT_MS / 60_000} virtual minutes`);
}

export function runFleet(f: FleetSpec, opts: { roll?: boolean; afterUp?: (sim: Simulation) => void } = {}): FleetRun {
  const docs = fleetDocs(f);
  const t0 = performance.now();
  // No sampling (samples are `simulate` output, not control-plane work).
  const sim = new Simulation(docs, { sampleEveryMs: 24 * 3600_000, untilMs: 24 * 3600_000 });
  sim.start();
  const upVirtualMs = runUntilSteady(sim, 0, () => fleetSteady(sim, f, 1));
  const upMs = performance.now() - t0;
  const run: FleetRun = { sim, upMs, upVirtualMs, reconciles: 0, writes: 0 };
  opts.afterUp?.(sim);
  if (opts.roll) {
    const roll = rolloutDocs(f);
    const t1 = performance.now();
    // As a Scenario step would: apply (drain after each), then let the loops run.
    for (const d of roll) {
      sim.app.api.apply(d);
      sim.app.manager.drain();
    }
    run.rollVirtualMs = runUntilSteady(sim, upVirtualMs, () => fleetSteady(sim, f, 2)) - upVirtualMs;
    run.rollMs = performance.now() - t1;
  }
  run.reconciles = sim.app.manager.controllers.reduce((a, c) => a + c.stats.reconciles, 0);
  run.writes = sim.app.store.resourceVersion;
  return run;
}
