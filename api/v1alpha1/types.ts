/**
 * Spec types for every ecsplane kind.
 *
 * `spec` is the AWS API *request* JSON as-is, in that API's casing, so a paste from the AWS docs or an
 * `aws ... --cli-input-json` file is a valid spec:
 *   - ECS kinds (camelCase): Cluster = CreateCluster, TaskDefinition = RegisterTaskDefinition,
 *     Service = CreateService (+ UpdateService's forceNewDeployment), Task = RunTask,
 *     ContainerInstance = RegisterContainerInstance, CapacityProvider = CreateCapacityProvider.
 *   - Application Auto Scaling (PascalCase): ScalableTarget, ScalingPolicy, ScheduledAction.
 *   - EC2 Auto Scaling (PascalCase): AutoScalingGroup (+ InstanceType standing in for a launch template).
 *   - ELBv2 (PascalCase): TargetGroup (+ DeregistrationDelay standing in for the target-group attribute).
 *
 * The name field inside spec (clusterName, family, serviceName, ...) is optional: `metadata.name` is the
 * name, and when the spec field is given it must be equal. These interfaces cover the fields ecsplane
 * reads; the generated JSON schemas under ./schemas/ are the complete (botocore-derived) shapes, so rarely
 * used sub-objects are typed loosely here.
 */

/* ------------------------------------------------------------------ shared ECS shapes */

export type LaunchType = 'EC2' | 'FARGATE' | 'EXTERNAL' | 'MANAGED_INSTANCES';
export type Compatibility = LaunchType;
export type NetworkMode = 'bridge' | 'host' | 'awsvpc' | 'none';
export type PropagateTags = 'TASK_DEFINITION' | 'SERVICE' | 'NONE';

/** ECS tag (camelCase). */
export interface Tag {
  key?: string;
  value?: string;
}

export interface KeyValuePair {
  name?: string;
  value?: string;
}

export interface CapacityProviderStrategyItem {
  capacityProvider: string;
  /** 0–1000, default 0. */
  weight?: number;
  /** 0–100000, default 0; only one item of a strategy may set it. */
  base?: number;
}

export type PlacementConstraintType = 'distinctInstance' | 'memberOf';
export interface PlacementConstraint {
  type?: PlacementConstraintType;
  /** Cluster query language expression (memberOf only), ≤2000 chars. */
  expression?: string;
}

/** Task definitions only allow memberOf. */
export interface TaskDefinitionPlacementConstraint {
  type?: 'memberOf';
  expression?: string;
}

export type PlacementStrategyType = 'random' | 'spread' | 'binpack';
export interface PlacementStrategy {
  type?: PlacementStrategyType;
  /** binpack: cpu | memory; spread: instanceId | host | attribute:<name>; random: none. */
  field?: string;
}

export interface AwsVpcConfiguration {
  subnets: string[];
  securityGroups?: string[];
  assignPublicIp?: 'ENABLED' | 'DISABLED';
}

export interface NetworkConfiguration {
  awsvpcConfiguration?: AwsVpcConfiguration;
}

export interface EphemeralStorage {
  sizeInGiB: number;
}

/* ------------------------------------------------------------------ Cluster */

export interface ClusterSetting {
  name?: 'containerInsights';
  value?: string;
}

export interface ClusterSpec {
  /** Optional; must equal metadata.name. */
  clusterName?: string;
  tags?: Tag[];
  settings?: ClusterSetting[];
  configuration?: {
    executeCommandConfiguration?: {
      kmsKeyId?: string;
      logging?: 'NONE' | 'DEFAULT' | 'OVERRIDE';
      logConfiguration?: Record<string, unknown>;
    };
    managedStorageConfiguration?: { kmsKeyId?: string; fargateEphemeralStorageKmsKeyId?: string };
  };
  capacityProviders?: string[];
  defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
  serviceConnectDefaults?: { namespace: string };
}

/* ------------------------------------------------------------------ TaskDefinition */

export interface PortMapping {
  containerPort?: number;
  /** bridge: 0/omitted = dynamic port; awsvpc/host: must equal containerPort when given. */
  hostPort?: number;
  protocol?: 'tcp' | 'udp';
  name?: string;
  appProtocol?: 'http' | 'http2' | 'grpc';
  /** "start-end", e.g. "8000-8010". */
  containerPortRange?: string;
}

