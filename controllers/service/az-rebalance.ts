/**
 * Availability Zone rebalancing (`availabilityZoneRebalancing: ENABLED`), as the ECS guide describes
 * it (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html): once
 * the service is in a steady state ECS looks at the running tasks per zone; when they are uneven it
 * says so, "starts tasks in Availability Zones with the fewest number of running tasks" and "stops
 * the tasks in Availability Zones with the largest number of running tasks", within the
 * deployment configuration's maximumPercent / minimumHealthyPercent, until the zones are even; then
 * it says the service is balanced (event texts:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing-event-messages-list.html).
 *
 * Pure: one step at a time. Start one task in the emptiest zone while there is room above the
 * desired count; once every task is healthy, stop one in the fullest zone (the scheduler's
 * scale-in picks from the zone with the most tasks). Without room (maximumPercent 100) stop first
 * if minimumHealthyPercent allows; the scheduler's replacement lands in the emptiest zone.
 */
export interface RebalanceTask {
  id: string;
  az: string;
  healthy: boolean;
}

export interface RebalanceInput {
  /** availabilityZoneRebalancing ENABLED and the service can be rebalanced (REPLICA, zones spread). */
  enabled: boolean;
  /** A single COMPLETED deployment (or a rebalance already under way). */
  steady: boolean;
  /** Zones the service's tasks can run in. */
  zones: string[];
  /** RUNNING tasks of the service that are meant to keep running. */
  tasks: RebalanceTask[];
  /** Tasks not yet RUNNING (a start is under way). */
  pending: number;
  desired: number;
  maximumPercent: number;
  minimumHealthyPercent: number;
  /** A rebalance was announced and not yet finished (kept in the service's status). */
  inProgress: boolean;
}

export interface RebalancePlan {
  /** Start one task in this zone. */
  startIn?: string;
  /** Stop this task (from the fullest zone). */
  stop?: RebalanceTask;
  /** Extra tasks above desiredCount the plan keeps (the started one, until the stop). */
  extra: number;
  inProgress: boolean;
  event?: { kind: 'started' | 'completed'; message: string };
}

export function countsByZone(zones: string[], tasks: RebalanceTask[]): Map<string, number> {
  const counts = new Map<string, number>([...zones].sort().map((z) => [z, 0]));
  for (const t of tasks) counts.set(t.az, (counts.get(t.az) ?? 0) + 1);
  return counts;
}

export function isBalanced(counts: Map<string, number>): boolean {
  const values = [...counts.values()];
  return values.length < 2 || Math.max(...values) - Math.min(...values) <= 1;
}

/** "3 tasks in us-east-1a, 1 tasks in us-east-1b, and 0 tasks in us-east-1c" */
function listing(counts: Map<string, number>, short: boolean): string {
  const parts = [...counts].map(([z, n], i) => (short && i > 0 ? `${n} in ${z}` : `${n} tasks in ${z}`));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')}, and ${parts.at(-1)}` : (parts[0] ?? '0 tasks');
}

export const RebalanceMessages = {
  started: (svc: string, counts: Map<string, number>) => `service (${svc}) is not AZ balanced with ${listing(counts, true)}. AZ Rebalancing in progress.`,
  completed: (svc: string, counts: Map<string, number>) => `service (${svc}) is AZ balanced with ${listing(counts, false)}.`,
  tasksStarted: (svc: string, az: string, ids: string[]) => `${svc} has started ${ids.length} tasks in ${az} to AZ Rebalance: ${ids.map((id) => `(task ${id})`).join(' ')}.`,
  tasksStopped: (svc: string, az: string, ids: string[]) => `${svc} has stopped ${ids.length} running tasks in ${az} due to AZ rebalancing: ${ids.map((id) => `(task ${id})`).join(' ')}.`,
};

export function planAzRebalance(svc: string, i: RebalanceInput): RebalancePlan {
  const idle: RebalancePlan = { extra: 0, inProgress: false };
  if (!i.enabled || i.zones.length < 2 || (!i.steady && !i.inProgress)) return idle;
  const counts = countsByZone(i.zones, i.tasks);
  const running = i.tasks.length;
  const healthy = i.tasks.filter((t) => t.healthy).length;
  if (isBalanced(counts)) {
    if (!i.inProgress) return idle;
    // Even now, one task too many: the scheduler's scale-in trims it from the fullest zone, once the
    // started task is healthy (until then it is kept).
    if (running + i.pending > i.desired) return { extra: i.pending > 0 || healthy < running ? running + i.pending - i.desired : 0, inProgress: true };
    return { extra: 0, inProgress: false, event: { kind: 'completed', message: RebalanceMessages.completed(svc, counts) } };
  }
  const event = i.inProgress ? undefined : { kind: 'started' as const, message: RebalanceMessages.started(svc, counts) };
  const byCount = [...counts].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const fewest = byCount[0][0];
  const most = byCount.at(-1)![0];
  const maxTasks = Math.floor((i.desired * i.maximumPercent) / 100);
  const minHealthy = Math.ceil((i.desired * i.minimumHealthyPercent) / 100);
  if (i.pending > 0) return { extra: Math.max(0, running + i.pending - i.desired), inProgress: true, event }; // wait for the start
  if (running > i.desired) {
    // The started task runs: stop one in the fullest zone once everything is healthy.
    if (healthy < running) return { extra: running - i.desired, inProgress: true, event };
    const victim = [...i.tasks].filter((t) => t.az === most).sort((a, b) => (a.id < b.id ? 1 : -1))[0];
    return { stop: victim, extra: running - 1 - i.desired, inProgress: true, event };
  }
  if (running + 1 <= maxTasks) return { startIn: fewest, extra: 1, inProgress: true, event };
  if (healthy - 1 >= minHealthy) {
    const victim = [...i.tasks].filter((t) => t.az === most).sort((a, b) => (a.id < b.id ? 1 : -1))[0];
    return { stop: victim, extra: 0, inProgress: true, event };
  }
  return { extra: 0, inProgress: i.inProgress, event }; // no room either way (e.g. 100/100): nothing moves
}

/**
 * Whether rebalancing applies: `availabilityZoneRebalancing` ENABLED, or not given (CreateService
 * "defaults the value to ENABLED" when the service is compatible:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html), for a REPLICA
 * service with ECS's deployment controller and rolling updates whose placement spreads across zones
 * (no strategy — the scheduler's default balances zones — or spread by zone first).
 * **Choice**: AWS does not list the compatible configurations; these are the ones whose placement
 * is zone-balanced.
 */
export function rebalancingApplies(spec: { availabilityZoneRebalancing?: string; schedulingStrategy?: string; deploymentController?: { type?: string }; deploymentConfiguration?: { strategy?: string }; placementStrategy?: Array<{ type?: string; field?: string }> }): boolean {
  if (spec.availabilityZoneRebalancing === 'DISABLED') return false;
  if (spec.schedulingStrategy === 'DAEMON') return false;
  if ((spec.deploymentController?.type ?? 'ECS') !== 'ECS') return false;
  if ((spec.deploymentConfiguration?.strategy ?? 'ROLLING') !== 'ROLLING') return false;
  const first = spec.placementStrategy?.[0];
  return !first || (first.type === 'spread' && /^attribute:ecs\.availability-zone$/i.test(first.field ?? ''));
}
