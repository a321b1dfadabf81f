/**
 * The AWS API side by side (issue 11, "Speed, side by side"): the same workload (api-workload.ts)
 * with the same client against ecsplane and against moto's server, both child processes on
 * 127.0.0.1, one client and 8 concurrent clients: ops/s per phase for each and the ratio (target
 * ecsplane ≥ 5× moto). The main figures use the light client (api-raw-client.ts: the SDK's requests
 * prepared before the phase, written to a socket), whose own cost does not hide the servers'; the same
 * workload with those requests sent through node:http, and through @aws-sdk/client-ecs, follows as
 * secondary figures (one run each, no target). Then, ecsplane only,
 * DescribeServices p99 latency with 10,000 tasks in the store (100 services × 100 tasks; target ≤ 5 ms).
 */
import * as E from '@aws-sdk/client-ecs';
import { startEcsplane, startMoto, type ApiServer } from '../api-servers.js';
import { RawClient, recordRequests } from '../api-raw-client.js';
import { CLUSTER, instanceInput, newClient, PHASE_NAMES, runWorkload, svcName, taskDefinitionInput, type ClientKind } from '../api-workload.js';
import type { FigureResult } from '../harness.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';

const CONCURRENCY = [1, 8];
export const RATIO_TARGET = 5;
const P99_TARGET_MS = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function samplesOf(server: ApiServer, clients: number, runs: number, kind: ClientKind): Promise<Array<Map<string, number>>> {
  const out: Array<Map<string, number>> = [];
  for (let r = 0; r < runs; r++) {
    await server.reset();
    const ec2Ids = await server.ec2Instances?.(100);
    out.push(await runWorkload(server.endpoint, clients, ec2Ids, kind));
  }
  return out;
}

/** The latencies (ms, sorted) of `calls` one after another. */
async function timed(calls: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const lat: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await call(i);
    lat.push(performance.now() - t0);
  }
  return lat.sort((a, b) => a - b);
}

/** A store of `services` × `tasksPerService` tasks on `instances` instances (2 vCPU, 8 GiB; tasks of 10 CPU, 32 MiB). */
export interface LatencyShape {
  services: number;
  tasksPerService: number;
  instances: number;
  /** Wait until every task is RUNNING (the loops quiet), not only placed. */
  steady?: boolean;
}

const LATENCY_10K: LatencyShape = { services: 100, tasksPerService: 100, instances: 100 };

/** DescribeServices latency (ms per call, 10 services a call) on a store holding `shape`'s tasks: light client, then SDK. */
async function describeLatency(server: ApiServer, shape: LatencyShape = LATENCY_10K): Promise<{ sorted: number[]; sdkSorted: number[]; tasks: number }> {
  await server.reset();
  const ecs = newClient(server.endpoint);
  const name = (i: number) => (shape.services === LATENCY_10K.services ? svcName(i) : `svc-${String(i % shape.services).padStart(4, '0')}`);
  const want = shape.services * shape.tasksPerService;
  try {
    await ecs.send(new E.CreateClusterCommand({ clusterName: CLUSTER }));
    for (let i = 0; i < 100; i++) await ecs.send(new E.RegisterTaskDefinitionCommand(taskDefinitionInput(i, 10, 32)));
    for (let i = 0; i < shape.instances; i++) await ecs.send(new E.RegisterContainerInstanceCommand(instanceInput(i, 2048, 8192)));
    for (let i = 0; i < shape.services; i++) {
      await ecs.send(new E.CreateServiceCommand({ cluster: CLUSTER, serviceName: name(i), taskDefinition: `app-${i % 100}`, desiredCount: shape.tasksPerService, launchType: 'EC2' }));
    }
    // Bounded wait for the scheduler to place every task (PENDING or RUNNING; with `steady`, RUNNING).
    const deadline = Date.now() + 120_000 + want * 2;
    let tasks = 0;
    while (tasks < want && Date.now() < deadline) {
      tasks = 0;
      for (let i = 0; i < shape.services / 10; i++) {
        const d = await ecs.send(new E.DescribeServicesCommand({ cluster: CLUSTER, services: Array.from({ length: 10 }, (_, k) => name(i * 10 + k)) }));
        for (const s of d.services ?? []) tasks += (s.runningCount ?? 0) + (shape.steady ? 0 : (s.pendingCount ?? 0));
      }
      if (tasks < want) await new Promise((r) => setTimeout(r, 1000));
    }
    const describeServicesCommand = (i: number) => new E.DescribeServicesCommand({ cluster: CLUSTER, services: Array.from({ length: 10 }, (_, k) => name(i * 10 + k)) });
    const prepared = await recordRequests(server.endpoint, Array.from({ length: 1000 }, (_, i) => describeServicesCommand(i)));
    const raw = new RawClient(server.endpoint);
    try {
      const sorted = await timed(1000, (i) => raw.send(prepared[i]));
      const sdkSorted = await timed(1000, (i) => ecs.send(describeServicesCommand(i)));
      return { sorted, sdkSorted, tasks };
    } finally {
      raw.destroy();
    }
  } finally {
    ecs.destroy();
  }
}