export interface Secret {
  name: string;
  /** ARN of a Secrets Manager secret or SSM parameter. Never echoed in error messages. */
  valueFrom: string;
}

export type LogDriver = 'json-file' | 'syslog' | 'journald' | 'gelf' | 'fluentd' | 'awslogs' | 'splunk' | 'awsfirelens';
export interface LogConfiguration {
  logDriver: LogDriver;
  options?: Record<string, string>;
  secretOptions?: Secret[];
}

export interface HealthCheck {
  /** ["CMD", ...] or ["CMD-SHELL", "..."]. */
  command: string[];
  /** Seconds, 5–300, default 30. */
  interval?: number;
  /** Seconds, 2–60, default 5. */
  timeout?: number;
  /** 1–10, default 3. */
  retries?: number;
  /** Seconds, 0–300, default off. */
  startPeriod?: number;
}

export type ContainerCondition = 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY';
export interface ContainerDependency {
  containerName: string;
  condition: ContainerCondition;
}

export interface MountPoint {
  sourceVolume?: string;
  containerPath?: string;
  readOnly?: boolean;
}

export interface VolumeFrom {
  sourceContainer?: string;
  readOnly?: boolean;
}

export interface Ulimit {
  name: string;
  softLimit: number;
  hardLimit: number;
}

export interface ResourceRequirement {
  value: string;
  type: 'GPU' | 'InferenceAccelerator';
}

export interface ContainerDefinition {
  /** Required by ECS (`Container.name should not be null or empty.`), though botocore marks it optional. */
  name: string;
  /** Required by ECS (`Container.image should not be null or empty.`). */
  image: string;
  repositoryCredentials?: { credentialsParameter: string };
  /** CPU units (1024 = 1 vCPU); 0 when unset. */
  cpu?: number;
  /** Hard limit, MiB. */
  memory?: number;
  /** Soft limit, MiB (placement reserves this if set, else memory). */
  memoryReservation?: number;
  links?: string[];
  portMappings?: PortMapping[];
  /** Default true. */
  essential?: boolean;
  restartPolicy?: { enabled: boolean; ignoredExitCodes?: number[]; restartAttemptPeriod?: number };
  entryPoint?: string[];
  command?: string[];
  environment?: KeyValuePair[];
  environmentFiles?: { value: string; type: 's3' }[];
  mountPoints?: MountPoint[];
  volumesFrom?: VolumeFrom[];
  linuxParameters?: Record<string, unknown>;
  secrets?: Secret[];
  dependsOn?: ContainerDependency[];
  startTimeout?: number;
  stopTimeout?: number;
  versionConsistency?: 'enabled' | 'disabled';
  hostname?: string;
  user?: string;
  workingDirectory?: string;
  disableNetworking?: boolean;
  privileged?: boolean;
  readonlyRootFilesystem?: boolean;
  dnsServers?: string[];
  dnsSearchDomains?: string[];
  extraHosts?: { hostname: string; ipAddress: string }[];
  dockerSecurityOptions?: string[];
  interactive?: boolean;
  pseudoTerminal?: boolean;
  dockerLabels?: Record<string, string>;
  ulimits?: Ulimit[];
  logConfiguration?: LogConfiguration;
  healthCheck?: HealthCheck;
  systemControls?: { namespace?: string; value?: string }[];
  resourceRequirements?: ResourceRequirement[];
  firelensConfiguration?: { type: 'fluentd' | 'fluentbit'; options?: Record<string, string> };
  credentialSpecs?: string[];
}

export interface EFSVolumeConfiguration {
  fileSystemId: string;
  rootDirectory?: string;
  transitEncryption?: 'ENABLED' | 'DISABLED';
  transitEncryptionPort?: number;
  authorizationConfig?: { accessPointId?: string; iam?: 'ENABLED' | 'DISABLED' };
}

