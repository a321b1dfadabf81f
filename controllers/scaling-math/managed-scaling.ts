/**
 * Capacity provider managed scaling (ecs-semantics §6): CapacityProviderReservation = M / N × 100 and the
 * target-tracking, step-size, warm-up and scale-in rules around it. Pure; time is epoch milliseconds.
 * The rules chosen for unverified points are in docs/scaling.md ("Managed scaling").
 */
import { DEFAULT_RESERVED_TCP_PORTS } from '../../api/instance-types.js';
import { ceilDiv, clampCapacity } from './common.js';

/** Resource needs of one task (task-level cpu units / MiB). */
export interface TaskRequirement {
  cpu: number;
  memory: number;
  /** Static TCP host ports (dynamic ports are not listed). */
  tcpPorts?: readonly number[];
  /** Static UDP host ports. */
  udpPorts?: readonly number[];
  /** ENIs the task needs (1 for awsvpc tasks), default 0. */
  enis?: number;
  /** GPUs the task needs, default 0. */
  gpus?: number;
}

/** Capacity of one fresh instance of the provider's instance type (registered resources). */
export interface InstanceCapacity {
  cpu: number;
  memory: number;
  /** ENIs available to tasks (maxEnis − 1); undefined = not a constraint. */
  enis?: number;
  /** GPUs; undefined = 0. */
  gpus?: number;
  /** TCP ports reserved on a fresh instance; default the agent's [22, 2375, 2376, 51678, 51679]. */
  reservedTcpPorts?: readonly number[];
  /** UDP ports reserved on a fresh instance; default none. */
  reservedUdpPorts?: readonly number[];
}

/** One running ASG instance of the provider, with what is left on it. */
export interface RunningInstanceCapacity {
  id?: string;
  remainingCpu: number;
  remainingMemory: number;
  /** undefined = not a constraint. */
  remainingEnis?: number;
  /** undefined = 0. */
  remainingGpus?: number;
  /** TCP host ports in use or reserved (the instance's PORTS resource plus tasks' static ports); only read. */
  usedTcpPorts?: ReadonlySet<number> | readonly number[];
  usedUdpPorts?: ReadonlySet<number> | readonly number[];
  /** Runs no task or only daemon tasks (see {@link instanceIsEmpty}); default false. */
  empty?: boolean;
}

export interface InstancesNeededResult {
  /** Instances needed for all of the provider's tasks: busy existing instances + new instances. */
  M: number;
  /** Existing instances that are non-empty or receive at least one of `tasks`. */
  existingUsed: number;
  /** Fresh instances the provisioning tasks need. */
  newInstances: number;
  /** Indexes (into `tasks`) of tasks that fit neither any running instance nor a fresh one. */
  excludedTasks: number[];
  /**
   * Per task: the bin it was packed into — `0..running.length−1` are running instances, larger indexes
   * are new instances in opening order — or null when excluded.
   */
  assignments: (number | null)[];
}

interface Bin {
  cpu: number;
  memory: number;
  enis: number;
  gpus: number;
  /** Ports in use: the instance's own set, copied the first time a task placed here adds one. */
  tcp: ReadonlySet<number>;
  udp: ReadonlySet<number>;
  used: boolean;
}

const withPorts = (set: ReadonlySet<number>, ports: readonly number[] | undefined): ReadonlySet<number> =>
  ports?.length ? new Set([...set, ...ports]) : set;
const asSet = (ports: ReadonlySet<number> | readonly number[] | undefined): ReadonlySet<number> =>
  ports === undefined ? new Set() : ports instanceof Set ? ports : new Set(ports as readonly number[]);

function fits(bin: Bin, t: TaskRequirement): boolean {
  if (t.cpu > bin.cpu || t.memory > bin.memory) return false;
  if ((t.enis ?? 0) > bin.enis || (t.gpus ?? 0) > bin.gpus) return false;
  for (const p of t.tcpPorts ?? []) if (bin.tcp.has(p)) return false;
  for (const p of t.udpPorts ?? []) if (bin.udp.has(p)) return false;
  return true;
}

function place(bin: Bin, t: TaskRequirement): void {
  bin.cpu -= t.cpu;
  bin.memory -= t.memory;
  bin.enis -= t.enis ?? 0;
  bin.gpus -= t.gpus ?? 0;
  bin.tcp = withPorts(bin.tcp, t.tcpPorts);
  bin.udp = withPorts(bin.udp, t.udpPorts);
  bin.used = true;
}

function hasDuplicates(ports: readonly number[] | undefined): boolean {
  return !!ports && new Set(ports).size !== ports.length;
}

/**
 * M for one capacity provider: `tasks` (the provider's PROVISIONING tasks) are packed first-fit-decreasing
 * on CPU, memory, ENIs, GPUs and static host ports, first into the running instances (in the given order)
 * and then into fresh instances of `instanceType`. Tasks sort by their dominant share of a fresh instance
 * (max(cpu/instance.cpu, memory/instance.memory)), larger first; ties keep input order.
 * Tasks that fit neither a running instance nor a fresh one are excluded (they do not raise M).
 * M = running instances that are non-empty or receive a task + fresh instances opened.
 */
