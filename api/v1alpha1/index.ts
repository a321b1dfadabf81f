/**
 * The registry of ecsplane kinds (group ecsplane.io, version v1alpha1): names, schemas (generated from
 * botocore by hack/gen-schemas.py), printer columns (Kubernetes additionalPrinterColumns), rules and defaults.
 * The CRD generator and the Kubernetes bridge read everything they need from here.
 */
import { createRequire } from 'node:module';
import { CLUSTER_SCOPED_KINDS } from '../meta.js';
import { ErrorType, type EcsError } from '../errors.js';
import type { NameRule } from './common.js';
import { CEL_RULES, type CelRule } from './cel.js';
import { ACCOUNT_SETTING_NAME, accountSettingWithDefaults, validateAccountSetting } from './account-setting.js';
import { AUTO_SCALING_GROUP_NAME, autoScalingGroupWithDefaults, validateAutoScalingGroup } from './auto-scaling-group.js';
import { CAPACITY_PROVIDER_NAME, capacityProviderWithDefaults, validateCapacityProvider } from './capacity-provider.js';
import { CLUSTER_NAME, clusterWithDefaults, validateCluster } from './cluster.js';
import { CONTAINER_INSTANCE_NAME, containerInstanceWithDefaults, validateContainerInstance } from './container-instance.js';
import { SCALABLE_TARGET_NAME, scalableTargetWithDefaults, validateScalableTarget } from './scalable-target.js';
import { SCALING_POLICY_NAME, scalingPolicyWithDefaults, validateScalingPolicy } from './scaling-policy.js';
import { SCHEDULED_ACTION_NAME, scheduledActionWithDefaults, validateScheduledAction } from './scheduled-action.js';
import { SERVICE_NAME, serviceWithDefaults, validateService } from './service.js';
import { TARGET_GROUP_NAME, targetGroupWithDefaults, validateTargetGroup } from './target-group.js';
import { SUBNET_ERROR, SUBNET_NAME, subnetWithDefaults, validateSubnet } from './subnet.js';
import {
  TASK_DEFINITION_REVISION_NAME,
  taskDefinitionRevisionWithDefaults,
  validateTaskDefinitionRevision,
} from './task-definition-revision.js';
import { TASK_DEFINITION_NAME, taskDefinitionWithDefaults, validateTaskDefinition } from './task-definition.js';
import { TASK_NAME, taskWithDefaults, validateTask } from './task.js';
import { QUEUE_KIND_ENTRIES } from './queue-kinds.js';
import { EVENT_KIND_ENTRIES } from './events-kinds.js';

export type JsonSchema = Record<string, any>;

/** A Kubernetes CRD additionalPrinterColumn. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  /** 0 = shown by `kubectl get`, 1 = only with `-o wide`. */
  priority?: number;
}

/** A CRD scale subresource (`kubectl scale`, HorizontalPodAutoscaler): JSON paths into the resource. */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface KindDef {
  kind: string;
  /** Lower-case Kubernetes resource names. */
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  /** Lives inside one ECS cluster (store key `cluster/name`); all kinds are Namespaced in Kubernetes. */
  clusterScoped: boolean;
  /** The spec field that names the object (must equal metadata.name when given). */
  nameField?: string;
  /** metadata.name rule. */
  name: NameRule;
  /** The AWS exception reported for schema violations (the API the spec comes from). */
  errorType: string;
  /** Structural OpenAPI v3 schema of spec (CRD-ready; ajv strictness is added by api/schema). */
  specSchema: JsonSchema;
  /** Structural schema of status: the AWS Describe* output shape (status.json), without conditions. */
  statusSchema: JsonSchema;
  /** Where statusSchema comes from. */
  statusSource: string;
  /** CEL rules on spec (api/v1alpha1/cel.ts). */
  validations: CelRule[];
  scale?: ScaleSubresource;
  printerColumns: PrinterColumn[];
  /** Where specSchema comes from, incl. the botocore version. */
  schemaSource: string;
  /** Rules beyond the schema; field paths from the object root (`spec.…`, `metadata.name`). */
  validate(obj: unknown): EcsError[];
  /** A new defaulted copy of spec (pure); `meta.name` fills the spec's name field. */
  withDefaults(spec: any, meta?: { name?: string }): any;
}

/**
 * The generated schema files (~1.9 MB of JSON, botocore's documentation included) are read the first time a
 * kind's specSchema, statusSchema or their sources are asked for: specs are checked by the precompiled
 * validators (api/schema/validators), so the CRD generator, the bridge and tests read them, `simulate` and
 * `run` without the bridge never do (issue #16). tsconfig.json includes them: tsc copies them to dist/.
 */