export interface Volume {
  name?: string;
  host?: { sourcePath?: string };
  dockerVolumeConfiguration?: {
    scope?: 'task' | 'shared';
    autoprovision?: boolean;
    driver?: string;
    driverOpts?: Record<string, string>;
    labels?: Record<string, string>;
  };
  efsVolumeConfiguration?: EFSVolumeConfiguration;
  fsxWindowsFileServerVolumeConfiguration?: Record<string, unknown>;
  s3filesVolumeConfiguration?: Record<string, unknown>;
  configuredAtLaunch?: boolean;
}

export interface RuntimePlatform {
  cpuArchitecture?: 'X86_64' | 'ARM64';
  operatingSystemFamily?: string;
}

export interface TaskDefinitionSpec {
  /** Optional; must equal metadata.name. */
  family?: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  /** Default bridge; FARGATE requires awsvpc explicitly. */
  networkMode?: NetworkMode;
  containerDefinitions: ContainerDefinition[];
  volumes?: Volume[];
  placementConstraints?: TaskDefinitionPlacementConstraint[];
  requiresCompatibilities?: Compatibility[];
  /** CPU units as a string ("256") or vCPU form ("1 vCPU"); defaulting normalises to units. */
  cpu?: string;
  /** MiB as a string ("512") or GB form ("1 GB"); defaulting normalises to MiB. */
  memory?: string;
  tags?: Tag[];
  pidMode?: 'host' | 'task';
  ipcMode?: 'host' | 'task' | 'none';
  proxyConfiguration?: { type?: 'APPMESH'; containerName: string; properties?: KeyValuePair[] };
  inferenceAccelerators?: { deviceName: string; deviceType: string }[];
  ephemeralStorage?: EphemeralStorage;
  runtimePlatform?: RuntimePlatform;
  enableFaultInjection?: boolean;
}

/** An immutable registered revision (`family:N`): the defaulted TaskDefinition spec. */
export type TaskDefinitionRevisionSpec = TaskDefinitionSpec;

/* ------------------------------------------------------------------ Service */

export interface LoadBalancer {
  targetGroupArn?: string;
  loadBalancerName?: string;
  containerName?: string;
  containerPort?: number;
  advancedConfiguration?: Record<string, unknown>;
}

export interface ServiceRegistry {
  registryArn?: string;
  port?: number;
  containerName?: string;
  containerPort?: number;
}

export interface DeploymentCircuitBreaker {
  enable: boolean;
  rollback: boolean;
}

export interface DeploymentAlarms {
  alarmNames: string[];
  rollback: boolean;
  enable: boolean;
}

export interface DeploymentConfiguration {
  deploymentCircuitBreaker?: DeploymentCircuitBreaker;
  /** REPLICA default 200; DAEMON 100 (and must be 100). */
  maximumPercent?: number;
  /** REPLICA default 100; DAEMON 0. 0–100. */
  minimumHealthyPercent?: number;
  alarms?: DeploymentAlarms;
  strategy?: 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  bakeTimeInMinutes?: number;
  lifecycleHooks?: Record<string, unknown>[];
  linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
  canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
}

export type SchedulingStrategy = 'REPLICA' | 'DAEMON';
export type DeploymentControllerType = 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';

export interface ServiceSpec {
  /** Cluster name or ARN; default `default`. */
  cluster?: string;
  /** Optional; must equal metadata.name. */
  serviceName?: string;
  /** `family`, `family:revision` or a task-definition ARN (only the EXTERNAL deployment controller may omit it). */
  taskDefinition: string;
  availabilityZoneRebalancing?: 'ENABLED' | 'DISABLED';
  loadBalancers?: LoadBalancer[];
  serviceRegistries?: ServiceRegistry[];
  /** Required for REPLICA. */
  desiredCount?: number;
  clientToken?: string;
  launchType?: LaunchType;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  role?: string;
  deploymentConfiguration?: DeploymentConfiguration;
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
  networkConfiguration?: NetworkConfiguration;
  /** Default 0. */
  healthCheckGracePeriodSeconds?: number;
  /** Default REPLICA. */
  schedulingStrategy?: SchedulingStrategy;
  deploymentController?: { type: DeploymentControllerType };
  tags?: Tag[];
  enableECSManagedTags?: boolean;
  propagateTags?: PropagateTags;
  enableExecuteCommand?: boolean;
  serviceConnectConfiguration?: Record<string, unknown>;
  volumeConfigurations?: Record<string, unknown>[];
  vpcLatticeConfigurations?: { roleArn: string; targetGroupArn: string; portName: string }[];
  /** From UpdateService: true on an update starts a new deployment even when nothing else changed. */
  forceNewDeployment?: boolean;
}

