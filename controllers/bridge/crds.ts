/**
 * CustomResourceDefinitions generated from the kind registry (api/v1alpha1 KINDS): the same structural
 * spec schemas the store validates with, status with typed conditions and observedGeneration, printer
 * columns, short names and the `ecs` category. Used by hack/gen-crds.ts (`make manifests` → api/crd/) and
 * by the bridge, which creates missing CRDs at start. Pure: no Kubernetes client here.
 */
import { createHash } from 'node:crypto';
import { KINDS, type JsonSchema, type KindDef } from '../../api/v1alpha1/index.js';
import { GROUP, SCHEMA_HASH_ANNOTATION, VERSION } from './constants.js';

/** One sentence per kind for `kubectl explain <kind>`. */
const KIND_DOCS: Record<string, string> = {
  Cluster:
    'An Amazon ECS cluster. spec is the ECS CreateCluster request; status is the DescribeClusters output (instance, task and service counts) plus conditions.',
  TaskDefinition:
    'A task definition family (metadata.name is the family). spec is the ECS RegisterTaskDefinition request; applying a changed spec registers the next revision (see TaskDefinitionRevision), and status.revision is the latest one.',
  TaskDefinitionRevision:
    'A registered, immutable task definition revision `family:N` (named `family.N` here). Created by ecsplane when a TaskDefinition changes; read-only, owned by its TaskDefinition.',
  Service:
    'An Amazon ECS service. spec is the ECS CreateService request (later changes act as UpdateService); status is the DescribeServices output with deployments[] and events[], plus conditions Ready (steady state), Progressing and Degraded.',
  Task:
    'An ECS task. Tasks of services are created by ecsplane and mirrored here read-only (owned by their Service); a Task you create yourself is an ECS RunTask request.',
  ContainerInstance:
    'An EC2 container instance registered in an ECS cluster; spec is the ECS RegisterContainerInstance request. Instances launched by an AutoScalingGroup are mirrored here read-only.',
  CapacityProvider: 'An ECS capacity provider backed by an Auto Scaling group; spec is the ECS CreateCapacityProvider request.',
  AutoScalingGroup:
    'An EC2 Auto Scaling group (simulated); spec is the CreateAutoScalingGroup request. Its instances register as container instances.',
  ScalableTarget:
    "An Application Auto Scaling scalable target (a service's desired count); spec is the RegisterScalableTarget request.",
  ScalingPolicy: 'An Application Auto Scaling policy (target tracking or step scaling); spec is the PutScalingPolicy request.',
  ScheduledAction: 'An Application Auto Scaling scheduled action; spec is the PutScheduledAction request.',
  TargetGroup: 'An Elastic Load Balancing target group that services register their tasks in; spec is the CreateTargetGroup request.',
  Subnet: 'A VPC subnet that awsvpc tasks take their addresses from; named by its subnet id, spec is the EC2 CreateSubnet request.',
  AccountSetting:
    "An Amazon ECS account setting default, named by the setting; spec is the ECS PutAccountSettingDefault request. awsvpcTrunking enabled gives container instances launched afterwards the trunking ENI limit.",
  Queue: 'An Amazon SQS standard queue (simulated message counts); spec is the SQS CreateQueue request, status the GetQueueAttributes counts.',
  MetricAlarm: 'An Amazon CloudWatch metric alarm; spec is the PutMetricAlarm request, status.StateValue its state. AlarmActions may name a step scaling policy.',
  Rule: 'An EventBridge rule with its targets; spec is the PutRule request plus Targets as PutTargets takes them. ECS targets run tasks (RunTask) on a schedule or when an event matches.',
  Schedule: 'An EventBridge Scheduler schedule; spec is the CreateSchedule request. An ECS target runs tasks (RunTask) at each occurrence.',
};

const CONDITION_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'A Kubernetes-style condition (metav1.Condition).',
  required: ['type', 'status'],
  properties: {
    type: { type: 'string', description: 'Ready, Progressing, Degraded or Synced.' },
    status: { type: 'string', enum: ['True', 'False', 'Unknown'], description: 'True, False or Unknown.' },
    reason: {
      type: 'string',
      description: 'Machine-readable reason in CamelCase; for a rejected spec the ECS exception (e.g. InvalidParameterException).',
    },
    message: { type: 'string', description: 'Human-readable details; for a rejected spec it names the offending field.' },
    lastTransitionTime: { type: 'string', format: 'date-time', description: 'When status last changed.' },
    observedGeneration: { type: 'integer', format: 'int64', description: 'metadata.generation the condition was computed for.' },
  },
};

