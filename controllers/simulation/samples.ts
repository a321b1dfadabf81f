/** Samples of the simulation: the service and instance figures the output contract names. */
import { clusterOf, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';

export interface ServiceSample {
  cluster: string;
  name: string;
  /** ACTIVE, DRAINING or INACTIVE (a deleted service stays describable). */
  status: string;
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

export interface Sample {
  /** Seconds since the start. */
  t: number;
  services: ServiceSample[];
  containerInstances: InstanceSample[];
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
      status: s.status?.status ?? 'ACTIVE',
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
  return { t: tMs / 1000, services, containerInstances };
}