/* ------------------------------------------------------------------ Task (RunTask) */

export interface ContainerOverride {
  name?: string;
  command?: string[];
  environment?: KeyValuePair[];
  environmentFiles?: { value: string; type: 's3' }[];
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  resourceRequirements?: ResourceRequirement[];
}

export interface TaskOverride {
  containerOverrides?: ContainerOverride[];
  cpu?: string;
  inferenceAcceleratorOverrides?: { deviceName?: string; deviceType?: string }[];
  executionRoleArn?: string;
  memory?: string;
  taskRoleArn?: string;
  ephemeralStorage?: EphemeralStorage;
}

export interface TaskSpec {
  /** Cluster name or ARN; default `default`. */
  cluster?: string;
  /** `family`, `family:revision` or a task-definition ARN. */
  taskDefinition: string;
  /** 1–10, default 1. */
  count?: number;
  launchType?: LaunchType;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
  /** Default `family:<family>`; ≤255 chars. */
  group?: string;
  /** ≤128 chars. */
  startedBy?: string;
  overrides?: TaskOverride;
  networkConfiguration?: NetworkConfiguration;
  platformVersion?: string;
  propagateTags?: PropagateTags;
  referenceId?: string;
  enableECSManagedTags?: boolean;
  enableExecuteCommand?: boolean;
  tags?: Tag[];
  clientToken?: string;
  volumeConfigurations?: Record<string, unknown>[];
}

/* ------------------------------------------------------------------ ContainerInstance */

export type ResourceName = 'CPU' | 'MEMORY' | 'PORTS' | 'PORTS_UDP' | (string & {});
export interface InstanceResource {
  name?: ResourceName;
  /** INTEGER | STRINGSET (| LONG | DOUBLE). */
  type?: string;
  doubleValue?: number;
  longValue?: number;
  integerValue?: number;
  stringSetValue?: string[];
}

export interface Attribute {
  name: string;
  value?: string;
  targetType?: 'container-instance';
  targetId?: string;
}

export interface VersionInfo {
  agentVersion?: string;
  agentHash?: string;
  dockerVersion?: string;
}

export interface ContainerInstanceSpec {
  /** Cluster name or ARN; default `default`. */
  cluster?: string;
  instanceIdentityDocument?: string;
  instanceIdentityDocumentSignature?: string;
  /** CPU (units), MEMORY (MiB), PORTS / PORTS_UDP (reserved ports). */
  totalResources?: InstanceResource[];
  versionInfo?: VersionInfo;
  containerInstanceArn?: string;
  /** Built-in `ecs.*` plus ≤10 custom attributes. */
  attributes?: Attribute[];
  platformDevices?: { id: string; type: 'GPU' }[];
  tags?: Tag[];
}

/* ------------------------------------------------------------------ CapacityProvider */

export interface ManagedScaling {
  status?: 'ENABLED' | 'DISABLED';
  /** 1–100, default 100. */
  targetCapacity?: number;
  /** 1–10000, default 1. */
  minimumScalingStepSize?: number;
  /** 1–10000, default 10000. */
  maximumScalingStepSize?: number;
  /** 0–10000 s, default 300. */
  instanceWarmupPeriod?: number;
}

export interface AutoScalingGroupProvider {
  /** ASG ARN or (ecsplane) the AutoScalingGroup's name. */
  autoScalingGroupArn: string;
  managedScaling?: ManagedScaling;
  /** Default DISABLED; ENABLED requires managed scaling. */
  managedTerminationProtection?: 'ENABLED' | 'DISABLED';
  /** Default ENABLED. */
  managedDraining?: 'ENABLED' | 'DISABLED';
}

export interface CapacityProviderSpec {
  /** Optional; must equal metadata.name. */
  name?: string;
  cluster?: string;
  autoScalingGroupProvider?: AutoScalingGroupProvider;
  managedInstancesProvider?: Record<string, unknown>;
  tags?: Tag[];
}

