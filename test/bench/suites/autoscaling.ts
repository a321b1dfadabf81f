/**
 * Autoscaling: one virtual hour of 50 services under Application Auto Scaling target tracking
 * (CPU 50 %), placed through a capacity provider with managed scaling on an Auto Scaling group,
 * with load that rises, falls and rises again per service (staggered). Wall time of the
 * simulation (`ecsplane simulate` semantics: every loop, virtual clock).
 */
import type { Resource } from '../../../api/meta.js';
import { autoscaledService, managedCapacity, resource } from '../capacity-fixture.js';
import { Simulation } from '../../../controllers/simulation/runner.js';
import { collect, repeat, type FigureResult } from '../harness.js';

export const AUTOSCALED_SERVICES = 50;

const r = resource;

export function autoscalingDocs(n = AUTOSCALED_SERVICES): Resource[] {
  const docs: Resource[] = managedCapacity({ suffix: 'bench', cluster: 'scale', maxSize: 200, desired: 20 });
  const steps: unknown[] = [];
  for (let s = 0; s < n; s++) {
    const name = `svc-${s.toString().padStart(2, '0')}`;
    docs.push(...autoscaledService('scale', name).docs);
    // Staggered load: up, down, up again.
    const off = (s % 10) * 30_000;
    steps.push(
      { at: `${(120_000 + off) / 1000}s`, load: { cluster: 'scale', service: name, cpuUtilization: 85 } },
      { at: `${(1_500_000 + off) / 1000}s`, load: { cluster: 'scale', service: name, cpuUtilization: 15 } },
      { at: `${(2_700_000 + off) / 1000}s`, load: { cluster: 'scale', service: name, cpuUtilization: 70 } },
    );
  }
  docs.push(r('Scenario', 'autoscaling-bench', { seed: 1, until: '60m', sampleEvery: '60m', steps }));
  return docs;
}

function hour(): { ms: number; tasks: number; instances: number } {
  const docs = autoscalingDocs();
  const t0 = performance.now();
  const sim = new Simulation(docs);
  sim.run();
  const ms = performance.now() - t0;
  const store = sim.app.store;
  const running = store.list('Task').filter((t) => t.status?.lastStatus === 'RUNNING').length;
  return { ms, tasks: running, instances: store.count('ContainerInstance') };
}

export async function autoscalingSuite(opts: { runs: number }): Promise<FigureResult[]> {
  const runs = await repeat(opts.runs, 1, () => hour(), collect);
  const r0 = runs[0];
  return [
    {
      id: 'autoscaling.hour',
      name: 'autoscaling 1 h, 50 services',
      unit: 's',
      samples: runs.map((x) => x.ms / 1000),
      target: { op: '<=', value: 2 },
      note: `target tracking + capacity provider managed scaling; at the end ${r0.tasks} tasks RUNNING on ${r0.instances} instances`,
    },
  ];
}
