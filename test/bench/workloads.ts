/**
 * Deterministic, seeded workloads for the benchmarks (issue #6). Everything here is generated
 * from a seed: the same seed gives the same manifests, byte for byte.
 */
import { API_VERSION, type Resource } from '../../api/meta.js';
import { mulberry32 } from '../../controllers/placement/rng.js';

export const BENCH_CLUSTER = 'bench';
export const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
/** Mixed instance types (registered resources come from the instance-type table). */
export const INSTANCE_TYPES = ['m5.large', 'm5.xlarge', 'c5.2xlarge', 'r5.xlarge', 'm5.2xlarge'];

export interface FleetSpec {
  instances: number;
  services: number;
  tasksPerService: number;
  seed?: number;
}

export const FLEET_1X: FleetSpec = { instances: 1000, services: 500, tasksPerService: 20 };

/** Scale a fleet by `k` (instances and services; tasks per service stay). */
export function scaleFleet(f: FleetSpec, k: number): FleetSpec {
  return { ...f, instances: Math.round(f.instances * k), services: Math.round(f.services * k) };
}

const r = (kind: string, name: string, spec: unknown, extra: Partial<Resource['metadata']> = {}): Resource => ({
  apiVersion: API_VERSION,
  kind,
  metadata: { name, ...extra },
  spec,
});

export function clusterDoc(name = BENCH_CLUSTER, spec: Record<string, unknown> = {}): Resource {
  return r('Cluster', name, spec);
}

export function instanceName(i: number): string {
  return `i-${i.toString(16).padStart(6, '0')}`;
}

/** Container instances: mixed types, round-robin over 3 AZs, custom attributes (stack, tier). */
export function instanceDocs(n: number, seed = 1, cluster = BENCH_CLUSTER): Resource[] {
  const rng = mulberry32(seed);
  const out: Resource[] = [];
  for (let i = 0; i < n; i++) {
    const type = INSTANCE_TYPES[Math.floor(rng() * INSTANCE_TYPES.length)];
    out.push(
      r('ContainerInstance', instanceName(i), {
        cluster,
        attributes: [
          { name: 'ecs.availability-zone', value: AZS[i % AZS.length] },
          { name: 'ecs.instance-type', value: type },
          { name: 'stack', value: rng() < 0.95 ? 'prod' : 'dev' },
          { name: 'tier', value: i % 4 === 0 ? 'edge' : 'core' },
        ],
      }),
    );
  }
  return out;
}

export function familyName(s: number): string {
  return `app-${s.toString().padStart(4, '0')}`;
}

/** One task definition per service; `revision` changes the image (a new revision on apply). */
export function taskDefinitionDoc(s: number, revision = 1): Resource {
  const dynamicPort = s % 2 === 0;
  return r(
    'TaskDefinition',
    familyName(s),
    {
      family: familyName(s),
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [
        {
          name: 'app',
          image: `registry.example/app:${revision}.0.${s}`,
          cpu: 64 + 64 * (s % 2),
          memory: 128 + 128 * (s % 3),
          ...(dynamicPort ? { portMappings: [{ containerPort: 8080, hostPort: 0 }] } : {}),
          healthCheck: { command: ['CMD-SHELL', 'true'], interval: 10, timeout: 5, retries: 3 },
        },
      ],
    },
    { annotations: { 'sim.ecsplane.io/health': 'healthy' } },
  );
}

/**
 * A service: every 4th binpack(memory) + spread(AZ) with a memberOf constraint, the others the
 * ECS default (spread AZ, spread instanceId).
 */
export function serviceDoc(s: number, tasks: number, revision?: number, cluster = BENCH_CLUSTER): Resource {
  const custom = s % 4 === 0;
  return r('Service', `svc-${s.toString().padStart(4, '0')}`, {
    cluster,
    taskDefinition: revision ? `${familyName(s)}:${revision}` : familyName(s),
    desiredCount: tasks,
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    ...(custom
      ? {
          placementStrategy: [
            { type: 'binpack', field: 'memory' },
            { type: 'spread', field: 'attribute:ecs.availability-zone' },
          ],
          placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }],
        }
      : {}),
  });
}

export function fleetDocs(f: FleetSpec): Resource[] {
  const docs: Resource[] = [clusterDoc(), ...instanceDocs(f.instances, f.seed ?? 1)];
  for (let s = 0; s < f.services; s++) docs.push(taskDefinitionDoc(s));
  for (let s = 0; s < f.services; s++) docs.push(serviceDoc(s, f.tasksPerService));
  return docs;
}

/** The rolling deployment: a new revision of every task definition, every service pinned to it. */
export function rolloutDocs(f: FleetSpec): Resource[] {
  const docs: Resource[] = [];
  for (let s = 0; s < f.services; s++) docs.push(taskDefinitionDoc(s, 2));
  for (let s = 0; s < f.services; s++) docs.push(serviceDoc(s, f.tasksPerService, 2));
  return docs;
}
