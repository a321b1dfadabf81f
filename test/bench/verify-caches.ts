/**
 * Consistency check of the incremental structures added for issue #6 (not a benchmark):
 * the cached placement views (controllers/shared/views.ts) and the incremental resource
 * accounting (controllers/shared/accounting.ts) must equal what a fresh build from the store
 * gives, at every step of a fleet run: start-up, a rolling deployment, draining, stopping and
 * terminating instances.
 *
 *   node dist/test/bench/verify-caches.js      (exit status 1 on a mismatch)
 */
import 'reflect-metadata';
import { Simulation } from '../../controllers/simulation/runner.js';
import { instanceAction } from '../../controllers/simulation/actions.js';
import { viewCache, instanceViewFresh } from '../../controllers/shared/views.js';
import { instanceAccounting, usageFromTasks } from '../../controllers/shared/accounting.js';
import { tasksOnInstance } from '../../controllers/shared/indexes.js';
import type { InstanceObject } from '../../controllers/shared/instances.js';
import { fleetDocs, rolloutDocs, scaleFleet, FLEET_1X, BENCH_CLUSTER, instanceName } from './workloads.js';

/** A view as JSON, ports as sorted lists (set order is not part of a view's meaning). */
const norm = (v: any) =>
  JSON.stringify({
    ...v,
    usedTcpPorts: [...v.usedTcpPorts].sort((a: number, b: number) => a - b),
    usedUdpPorts: [...v.usedUdpPorts].sort((a: number, b: number) => a - b),
    tasksPerService: [...(v.tasksPerService ?? new Map())].sort(),
  });

function check(sim: Simulation, label: string): number {
  const store = sim.app.store;
  let bad = 0;
  for (const v of viewCache(store).list(BENCH_CLUSTER)) {
    const key = `${BENCH_CLUSTER}/${v.name}`;
    const fresh = instanceViewFresh(store, BENCH_CLUSTER, store.get('ContainerInstance', key) as InstanceObject);
    if (norm(v) !== norm(fresh)) {
      if (++bad <= 3) console.log(`${label}: view of ${v.name} differs\n  cached ${norm(v).slice(0, 400)}\n  fresh  ${norm(fresh).slice(0, 400)}`);
    }
    const a = instanceAccounting(store).of(key);
    const b = usageFromTasks(tasksOnInstance(store, key));
    const sa = JSON.stringify([a.cpu, a.memory, a.running, a.pending, [...a.tcpPorts].sort(), [...a.udpPorts].sort()]);
    const sb = JSON.stringify([b.cpu, b.memory, b.running, b.pending, [...b.tcpPorts].sort(), [...b.udpPorts].sort()]);
    if (sa !== sb && ++bad <= 3) console.log(`${label}: usage of ${v.name} differs: ${sa} vs ${sb}`);
  }
  return bad;
}

const f = scaleFleet(FLEET_1X, 0.1);
const sim = new Simulation(fleetDocs(f), { sampleEveryMs: 3600_000, untilMs: 3600_000 });
sim.start();
let bad = 0;
let t = 0;
const step = (until: number) => {
  for (; t < until; ) {
    t += 1000;
    sim.runUntil(t);
    bad += check(sim, `t=${t / 1000}s`);
  }
};
step(60_000);
for (const d of rolloutDocs(f)) {
  sim.app.api.apply(d);
  sim.app.manager.drain();
}
step(150_000);
// Instance events: drain some, stop and terminate others; their tasks move elsewhere.
for (let i = 0; i < 6; i++) instanceAction(sim.app.store, BENCH_CLUSTER, instanceName(i), (['drain', 'stop', 'terminate'] as const)[i % 3]);
sim.app.manager.drain();
step(400_000);
console.log(bad === 0 ? 'views and accounting match a fresh build at every step' : `${bad} mismatches`);
process.exit(bad ? 1 : 0);
