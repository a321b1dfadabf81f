/** ECS service event messages (ecs-semantics §1 Service, "Event messages"). */
const ids = (taskIds: string[]) => taskIds.map((id) => `(task ${id})`).join(' ');

export const ServiceMessages = {
  started: (svc: string, taskIds: string[]) =>
    `(service ${svc}) has started ${taskIds.length} tasks: ${ids(taskIds)}.`,
  stopped: (svc: string, taskIds: string[]) =>
    `(service ${svc}) has stopped ${taskIds.length} running tasks: ${ids(taskIds)}.`,
  steady: (svc: string) => `(service ${svc}) has reached a steady state.`,
  unableToPlace: (svc: string, detail: string) =>
    `(service ${svc}) was unable to place a task because no container instance met all of its requirements. ${detail} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
  deploymentConfigDeadlock: (svc: string) =>
    `(service ${svc}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.`,
  inconsistentStart: (svc: string) => `(service ${svc}) is unable to consistently start tasks successfully.`,
  deploymentFailed: (svc: string, depId: string, by: 'circuit-breaker' | 'alarms' | 'hook' = 'circuit-breaker') =>
    by === 'alarms'
      ? `(service ${svc}) (deployment ${depId}) deployment failed: alarm detected.`
      : by === 'hook'
        ? `(service ${svc}) (deployment ${depId}) deployment failed: lifecycle hook failed.`
        : `(service ${svc}) (deployment ${depId}) deployment failed: tasks failed to start.`,
  /** ecsplane's wording: ECS reports stages in the service deployment's lifecycleStage, not as events. */
  lifecycleStage: (svc: string, depId: string, stage: string) => `(service ${svc}) (deployment ${depId}) lifecycle stage ${stage}.`,
  hookInvoked: (svc: string, depId: string, hook: string, stage: string) => `(service ${svc}) (deployment ${depId}) invoked lifecycle hook ${hook} at ${stage}.`,
  rollingBack: (svc: string, failedId: string, toId: string) =>
    `(service ${svc}) (deployment ${failedId}) deployment failed: rolling back to deployment ${toId}.`,
  deploymentCompleted: (svc: string, depId: string) => `(service ${svc}) (deployment ${depId}) deployment completed.`,
  /** https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-unhealthy-event-messages.html */
  unhealthyTarget: (svc: string, taskId: string, instanceId: string | undefined, port: number | undefined, targetGroup: string) =>
    `(service ${svc}) (task ${taskId})${instanceId ? ` (instance ${instanceId})` : ''} (port ${port ?? 'unknown'}) is unhealthy in (target-group ${targetGroup}) due to (reason Health checks failed).`,
  drainingInstance: (svc: string, n: number) => `(service ${svc}) has begun draining connections on ${n} tasks.`,
  registeredTargets: (svc: string, n: number, tg: string) => `(service ${svc}) registered ${n} targets in (target-group ${tg})`,
  deregisteredTargets: (svc: string, n: number, tg: string) => `(service ${svc}) deregistered ${n} targets in (target-group ${tg})`,
};

/** Human reason for the closest-matching instance, from a placement failure reason. */
export function closestMatchDetail(failures: Array<{ arn: string; reason: string }>, instanceCount: number): string {
  if (instanceCount === 0) return 'Reason: No Container Instances were found in your cluster.';
  const f = failures[0];
  if (!f) return 'Reason: no container instance is available.';
  const inst = f.arn.slice(f.arn.lastIndexOf('/') + 1);
  const what: Record<string, string> = {
    'RESOURCE:CPU': 'has insufficient CPU units available',
    'RESOURCE:MEMORY': 'has insufficient memory available',
    'RESOURCE:PORTS': 'is already using a port required by your task',
    'RESOURCE:PORTS_UDP': 'is already using a UDP port required by your task',
    AGENT: 'is not connected to the ECS agent',
    ATTRIBUTE: 'is missing an attribute required by your task (placement constraint)',
    DRAINING: 'is DRAINING',
    INACTIVE: 'is INACTIVE',
    // awsvpc tasks: every task needs one of the instance's network interfaces.
    'RESOURCE:ENI': 'encountered error "RESOURCE:ENI"',
  };
  return `The closest matching (container-instance ${inst}) ${what[f.reason] ?? `failed: ${f.reason}`}.`;
}
