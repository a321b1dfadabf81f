// temporary: dump a fleet simulation (for before/after equivalence)
import 'reflect-metadata';
import { Simulation } from '../../controllers/simulation/runner.js';
import { instanceAction } from '../../controllers/simulation/actions.js';
import { fleetDocs, rolloutDocs, scaleFleet, FLEET_1X, BENCH_CLUSTER, instanceName } from './workloads.js';
const f = scaleFleet(FLEET_1X, Number(process.argv[2] ?? 0.1));
const sim = new Simulation(fleetDocs(f), { sampleEveryMs: 30_000, untilMs: 3600_000 });
sim.start();
sim.runUntil(60_000);
for (const d of rolloutDocs(f)) { sim.app.api.apply(d); sim.app.manager.drain(); }
sim.runUntil(150_000);
for (let i = 0; i < 6; i++) instanceAction(sim.app.store, BENCH_CLUSTER, instanceName(i), (['drain', 'stop', 'terminate'] as const)[i % 3]);
sim.app.manager.drain();
sim.runUntil(400_000);
process.stdout.write(JSON.stringify(sim.result()));
