/**
 * Placement throughput through the pure placement engine (controllers/placement): a seeded fleet
 * (mixed instance types, 3 AZs, built-in and custom attributes, some tasks already running) and
 * tasks with binpack(memory) + spread(attribute:ecs.availability-zone) + a memberOf constraint and
 * one dynamic host port each, placed in requests of 10 tasks (as a service scaling out); between
 * requests the placements are applied to the fleet, as the service scheduler's views would show.
 */
import { benchPlacement } from '../../../controllers/placement/bench-placement.js';
import { collect, repeat, type FigureResult } from '../harness.js';

const BATCH = 10;

function tasksPerSecond(instances: number, tasks: number): number {
  const r = benchPlacement(instances, tasks, { batch: BATCH });
  if (r.placed !== tasks) throw new Error(`placement bench placed ${r.placed} of ${tasks} tasks on ${instances} instances`);
  return (r.placed / r.ms) * 1000;
}

export async function placementSuite(opts: { runs: number }): Promise<FigureResult[]> {
  const runs = opts.runs;
  const at1000 = await repeat(runs, 1, () => tasksPerSecond(1000, 10_000), collect);
  const at5000 = await repeat(runs, 1, () => tasksPerSecond(5000, 5_000), collect);
  // Growth: the same number of tasks on 1×, 2×, 4× the instances; cost per task should grow
  // linearly with the instances a placement looks at (exponent 1), not faster.
  const sizes = [1000, 2000, 4000];
  const growth: number[][] = [];
  for (const n of sizes) growth.push(await repeat(runs, 1, () => tasksPerSecond(n, 5_000), collect));
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const cost = growth.map((g) => 1e6 / med(g)); // µs per task, median of the runs
  const exponent = (a: number, b: number, k: number) => Math.log(b / a) / Math.log(k);
  // Each step and overall, from the medians (single-run ratios are too noisy on a shared machine).
  const steps = [exponent(cost[0], cost[1], 2), exponent(cost[1], cost[2], 2), exponent(cost[0], cost[2], 4)];
  return [
    {
      id: 'placement.1000',
      name: 'placement @1,000 instances',
      unit: 'tasks/s',
      samples: at1000,
      target: { op: '>=', value: 10_000 },
      digits: 0,
      note: `10,000 tasks in requests of ${BATCH}; binpack(memory)+spread(AZ)+memberOf, 1 dynamic port each`,
    },
    {
      id: 'placement.5000',
      name: 'placement @5,000 instances',
      unit: 'tasks/s',
      samples: at5000,
      target: { op: '>=', value: 2_000 },
      digits: 0,
      note: `5,000 tasks in requests of ${BATCH}`,
    },
    {
      id: 'placement.5000.max',
      name: 'placement @5,000 instances (issue #16)',
      unit: 'tasks/s',
      samples: at5000,
      target: { op: '>=', value: 10_000 },
      digits: 0,
      note: 'the same runs as the line above, against issue #16\'s target for a maximum-size cluster',
    },
    {
      id: 'growth.placement',
      name: 'growth: placement cost/task 1×→2×→4×',
      unit: 'exp',
      samples: steps,
      target: { op: '<=', value: 1.25 },
      digits: 2,
      note: `median µs/task at ${sizes.join(' / ')} instances: ${cost.map((c) => c.toFixed(1)).join(' / ')} (×${(cost[1] / cost[0]).toFixed(2)}, ×${(cost[2] / cost[0]).toFixed(2)}); exponent of each step and overall, 1 = linear in instances`,
    },
  ];
}