export async function apiSuite(opts: { runs: number }): Promise<FigureResult[]> {
  const runs = Math.max(1, opts.runs);
  const figures: FigureResult[] = [];
  const ecsplane = await startEcsplane();
  let moto: ApiServer | undefined;
  let motoWhy = 'moto not installed (make moto)';
  try {
    moto = await startMoto();
  } catch (err) {
    motoWhy = `moto did not start: ${(err as Error).message.slice(0, 120)}`;
  }
  try {
    // Warm-up: one single-client run each (JIT, connection pools), not counted.
    await samplesOf(ecsplane, 1, 1, 'raw');
    if (moto) await samplesOf(moto, 1, 1, 'raw');
    const clientLabel: Record<ClientKind, string> = { raw: '', http: ' (node:http client)', sdk: ' (@aws-sdk client)' };
    for (const [kind, prefix, kindRuns] of [['raw', 'api', runs], ['http', 'api.http', 1], ['sdk', 'api.sdk', 1]] as const) {
      for (const clients of CONCURRENCY) {
        const ours = await samplesOf(ecsplane, clients, kindRuns, kind);
        const theirs = moto ? await samplesOf(moto, clients, kindRuns, kind) : [];
        for (const [phase, ops] of PHASE_NAMES) {
          const base = `${prefix}.c${clients}.${phase}`;
          const label = `API${clientLabel[kind]} ${clients === 1 ? '1 client' : `${clients} clients`} ${phase}${ops > 1 ? ` ×${ops}` : ''}`;
          const a = ours.map((m) => m.get(phase)!);
          const b = theirs.map((m) => m.get(phase)!);
          figures.push({ id: `${base}.ecsplane`, name: `${label}: ecsplane`, unit: 'ops/s', samples: a, digits: 0 });
          figures.push({ id: `${base}.moto`, name: `${label}: moto`, unit: 'ops/s', samples: b, digits: 0, na: moto ? undefined : motoWhy });
          figures.push({
            id: `${base}.ratio`,
            name: `${label}: ecsplane / moto`,
            unit: '×',
            samples: b.length ? a.map((x, i) => x / b[i]) : [],
            ...(kind === 'raw' ? { target: { op: '>=' as const, value: RATIO_TARGET } } : {}),
            digits: 1,
            na: moto ? undefined : motoWhy,
          });
        }
      }
    }
    const p99s: number[] = [];
    const p50s: number[] = [];
    const sdkP99s: number[] = [];
    let tasks = 0;
    for (let r = 0; r < runs; r++) {
      const l = await describeLatency(ecsplane);
      p99s.push(percentile(l.sorted, 99));
      p50s.push(percentile(l.sorted, 50));
      sdkP99s.push(percentile(l.sdkSorted, 99));
      tasks = l.tasks;
    }
    figures.push({
      id: 'api.describeServices.p99',
      name: 'API DescribeServices p99, 10,000 tasks',
      unit: 'ms',
      samples: p99s,
      target: { op: '<=', value: P99_TARGET_MS },
      digits: 2,
      note: `1,000 calls of 10 services each, 100 services × 100 tasks (${tasks} placed), light client; p50 ${p50s.map((v) => v.toFixed(2)).join(', ')} ms; through @aws-sdk/client-ecs p99 ${sdkP99s.map((v) => v.toFixed(2)).join(', ')} ms`,
    });
  } finally {
    await ecsplane.stop();
    await moto?.stop();
  }
  return figures;
}

/** Issue #16: DescribeServices p99 with 100,000 tasks in the store (1,000 services × 100 on 600 instances), ecsplane alone. */
export async function apiScaleSuite(opts: { runs: number }): Promise<FigureResult[]> {
  // Measured once every task runs: the latency of a steady store, not of one still starting 100,000 tasks.
  const shape: LatencyShape = { services: 1000, tasksPerService: 100, instances: 600, steady: true };
  const ecsplane = await startEcsplane();
  const p99s: number[] = [];
  const p50s: number[] = [];
  let tasks = 0;
  try {
    for (let r = 0; r < Math.max(1, opts.runs); r++) {
      const l = await describeLatency(ecsplane, shape);
      p99s.push(percentile(l.sorted, 99));
      p50s.push(percentile(l.sorted, 50));
      tasks = l.tasks;
    }
  } finally {
    await ecsplane.stop();
  }
  return [
    {
      id: 'api.describeServices.p99.100k',
      name: 'API DescribeServices p99, 100,000 tasks',
      unit: 'ms',
      samples: p99s,
      target: { op: '<=', value: P99_TARGET_MS },
      digits: 2,
      note: `1,000 calls of 10 services each, ${shape.services.toLocaleString('en-US')} services × ${shape.tasksPerService} tasks (${tasks.toLocaleString('en-US')} RUNNING) on ${shape.instances} instances, light client; p50 ${p50s.map((v) => v.toFixed(2)).join(', ')} ms`,
    },
  ];
}
