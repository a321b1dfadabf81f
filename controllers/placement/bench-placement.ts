/**
 * Micro-benchmark of placeTasks: a seeded fleet (mixed instance types, 3 AZs, built-in and custom
 * attributes, some running tasks) and binpack(memory) + spread(attribute:ecs.availability-zone)
 * + a memberOf constraint, one dynamic host port per task.
 *
 *   npx tsx controllers/placement/bench-placement.ts [instances] [tasks] [batch]
 *
 * This file (only) reads the clock: it is a benchmark, not part of the engine.
 */
import { placeTasks } from './place.js';
import { RESERVED_TCP_PORTS } from './ports.js';
import { mulberry32 } from './rng.js';
import type { InstanceView, PlacementStrategy } from './types.js';

const TYPES = [
  { type: 't3.medium', cpu: 2048, memory: 3828 },
  { type: 'm5.large', cpu: 2048, memory: 7680 },
  { type: 'm5.xlarge', cpu: 4096, memory: 15576 },
  { type: 'c5.2xlarge', cpu: 8192, memory: 15360 },
  { type: 'r5.xlarge', cpu: 4096, memory: 31640 },
];
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

export function buildFleet(instances: number, seed = 42): InstanceView[] {
  const rng = mulberry32(seed);
  const fleet: InstanceView[] = [];
  for (let i = 0; i < instances; i++) {
    const t = TYPES[Math.floor(rng() * TYPES.length)];
    const existing = Math.floor(rng() * 4);
    const tasks = Array.from({ length: existing }, (_, k) => ({
      id: `t-${i}-${k}`,
      group: k % 2 ? 'service:web' : 'family:batch',
      serviceKey: k % 2 ? 'default/web' : undefined,
      startedAt: 1_700_000_000_000 + k,
    }));
    const id = `ci-${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}${i}`;
    fleet.push({
      name: id,
      arn: `arn:aws:ecs:us-east-1:000000000000:container-instance/default/${id}`,
      ec2InstanceId: `i-${i.toString(16).padStart(17, '0')}`,
      status: rng() < 0.02 ? 'DRAINING' : 'ACTIVE',
      agentConnected: rng() > 0.01,
      agentVersion: rng() < 0.5 ? '1.82.0' : '1.79.1',
      registeredAt: 1_700_000_000_000 + i * 1000,
      attributes: {
        'ecs.availability-zone': AZS[i % AZS.length],
        'ecs.instance-type': t.type,
        'ecs.os-type': 'linux',
        'ecs.cpu-architecture': 'x86_64',
        stack: rng() < 0.9 ? 'prod' : 'dev',
        'gpu-enabled': null,
      },
      remainingCpu: t.cpu - existing * 256,
      remainingMemory: t.memory - existing * 512,
      usedTcpPorts: new Set([...RESERVED_TCP_PORTS, ...tasks.map((_, k) => 32768 + k)]),
      usedUdpPorts: new Set(),
      tasks,
      // As the control plane's cached views carry it (controllers/shared/views.ts).
      tasksPerService: countPerService(tasks),
    });
  }
  return fleet;
}

function countPerService(tasks: InstanceView['tasks']): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tasks) if (t.serviceKey !== undefined) m.set(t.serviceKey, (m.get(t.serviceKey) ?? 0) + 1);
  return m;
}

export const BENCH_STRATEGY: PlacementStrategy[] = [
  { type: 'binpack', field: 'memory' },
  { type: 'spread', field: 'attribute:ecs.availability-zone' },
];
export const BENCH_EXPRESSION = 'attribute:ecs.os-type == linux and attribute:stack in [prod, shared] and not (attribute:ecs.instance-type =~ t2.*)';

/**
 * Place `tasks` tasks on a fleet of `instances`, in requests of `batch` tasks (default: one
 * request for all). Between requests the placements are applied to the fleet views, as the
 * service scheduler would.
 */
export function benchPlacement(
  instances: number,
  tasks: number,
  opts: { batch?: number; strategy?: PlacementStrategy[] } = {},
): { tasksPerSecond: number; placed: number; ms: number } {
  const fleet = buildFleet(instances);
  const byName = new Map(fleet.map((f) => [f.name, f]));
  const rng = mulberry32(7);
  const batch = Math.max(1, opts.batch ?? tasks);
  const task = { cpu: 128, memory: 256, staticTcpPorts: [], staticUdpPorts: [], dynamicTcpPorts: 1, dynamicUdpPorts: 0, group: 'service:api', serviceKey: 'default/api' };
  const constraints = [{ type: 'memberOf' as const, expression: BENCH_EXPRESSION }];
  const strategy = opts.strategy ?? BENCH_STRATEGY;
  let placed = 0;
  const t0 = performance.now();
  for (let left = tasks; left > 0; ) {
    const count = Math.min(batch, left);
    const res = placeTasks({ instances: fleet, task, count, constraints, strategy, rng });
    placed += res.placements.length;
    left -= count;
    if (res.unplaced > 0) break;
    if (batch < tasks) {
      for (const p of res.placements) {
        const inst = byName.get(p.instance)!;
        inst.remainingCpu -= task.cpu;
        inst.remainingMemory -= task.memory;
        for (const port of p.tcpHostPorts) inst.usedTcpPorts.add(port);
        inst.tasks.push({ id: `new-${placed}-${inst.tasks.length}`, group: task.group, serviceKey: task.serviceKey });
        const perService = inst.tasksPerService as Map<string, number>;
        perService.set(task.serviceKey, (perService.get(task.serviceKey) ?? 0) + 1);
      }
    }
  }
  const ms = performance.now() - t0;
  return { tasksPerSecond: Math.round((placed / ms) * 1000), placed, ms: Math.round(ms * 10) / 10 };
}

const isMain = process.argv[1] !== undefined && /bench-placement\.[tj]s$/.test(process.argv[1]);
if (isMain) {
  const args = process.argv.slice(2).map(Number);
  if (args.length >= 2) {
    console.log(benchPlacement(args[0], args[1], { batch: args[2] || undefined }));
  } else {
    benchPlacement(1000, 2000); // warm-up
    for (const [inst, tasks] of [
      [1000, 10000],
      [5000, 2000],
    ]) {
      console.log(`${inst} instances, ${tasks} tasks, one request:`, benchPlacement(inst, tasks));
      console.log(`${inst} instances, ${tasks} tasks, requests of 10:`, benchPlacement(inst, tasks, { batch: 10 }));
      console.log(
        `${inst} instances, ${tasks} tasks, spread(AZ)+binpack(memory), one request:`,
        benchPlacement(inst, tasks, { strategy: [BENCH_STRATEGY[1], BENCH_STRATEGY[0]] }),
      );
    }
  }
}
