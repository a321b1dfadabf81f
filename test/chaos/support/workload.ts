/**
 * The chaos workload: a cluster and its instances (the `run -f` manifest), and services whose
 * rolling deployments the applies trigger. What the state file says about them is read here:
 * tasks over maxPercent, convergence, what an acknowledged apply left.
 */
import type { Resource } from '../../../api/meta.js';

export interface ServicePlan {
  name: string;
  desiredCount: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
}

/** Different rolling shapes: 50/150 adds two tasks at a time, 100/200 doubles, 0/100 replaces in place. */
export const SERVICES: ServicePlan[] = [
  { name: 'web', desiredCount: 4, minimumHealthyPercent: 50, maximumPercent: 150 },
  { name: 'api', desiredCount: 3, minimumHealthyPercent: 100, maximumPercent: 200 },
  { name: 'worker', desiredCount: 2, minimumHealthyPercent: 0, maximumPercent: 100 },
];

export const SEQ_ANNOTATION = 'chaos.ecsplane.io/seq';
const API = 'ecsplane.io/v1alpha1';

/** What `run -f` applies at every start: the cluster and its instances (unchanged after the first time). */
export function infrastructure(): Resource[] {
  return [
    { apiVersion: API, kind: 'Cluster', metadata: { name: 'prod' }, spec: {} },
    ...['i-1', 'i-2'].map((name) => ({
      apiVersion: API,
      kind: 'ContainerInstance',
      metadata: { name },
      spec: {
        cluster: 'prod',
        totalResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 4096 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 8192 },
        ],
      },
    })),
  ];
}

/** A rolling deployment of one service: a changed task definition and a new force-deployment token. */
export function rollout(svc: ServicePlan, seq: number): Resource[] {
  return [
    {
      apiVersion: API,
      kind: 'TaskDefinition',
      metadata: { name: svc.name, annotations: { 'sim.ecsplane.io/start-delay': '1s' } },
      spec: {
        family: svc.name,
        containerDefinitions: [
          {
            name: 'app',
            image: 'nginx:1',
            memory: 128,
            environment: [{ name: 'MARK', value: String(seq) }],
            healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, timeout: 2, retries: 1 },
          },
        ],
      },
    },
    {
      apiVersion: API,
      kind: 'Service',
      metadata: { name: svc.name, annotations: { [SEQ_ANNOTATION]: String(seq), 'ecsplane.io/force-new-deployment': String(seq) } },
      spec: {
        cluster: 'prod',
        taskDefinition: svc.name,
        desiredCount: svc.desiredCount,
        deploymentConfiguration: { minimumHealthyPercent: svc.minimumHealthyPercent, maximumPercent: svc.maximumPercent },
      },
    },
  ];
}

export function extraCluster(seq: number): Resource[] {
  return [{ apiVersion: API, kind: 'Cluster', metadata: { name: `chaos-${seq}` }, spec: {} }];
}

/** Tasks the scheduler keeps (desiredStatus RUNNING) per service. */
function liveTasks(objects: Resource[]): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const t of objects) {
    if (t.kind !== 'Task' || t.status?.desiredStatus !== 'RUNNING') continue;
    const owner = t.metadata.ownerReferences?.find((r) => r.kind === 'Service')?.name;
    if (!owner) continue;
    out.set(owner, [...(out.get(owner) ?? []), t]);
  }
  return out;
}

/** Services with more live tasks than floor(desired × maximumPercent / 100). */
export function servicesAboveMaxPercent(objects: Resource[]): string[] {
  const live = liveTasks(objects);
  const over: string[] = [];
  for (const s of objects) {
    if (s.kind !== 'Service') continue;
    const max = Math.floor((s.spec.desiredCount * (s.spec.deploymentConfiguration?.maximumPercent ?? 200)) / 100);
    const n = live.get(s.metadata.name)?.length ?? 0;
    if (n > max) over.push(`${s.metadata.name}: ${n} live tasks > ${max}`);
  }
  return over;
}

/** Every service has one COMPLETED deployment and exactly its desired count of RUNNING tasks. */
export function converged(objects: Resource[]): boolean {
  const live = liveTasks(objects);
  const services = objects.filter((o) => o.kind === 'Service');
  return (
    services.length === SERVICES.length &&
    services.every((s) => {
      const st = s.status ?? {};
      const tasks = live.get(s.metadata.name) ?? [];
      return (
        st.deployments?.length === 1 &&
        st.deployments[0].rolloutState === 'COMPLETED' &&
        st.runningCount === s.spec.desiredCount &&
        tasks.length === s.spec.desiredCount &&
        tasks.every((t) => t.status?.lastStatus === 'RUNNING')
      );
    })
  );
}

/** The sequence number an object of a rollout carries in the file (-1: absent). */
export function seqOf(objects: Resource[], kind: 'Service' | 'TaskDefinition', name: string): number {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) return -1;
  const value = kind === 'Service' ? o.metadata.annotations?.[SEQ_ANNOTATION] : o.spec.containerDefinitions?.[0]?.environment?.find((e: any) => e.name === 'MARK')?.value;
  return value === undefined ? -1 : Number(value);
}
