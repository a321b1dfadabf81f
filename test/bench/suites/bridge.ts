/**
 * The Kubernetes bridge: a steady fleet of 100 services × 20 tasks (on 200 instances) mirrored
 * into a real kube-apiserver (hack/test-apiserver.sh): wall time from starting the bridge until
 * every store object shows up as a custom resource with its status written (as seen by the
 * bridge's own watch caches), and the rate of writes to the kube-apiserver meanwhile.
 */
import { existsSync } from 'node:fs';
import type { App } from '../../../controllers/register.js';
import { createApp } from '../../../controllers/register.js';
import { RealClock } from '../../../controllers/runtime/clock.js';
import { silentLogger } from '../../../controllers/runtime/logger.js';
import type { StoreSnapshot } from '../../../store/store.js';
import { runFleet } from '../fleet.js';
import { type FigureResult } from '../harness.js';
import { FLEET_1X, scaleFleet } from '../workloads.js';

const FLEET = scaleFleet(FLEET_1X, 0.2); // 100 services, 200 instances, 20 tasks each
const TIMEOUT_MS = 180_000;

interface BridgeModule {
  startBridge(app: App, opts: { kubeconfig: string; namespace: string; logger: typeof silentLogger }): Promise<{ bridge: any; stop(): Promise<void> }>;
}

function na(reason: string): FigureResult[] {
  return [
    { id: 'bridge.mirror', name: 'bridge: 2,000 tasks mirrored', unit: 's', samples: [], target: { op: '<=', value: 30 }, na: reason },
    { id: 'bridge.writes', name: 'bridge: status writes', unit: 'writes/s', samples: [], na: reason },
  ];
}

/** Store objects with a status, per kind. */
function expected(snap: StoreSnapshot): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of snap.objects) if (o.status && Object.keys(o.status).length) m.set(o.kind, (m.get(o.kind) ?? 0) + 1);
  return m;
}

async function mirrorOnce(mod: BridgeModule, kubeconfig: string, snap: StoreSnapshot, ns: string, k8s: any): Promise<{ ms: number; writes: number; requests: number }> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  const app = createApp({ clock: new RealClock() });
  app.store.restore(snap);
  const want = expected(snap);
  const t0 = performance.now();
  const running = await mod.startBridge(app, { kubeconfig, namespace: ns, logger: silentLogger });
  const bridge = running.bridge;
  try {
    for (;;) {
      let done = true;
      for (const [kind, n] of want) {
        const refl = bridge.reflectors.get(kind);
        const withStatus = refl ? refl.list().filter((o: any) => o.status && Object.keys(o.status).length).length : 0;
        if (withStatus < n) {
          done = false;
          break;
        }
      }
      if (done) break;
      if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`not mirrored within ${TIMEOUT_MS / 1000} s: ${JSON.stringify(bridge.health())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = performance.now() - t0;
    const s = bridge.stats;
    return { ms, writes: s.statusWrites, requests: s.statusWrites + s.mirrorCreates + s.mirrorUpdates };
  } finally {
    await running.stop();
    (app.clock as RealClock).cancelAll();
    await core.deleteNamespace({ name: ns }).catch(() => undefined);
  }
}

export async function bridgeSuite(opts: { runs: number }): Promise<FigureResult[]> {
  const kubeconfig = process.env.KUBECONFIG;
  if (process.env.BENCH_BRIDGE === '0') return na('skipped (BENCH_BRIDGE=0)');
  if (!kubeconfig || !existsSync(kubeconfig)) return na('no kube-apiserver (KUBECONFIG unset; `make bench` starts hack/test-apiserver.sh)');
  let mod: BridgeModule;
  let k8s: any;
  try {
    mod = (await import('../../../controllers/bridge/index.js')) as unknown as BridgeModule;
    k8s = await import('@kubernetes/client-node');
  } catch (err) {
    return na(`bridge not loadable: ${(err as Error).message}`);
  }
  const snap = runFleet(FLEET).sim.app.store.snapshot();
  const runs: Array<{ ms: number; writes: number; requests: number }> = [];
  try {
    for (let i = 0; i < opts.runs; i++) runs.push(await mirrorOnce(mod, kubeconfig, snap, `bench-${process.pid}-${i}`, k8s));
  } catch (err) {
    return na(`bridge run failed: ${(err as Error).message.slice(0, 300)}`);
  }
  const objects = snap.objects.length;
  return [
    {
      id: 'bridge.mirror',
      name: 'bridge: 2,000 tasks mirrored',
      unit: 's',
      samples: runs.map((r) => r.ms / 1000),
      target: { op: '<=', value: 30 },
      note: `${FLEET.services} services, ${FLEET.services * FLEET.tasksPerService} tasks, ${objects.toLocaleString('en-US')} objects in all, into a fresh namespace; until every CR shows its status`,
    },
    {
      id: 'bridge.writes',
      name: 'bridge: status writes',
      unit: 'writes/s',
      samples: runs.map((r) => r.writes / (r.ms / 1000)),
      target: { op: '>=', value: Math.ceil(objects / 30) },
      digits: 0,
      note: `status subresource writes; with the CR creates ${Math.round(runs[0].requests / (runs[0].ms / 1000))} requests/s; target: all ${objects.toLocaleString('en-US')} objects within the 30 s`,
    },
  ];
}
