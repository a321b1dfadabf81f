/**
 * ECS's own limits (issue #16), each run in its own process:
 *  - the maximum-size cluster: 5,000 container instances, 2,000 services × 50 tasks (100,000 tasks),
 *    empty → steady, then a rolling deployment of every service → steady; heap per task at steady
 *    state, RSS after the deployment; the state file it leaves for the restart (scaleRestartSuite);
 *  - a virtual day of 200 autoscaled services (day.ts), and the same at 50 and 100 for its growth;
 *  - `ecsplane simulate` of every example, startup included (a child process each).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SecureJsonFile, STATE_FORMAT } from '../../../store/persistence.js';
import { timeRestart } from './memory.js';
import { runFleet } from '../fleet.js';
import { runDay } from '../day.js';
import { collect, summarize, type FigureResult } from '../harness.js';
import { scaleFleet, type FleetSpec } from '../workloads.js';

/** ECS's documented per-cluster limits: 5,000 instances, 5,000 services, 5,000 tasks per service (issue #16's shape). */
export const MAX_CLUSTER: FleetSpec = { instances: 5000, services: 2000, tasksPerService: 50 };

/** One run of the maximum-size cluster (one process): wall times, heap per task, RSS; the state file on request. */
export async function scaleMaxSuite(opts: { statePath?: string; k?: number }): Promise<FigureResult[]> {
  const f = opts.k ? scaleFleet(MAX_CLUSTER, opts.k) : MAX_CLUSTER;
  // Warm-up: a fiftieth of the cluster (JIT), not counted.
  runFleet(scaleFleet(MAX_CLUSTER, 0.02), { roll: true });
  collect();
  const before = process.memoryUsage().heapUsed;
  let heapPerTask = NaN;
  let tasks = 0;
  let stateMB = 0;
  const writes: Promise<void>[] = [];
  const r = runFleet(f, {
    roll: true,
    afterUp: (sim) => {
      collect();
      tasks = sim.app.store.count('Task');
      heapPerTask = (process.memoryUsage().heapUsed - before) / tasks;
      if (opts.statePath) {
        const data = { format: STATE_FORMAT, ...sim.app.store.snapshot() };
        writes.push(new SecureJsonFile(opts.statePath).write(data).then(() => void (stateMB = statSync(opts.statePath!).size / 1e6)));
      }
    },
  });
  await Promise.all(writes);
  collect();
  const rss = process.memoryUsage().rss / 1e6;
  const peak = (process.resourceUsage().maxRSS * 1024) / 1e6;
  const shape = `${f.instances.toLocaleString('en-US')} instances, ${f.services.toLocaleString('en-US')} services × ${f.tasksPerService} tasks`;
  return [
    { id: 'scale.up', name: 'max cluster empty → steady', unit: 's', samples: [r.upMs / 1000], target: { op: '<=', value: 30 }, note: `${shape}; ${r.upVirtualMs / 1000} s virtual` },
    {
      id: 'scale.roll',
      name: 'max cluster rolling deploy → steady',
      unit: 's',
      samples: [r.rollMs! / 1000],
      target: { op: '<=', value: 60 },
      note: `new revision of every service (100%/200%); ${r.rollVirtualMs! / 1000} s virtual; whole run: ${r.reconciles.toLocaleString('en-US')} reconciles, ${r.writes.toLocaleString('en-US')} store writes`,
    },
    {
      id: 'scale.rss',
      name: 'max cluster RSS',
      unit: 'MB',
      samples: [rss],
      target: { op: '<=', value: 1536 },
      digits: 0,
      note: `after the rolling deployment (the replaced tasks kept STOPPED for 1 h), after a full GC; peak during the run ${peak.toFixed(0)} MB`,
    },
    {
      id: 'scale.heapPerTask',
      name: 'max cluster heap per task',
      unit: 'B',
      samples: [heapPerTask],
      target: { op: '<=', value: 3072 },
      digits: 0,
      note: `heap growth at steady state / ${tasks.toLocaleString('en-US')} tasks (store, indexes, caches, events included)${opts.statePath ? `; state file ${stateMB.toFixed(0)} MB` : ''}`,
    },
  ];
}

