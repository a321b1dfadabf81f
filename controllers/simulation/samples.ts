/** Samples of the simulation: the service and instance figures the output contract names. */
import { clusterOf, keyOf, makeKey, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { LoadModel } from '../shared/load-model.js';
import { tasksOfService } from '../shared/indexes.js';
import { healthyTaskCount } from './healthy.js';

export interface ServiceSample {
  cluster: string;
  name: string;
  /** ACTIVE, DRAINING or INACTIVE (a deleted service stays describable). */
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** The service's tasks by lastStatus (only the states some task is in). */
  tasks: Record<string, number>;
  /** Tasks the service scheduler counts healthy (RUNNING + health checks + targets; controllers/service/health.ts). */
  healthyCount: number;
  /** Average utilisation (%) the simulated load gives at the running count (Scenario `load` steps). */
  cpuUtilization: number;
  memoryUtilization: number;
  deployments: Array<{
    id: string;
    status: string;
    taskDefinition: string;
    desiredCount: number;
    runningCount: number;
    pendingCount: number;
    failedTasks: number;
    rolloutState: string;
    rolloutStateReason: string;
  }>;
  /** The newest service deployments (ListServiceDeployments): a rolled-back deployment stays visible here. */
  serviceDeployments: Array<{ id: string; status: string; statusReason?: string; lifecycleStage?: string }>;
  /** BLUE_GREEN / LINEAR / CANARY: the lifecycle stage and production traffic weights (status.trafficShift). */
  trafficShift?: { lifecycleStage: string; testTrafficOnGreen: boolean; productionWeights: Array<{ deploymentId: string; weight: number }> };
}

export interface InstanceSample {
  cluster: string;
  name: string;
  status: string;
  agentConnected: boolean;
  runningTasksCount: number;
  remainingResources: { cpu: number; memory: number };
}

export interface TargetGroupSample {
  name: string;
  /** Targets by ELB state (initial, healthy, unhealthy, draining). */
  targets: Record<string, number>;
}

/** A capacity provider with managed scaling: the CapacityProviderReservation metric and its group's size. */
export interface CapacityProviderSample {
  name: string;
  /** CapacityProviderReservation (M / N × 100), null before the first evaluation. */
  reservation: number | null;
  targetCapacity: number | null;
  /** Desired capacity managed scaling asks of the Auto Scaling group. */
  desiredCapacity: number | null;
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
  targetGroups: TargetGroupSample[];
  capacityProviders: CapacityProviderSample[];
  /** Only when the run has queues. */
  queues?: QueueSample[];
  /** Only when the run has alarms (MetricAlarm objects and target tracking alarms). */
  alarms?: AlarmSample[];
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

const byName = (a: Resource, b: Resource) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);

/** The sample at `now` (epoch ms), `tMs` after the start. */
export function buildSample(store: ResourceStore, tMs: number, now: number, load?: LoadModel): Sample {
  const services = store
    .list('Service')
    .sort(byKey)
    .map((s) => {
      const key = makeKey(clusterOf(s), s.metadata.name);
      const runningCount = s.status?.runningCount ?? 0;
      const util = load?.utilization(key, runningCount);
      return {
      cluster: clusterOf(s),
      name: s.metadata.name,
      status: s.status?.status ?? 'ACTIVE',
      desiredCount: s.status?.desiredCount ?? s.spec.desiredCount ?? 0,
      runningCount,
      pendingCount: s.status?.pendingCount ?? 0,
      tasks: countBy(tasksOfService(store, key), (t) => t.status?.lastStatus ?? 'PROVISIONING'),
      healthyCount: healthyTaskCount(store, s, tasksOfService(store, key), now),
      cpuUtilization: round2(util?.cpu ?? 0),
      memoryUtilization: round2(util?.memory ?? 0),
      deployments: (s.status?.deployments ?? []).map((d: any) => ({
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        desiredCount: d.desiredCount,
        runningCount: d.runningCount,
        pendingCount: d.pendingCount,
        failedTasks: d.failedTasks,
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
      })),
      serviceDeployments: (s.status?.serviceDeployments ?? []).slice(0, 3).map((d: any) => ({
        id: `ecs-svc/${String(d.serviceDeploymentArn).slice(String(d.serviceDeploymentArn).lastIndexOf('/') + 1)}`,
        status: d.status,
        ...(d.statusReason ? { statusReason: d.statusReason } : {}),
        ...(d.lifecycleStage ? { lifecycleStage: d.lifecycleStage } : {}),
      })),
      ...(s.status?.trafficShift
        ? {
            trafficShift: {
              lifecycleStage: s.status.trafficShift.lifecycleStage,
              testTrafficOnGreen: s.status.trafficShift.testTrafficOnGreen,
              productionWeights: s.status.trafficShift.productionWeights.map((w: any) => ({ deploymentId: w.deploymentId, weight: w.weight })),
            },
          }
        : {}),
    };
    });
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
  const targetGroups = store
    .list('TargetGroup')
    .sort(byKey)
    .map((tg) => ({ name: tg.metadata.name, targets: countBy(tg.status?.TargetHealthDescriptions ?? [], (d: any) => d.TargetHealth?.State ?? 'unused') }));
  const capacityProviders = store
    .list('CapacityProvider')
    .filter((cp) => cp.spec?.autoScalingGroupProvider)
    .sort(byKey)
    .map((cp) => ({
      name: cp.metadata.name,
      reservation: cp.status?.managedScaling?.metric ?? null,
      targetCapacity: cp.spec.autoScalingGroupProvider.managedScaling?.targetCapacity ?? null,
      desiredCapacity: cp.status?.managedScaling?.desiredCapacity ?? null,
    }));
  const sample: Sample = { t: tMs / 1000, services, containerInstances, targetGroups, capacityProviders };
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
  const rules = invokers(store, 'Rule');
  const schedules = invokers(store, 'Schedule');
  if (rules.length) sample.rules = rules;
  if (schedules.length) sample.schedules = schedules;
  return sample;
}

function countBy<T>(items: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) {
    const k = key(x);
    out[k] = (out[k] ?? 0) + 1;
  }
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(out).sort()) sorted[k] = out[k];
  return sorted;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