/** What the bridge adds to every status for `kubectl get` (printer columns cannot compute). */
const SUMMARY_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'ecsplane (not in the AWS output): values for the printer columns of `kubectl get`, written by the bridge.',
  properties: {
    ready: {
      type: 'string',
      description: 'The Ready condition: `True`, or its status and reason when not True (`False: InvalidParameterException`).',
    },
    taskDefinition: {
      type: 'string',
      description: 'The task definition as `family:revision` (the PRIMARY deployment\'s for a service; the full ARN is in taskDefinition or taskDefinitionArn).',
    },
  },
};

/**
 * Status: the AWS Describe* output shape of the kind (generated with its descriptions, so `kubectl explain`
 * documents every field), plus conditions, observedGeneration and the bridge's own fields. Closed: a field
 * not declared here would be pruned by the apiserver (test/unit/bridge/status-schema.spec.ts checks that
 * every field ecsplane writes is declared). Only what the AWS model leaves open stays open.
 */
export function statusSchemaFor(def: KindDef): JsonSchema {
  return {
    ...def.statusSchema,
    type: 'object',
    properties: {
      ...(def.statusSchema.properties ?? {}),
      observedGeneration: {
        type: 'integer',
        format: 'int64',
        description: 'The metadata.generation of this object that ecsplane has acted on.',
      },
      conditions: {
        type: 'array',
        description:
          'Ready, Progressing, Degraded (from the ecsplane controllers) and Synced (whether the bridge could apply spec; False with the ECS exception as reason when it was rejected).',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
        items: CONDITION_SCHEMA,
      },
      summary: SUMMARY_SCHEMA,
      ...(def.scale?.labelSelectorPath === '.status.selector'
        ? {
            selector: {
              type: 'string',
              description:
                'ecsplane (not in the AWS output): the label selector of this service\'s task custom resources, for the scale subresource (`kubectl scale`, HorizontalPodAutoscaler).',
            },
          }
        : {}),
      storeRecord: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        description:
          'ecsplane bookkeeping, not ECS output: the store object behind this resource (metadata with its uid and generation, spec as accepted, internal status) as the bridge last wrote it. A restarted ecsplane rebuilds its store from it; do not edit.',
      },
    },
  };
}

export function crdName(def: KindDef): string {
  return `${def.plural}.${GROUP}`;
}

/** The CRD of one kind. Deterministic (committed output must not churn). */
export function crdFor(def: KindDef): Record<string, any> {
  const doc = KIND_DOCS[def.kind] ?? `An ecsplane ${def.kind}.`;
  const spec: JsonSchema = {
    ...def.specSchema,
    description: `Desired state, exactly the AWS request (${def.schemaSource}). Never rewritten by ecsplane.`,
    ...(def.validations.length ? { 'x-kubernetes-validations': def.validations.map((v) => ({ ...v })) } : {}),
  };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: crdName(def),
      labels: { 'app.kubernetes.io/name': 'ecsplane', 'app.kubernetes.io/part-of': 'ecsplane' },
      annotations: {} as Record<string, string>,
    },
    spec: {
      group: GROUP,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: [...def.shortNames],
        categories: [...def.categories],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: def.scale ? { status: {}, scale: { ...def.scale } } : { status: {} },
          additionalPrinterColumns: def.printerColumns.map((c) => ({
            name: c.name,
            type: c.type,
            jsonPath: c.jsonPath,
            ...(c.description ? { description: c.description } : {}),
            ...(c.priority ? { priority: c.priority } : {}),
          })),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: doc,
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string', description: `${GROUP}/${VERSION}` },
                kind: { type: 'string', description: def.kind },
                metadata: { type: 'object' },
                spec,
                status: statusSchemaFor(def),
              },
            },
          },
        },
      ],
    },
  };
  crd.metadata.annotations[SCHEMA_HASH_ANNOTATION] = crdHash(crd);
  return crd;
}

/** Hash of a CRD's content (without the hash annotation itself). */
export function crdHash(crd: { metadata: any; spec: any }): string {
  const { annotations: _a, ...meta } = crd.metadata;
  return createHash('sha256').update(JSON.stringify({ meta, spec: crd.spec })).digest('hex').slice(0, 16);
}

/** Every CRD, in registry order. */
export function allCrds(): Array<Record<string, any>> {
  return Object.values(KINDS).map(crdFor);
}
