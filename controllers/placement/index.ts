/** The pure placement engine and the Cluster Query Language (ecs-semantics §5, §8). */
export type {
  InstanceView,
  Placement,
  PlacementConstraint,
  PlacementFailure,
  PlacementRequest,
  PlacementResult,
  PlacementStrategy,
  PlacedTaskView,
  TaskRequirements,
} from './types.js';
export { FailureReason } from './types.js';
export { compileCql, evaluateCql, MAX_CQL_LENGTH, type CompiledCql, type CqlContext } from './cql.js';
export { placeTasks } from './place.js';
export { defaultRunTaskStrategy, defaultServiceStrategy, AZ_ATTRIBUTE } from './strategy.js';
export { selectTasksToStop, type ScaleInCandidate, type SelectTasksToStopRequest } from './scale-in.js';
export { placeFargate, type PlaceFargateRequest } from './fargate.js';
export { allocateDynamicPort, DYNAMIC_PORT_RANGE, RESERVED_TCP_PORTS } from './ports.js';
export { mulberry32 } from './rng.js';