const requireSchema = createRequire(new URL('./schemas/', import.meta.url));
const schemaFile = (file: string): SchemaFile => requireSchema(`./${file}`) as SchemaFile;
const statusSchemas = (): Record<string, SchemaFile> => (requireSchema('./status.json') as { kinds: Record<string, SchemaFile> }).kinds;

const AGE: PrinterColumn = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' };
/** The Ready condition's status, with its reason when not True (status.summary.ready, written by the bridge). */
const READY: PrinterColumn = {
  name: 'READY',
  type: 'string',
  jsonPath: '.status.summary.ready',
  description: 'The Ready condition: True, or False/Unknown with its reason.',
};

const col = (name: string, type: PrinterColumn['type'], jsonPath: string, priority?: number): PrinterColumn =>
  priority === undefined ? { name, type, jsonPath } : { name, type, jsonPath, priority };

interface SchemaFile {
  source: string;
  schema: JsonSchema;
}

/** A kind's entry before `define` fills in the derived fields. */
export type KindEntry = Entry;
type Entry = Omit<
  KindDef,
  'categories' | 'clusterScoped' | 'singular' | 'statusSchema' | 'statusSource' | 'validations' | 'specSchema' | 'schemaSource' | 'nameField'
> & {
  /** The spec schema's file in schemas/ (`service.json`). */
  file: string;
};

function define(e: Entry): KindDef {
  const { file, ...rest } = e;
  const def = {
    ...rest,
    singular: e.kind.toLowerCase(),
    categories: ['ecs'],
    clusterScoped: CLUSTER_SCOPED_KINDS.has(e.kind),
    nameField: e.name.nameField,
    validations: CEL_RULES[e.kind] ?? [],
  };
  // require() keeps each file's parsed object: every read returns the same schema (TaskDefinitionRevision's is TaskDefinition's).
  return Object.defineProperties(def as KindDef, {
    specSchema: { enumerable: true, get: () => schemaFile(file).schema },
    schemaSource: { enumerable: true, get: () => schemaFile(file).source },
    statusSchema: { enumerable: true, get: () => statusSchemas()[e.kind].schema },
    statusSource: { enumerable: true, get: () => statusSchemas()[e.kind].source },
  });
}

