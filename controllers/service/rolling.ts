/**
 * REPLICA scheduling and rolling-update arithmetic as a pure plan (ecs-semantics §4):
 *   minHealthy = ceil(D × minimumHealthyPercent / 100)
 *   maxTasks   = floor(D × maximumPercent / 100)
 * counting tasks with desiredStatus RUNNING (running + pending; stopping tasks no longer count).
 * Start PRIMARY tasks while running + pending < maxTasks; stop replaceable tasks (older
 * deployments, tasks on DRAINING instances) while healthy > minHealthy. Tasks that are not
 * healthy never hold the floor, so they can always be stopped. Unhealthy tasks are replaced.
 * Starts are also capped by the service's launch rate (500 a minute, launch-rate.ts).
 * Protected tasks (UpdateTaskProtection) are never stopped for scale-in nor to replace a healthy task
 * in a deployment; unhealthy and draining ones still are:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html
 */
export interface PlanTask {
  id: string;
  deploymentId: string;
  /** Old deployment or on a DRAINING instance: to be replaced. */
  replaceable: boolean;
  healthy: boolean;
  unhealthy: boolean;
  /** Not yet RUNNING. */
  pending: boolean;
  /** PENDING on a DRAINING instance: ECS stops these at once. */
  pendingOnDraining: boolean;
  /** Task scale-in protection in force: not a scale-in or deployment victim. */
  protected?: boolean;
}

export interface RollingInput {
  desiredCount: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
  primaryId: string;
  /** Active tasks only (desiredStatus RUNNING). */
  tasks: PlanTask[];
  /** The primary deployment may not launch (circuit breaker FAILED, throttled). */
  launchBlocked: boolean;
  /** Scale-in victim chooser for equally eligible tasks (placement strategy aware). */
  pickVictims: (ids: string[], n: number) => string[];
  /** Launches the service's launch rate still allows now (launch-rate.ts); unbounded if absent. */
  maxLaunches?: number;
}

export type StopReason = 'scale-in' | 'deployment' | 'unhealthy' | 'draining';

export interface RollingPlan {
  start: number;
  /** Starts the bounds allow but the launch rate defers to a later reconcile. */
  launchesDeferred: number;
  stop: Array<{ id: string; why: StopReason }>;
  minHealthy: number;
  maxTasks: number;
  /** Old tasks remain but the percent bounds allow neither a start nor a stop. */
  deadlocked: boolean;
}

export function rollingBounds(d: number, minPct: number, maxPct: number): { minHealthy: number; maxTasks: number } {
  return { minHealthy: Math.ceil((d * minPct) / 100), maxTasks: Math.floor((d * maxPct) / 100) };
}

export function planRolling(input: RollingInput): RollingPlan {
  const { desiredCount: d, tasks } = input;
  const { minHealthy, maxTasks } = rollingBounds(d, input.minimumHealthyPercent, input.maximumPercent);
  const stop: RollingPlan['stop'] = [];
  const stopped = new Set<string>();
  const doStop = (id: string, why: StopReason) => {
    if (stopped.has(id)) return;
    stopped.add(id);
    stop.push({ id, why });
  };

  // Unhealthy tasks and PENDING tasks on draining instances never count as healthy: stop them now.
  for (const t of tasks) if (t.unhealthy) doStop(t.id, 'unhealthy');
  for (const t of tasks) if (t.pendingOnDraining) doStop(t.id, 'draining');

  let live = tasks.filter((t) => !stopped.has(t.id));
  const keepers = live.filter((t) => t.deploymentId === input.primaryId && !t.replaceable);

  // Desired went down: stop surplus primary tasks (pending ones first), not bound by minHealthy.
  if (keepers.length > d) {
    const pending = keepers.filter((t) => !t.healthy && !t.protected).map((t) => t.id);
    const surplus = keepers.length - d;
    const fromPending = pending.slice(0, surplus);
    const rest = input.pickVictims(
      keepers.filter((t) => t.healthy && !t.protected).map((t) => t.id),
      surplus - fromPending.length,
    );
    for (const id of [...fromPending, ...rest]) doStop(id, 'scale-in');
    live = live.filter((t) => !stopped.has(t.id));
  }
  const keeperCount = live.filter((t) => t.deploymentId === input.primaryId && !t.replaceable).length;

  // Start: up to what D still needs, within the maximumPercent ceiling.
  const room = maxTasks - live.length;
  const wanted = input.launchBlocked ? 0 : Math.max(0, Math.min(d - keeperCount, room));
  const start = Math.min(wanted, Math.max(0, input.maxLaunches ?? Infinity));

  // Stop replaceable tasks: not-healthy ones freely, healthy ones while above the floor.
  const replaceable = live.filter((t) => t.replaceable || (t.deploymentId !== input.primaryId));
  let healthy = live.filter((t) => t.healthy).length;
  const notHealthyOld = replaceable.filter((t) => !t.healthy);
  for (const t of notHealthyOld) doStop(t.id, t.replaceable && t.deploymentId === input.primaryId ? 'draining' : 'deployment');
  const healthyOld = replaceable.filter((t) => t.healthy && !t.protected).map((t) => t.id);
  const protectedOld = replaceable.filter((t) => t.healthy && t.protected).length;
  // With launches blocked (circuit breaker FAILED, throttled) old tasks are kept: the service stalls.
  const canStop = input.launchBlocked ? 0 : Math.max(0, healthy - minHealthy);
  const n = Math.min(healthyOld.length, canStop);
  const victims = input.pickVictims(healthyOld, n);
  const replaceableById = new Map(replaceable.map((t) => [t.id, t]));
  for (const id of victims) {
    const t = replaceableById.get(id)!;
    doStop(id, t.replaceable && t.deploymentId === input.primaryId ? 'draining' : 'deployment');
    healthy--;
  }

  // Protected old tasks wait for their protection to end: that is not a configuration deadlock.
  const oldLeft = replaceable.length - notHealthyOld.length - victims.length - protectedOld;
  // Nothing in flight (every task healthy) and the bounds allow no move: a configuration deadlock.
  const settled = live.every((t) => t.healthy);
  const deadlocked = oldLeft > 0 && start === 0 && victims.length === 0 && settled && !input.launchBlocked && room <= 0;
  return { start, launchesDeferred: wanted - start, stop, minHealthy, maxTasks, deadlocked };
}
