/**
 * TaskDefinition (RegisterTaskDefinition input) rules beyond the schema, and its defaults.
 * Every error is a ClientException, as RegisterTaskDefinition reports them (ecs-semantics §2).
 */
import { EcsError, ErrorType, capValue } from '../errors.js';
import {
  ECS_NAME,
  ECS_NAME_MESSAGE,
  Issues,
  arr,
  checkName,
  clone,
  isInt,
  isObject,
  nonEmpty,
  obj,
  isRoleRef,
  type NameRule,
} from './common.js';
import { QUOTAS, formatCount, quotaError } from '../quotas.js';
import { EC2_TASK_CPU, fargateSize, parseCpu, parseMemory } from './task-size.js';
import type { ContainerDefinition, TaskDefinitionSpec } from './types.js';
import { checkContainers, type TaskContext } from './container-definition.js';

export const TASK_DEFINITION_NAME: NameRule = { pattern: ECS_NAME, message: ECS_NAME_MESSAGE, nameField: 'family' };

/** Docker's stop grace period when the TD sets none (ecs-semantics §1: ECS_CONTAINER_STOP_TIMEOUT, 30 s). */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

export function validateTaskDefinition(o: any): EcsError[] {
  const issues = new Issues(ErrorType.Client);
  const name = checkName(o, TASK_DEFINITION_NAME, issues);
  checkTaskDefinitionSpec(obj(o?.spec), issues);
  checkSize(obj(o?.spec), name, issues);
  return issues.list;
}

/** The RegisterTaskDefinition request (spec with its family) is at most 64 KiB of JSON (api/quotas.ts). */
function checkSize(spec: Record<string, any>, name: string | undefined, issues: Issues): void {
  const bytes = Buffer.byteLength(JSON.stringify({ family: name, ...spec }), 'utf8');
  if (bytes > QUOTAS.taskDefinitionBytes.value) {
    issues.list.push(quotaError('taskDefinitionBytes', `The task definition's JSON (${formatCount(bytes)} bytes)`, issues.type, 'spec'));
  }
}

/** The spec rules, shared with TaskDefinitionRevision. */
export function checkTaskDefinitionSpec(spec: Record<string, any>, issues: Issues): void {
  const compat = arr<string>(spec.requiresCompatibilities);
  const fargate = compat.includes('FARGATE');
  const networkMode: string = spec.networkMode ?? 'bridge';
  const cpu = taskValue(spec, 'cpu', parseCpu, issues);
  const memory = taskValue(spec, 'memory', parseMemory, issues);
  const windows = String(obj(spec.runtimePlatform).operatingSystemFamily ?? '').startsWith('WINDOWS');

  if (fargate) checkFargate(spec, { cpu, memory, networkMode, windows }, issues);
  else if (cpu !== undefined && (cpu < EC2_TASK_CPU.min || cpu > EC2_TASK_CPU.max)) {
    issues.add('spec.cpu', "Invalid 'cpu' setting for task.");
  }
  if (memory !== undefined && memory <= 0) issues.add('spec.memory', "Invalid 'memory' setting for task.");

  for (const field of ['taskRoleArn', 'executionRoleArn'] as const) {
    const ref = spec[field];
    // "" means no role (generated CLI skeletons and botocore's own example use it).
    if (ref !== undefined && ref !== '' && !(nonEmpty(ref) && isRoleRef(ref, field === 'taskRoleArn'))) {
      issues.add(`spec.${field}`, 'Role is not valid');
    }
  }

  const ctx: TaskContext = { fargate, networkMode, cpu, memory, volumes: volumeNames(spec, issues) };
  checkContainers(arr<ContainerDefinition>(spec.containerDefinitions), ctx, issues);

  arr(spec.placementConstraints).forEach((c, i) => {
    if (obj(c).type === 'memberOf' && !nonEmpty(c.expression)) {
      issues.add(`spec.placementConstraints[${i}].expression`, 'The memberOf constraint requires an expression.');
    }
  });
  const proxy = obj(spec.proxyConfiguration).containerName;
  if (nonEmpty(proxy) && !arr(spec.containerDefinitions).some((c) => obj(c).name === proxy)) {
    issues.add('spec.proxyConfiguration.containerName', `The proxy container '${capValue(proxy)}' is not defined in the task definition.`);
  }
}

/** Parse task-level cpu/memory ("1 vCPU", "2 GB" or plain numbers); undefined when absent or invalid. */
function taskValue(spec: Record<string, any>, field: 'cpu' | 'memory', parse: (v: unknown) => number, issues: Issues) {
  if (spec[field] === undefined) return undefined;
  const n = parse(spec[field]);
  if (Number.isNaN(n)) {
    issues.add(`spec.${field}`, `Invalid '${capValue(field)}' setting for task.`);
    return undefined;
  }
  return n;
}

interface FargateInput {
  cpu?: number;
  memory?: number;
  networkMode: string;
  windows: boolean;
}

