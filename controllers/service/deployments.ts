/**
 * Deployments (ecs-semantics §1 Service, §4): a new PRIMARY deployment starts when the task
 * definition, the network, load balancer or placement configuration changes, or on
 * forceNewDeployment; older ones become ACTIVE while they still have tasks, then INACTIVE
 * (dropped from the array). Ids are `ecs-svc/` + 19 digits, derived deterministically.
 */
import { createHash } from 'node:crypto';
import type { DeploymentStatus } from '../../api/v1alpha1/status.js';
import type { ServiceSpec } from '../../api/v1alpha1/types.js';
import { jsonEqual } from '../../store/objects.js';

/** The spec fields whose change starts a new deployment (desiredCount alone does not). */
export function deploymentRelevant(spec: ServiceSpec): Record<string, unknown> {
  return {
    networkConfiguration: spec.networkConfiguration,
    loadBalancers: spec.loadBalancers,
    placementConstraints: spec.placementConstraints,
    placementStrategy: spec.placementStrategy,
    platformVersion: spec.platformVersion,
    serviceRegistries: spec.serviceRegistries,
  };
}

export function deploymentId(serviceUid: string, seq: number): string {
  const h = createHash('sha256').update(`${serviceUid}/${seq}`).digest();
  let digits = '';
  for (let i = 0; digits.length < 19; i++) digits += String(h[i % h.length] % 10);
  return `ecs-svc/${digits}`;
}

export interface NewDeploymentInput {
  current: DeploymentStatus[];
  serviceUid: string;
  seq: number;
  taskDefinitionArn: string;
  desiredCount: number;
  launchType?: string;
  capacityProviderStrategy?: unknown[];
  now: string;
}

/** Put a new PRIMARY in front; the old PRIMARY becomes ACTIVE. */
export function startDeployment(input: NewDeploymentInput): DeploymentStatus[] {
  const id = deploymentId(input.serviceUid, input.seq);
  const primary: DeploymentStatus = {
    id,
    status: 'PRIMARY',
    taskDefinition: input.taskDefinitionArn,
    desiredCount: input.desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${id} in progress.`,
    createdAt: input.now,
    updatedAt: input.now,
    ...(input.launchType ? { launchType: input.launchType } : {}),
    ...(input.capacityProviderStrategy?.length ? { capacityProviderStrategy: input.capacityProviderStrategy } : {}),
  };
  return [primary, ...input.current.map((d) => (d.status === 'PRIMARY' ? { ...d, status: 'ACTIVE' as const, updatedAt: input.now } : d))];
}

export interface DeploymentTrigger {
  taskDefinitionArn: string;
  relevant: Record<string, unknown>;
  forceToken?: string;
}

/** Whether the observed spec change calls for a new deployment. */
export function needsNewDeployment(
  primary: DeploymentStatus | undefined,
  previous: { relevant?: Record<string, unknown>; forceToken?: string } | undefined,
  next: DeploymentTrigger,
  forceNewDeployment: boolean,
): boolean {
  if (!primary) return true;
  if (primary.taskDefinition !== next.taskDefinitionArn) return true;
  if (forceNewDeployment) return true;
  if (next.forceToken !== undefined && next.forceToken !== previous?.forceToken) return true;
  return !jsonEqual(previous?.relevant ?? next.relevant, next.relevant);
}