/* ------------------------------------------------------------------ AutoScalingGroup (EC2 Auto Scaling) */

export interface AsgTag {
  Key: string;
  Value?: string;
  ResourceId?: string;
  ResourceType?: string;
  PropagateAtLaunch?: boolean;
}

export interface LaunchTemplateSpecification {
  LaunchTemplateId?: string;
  LaunchTemplateName?: string;
  Version?: string;
}

export interface AutoScalingGroupSpec {
  /** Optional; must equal metadata.name. */
  AutoScalingGroupName?: string;
  /** ecsplane extra: the EC2 instance type to launch (stands in for a launch template). */
  InstanceType?: string;
  LaunchConfigurationName?: string;
  LaunchTemplate?: LaunchTemplateSpecification;
  MixedInstancesPolicy?: Record<string, unknown>;
  InstanceId?: string;
  MinSize: number;
  MaxSize: number;
  /** Default MinSize; MinSize ≤ DesiredCapacity ≤ MaxSize. */
  DesiredCapacity?: number;
  /** Seconds, default 300. */
  DefaultCooldown?: number;
  AvailabilityZones?: string[];
  AvailabilityZoneIds?: string[];
  LoadBalancerNames?: string[];
  TargetGroupARNs?: string[];
  HealthCheckType?: string;
  HealthCheckGracePeriod?: number;
  PlacementGroup?: string;
  VPCZoneIdentifier?: string;
  TerminationPolicies?: string[];
  NewInstancesProtectedFromScaleIn?: boolean;
  CapacityRebalance?: boolean;
  LifecycleHookSpecificationList?: Record<string, unknown>[];
  DeletionProtection?: 'none' | 'prevent-force-deletion' | 'prevent-all-deletion';
  Tags?: AsgTag[];
  ServiceLinkedRoleARN?: string;
  MaxInstanceLifetime?: number;
  Context?: string;
  DesiredCapacityType?: string;
  DefaultInstanceWarmup?: number;
  TrafficSources?: { Identifier: string; Type?: string }[];
  InstanceMaintenancePolicy?: { MinHealthyPercentage?: number; MaxHealthyPercentage?: number };
  AvailabilityZoneDistribution?: Record<string, unknown>;
  AvailabilityZoneImpairmentPolicy?: Record<string, unknown>;
  SkipZonalShiftValidation?: boolean;
  CapacityReservationSpecification?: Record<string, unknown>;
  InstanceLifecyclePolicy?: Record<string, unknown>;
}

/* ------------------------------------------------------------------ Application Auto Scaling */

export type ServiceNamespace = 'ecs' | (string & {});
export type ScalableDimension = 'ecs:service:DesiredCount' | (string & {});

export interface SuspendedState {
  DynamicScalingInSuspended?: boolean;
  DynamicScalingOutSuspended?: boolean;
  ScheduledScalingSuspended?: boolean;
}

export interface ScalableTargetSpec {
  /** Must be `ecs`. */
  ServiceNamespace: ServiceNamespace;
  /** `service/<cluster>/<service>`. */
  ResourceId: string;
  /** Must be `ecs:service:DesiredCount`. */
  ScalableDimension: ScalableDimension;
  MinCapacity?: number;
  MaxCapacity?: number;
  RoleARN?: string;
  SuspendedState?: SuspendedState;
  Tags?: Record<string, string>;
}

export interface StepAdjustment {
  /** Offset from the alarm threshold; absent/null = −∞. */
  MetricIntervalLowerBound?: number | null;
  /** Offset from the alarm threshold; absent/null = +∞. */
  MetricIntervalUpperBound?: number | null;
  ScalingAdjustment: number;
}

export type AdjustmentType = 'ChangeInCapacity' | 'PercentChangeInCapacity' | 'ExactCapacity';
export interface StepScalingPolicyConfiguration {
  AdjustmentType?: AdjustmentType;
  StepAdjustments?: StepAdjustment[];
  /** Only with PercentChangeInCapacity. */
  MinAdjustmentMagnitude?: number;
  /** Seconds, default 300. */
  Cooldown?: number;
  /** Default Average. */
  MetricAggregationType?: 'Average' | 'Minimum' | 'Maximum';
}