export function instancesNeeded(
  tasks: readonly TaskRequirement[],
  instanceType: InstanceCapacity,
  running: readonly RunningInstanceCapacity[] = [],
): InstancesNeededResult {
  const bins: Bin[] = running.map((r) => ({
    cpu: r.remainingCpu,
    memory: r.remainingMemory,
    enis: r.remainingEnis ?? Infinity,
    gpus: r.remainingGpus ?? 0,
    tcp: asSet(r.usedTcpPorts),
    udp: asSet(r.usedUdpPorts),
    used: !(r.empty ?? false),
  }));
  const fresh = (): Bin => ({
    cpu: instanceType.cpu,
    memory: instanceType.memory,
    enis: instanceType.enis ?? Infinity,
    gpus: instanceType.gpus ?? 0,
    tcp: new Set(instanceType.reservedTcpPorts ?? DEFAULT_RESERVED_TCP_PORTS),
    udp: new Set(instanceType.reservedUdpPorts ?? []),
    used: false,
  });

  const share = (t: TaskRequirement): number =>
    Math.max(instanceType.cpu > 0 ? t.cpu / instanceType.cpu : 0, instanceType.memory > 0 ? t.memory / instanceType.memory : 0);
  const order = tasks.map((_, i) => i).sort((a, b) => share(tasks[b]) - share(tasks[a]) || a - b);

  const assignments: (number | null)[] = tasks.map(() => null);
  const excludedTasks: number[] = [];
  let opened = 0;
  for (const i of order) {
    const t = tasks[i];
    if (hasDuplicates(t.tcpPorts) || hasDuplicates(t.udpPorts)) {
      excludedTasks.push(i);
      continue;
    }
    let target = bins.findIndex((b) => fits(b, t));
    if (target < 0) {
      const bin = fresh();
      if (!fits(bin, t)) {
        excludedTasks.push(i);
        continue;
      }
      bins.push(bin);
      opened++;
      target = bins.length - 1;
    }
    place(bins[target], t);
    assignments[i] = target;
  }
  excludedTasks.sort((a, b) => a - b);
  const existingUsed = bins.slice(0, running.length).filter((b) => b.used).length;
  return { M: existingUsed + opened, existingUsed, newInstances: opened, excludedTasks, assignments };
}

/** An instance counts as empty when it runs no task or only daemon tasks. */
export function instanceIsEmpty(tasks: readonly { daemon?: boolean }[]): boolean {
  return tasks.every((t) => t.daemon === true);
}

/**
 * CapacityProviderReservation = M / N × 100; N = 0 ⇒ 200 when M > 0, 100 when M = 0 (unverified edge
 * cases, from the AWS "Deep dive on ECS cluster auto scaling" blog).
 */
export function capacityProviderReservation(M: number, N: number): number {
  if (N <= 0) return M > 0 ? 200 : 100;
  return (M / N) * 100;
}

/** Instances target tracking converges to: ceil(M × 100 / targetCapacity). M=9, T=90 ⇒ 10. */
export function desiredInstances(M: number, N: number, targetCapacity: number): number {
  void N; // The metric is M/N×100, so N cancels out: N × (M/N×100) / T = M × 100 / T.
  if (M <= 0) return 0;
  return ceilDiv(Math.ceil(M) * 100, targetCapacity);
}

/**
 * Instances to launch for a computed need: minimumScalingStepSize if the need is smaller, otherwise
 * min(maximumScalingStepSize, need). need ≤ 0 ⇒ 0.
 */
export function scaleOutStep(need: number, minStep: number, maxStep: number): number {
  if (need <= 0) return 0;
  if (need < minStep) return minStep;
  return Math.min(maxStep, need);
}

export interface ScaleInStepInput {
  /** Instances above the desired count: currentDesired − ceil(M × 100 / T). */
  excess: number;
  /** Empty, unprotected instances past their warm-up (candidates for termination). */
  removable: number;
  /** Running instances (N). */
  current: number;
  /** maximumScalingStepSize. */
  maxStep: number;
}

/**
 * Instances to terminate in one scale-in (docs/scaling.md "Managed scale-in"):
 * min(excess, removable, maxStep, max(1, floor(current / 2))). Never goes below the desired count
 * (excess), only takes empty instances (removable) and removes at most half the fleet per step.
 * minimumScalingStepSize does not apply: forcing it would undershoot the target and cause a scale-out.
 */
export function scaleInStep(input: ScaleInStepInput): number {
  const { excess, removable, current, maxStep } = input;
  const step = Math.min(excess, removable, maxStep, Math.max(1, Math.floor(current / 2)));
  return Math.max(0, step);
}

/** Consecutive one-minute datapoints below target needed before managed scale-in. */
export const MANAGED_SCALE_IN_DATAPOINTS = 15;

