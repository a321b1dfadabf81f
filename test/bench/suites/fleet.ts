/**
 * The fleet: 500 services × 20 tasks on 1,000 container instances through every loop on the
 * virtual clock (fleet.ts): wall time from an empty store to steady state, then for a rolling
 * deployment of every service to steady state. Growth: the same at 2× and 4× (instances and
 * services), once each, in their own processes (fleetSizeSuite).
 */
import { runFleet } from '../fleet.js';
import { collect, repeat, type FigureResult } from '../harness.js';
import { FLEET_1X, scaleFleet } from '../workloads.js';

export async function fleetSuite(opts: { runs: number }): Promise<FigureResult[]> {
  // Warm-up: a tenth of the fleet, so the measured runs do not pay for the JIT's first compiles.
  runFleet(scaleFleet(FLEET_1X, 0.1), { roll: true });
  collect();
  const runs = await repeat(opts.runs, 0, () => {
    const r = runFleet(FLEET_1X, { roll: true });
    const out = { up: r.upMs / 1000, roll: r.rollMs! / 1000, upV: r.upVirtualMs, rollV: r.rollVirtualMs!, reconciles: r.reconciles, writes: r.writes };
    return out;
  }, collect);
  const r0 = runs[0];
  const f = FLEET_1X;
  const shape = `${f.services} services × ${f.tasksPerService} tasks on ${f.instances} instances`;
  return [
    {
      id: 'fleet.up',
      name: 'fleet empty → steady',
      unit: 's',
      samples: runs.map((r) => r.up),
      target: { op: '<=', value: 3 },
      note: `${shape}; ${r0.upV / 1000} s virtual`,
    },
    {
      id: 'fleet.roll',
      name: 'fleet rolling deploy → steady',
      unit: 's',
      samples: runs.map((r) => r.roll),
      target: { op: '<=', value: 6 },
      note: `new revision of every service (100%/200%); ${r0.rollV / 1000} s virtual; whole run: ${r0.reconciles.toLocaleString('en-US')} reconciles, ${r0.writes.toLocaleString('en-US')} store writes`,
    },
    // Total for the growth figure (the parent compares it with the 2× and 4× runs).
    { id: 'fleet.total', name: 'fleet up + roll (1×)', unit: 's', samples: runs.map((r) => r.up + r.roll) },
  ];
}

/** One fleet run at `k` × the size (growth); reports the up + roll wall time. */
export async function fleetSizeSuite(opts: { k: number }): Promise<FigureResult[]> {
  runFleet(scaleFleet(FLEET_1X, 0.1), { roll: true });
  collect();
  const f = scaleFleet(FLEET_1X, opts.k);
  const r = runFleet(f, { roll: true });
  return [
    { id: `fleet.total.${opts.k}x`, name: `fleet up + roll (${opts.k}×)`, unit: 's', samples: [(r.upMs + r.rollMs!) / 1000], note: `${f.services} services, ${f.instances} instances` },
    { id: `fleet.total.up.${opts.k}x`, name: `fleet up (${opts.k}×)`, unit: 's', samples: [r.upMs / 1000] },
    { id: `fleet.total.roll.${opts.k}x`, name: `fleet roll (${opts.k}×)`, unit: 's', samples: [r.rollMs! / 1000] },
  ];
}