const defs: KindDef[] = [
  define({
    kind: 'Cluster',
    plural: 'clusters',
    shortNames: ['ecscluster'],
    name: CLUSTER_NAME,
    errorType: ErrorType.InvalidParameter,
    file: 'cluster.json',
    printerColumns: [
      col('STATUS', 'string', '.status.status'),
      col('RUNNING', 'integer', '.status.runningTasksCount'),
      col('PENDING', 'integer', '.status.pendingTasksCount'),
      col('SERVICES', 'integer', '.status.activeServicesCount'),
      col('INSTANCES', 'integer', '.status.registeredContainerInstancesCount'),
      col('CAPACITYPROVIDERS', 'string', '.spec.capacityProviders', 1),
      READY,
      AGE,
    ],
    validate: validateCluster,
    withDefaults: clusterWithDefaults,
  }),
  define({
    kind: 'TaskDefinition',
    plural: 'taskdefinitions',
    shortNames: ['taskdef', 'td'],
    name: TASK_DEFINITION_NAME,
    errorType: ErrorType.Client,
    file: 'task-definition.json',
    printerColumns: [
      // metadata.name is the family (spec.family is optional).
      col('FAMILY', 'string', '.metadata.name'),
      col('REVISION', 'integer', '.status.revision'),
      col('CPU', 'string', '.spec.cpu'),
      col('MEMORY', 'string', '.spec.memory'),
      col('NETWORKMODE', 'string', '.spec.networkMode'),
      col('STATUS', 'string', '.status.status'),
      col('COMPATIBILITIES', 'string', '.spec.requiresCompatibilities', 1),
      READY,
      AGE,
    ],
    validate: validateTaskDefinition,
    withDefaults: taskDefinitionWithDefaults,
  }),
  define({
    kind: 'TaskDefinitionRevision',
    plural: 'taskdefinitionrevisions',
    shortNames: ['tdrev', 'tdr'],
    name: TASK_DEFINITION_REVISION_NAME,
    errorType: ErrorType.Client,
    file: 'task-definition.json',
    printerColumns: [
      col('FAMILY', 'string', '.status.family'),
      col('REVISION', 'integer', '.status.revision'),
      col('STATUS', 'string', '.status.status'),
      col('CPU', 'string', '.spec.cpu'),
      col('MEMORY', 'string', '.spec.memory'),
      col('NETWORKMODE', 'string', '.spec.networkMode'),
      col('ARN', 'string', '.status.taskDefinitionArn', 1),
      AGE,
    ],
    validate: validateTaskDefinitionRevision,
    withDefaults: taskDefinitionRevisionWithDefaults,
  }),
  define({
    kind: 'Service',
    plural: 'services',
    shortNames: ['ecsservice', 'ecssvc'],
    name: SERVICE_NAME,
    errorType: ErrorType.InvalidParameter,
    file: 'service.json',
    printerColumns: [
      col('CLUSTER', 'string', '.spec.cluster'),
      // status.desiredCount: Application Auto Scaling changes it without touching spec.
      col('DESIRED', 'integer', '.status.desiredCount'),
      col('RUNNING', 'integer', '.status.runningCount'),
      col('PENDING', 'integer', '.status.pendingCount'),
      // family:revision of the PRIMARY deployment (status.taskDefinition is the ARN; -o wide shows it).
      col('TASKDEFINITION', 'string', '.status.summary.taskDefinition'),
      col('STATUS', 'string', '.status.status'),
      READY,
      col('ROLLOUT', 'string', '.status.deployments[0].rolloutState', 1),
      col('LAUNCHTYPE', 'string', '.spec.launchType', 1),
      col('TASKDEFINITIONARN', 'string', '.status.taskDefinition', 1),
      AGE,
    ],
    scale: { specReplicasPath: '.spec.desiredCount', statusReplicasPath: '.status.runningCount', labelSelectorPath: '.status.selector' },
    validate: validateService,
    withDefaults: serviceWithDefaults,
  }),
  define({
    kind: 'Task',
    plural: 'tasks',
    shortNames: ['ecstask'],
    name: TASK_NAME,
    errorType: ErrorType.InvalidParameter,
    file: 'task.json',
    printerColumns: [
      col('CLUSTER', 'string', '.spec.cluster'),
      col('GROUP', 'string', '.status.group'),
      col('LAST', 'string', '.status.lastStatus'),
      col('DESIRED', 'string', '.status.desiredStatus'),
      col('INSTANCE', 'string', '.status.containerInstanceArn'),
      col('HEALTH', 'string', '.status.healthStatus', 1),
      col('TASKDEFINITION', 'string', '.status.summary.taskDefinition', 1),
      col('STOPCODE', 'string', '.status.stopCode', 1),
      AGE,
    ],
    validate: validateTask,
    withDefaults: taskWithDefaults,
  }),
  define({
    kind: 'ContainerInstance',
    plural: 'containerinstances',
    shortNames: ['ecsci', 'ci'],
    name: CONTAINER_INSTANCE_NAME,
    errorType: ErrorType.InvalidParameter,
    file: 'container-instance.json',
    printerColumns: [
      col('CLUSTER', 'string', '.spec.cluster'),
      col('STATUS', 'string', '.status.status'),
      col('AGENT', 'boolean', '.status.agentConnected'),
      col('RUNNING', 'integer', '.status.runningTasksCount'),
      col('CPU', 'integer', '.status.remainingResources[?(@.name=="CPU")].integerValue'),
      col('MEMORY', 'integer', '.status.remainingResources[?(@.name=="MEMORY")].integerValue'),
      col('PENDING', 'integer', '.status.pendingTasksCount', 1),
      col('CAPACITYPROVIDER', 'string', '.status.capacityProviderName', 1),
      col('EC2INSTANCE', 'string', '.status.ec2InstanceId', 1),
      AGE,
    ],
    validate: validateContainerInstance,
    withDefaults: containerInstanceWithDefaults,
  }),
  define({
    kind: 'CapacityProvider',
    plural: 'capacityproviders',
    shortNames: ['ecscp', 'cp'],
    name: CAPACITY_PROVIDER_NAME,
    errorType: ErrorType.InvalidParameter,
    file: 'capacity-provider.json',
    printerColumns: [
      col('ASG', 'string', '.spec.autoScalingGroupProvider.autoScalingGroupArn'),
      col('SCALING', 'string', '.spec.autoScalingGroupProvider.managedScaling.status'),
      col('TARGET', 'integer', '.spec.autoScalingGroupProvider.managedScaling.targetCapacity'),
      col('PROTECTION', 'string', '.spec.autoScalingGroupProvider.managedTerminationProtection', 1),
      col('STATUS', 'string', '.status.status'),
      READY,
      AGE,
    ],
    validate: validateCapacityProvider,
    withDefaults: capacityProviderWithDefaults,
  }),
  define({
    kind: 'AutoScalingGroup',
    plural: 'autoscalinggroups',
    shortNames: ['asg'],
    name: AUTO_SCALING_GROUP_NAME,
    errorType: ErrorType.AutoScalingValidation,
    file: 'auto-scaling-group.json',
    printerColumns: [
      col('INSTANCETYPE', 'string', '.spec.InstanceType'),
      col('MIN', 'integer', '.spec.MinSize'),
      col('MAX', 'integer', '.spec.MaxSize'),
      // Managed scaling changes the group's desired capacity, so the observed value is in status.
      col('DESIRED', 'integer', '.status.DesiredCapacity'),
      col('AZS', 'string', '.spec.AvailabilityZones', 1),
      READY,
      AGE,
    ],
    validate: validateAutoScalingGroup,
    withDefaults: autoScalingGroupWithDefaults,
  }),
  define({
    kind: 'ScalableTarget',
    plural: 'scalabletargets',
    shortNames: ['st'],
    name: SCALABLE_TARGET_NAME,
    errorType: ErrorType.Validation,
    file: 'scalable-target.json',
    printerColumns: [
      col('RESOURCE', 'string', '.spec.ResourceId'),
      col('MIN', 'integer', '.spec.MinCapacity'),
      col('MAX', 'integer', '.spec.MaxCapacity'),
      col('DIMENSION', 'string', '.spec.ScalableDimension', 1),
      READY,
      AGE,
    ],
    validate: validateScalableTarget,
    withDefaults: scalableTargetWithDefaults,
  }),
  define({
    kind: 'ScalingPolicy',
    plural: 'scalingpolicies',
    shortNames: ['sp'],
    name: SCALING_POLICY_NAME,
    errorType: ErrorType.Validation,
    file: 'scaling-policy.json',
    printerColumns: [
      col('RESOURCE', 'string', '.spec.ResourceId'),
      col('TYPE', 'string', '.spec.PolicyType'),
      col('METRIC', 'string', '.spec.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType'),
      col('TARGET', 'number', '.spec.TargetTrackingScalingPolicyConfiguration.TargetValue'),
      READY,
      AGE,
    ],
    validate: validateScalingPolicy,
    withDefaults: scalingPolicyWithDefaults,
  }),
  define({
    kind: 'ScheduledAction',
    plural: 'scheduledactions',
    shortNames: ['schedact'],
    name: SCHEDULED_ACTION_NAME,
    errorType: ErrorType.Validation,
    file: 'scheduled-action.json',
    printerColumns: [
      col('RESOURCE', 'string', '.spec.ResourceId'),
      col('SCHEDULE', 'string', '.spec.Schedule'),
      col('MIN', 'integer', '.spec.ScalableTargetAction.MinCapacity'),
      col('MAX', 'integer', '.spec.ScalableTargetAction.MaxCapacity'),
      col('TIMEZONE', 'string', '.spec.Timezone', 1),
      READY,
      AGE,
    ],
    validate: validateScheduledAction,
    withDefaults: scheduledActionWithDefaults,
  }),
  define({
    kind: 'TargetGroup',
    plural: 'targetgroups',
    shortNames: ['tg'],
    name: TARGET_GROUP_NAME,
    errorType: ErrorType.ElbValidation,
    file: 'target-group.json',
    printerColumns: [
      col('PROTOCOL', 'string', '.spec.Protocol'),
      col('PORT', 'integer', '.spec.Port'),
      col('TARGETTYPE', 'string', '.spec.TargetType'),
      col('DEREGISTRATIONDELAY', 'integer', '.spec.DeregistrationDelay', 1),
      READY,
      AGE,
    ],
    validate: validateTargetGroup,
    withDefaults: targetGroupWithDefaults,
  }),
  define({
    kind: 'Subnet',
    plural: 'subnets',
    shortNames: ['subnet'],
    name: SUBNET_NAME,
    errorType: SUBNET_ERROR,
    file: 'subnet.json',
    printerColumns: [
      col('CIDR', 'string', '.spec.CidrBlock'),
      col('AZ', 'string', '.spec.AvailabilityZone'),
      col('AVAILABLE', 'integer', '.status.AvailableIpAddressCount'),
      col('VPC', 'string', '.spec.VpcId', 1),
      READY,
      AGE,
    ],
    validate: validateSubnet,
    withDefaults: subnetWithDefaults,
  }),
  define({
    kind: 'AccountSetting',
    plural: 'accountsettings',
    shortNames: ['acctsetting'],
    name: ACCOUNT_SETTING_NAME,
    errorType: ErrorType.InvalidParameter,
    file: 'account-setting.json',
    printerColumns: [col('VALUE', 'string', '.spec.value'), col('PRINCIPAL', 'string', '.status.principalArn', 1), READY, AGE],
    validate: validateAccountSetting,
    withDefaults: accountSettingWithDefaults,
  }),
  ...QUEUE_KIND_ENTRIES.map(define),
  ...EVENT_KIND_ENTRIES.map(define),
];

export const KINDS: Record<string, KindDef> = Object.freeze(Object.fromEntries(defs.map((d) => [d.kind, d])));

export function kindDef(kind: string): KindDef | undefined {
  return Object.prototype.hasOwnProperty.call(KINDS, kind) ? KINDS[kind] : undefined;
}

export * from './types.js';