/** ecs-semantics §3: the size table applies whenever FARGATE is among requiresCompatibilities. */
function checkFargate(spec: Record<string, any>, f: FargateInput, issues: Issues): void {
  if (f.networkMode !== 'awsvpc') issues.add('spec.networkMode', "Fargate only supports network mode 'awsvpc'.");
  if (spec.cpu === undefined) issues.add('spec.cpu', "Fargate requires that 'cpu' be defined at the task level.");
  if (spec.memory === undefined) issues.add('spec.memory', "Fargate requires that 'memory' be defined at the task level.");
  if (f.cpu !== undefined) {
    const size = fargateSize(f.cpu, f.windows);
    if (!size) issues.add('spec.cpu', "Invalid 'cpu' setting for task.");
    else if (f.memory !== undefined && !size.memory.includes(f.memory)) {
      issues.add(
        'spec.memory',
        `No Fargate configuration exists for given values: ${f.cpu} CPU, ${f.memory} memory. See the Amazon ECS documentation for the valid values.`,
      );
    }
  }
  if (!nonEmpty(spec.executionRoleArn)) {
    const containers = arr(spec.containerDefinitions).map(obj);
    if (containers.some((c) => obj(c.logConfiguration).logDriver === 'awslogs')) {
      issues.add('spec.executionRoleArn', 'Fargate requires task definition to have execution role ARN to support log driver awslogs.');
    }
    if (containers.some((c) => typeof c.image === 'string' && /\.dkr\.ecr\.[^/]+\.amazonaws\.com/.test(c.image))) {
      issues.add('spec.executionRoleArn', 'Fargate requires task definition to have execution role ARN to support ECR images.');
    }
  }
}

/** Volume names (unique, ECS-named), one volume type each, and the EFS encryption rules. */
function volumeNames(spec: Record<string, any>, issues: Issues): Set<string> {
  const names = new Set<string>();
  arr(spec.volumes).forEach((v, i) => {
    const f = `spec.volumes[${i}]`;
    const vol = obj(v);
    if (!nonEmpty(vol.name)) issues.add(`${f}.name`, 'Volume name is required.');
    else if (!ECS_NAME.test(vol.name)) issues.add(`${f}.name`, `Invalid volume name '${capValue(vol.name)}'. ${ECS_NAME_MESSAGE}`);
    else if (names.has(vol.name)) issues.add(`${f}.name`, `Duplicate volume name '${capValue(vol.name)}'.`);
    else names.add(vol.name);
    const kinds = ['host', 'dockerVolumeConfiguration', 'efsVolumeConfiguration', 'fsxWindowsFileServerVolumeConfiguration', 's3filesVolumeConfiguration'];
    if (kinds.filter((k) => vol[k] !== undefined).length > 1) {
      issues.add(f, `Volume '${capValue(vol.name ?? i)}' may specify only one of ${kinds.join(', ')}.`);
    }
    if (isObject(vol.efsVolumeConfiguration)) checkEfs(vol.efsVolumeConfiguration, `${f}.efsVolumeConfiguration`, issues);
  });
  return names;
}

/** EFS: IAM authorization, an access point or a transit encryption port need transit encryption. */
function checkEfs(efs: Record<string, any>, f: string, issues: Issues): void {
  if (!nonEmpty(efs.fileSystemId)) issues.add(`${f}.fileSystemId`, 'fileSystemId is required.');
  const auth = obj(efs.authorizationConfig);
  const encrypted = efs.transitEncryption === 'ENABLED';
  if (!encrypted) {
    if (auth.iam === 'ENABLED') issues.add(`${f}.transitEncryption`, 'Transit encryption must be enabled when IAM authorization is used.');
    if (efs.transitEncryptionPort !== undefined) {
      issues.add(`${f}.transitEncryption`, 'Transit encryption must be enabled when a transit encryption port is specified.');
    }
    if (auth.accessPointId !== undefined) {
      issues.add(`${f}.transitEncryption`, 'Transit encryption must be enabled when an EFS access point is used.');
    }
  }
  if (auth.accessPointId !== undefined && efs.rootDirectory !== undefined && efs.rootDirectory !== '/') {
    issues.add(`${f}.rootDirectory`, "When an EFS access point is used, rootDirectory must be omitted or set to '/'.");
  }
}

/**
 * The defaulted view (pure, returns a new object): family from metadata.name, networkMode bridge, cpu and
 * memory normalised to units/MiB strings, and per container essential true, cpu 0, protocol tcp, static
 * host ports for awsvpc/host (dynamic 0 for bridge), healthCheck interval 30 / timeout 5 / retries 3, and
 * the empty lists DescribeTaskDefinition returns.
 */
export function taskDefinitionWithDefaults(spec: TaskDefinitionSpec, meta?: { name?: string }): TaskDefinitionSpec {
  const s = clone(spec) ?? ({} as TaskDefinitionSpec);
  if (s.family === undefined && meta?.name) s.family = meta.name;
  s.networkMode ??= 'bridge';
  const cpu = parseCpu(s.cpu);
  if (s.cpu !== undefined && !Number.isNaN(cpu)) s.cpu = String(cpu);
  const memory = parseMemory(s.memory);
  if (s.memory !== undefined && !Number.isNaN(memory)) s.memory = String(memory);
  s.volumes ??= [];
  s.placementConstraints ??= [];
  for (const c of arr<ContainerDefinition>(s.containerDefinitions)) {
    if (!isObject(c)) continue;
    c.essential ??= true;
    c.cpu ??= 0;
    c.portMappings ??= [];
    c.environment ??= [];
    c.mountPoints ??= [];
    c.volumesFrom ??= [];
    for (const pm of arr(c.portMappings)) {
      if (!isObject(pm)) continue;
      pm.protocol ??= 'tcp';
      if (pm.hostPort === undefined && isInt(pm.containerPort)) {
        pm.hostPort = s.networkMode === 'awsvpc' || s.networkMode === 'host' ? pm.containerPort : 0;
      }
    }
    if (isObject(c.healthCheck)) {
      c.healthCheck.interval ??= 30;
      c.healthCheck.timeout ??= 5;
      c.healthCheck.retries ??= 3;
    }
  }
  return s;
}