export interface ManagedInstance {
  id: string;
  /** Launch time, epoch ms. */
  launchedAt: number;
  /** Runs no task or only daemon tasks. */
  empty: boolean;
  /** Scale-in protected (managed termination protection keeps it on for busy instances). */
  protected: boolean;
}

export interface ManagedScalingInput {
  /** Epoch ms. */
  now: number;
  /** targetCapacity 1–100. */
  targetCapacity: number;
  /** minimumScalingStepSize. */
  minStep: number;
  /** maximumScalingStepSize. */
  maxStep: number;
  /** instanceWarmupPeriod, seconds. */
  warmupSeconds: number;
  M: number;
  N: number;
  /** The ASG's instances. */
  instances: readonly ManagedInstance[];
  /** Consecutive trailing one-minute datapoints with the metric below targetCapacity. */
  lowDatapoints: number;
  /** The ASG's current desired capacity. */
  currentDesired: number;
  asgMin: number;
  asgMax: number;
}

export type ManagedScalingReason =
  | 'scale-out'
  | 'scale-out-blocked-by-warmup'
  | 'scale-out-in-progress'
  | 'scale-in'
  | 'scale-in-waiting-for-datapoints'
  | 'scale-in-no-removable-instances'
  | 'at-target'
  | 'clamped-to-asg-bounds';

export interface ManagedScalingPlan {
  /** CapacityProviderReservation. */
  metric: number;
  /** The ASG desired capacity to set (equal to currentDesired when nothing changes). */
  desiredCapacity: number;
  reason: ManagedScalingReason;
  /** Instances to terminate, oldest first; empty unless reason is 'scale-in'. */
  scaleInVictims: string[];
}

/**
 * One managed-scaling evaluation (docs/scaling.md "Managed scaling plan"):
 * - metric = M/N×100; desired = ceil(M×100/T).
 * - metric > T: scale out by scaleOutStep(desired − currentDesired) unless an instance is still within
 *   instanceWarmupPeriod (then nothing happens); a scale-out aborts any scale-in (no victims).
 * - metric < T for ≥ 15 consecutive datapoints: terminate scaleInStep(...) empty, unprotected,
 *   warmed-up instances, oldest launch first (ties by id).
 * - The result is clamped to [asgMin, asgMax]; ECS never changes the ASG's min/max.
 */
export function planManagedScaling(input: ManagedScalingInput): ManagedScalingPlan {
  const { now, targetCapacity: T, minStep, maxStep, warmupSeconds, M, N, instances, lowDatapoints } = input;
  const { currentDesired, asgMin, asgMax } = input;
  const metric = capacityProviderReservation(M, N);
  const desired = desiredInstances(M, N, T);
  const warmupMs = warmupSeconds * 1000;
  const warming = (i: ManagedInstance): boolean => now - i.launchedAt < warmupMs;

  const finish = (target: number, reason: ManagedScalingReason, victims: string[] = []): ManagedScalingPlan => {
    const clamped = clampCapacity(target, asgMin, asgMax);
    let why = reason;
    if (clamped !== target) {
      // A scale step cut short by the ASG bounds keeps its reason; anything else is the clamp's doing.
      const stillMoving =
        (reason === 'scale-out' && clamped > currentDesired) || (reason === 'scale-in' && clamped < currentDesired);
      if (!stillMoving) why = 'clamped-to-asg-bounds';
    }
    const scaleInVictims = why === 'scale-in' ? victims.slice(0, Math.max(0, currentDesired - clamped)) : [];
    return { metric, desiredCapacity: clamped, reason: why, scaleInVictims };
  };

  if (metric > T) {
    const need = desired - currentDesired;
    // Nothing to add: either instances are still launching (currentDesired > N), or the metric is above target
    // without a whole instance to add (e.g. N = M = 0 ⇒ 100 with T < 100).
    if (need <= 0) return finish(currentDesired, currentDesired > N ? 'scale-out-in-progress' : 'at-target');
    if (instances.some(warming)) return finish(currentDesired, 'scale-out-blocked-by-warmup');
    return finish(currentDesired + scaleOutStep(need, minStep, maxStep), 'scale-out');
  }
  if (metric < T) {
    if (lowDatapoints < MANAGED_SCALE_IN_DATAPOINTS) return finish(currentDesired, 'scale-in-waiting-for-datapoints');
    const removable = instances
      .filter((i) => i.empty && !i.protected && !warming(i))
      .sort((a, b) => a.launchedAt - b.launchedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const excess = currentDesired - desired;
    // Below target but rounding leaves no whole instance to remove (e.g. M=9, N=10, T=95 ⇒ desired 10).
    if (excess <= 0) return finish(currentDesired, 'at-target');
    const step = scaleInStep({ excess, removable: removable.length, current: N, maxStep });
    if (step <= 0) return finish(currentDesired, 'scale-in-no-removable-instances');
    return finish(
      currentDesired - step,
      'scale-in',
      removable.slice(0, step).map((i) => i.id),
    );
  }
  return finish(currentDesired, 'at-target');
}
