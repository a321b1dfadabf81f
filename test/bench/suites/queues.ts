/**
 * Queues (issue #13): the backlog-scaling example (10,000 messages, target tracking on backlog per task,
 * 40 virtual minutes, every loop) and the aggregate queue model on its own: 10,000 separate sends then
 * one virtual hour of 20 consumers stepped once a second. Wall times.
 */
import { resolve } from 'node:path';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { emptyQueue, enqueue, stepQueue } from '../../../controllers/queues/model.js';
import { Simulation } from '../../../controllers/simulation/runner.js';
import { collect, repeat, type FigureResult } from '../harness.js';

function backlogExample(): { ms: number; desired: number } {
  const docs = loadManifests([resolve('examples/queues/backlog-scaling.yaml')]);
  const t0 = performance.now();
  const sim = new Simulation(docs);
  sim.run();
  return { ms: performance.now() - t0, desired: sim.app.store.get('Service', 'jobs/worker')?.status?.desiredCount };
}

function modelHour(): { ms: number; cohorts: number } {
  const T0 = Date.UTC(2026, 0, 1);
  const t0 = performance.now();
  let s = emptyQueue(T0);
  for (let i = 0; i < 10_000; i++) s = enqueue(s, 1, T0 + i * 100, 0);
  const consumers = Array.from({ length: 20 }, (_, i) => ({ task: `jobs/t${i}`, ratePerSecond: 5 }));
  const settings = { delaySeconds: 0, retentionSeconds: 345_600, visibilityTimeoutSeconds: 30 };
  let cohorts = 0;
  for (let sec = 1000; sec <= 1000 + 3600; sec++) {
    s = stepQueue(s, T0 + sec * 1000, settings, consumers, false).state;
    cohorts = Math.max(cohorts, s.visible.length + s.inFlight.length);
  }
  return { ms: performance.now() - t0, cohorts };
}

export async function queuesSuite(opts: { runs: number }): Promise<FigureResult[]> {
  const example = await repeat(opts.runs, 1, () => backlogExample(), collect);
  const model = await repeat(opts.runs, 1, () => modelHour(), collect);
  return [
    {
      id: 'queues.backlog',
      name: 'queue backlog example, 40 min',
      unit: 's',
      samples: example.map((x) => x.ms / 1000),
      target: { op: '<=', value: 3 },
      note: `examples/queues/backlog-scaling.yaml: 10,000 messages, 1 → 20 → ${example[0].desired} tasks`,
    },
    {
      id: 'queues.model',
      name: 'queue model: 10,000 sends + 1 h at 1 s',
      unit: 's',
      samples: model.map((x) => x.ms / 1000),
      target: { op: '<=', value: 1 },
      note: `20 consumers at 5/s; at most ${model[0].cohorts} cohorts at once`,
    },
  ];
}