/** One restart (one process) from the maximum-size cluster's state file: lock, read, parse, restore, every loop until idle. */
export async function scaleRestartSuite(opts: { statePath: string }): Promise<FigureResult[]> {
  const { ms, loadedMs, objects, reconciles } = await timeRestart(opts.statePath);
  return [
    {
      id: 'scale.restart',
      name: 'max cluster restart from state file',
      unit: 's',
      samples: [ms / 1000],
      target: { op: '<=', value: 10 },
      note: `lock + read + parse + restore ${objects.toLocaleString('en-US')} objects: ${(loadedMs / 1000).toFixed(2)} s; then every loop until idle (${reconciles.toLocaleString('en-US')} reconciles)`,
    },
  ];
}

/** The virtual day at `services` (one process, after a short warm-up day). */
export async function daySuite(opts: { services: number; target?: boolean }): Promise<FigureResult[]> {
  runDay(10, '2h');
  collect();
  const r = runDay(opts.services);
  return [
    {
      id: opts.target ? 'day.24h' : `day.total.${opts.services}`,
      name: `24 h day, ${opts.services} services`,
      unit: 's',
      samples: [r.ms / 1000],
      ...(opts.target ? { target: { op: '<=' as const, value: 10 } } : {}),
      note: `target tracking (CPU 50 %) on a daily curve (15–85 %, ±5 noise, every 5 min), capacity provider managed scaling, 2 scheduled actions each; peak ${r.peakTasks.toLocaleString('en-US')} tasks on the hour, at the end ${r.running} RUNNING on ${r.instances} instances; ${r.reconciles.toLocaleString('en-US')} reconciles`,
    },
  ];
}

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(ROOT, 'dist/controllers/cli/main.js');

/** Every example `simulate` can run: the scenario files and the directories of manifests. */
export function simulateExamples(): string[] {
  const out: string[] = ['examples/quickstart'];
  for (const dir of ['examples/scaling', 'examples/scheduler']) {
    for (const f of readdirSync(join(ROOT, dir)).sort()) if (f.endsWith('.yaml')) out.push(`${dir}/${f}`);
  }
  out.push('examples/testing/fixture.yaml');
  return out;
}

/** `ecsplane simulate EXAMPLE` as a user runs it (a fresh node process each: startup included), `runs` times each. */
export async function simulateSuite(opts: { runs: number }): Promise<FigureResult[]> {
  const examples = simulateExamples();
  const perExample = new Map<string, number[]>();
  const slowest: number[] = [];
  for (let run = -1; run < opts.runs; run++) {
    let worst = 0;
    for (const ex of examples) {
      const t0 = performance.now();
      const p = spawnSync(process.execPath, [CLI, 'simulate', ex], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
      const s = (performance.now() - t0) / 1000;
      if (p.status !== 0) throw new Error(`simulate ${ex}: exit ${p.status}: ${String(p.stderr).slice(0, 200)}`);
      if (run < 0) continue; // warm-up: the OS's file cache
      (perExample.get(ex) ?? perExample.set(ex, []).get(ex)!).push(s);
      worst = Math.max(worst, s);
    }
    if (run >= 0) slowest.push(worst);
  }
  const medians = [...perExample].map(([ex, xs]) => [ex, summarize(xs).median] as const).sort((a, b) => b[1] - a[1]);
  return [
    {
      id: 'simulate.examples',
      name: 'simulate, slowest example',
      unit: 's',
      samples: slowest,
      target: { op: '<=', value: 0.5 },
      digits: 2,
      note: `${examples.length} examples, each \`node dist/controllers/cli/main.js simulate EXAMPLE\` (startup included); medians: ${medians.map(([ex, m]) => `${ex.replace(/^examples\//, '')} ${m.toFixed(2)}`).join(', ')}`,
    },
  ];
}
