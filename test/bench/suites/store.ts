/**
 * The versioned store on its own: status writes per second (the control plane's most common
 * write, through writeStatus as the loops make it) on 10,000 task-shaped objects with the app's
 * indexes; the same with 10 watchers on the kind (watch fan-out); and, on the real clock with
 * every loop running, the latency from a store event to the start of the reconcile it causes, at
 * 2,000 events per second.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Resource } from '../../../api/meta.js';
import { API_VERSION } from '../../../api/meta.js';
import { createApp } from '../../../controllers/register.js';
import { RealClock } from '../../../controllers/runtime/clock.js';
import { registerIndexes } from '../../../controllers/shared/indexes.js';
import { writeStatus } from '../../../controllers/shared/status.js';
import { ResourceStore } from '../../../store/store.js';
import { runFleet } from '../fleet.js';
import { collect, repeat, type FigureResult } from '../harness.js';
import { FLEET_1X, scaleFleet } from '../workloads.js';

const OBJECTS = 10_000;
const WRITES = 200_000;

/** A task as the service scheduler creates it, placed and RUNNING. */
function taskObject(i: number): Resource {
  const svc = `svc-${(i % 500).toString().padStart(4, '0')}`;
  const id = (0x10000000 + i).toString(16).padStart(32, '0');
  const t = '2026-01-01T00:00:05.000Z';
  return {
    apiVersion: API_VERSION,
    kind: 'Task',
    metadata: {
      name: id,
      labels: { 'ecsplane.io/service': svc, 'ecsplane.io/deployment': `ecs-svc/${1000 + (i % 500)}` },
      ownerReferences: [{ apiVersion: API_VERSION, kind: 'Service', name: svc, uid: `uid-${svc}`, controller: true, blockOwnerDeletion: true }],
    },
    spec: { cluster: 'bench', taskDefinition: `app-${i % 500}:1`, launchType: 'EC2', group: `service:${svc}`, startedBy: `ecs-svc/${1000 + (i % 500)}` },
    status: {
      taskArn: `arn:aws:ecs:us-east-1:123456789012:task/bench/${id}`,
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/bench',
      taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/app-${i % 500}:1`,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      launchType: 'EC2',
      group: `service:${svc}`,
      cpu: '128',
      memory: '256',
      createdAt: t,
      containers: [{ name: 'app', image: 'registry.example/app:1', lastStatus: 'RUNNING', essential: true, healthStatus: 'HEALTHY', networkBindings: [{ containerPort: 8080, hostPort: 32768 + (i % 100), protocol: 'tcp', bindIP: '0.0.0.0' }] }],
      healthStatus: 'HEALTHY',
      startedBy: `ecs-svc/${1000 + (i % 500)}`,
      availabilityZone: 'us-east-1a',
      containerInstance: `i-${(i % 1000).toString(16).padStart(6, '0')}`,
      pullStartedAt: t,
      pullStoppedAt: t,
      startedAt: t,
    },
  };
}

/** Status writes per second; with `watchers` subscribers on the kind. */
function writesPerSecond(watchers: number): { rate: number; delivered: number } {
  const store = new ResourceStore({ historySize: 4096 });
  registerIndexes(store);
  for (let i = 0; i < OBJECTS; i++) store.create(taskObject(i));
  let delivered = 0;
  const subs = Array.from({ length: watchers }, () => store.watch('Task').subscribe(() => delivered++));
  const keys = store.list('Task').map((t) => `bench/${t.metadata.name}`);
  const health = ['UNHEALTHY', 'HEALTHY'];
  // Rounds over every object: the writes of a round are prepared first (as a controller would
  // have them: the object it read and the status it computed), then timed: the figure is the cost
  // of writeStatus, the way every loop writes status (compare with what was read, hand the new
  // status over, store it with its version and indexes, announce it).
  let ms = 0;
  for (let round = 0; round < WRITES / OBJECTS; round++) {
    const read = keys.map((k) => store.get('Task', k)!);
    const statuses = read.map((cur) => ({ ...cur.status, healthStatus: health[round & 1] }));
    const t0 = performance.now();
    for (let i = 0; i < OBJECTS; i++) writeStatus(store, read[i], statuses[i]);
    ms += performance.now() - t0;
  }
  for (const s of subs) s.unsubscribe();
  return { rate: (WRITES / ms) * 1000, delivered };
}

export async function storeSuite(opts: { runs: number }): Promise<FigureResult[]> {
  const plain = await repeat(opts.runs, 1, () => writesPerSecond(0).rate, collect);
  const fan = await repeat(opts.runs, 1, () => writesPerSecond(10), collect);
  return [
    {
      id: 'store.writes',
      name: 'store writes',
      unit: 'writes/s',
      samples: plain,
      target: { op: '>=', value: 200_000 },
      digits: 0,
      note: `status writes (writeStatus, as every loop writes) to ${OBJECTS.toLocaleString('en-US')} task objects in turn (the app's indexes, no watchers); the statuses are computed untimed`,
    },
    {
      id: 'store.fanout',
      name: 'store writes, 10 watchers',
      unit: 'writes/s',
      samples: fan.map((f) => f.rate),
      target: { op: '>=', value: 200_000 },
      digits: 0,
      note: `each write delivered to 10 watch subscribers (${(fan[0].delivered / WRITES).toFixed(0)} events per write); target: the write target holds with them`,
    },
  ];
}

const RATE = 2_000; // events per second
const SECONDS = 3;

/** Event → reconcile-start latency (ms) of the task loop, every loop running on the real clock. */
async function latencyRun(): Promise<{ p50: number; p99: number; events: number; rate: number }> {
  // A steady fleet (built on the virtual clock), restored into an app on the real clock.
  const f = scaleFleet(FLEET_1X, 0.1);
  const snap = runFleet(f).sim.app.store.snapshot();
  const app = createApp({ clock: new RealClock(), resyncMs: 5 * 60_000 });
  app.store.restore(snap);
  const task = app.manager.controllers.find((c) => c.name === 'task')!;
  const reconciler = task.options.reconciler as { reconcile(key: string): unknown };
  const inner = reconciler.reconcile.bind(reconciler);
  const writtenAt = new Map<string, number>();
  const latencies: number[] = [];
  reconciler.reconcile = (key: string) => {
    const at = writtenAt.get(key);
    if (at !== undefined) {
      latencies.push(performance.now() - at);
      writtenAt.delete(key);
    }
    return inner(key);
  };
  app.manager.start();
  await app.manager.waitIdle();
  await sleep(100);
  await app.manager.waitIdle();
  // Events: an agent-like label update on one task after another (each a MODIFIED event that
  // wakes the task, service, instance and garbage-collector loops).
  const keys = app.store.list('Task').map((t) => `bench/${t.metadata.name}`);
  let sent = 0;
  const t0 = performance.now();
  for (;;) {
    const elapsed = performance.now() - t0;
    if (elapsed >= SECONDS * 1000) break;
    const due = Math.floor((elapsed / 1000) * RATE);
    while (sent < due) {
      const key = keys[sent % keys.length];
      const cur = app.store.get('Task', key)!;
      if (!writtenAt.has(key)) writtenAt.set(key, performance.now());
      app.store.update({ ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, 'bench.ecsplane.io/beat': String(sent) } } });
      sent++;
    }
    await sleep(1);
  }
  const rate = (sent / (performance.now() - t0)) * 1000;
  await app.manager.waitIdle();
  await app.manager.stop();
  (app.clock as RealClock).cancelAll();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { p50: pct(50), p99: pct(99), events: latencies.length, rate };
}

export async function latencySuite(opts: { runs: number }): Promise<FigureResult[]> {
  const runs = await repeat(opts.runs, 1, () => latencyRun(), collect);
  const note = `task loop, every loop running (real clock, ${scaleFleet(FLEET_1X, 0.1).services} services / ${scaleFleet(FLEET_1X, 0.1).services * 20} tasks), ${RATE.toLocaleString('en-US')} events/s for ${SECONDS} s (achieved ${Math.round(runs[0].rate).toLocaleString('en-US')}/s)`;
  return [
    { id: 'store.latency.p50', name: 'event → reconcile start p50', unit: 'ms', samples: runs.map((r) => r.p50), target: { op: '<=', value: 5 }, note },
    { id: 'store.latency.p99', name: 'event → reconcile start p99', unit: 'ms', samples: runs.map((r) => r.p99), target: { op: '<=', value: 5 }, note: `${runs[0].events.toLocaleString('en-US')} events measured per run` },
  ];
}
