/**
 * Shapes used by the pure placement engine. They are views built by the caller from the store;
 * nothing here reads the store, the clock or any global state.
 */

/** ECS JSON `placementConstraints[]` item. */
export interface PlacementConstraint {
  type: 'distinctInstance' | 'memberOf';
  /** Cluster query language expression (memberOf only), ≤2000 chars. */
  expression?: string;
}

/** ECS JSON `placementStrategy[]` item. */
export interface PlacementStrategy {
  type: 'binpack' | 'spread' | 'random';
  /** binpack: cpu | memory; spread: instanceId | host | attribute:<name>; random: none. */
  field?: string;
}

/** A task with desiredStatus RUNNING on a container instance. */
export interface PlacedTaskView {
  id: string;
  /** `service:<name>` or `family:<family>` (or a user-chosen group). */
  group: string;
  /** Identifies the service (e.g. `cluster/name`) for service tasks. */
  serviceKey?: string;
  daemon?: boolean;
  deploymentId?: string;
  /** Task scale-in protection is active. */
  protected?: boolean;
  /** Epoch ms; absent while the task has not reached RUNNING. */
  startedAt?: number;
}

export interface InstanceView {
  /** Container instance id. */
  name: string;
  arn: string;
  ec2InstanceId: string;
  /** ACTIVE | DRAINING | INACTIVE | REGISTERING | ... */
  status: string;
  agentConnected: boolean;
  agentVersion: string;
  /** Epoch ms. */
  registeredAt: number;
  /** Custom and built-in attributes; a null value is an attribute present without a value. */
  attributes: Record<string, string | null>;
  remainingCpu: number;
  remainingMemory: number;
  /** ENIs left for awsvpc tasks; undefined when not limited (an unknown instance type). */
  remainingEnis?: number;
  /** Reserved ports plus host ports in use. */
  usedTcpPorts: Set<number>;
  usedUdpPorts: Set<number>;
  /** Tasks with desiredStatus RUNNING on this instance. */
  tasks: PlacedTaskView[];
  /**
   * Optional, for speed: how many of `tasks` each serviceKey has (callers that keep views
   * may provide it; without it the engine counts `tasks`).
   */
  tasksPerService?: ReadonlyMap<string, number>;
}

export interface TaskRequirements {
  /** CPU units; memoryReservation-else-memory summed over containers, or the task-level values. */
  cpu: number;
  /** MiB. */
  memory: number;
  staticTcpPorts: number[];
  staticUdpPorts: number[];
  /** Number of host ports to take from the ephemeral range (bridge mode, hostPort 0/omitted). */
  dynamicTcpPorts: number;
  dynamicUdpPorts: number;
  /** ENIs the task takes on its instance (1 for awsvpc tasks), default 0. */
  enis?: number;
  /** `service:web` or `family:web`: used by distinctInstance, spread (without serviceKey) and task:group. */
  group: string;
  /** When set, spread counts the tasks of this service instead of the tasks of the group. */
  serviceKey?: string;
  /**
   * With serviceKey: how many of the service's tasks each instance holds (by instance name; the
   * tasks its views count in tasksPerService), when the caller knows it from the service's own tasks.
   * Spread then reads one small map instead of every instance's.
   */
  serviceTasksPerInstance?: ReadonlyMap<string, number>;
}

export interface PlacementRequest {
  instances: InstanceView[];
  task: TaskRequirements;
  count: number;
  /** Task definition + service/RunTask constraints, combined. */
  constraints: PlacementConstraint[];
  /** Applied in order; `[]` means no strategy (the caller picks the defaults). */
  strategy: PlacementStrategy[];
  /** Uniform in [0, 1). */
  rng: () => number;
}

export interface Placement {
  /** Container instance id (`InstanceView.name`). */
  instance: string;
  /** Dynamic host ports chosen, in the order of the task's dynamic port mappings. */
  tcpHostPorts: number[];
  udpHostPorts: number[];
}

/** ECS `failures[]` entry: the instance arn and the first reason that excluded it. */
export interface PlacementFailure {
  arn: string;
  reason: string;
}

export interface PlacementResult {
  placements: Placement[];
  failures: PlacementFailure[];
  /** Tasks of the request that could not be placed. */
  unplaced: number;
}

/** ECS `failures[].reason` values produced by the placement engine. */
export const FailureReason = {
  Cpu: 'RESOURCE:CPU',
  Memory: 'RESOURCE:MEMORY',
  Ports: 'RESOURCE:PORTS',
  PortsUdp: 'RESOURCE:PORTS_UDP',
  Agent: 'AGENT',
  Attribute: 'ATTRIBUTE',
  Inactive: 'INACTIVE',
  Draining: 'DRAINING',
  Missing: 'MISSING',
} as const;
