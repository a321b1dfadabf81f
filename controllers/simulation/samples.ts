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

/** An SQS queue's GetQueueAttributes counts (docs/queues.md). */
export interface QueueSample {
  name: string;
  visible: number;
  inFlight: number;
  delayed: number;
  /** ApproximateAgeOfOldestMessage, seconds. */
  ageOfOldest: number;
  consumers: number;
}

/** A CloudWatch alarm's state (MetricAlarm) or an alarm a target tracking policy keeps. */
export interface AlarmSample {
  name: string;
  state: string;
}

export interface Sample {
  /** Seconds since the start. */
  t: number;
  services: ServiceSample[];
  containerInstances: InstanceSample[];
  /** Only when the run has queues. */
  queues?: QueueSample[];
  /** Only when the run has alarms (MetricAlarm objects and target tracking alarms). */
  alarms?: AlarmSample[];
}

const byKey = (a: Resource, b: Resource) => {
  const ka = `${clusterOf(a)}/${a.metadata.name}`;
  const kb = `${clusterOf(b)}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

const byName = (a: Resource, b: Resource) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);

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
  const queues = store.list('Queue').sort(byName).map((q) => ({
    name: q.metadata.name,
    visible: q.status?.ApproximateNumberOfMessages ?? 0,
    inFlight: q.status?.ApproximateNumberOfMessagesNotVisible ?? 0,
    delayed: q.status?.ApproximateNumberOfMessagesDelayed ?? 0,
    ageOfOldest: q.status?.ApproximateAgeOfOldestMessage ?? 0,
    consumers: q.status?.consumers ?? 0,
  }));
  if (queues.length) sample.queues = queues;
  const alarms: AlarmSample[] = store.list('MetricAlarm').sort(byName).map((a) => ({ name: a.metadata.name, state: a.status?.StateValue ?? 'INSUFFICIENT_DATA' }));
  for (const p of store.list('ScalingPolicy').sort(byName)) {
    // A step policy's status lists the MetricAlarms that invoke it: shown once, above.
    for (const a of (p.status?.Alarms ?? []) as Array<{ AlarmName: string; StateValue: string }>) {
      if (!alarms.some((x) => x.name === a.AlarmName)) alarms.push({ name: a.AlarmName, state: a.StateValue });
    }
  }
  if (alarms.length) sample.alarms = alarms;
  return sample;
}
