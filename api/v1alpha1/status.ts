/**
 * Status shapes: ECS Describe* output fields (camelCase as ECS returns them) plus
 * `observedGeneration` and Kubernetes-style conditions.
 */
import type { Condition } from '../meta.js';

export interface CommonStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

export interface ClusterStatus extends CommonStatus {
  clusterArn?: string;
  status?: 'ACTIVE' | 'PROVISIONING' | 'DEPROVISIONING' | 'FAILED' | 'INACTIVE';
  registeredContainerInstancesCount?: number;
  runningTasksCount?: number;
  pendingTasksCount?: number;
  activeServicesCount?: number;
  capacityProviders?: string[];
}

export interface TaskDefinitionStatus extends CommonStatus {
  /** Latest registered revision of this family. */
  revision?: number;
  taskDefinitionArn?: string;
  status?: 'ACTIVE' | 'INACTIVE';
  /** Every revision number registered for the family, oldest first. */
  revisions?: number[];
}

export interface TaskDefinitionRevisionStatus extends CommonStatus {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  registeredAt: string;
  deregisteredAt?: string;
  specHash: string;
  /** Tasks launched from this revision so far; kept only while a knob picks tasks by launch order (`first N: …`). */
  launchedTasks?: number;
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface DeploymentStatus {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  createdAt: string;
  updatedAt: string;
  launchType?: string;
  capacityProviderStrategy?: unknown[];
}

/** API_ServiceDeploymentBrief. */
export interface ServiceDeploymentBrief {
  serviceDeploymentArn: string;
  serviceArn: string;
  clusterArn: string;
  targetServiceRevisionArn: string;
  status: 'PENDING' | 'SUCCESSFUL' | 'STOPPED' | 'STOP_REQUESTED' | 'IN_PROGRESS' | 'ROLLBACK_REQUESTED' | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_SUCCESSFUL' | 'ROLLBACK_FAILED';
  statusReason?: string;
  /** API_ServiceDeployment's lifecycleStage (BLUE_GREEN, LINEAR, CANARY deployments). */
  lifecycleStage?: string;
  createdAt: string;
  startedAt: string;
  finishedAt?: string;
}

export interface ServiceEvent {
  id: string;
  createdAt: string;
  message: string;
}

export interface ServiceStatus extends CommonStatus {
  serviceArn?: string;
  clusterArn?: string;
  status?: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  /** The task definition ARN of the PRIMARY deployment. */
  taskDefinition?: string;
  deployments?: DeploymentStatus[];
  events?: ServiceEvent[];
  createdAt?: string;
  /** The service's recent deployments as ListServiceDeployments returns them (newest first, at most 10). */
  serviceDeployments?: ServiceDeploymentBrief[];
  /**
   * ecsplane's view of a BLUE_GREEN/LINEAR/CANARY deployment's traffic (ECS sets these weights on the
   * production listener rule): the stage, test traffic, and the production weight per deployment.
   */
  trafficShift?: {
    lifecycleStage: string;
    testTrafficOnGreen: boolean;
    productionWeights: Array<{ deploymentId: string; targetGroupArns: string[]; weight: number }>;
  };
  /** Bookkeeping the scheduler needs across reconciles (not ECS output). */
  scheduler?: Record<string, unknown>;
}

export type TaskLastStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED';

export interface NetworkBinding {
  containerPort: number;
  hostPort: number;
  protocol: 'tcp' | 'udp';
  bindIP?: string;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  networkBindings?: NetworkBinding[];
  essential?: boolean;
}

/** DescribeTasks' `attachments[]`: an awsvpc task's ENI (type ElasticNetworkInterface). */
export interface TaskAttachment {
  id: string;
  type: string;
  status: string;
  details?: Array<{ name: string; value: string }>;
}

export interface TaskStatus extends CommonStatus {
  attachments?: TaskAttachment[];
  taskArn?: string;
  clusterArn?: string;
  taskDefinitionArn?: string;
  containerInstanceArn?: string;
  /** Container instance name (ecsplane addition, for readability). */
  containerInstance?: string;
  lastStatus?: TaskLastStatus;
  desiredStatus?: 'RUNNING' | 'STOPPED';
  launchType?: string;
  capacityProviderName?: string;
  availabilityZone?: string;
  group?: string;
  startedBy?: string;
  cpu?: string;
  memory?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  stopCode?: string;
  stoppedReason?: string;
  createdAt?: string;
  pullStartedAt?: string;
  pullStoppedAt?: string;
  startedAt?: string;
  stoppingAt?: string;
  executionStoppedAt?: string;
  stoppedAt?: string;
  containers?: ContainerStatus[];
  /** Target deregistration delay applied while DEACTIVATING (ms; 0 without a load balancer). */
  deregistrationDelayMs?: number;
  /** RunTask-style placement failures (ECS `failures[]`) when the task could not be placed. */
  failures?: Array<{ arn: string; reason: string; detail?: string }>;
}

export interface Resource {
  name: string;
  type: 'INTEGER' | 'STRINGSET' | 'DOUBLE' | 'LONG';
  integerValue?: number;
  stringSetValue?: string[];
}

export interface ContainerInstanceStatus extends CommonStatus {
  containerInstanceArn?: string;
  ec2InstanceId?: string;
  status?: 'REGISTERING' | 'REGISTRATION_FAILED' | 'ACTIVE' | 'DRAINING' | 'DEREGISTERING' | 'INACTIVE';
  statusReason?: string;
  agentConnected?: boolean;
  registeredResources?: Resource[];
  remainingResources?: Resource[];
  runningTasksCount?: number;
  pendingTasksCount?: number;
  attributes?: Array<{ name: string; value?: string }>;
  registeredAt?: string;
  capacityProviderName?: string;
}
