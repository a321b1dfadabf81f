/**
 * Memory of the fleet (500 services × 20 tasks on 1,000 instances): heap bytes per task at steady
 * state (everything the process holds for the fleet — store, indexes, caches, events — divided by
 * the tasks; measured after a small warm-up fleet, so code loaded once is not counted), the
 * process's peak RSS over the whole run (steady state and a rolling deployment), and the restart:
 * a fresh control plane on the real clock opening a lowdb state file holding the steady fleet
 * (lock, read, parse, restore) and reconciling everything until every queue is idle.
 */
import { rmSync } from 'node:fs';
import { createApp } from '../../../controllers/register.js';
import { RealClock } from '../../../controllers/runtime/clock.js';
import { openState } from '../../../controllers/cli/state.js';
import { SecureJsonFile, STATE_FORMAT } from '../../../store/persistence.js';
import { runFleet } from '../fleet.js';
import { collect, type FigureResult } from '../harness.js';
import { FLEET_1X, scaleFleet } from '../workloads.js';

/** One run (one process): heap per task, peak RSS; writes the state file when `statePath` is given. */
export async function memorySuite(opts: { statePath?: string }): Promise<FigureResult[]> {
  // Warm-up: a fiftieth of the fleet, not counted, as the scale suite does. The modules `run` and
  // `simulate` load on first use (validators, metrics, the scenario runner) and the JIT's code are the
  // process's once, not the tasks'; without it they were ~950 B of each task's figure.
  runFleet(scaleFleet(FLEET_1X, 0.02), { roll: true });
  collect();
  const before = process.memoryUsage().heapUsed;
  let heapPerTask = NaN;
  let tasks = 0;
  let objects = 0;
  let stateBytes = 0;
  const writes: Promise<void>[] = [];
  runFleet(FLEET_1X, {
    roll: true,
    afterUp: (sim) => {
      collect();
      tasks = sim.app.store.count('Task');
      heapPerTask = (process.memoryUsage().heapUsed - before) / tasks;
      if (opts.statePath) {
        const snap = sim.app.store.snapshot();
        objects = snap.objects.length;
        const data = { format: STATE_FORMAT, ...snap };
        stateBytes = JSON.stringify(data).length;
        writes.push(new SecureJsonFile(opts.statePath).write(data));
      }
    },
  });
  await Promise.all(writes);
  collect();
  const rss = process.memoryUsage().rss / 1e6;
  const peakRss = (process.resourceUsage().maxRSS * 1024) / 1e6;
  return [
    {
      id: 'memory.heapPerTask',
      name: 'heap per task',
      unit: 'B',
      samples: [heapPerTask],
      target: { op: '<=', value: 4096 },
      digits: 0,
      note: `heap growth at steady state / ${tasks.toLocaleString('en-US')} tasks (store, indexes, caches, events included)`,
    },
    {
      id: 'memory.rss',
      name: 'fleet RSS',
      unit: 'MB',
      samples: [rss],
      target: { op: '<=', value: 250 },
      digits: 0,
      note: `resident set holding the fleet after the rolling deployment (20,000 tasks incl. the stopped ones, kept 1 h), after a full GC; peak during the run ${peakRss.toFixed(0)} MB`,
    },
    ...(opts.statePath
      ? [{ id: 'memory.stateFile', name: 'state file', unit: 'MB', samples: [stateBytes / 1e6], note: `${objects.toLocaleString('en-US')} objects` }]
      : []),
  ];
}

/** A restart from a state file as `run --state` makes it: lock, read, parse, restore, then every loop until idle. */
export async function timeRestart(statePath: string): Promise<{ ms: number; loadedMs: number; objects: number; reconciles: number }> {
  rmSync(`${statePath}.lock`, { force: true });
  const t0 = performance.now();
  const clock = new RealClock();
  const app = createApp({ clock, resyncMs: 5 * 60_000 });
  const state = await openState(app, statePath);
  const loadedMs = performance.now() - t0;
  app.manager.start();
  await app.manager.waitIdle(1);
  const ms = performance.now() - t0;
  const objects = app.store.snapshot().objects.length;
  const reconciles = app.manager.controllers.reduce((a, c) => a + c.stats.reconciles, 0);
  await app.manager.stop();
  clock.cancelAll();
  state.release();
  return { ms, loadedMs, objects, reconciles };
}

/** One restart (one process) from the state file. */
export async function restartSuite(opts: { statePath: string }): Promise<FigureResult[]> {
  const { ms, loadedMs, objects, reconciles } = await timeRestart(opts.statePath);
  return [
    {
      id: 'memory.restart',
      name: 'restart with fleet state',
      unit: 's',
      samples: [ms / 1000],
      target: { op: '<=', value: 2 },
      note: `lock + read + parse + restore ${objects.toLocaleString('en-US')} objects: ${(loadedMs / 1000).toFixed(2)} s; then every loop until idle (${reconciles.toLocaleString('en-US')} reconciles); code already loaded`,
    },
  ];
}
