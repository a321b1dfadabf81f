/** Samples of the simulation: the service and instance figures the output contract names. */
import { clusterOf, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';

export interface ServiceSample {
  cluster: string;
  name: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  deployments: Array<{
    id: string;
    status: string;
    taskDefinition: string;
    desiredCount: number;
    runningCount: number;
    pendingCount: number;
    failedTasks: number;
    rolloutState: string;
  }>;
}

export interface InstanceSample {
  cluster: string;
  name: string;
  status: string;
  agentConnected: boolean;
  runningTasksCount: number;
  remainingResources: { cpu: number; memory: number };
}

/** EventBridge rules and Scheduler schedules (only in samples when there are any). */
export interface InvokerSample {
  name: string;
  invocations: number;
  tasksStarted: number;
  failedInvocations: number;
}

export interface Sample {
  /** Seconds since the start. */
  t: number;
  services: ServiceSample[];
  containerInstances: InstanceSample[];
  rules?: InvokerSample[];
  schedules?: InvokerSample[];
}

function invokers(store: ResourceStore, kind: string): InvokerSample[] {
  return store
    .list(kind)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .map((r) => ({
      name: r.metadata.name,
      invocations: r.status?.invocations ?? 0,
      tasksStarted: r.status?.tasksStarted ?? 0,
      failedInvocations: r.status?.failedInvocations ?? 0,
    }));
}

const byKey = (a: Resource, b: Resource) => {
  const ka = `${clusterOf(a)}/${a.metadata.name}`;
  const kb = `${clusterOf(b)}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

export function buildSample(store: ResourceStore, tMs: number): Sample {
  const services = store
    .list('Service')
    .sort(byKey)
    .map((s) => ({
      cluster: clusterOf(s),
      name: s.metadata.name,
      desiredCount: s.status?.desiredCount ?? s.spec.desiredCount ?? 0,
      runningCount: s.status?.runningCount ?? 0,
      pendingCount: s.status?.pendingCount ?? 0,
      deployments: (s.status?.deployments ?? []).map((d: any) => ({
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        desiredCount: d.desiredCount,
        runningCount: d.runningCount,
        pendingCount: d.pendingCount,
        failedTasks: d.failedTasks,
        rolloutState: d.rolloutState,
      })),
    }));
  const containerInstances = store
    .list('ContainerInstance')
    .sort(byKey)
    .map((i) => {
      const rem = (n: string) => i.status?.remainingResources?.find((r: any) => r.name === n)?.integerValue ?? 0;
      return {
        cluster: clusterOf(i),
        name: i.metadata.name,
        status: i.status?.status ?? 'ACTIVE',
        agentConnected: i.status?.agentConnected ?? true,
        runningTasksCount: i.status?.runningTasksCount ?? 0,
        remainingResources: { cpu: rem('CPU'), memory: rem('MEMORY') },
      };
    });
  const sample: Sample = { t: tMs / 1000, services, containerInstances };
  const rules = invokers(store, 'Rule');
  const schedules = invokers(store, 'Schedule');
  if (rules.length) sample.rules = rules;
  if (schedules.length) sample.schedules = schedules;
  return sample;
}