export type EcsPredefinedMetricType =
  | 'ECSServiceAverageCPUUtilization'
  | 'ECSServiceAverageMemoryUtilization'
  | 'ALBRequestCountPerTarget';

export interface PredefinedMetricSpecification {
  PredefinedMetricType: EcsPredefinedMetricType | (string & {});
  /** Required for ALBRequestCountPerTarget: `app/<lb>/<id>/targetgroup/<tg>/<id>`. */
  ResourceLabel?: string;
}

export interface MetricDimension {
  Name: string;
  Value: string;
}

export interface CustomizedMetricSpecification {
  MetricName?: string;
  Namespace?: string;
  Dimensions?: MetricDimension[];
  Statistic?: 'Average' | 'Minimum' | 'Maximum' | 'SampleCount' | 'Sum';
  Unit?: string;
  Metrics?: Record<string, unknown>[];
}

export interface TargetTrackingScalingPolicyConfiguration {
  TargetValue: number;
  PredefinedMetricSpecification?: PredefinedMetricSpecification;
  CustomizedMetricSpecification?: CustomizedMetricSpecification;
  /** Seconds, ECS default 300. */
  ScaleOutCooldown?: number;
  /** Seconds, ECS default 300. */
  ScaleInCooldown?: number;
  /** Default false. */
  DisableScaleIn?: boolean;
}

export type PolicyType = 'TargetTrackingScaling' | 'StepScaling' | 'PredictiveScaling';

export interface ScalingPolicySpec {
  /** Optional; must equal metadata.name. */
  PolicyName?: string;
  ServiceNamespace: ServiceNamespace;
  ResourceId: string;
  ScalableDimension: ScalableDimension;
  /** ECS supports TargetTrackingScaling and StepScaling (AWS default StepScaling). */
  PolicyType?: PolicyType;
  StepScalingPolicyConfiguration?: StepScalingPolicyConfiguration;
  TargetTrackingScalingPolicyConfiguration?: TargetTrackingScalingPolicyConfiguration;
  PredictiveScalingPolicyConfiguration?: Record<string, unknown>;
}

export interface ScalableTargetAction {
  MinCapacity?: number;
  MaxCapacity?: number;
}

export interface ScheduledActionSpec {
  /** Optional; must equal metadata.name. */
  ScheduledActionName?: string;
  ServiceNamespace: ServiceNamespace;
  ResourceId: string;
  ScalableDimension: ScalableDimension;
  /** `at(yyyy-mm-ddThh:mm:ss)`, `rate(N unit)` or `cron(min hour dom month dow year)`. */
  Schedule?: string;
  /** IANA zone; default UTC. */
  Timezone?: string;
  /** ISO-8601 timestamp. */
  StartTime?: string;
  /** ISO-8601 timestamp. */
  EndTime?: string;
  ScalableTargetAction?: ScalableTargetAction;
}

/* ------------------------------------------------------------------ TargetGroup (ELBv2) */

export type ElbProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP' | 'GENEVE' | 'QUIC' | 'TCP_QUIC';

export interface TargetGroupSpec {
  /** Optional; must equal metadata.name. */
  Name?: string;
  Protocol?: ElbProtocol;
  ProtocolVersion?: string;
  Port?: number;
  VpcId?: string;
  HealthCheckProtocol?: ElbProtocol;
  HealthCheckPort?: string;
  HealthCheckEnabled?: boolean;
  HealthCheckPath?: string;
  /** 5–300, default 30. */
  HealthCheckIntervalSeconds?: number;
  /** 2–120, default 6 (HTTP). */
  HealthCheckTimeoutSeconds?: number;
  /** 2–10, default 5. */
  HealthyThresholdCount?: number;
  /** 2–10, default 2. */
  UnhealthyThresholdCount?: number;
  Matcher?: { HttpCode?: string; GrpcCode?: string };
  /** Default instance. */
  TargetType?: 'instance' | 'ip' | 'lambda' | 'alb';
  Tags?: { Key: string; Value?: string }[];
  IpAddressType?: 'ipv4' | 'ipv6';
  TargetControlPort?: number;
  /** ecsplane extra: deregistration_delay.timeout_seconds, 0–3600, default 300. */
  DeregistrationDelay?: number;
}
