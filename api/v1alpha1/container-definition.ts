/**
 * Container definition rules (ecs-semantics §1 TaskDefinition "Container fields"): names, image, memory,
 * essential, sums against the task size, port mappings per network mode, health checks, dependsOn,
 * mount points and secrets. Secret `valueFrom` values are never echoed: messages name the secret.
 */
import { capValue } from '../errors.js';
import {
  ECS_NAME,
  ECS_NAME_MESSAGE,
  Issues,
  arr,
  isInt,
  isNum,
  isObject,
  nonEmpty,
  obj,
} from './common.js';
import type { ContainerDefinition } from './types.js';

export interface TaskContext {
  fargate: boolean;
  networkMode: string;
  /** Task-level cpu units / memory MiB when set and valid. */
  cpu?: number;
  memory?: number;
  /** Declared volume names. */
  volumes: Set<string>;
}

const cd = (i: number) => `spec.containerDefinitions[${i}]`;

export function checkContainers(containers: ContainerDefinition[], ctx: TaskContext, issues: Issues): void {
  const byName = new Map<string, Record<string, any>>();
  containers.forEach((raw, i) => {
    const c = obj(raw);
    if (!nonEmpty(c.name)) return issues.add(`${cd(i)}.name`, 'Container.name should not be null or empty.');
    if (!ECS_NAME.test(c.name)) issues.add(`${cd(i)}.name`, `Invalid container name '${capValue(c.name)}'. ${ECS_NAME_MESSAGE}`);
    if (byName.has(c.name)) issues.add(`${cd(i)}.name`, `Duplicate container name '${capValue(c.name)}'.`);
    else byName.set(c.name, c);
  });
  containers.forEach((raw, i) => checkContainer(obj(raw), i, ctx, byName, issues));

  if (containers.length > 0 && !containers.some((c) => obj(c).essential !== false)) {
    issues.add('spec.containerDefinitions', 'Task definition must have at least one essential container.');
  }
  checkSums(containers.map(obj), ctx, issues);
  checkDependencyCycles(containers.map(obj), issues);
  const firelens = containers.some((c) => isObject(obj(c).firelensConfiguration));
  containers.forEach((c, i) => {
    if (obj(obj(c).logConfiguration).logDriver === 'awsfirelens' && !firelens) {
      issues.add(`${cd(i)}.logConfiguration.logDriver`, 'The awsfirelens log driver requires a container with a firelensConfiguration.');
    }
  });
}

function checkContainer(
  c: Record<string, any>,
  i: number,
  ctx: TaskContext,
  byName: Map<string, Record<string, any>>,
  issues: Issues,
): void {
  const f = cd(i);
  const who = `Invalid setting for container '${capValue(c.name ?? i)}'.`;
  if (!nonEmpty(c.image)) issues.add(`${f}.image`, 'Container.image should not be null or empty.');

  // Memory: with no task memory on EC2, each container needs one of them; with both, hard > soft.
  if (ctx.memory === undefined && !ctx.fargate && c.memory === undefined && c.memoryReservation === undefined) {
    issues.add(`${f}.memory`, `${who} At least one of 'memory' or 'memoryReservation' must be specified.`);
  }
  if (isNum(c.memory) && isNum(c.memoryReservation) && c.memory <= c.memoryReservation) {
    issues.add(`${f}.memoryReservation`, `${who} 'memory' must be greater than 'memoryReservation'.`);
  }
  if (ctx.memory !== undefined && isNum(c.memory) && c.memory > ctx.memory) {
    issues.add(`${f}.memory`, `${who} 'memory' (${c.memory} MiB) cannot exceed the task memory (${ctx.memory} MiB).`);
  }
  if (ctx.fargate) {
    for (const t of ['startTimeout', 'stopTimeout'] as const) {
      if (isNum(c[t]) && (c[t] < 2 || c[t] > 120)) issues.add(`${f}.${t}`, `${who} On Fargate '${capValue(t)}' must be between 2 and 120 seconds.`);
    }
  }

  checkPortMappings(c, f, who, ctx, issues);
  if (ctx.networkMode === 'awsvpc' && arr(c.links).length > 0) {
    issues.add(`${f}.links`, 'Links are not supported when networkMode=awsvpc.');
  }
  checkHealthCheck(c.healthCheck, `${f}.healthCheck`, who, issues);
  checkDependsOn(c, f, who, byName, issues);

  arr(c.mountPoints).forEach((m, j) => {
    const src = obj(m).sourceVolume;
    if (!nonEmpty(src)) issues.add(`${f}.mountPoints[${j}].sourceVolume`, `${who} mountPoints sourceVolume is required.`);
    else if (!ctx.volumes.has(src)) {
      issues.add(`${f}.mountPoints[${j}].sourceVolume`, `${who} The mount point source volume '${capValue(src)}' is not a volume of the task definition.`);
    }
    if (!nonEmpty(obj(m).containerPath)) issues.add(`${f}.mountPoints[${j}].containerPath`, `${who} mountPoints containerPath is required.`);
  });
  arr(c.volumesFrom).forEach((v, j) => {
    const src = obj(v).sourceContainer;
    if (!nonEmpty(src) || !byName.has(src)) {
      issues.add(`${f}.volumesFrom[${j}].sourceContainer`, `${who} volumesFrom sourceContainer '${capValue(src ?? '')}' is not a container of the task definition.`);
    }
  });
  checkSecrets(c.secrets, `${f}.secrets`, who, issues);
  checkSecrets(obj(c.logConfiguration).secretOptions, `${f}.logConfiguration.secretOptions`, who, issues);
}

/** ecs-semantics §1 networkMode: none forbids port mappings; awsvpc/host need hostPort == containerPort. */
function checkPortMappings(c: Record<string, any>, f: string, who: string, ctx: TaskContext, issues: Issues): void {
  const mappings = arr(c.portMappings);
  if (ctx.networkMode === 'none' && mappings.length > 0) {
    issues.add(`${f}.portMappings`, "Port mappings are not supported when networkMode=none.");
    return;
  }
  mappings.forEach((raw, j) => {
    const pm = obj(raw);
    const pf = `${f}.portMappings[${j}]`;
    if (pm.containerPort === undefined && pm.containerPortRange === undefined) {
      issues.add(`${pf}.containerPort`, `${who} Each port mapping needs a containerPort or a containerPortRange.`);
    }
    if (pm.containerPort !== undefined && pm.containerPortRange !== undefined) {
      issues.add(`${pf}.containerPortRange`, `${who} containerPort and containerPortRange cannot both be set.`);
    }
    if (pm.containerPortRange !== undefined) {
      const m = /^(\d+)-(\d+)$/.exec(String(pm.containerPortRange));
      if (!m || Number(m[1]) < 1 || Number(m[1]) >= Number(m[2]) || Number(m[2]) > 65535) {
        issues.add(`${pf}.containerPortRange`, `${who} containerPortRange must be 'start-end' with 1 <= start < end <= 65535.`);
      }
      if (pm.hostPort !== undefined) issues.add(`${pf}.hostPort`, `${who} hostPort cannot be set with a containerPortRange.`);
    }
    const staticMode = ctx.networkMode === 'awsvpc' || ctx.networkMode === 'host';
    if (staticMode && pm.hostPort !== undefined && pm.containerPort !== undefined && pm.hostPort !== pm.containerPort) {
      issues.add(`${pf}.hostPort`, `When networkMode=${ctx.networkMode}, the host ports and container ports in port mappings must match.`);
    }
  });
}

/** ecs-semantics §1 healthCheck; ranges (interval 5–300, timeout 2–60, retries 1–10, startPeriod 0–300) are in the schema. */
function checkHealthCheck(hc: unknown, f: string, who: string, issues: Issues): void {
  if (hc === undefined) return;
  const cmd = arr(obj(hc).command);
  if (cmd[0] !== 'CMD' && cmd[0] !== 'CMD-SHELL') {
    issues.add(`${f}.command`, `${who} healthCheck.command must start with 'CMD' or 'CMD-SHELL'.`);
  } else if (cmd.length < 2 || !nonEmpty(cmd[1])) {
    issues.add(`${f}.command`, `${who} healthCheck.command needs a command after '${capValue(cmd[0])}'.`);
  }
}

/** ecs-semantics §1 dependsOn: the target must exist; COMPLETE/SUCCESS not on essential targets; HEALTHY needs a healthCheck. */
function checkDependsOn(c: Record<string, any>, f: string, who: string, byName: Map<string, Record<string, any>>, issues: Issues): void {
  arr(c.dependsOn).forEach((d, j) => {
    const df = `${f}.dependsOn[${j}]`;
    const { containerName, condition } = obj(d);
    if (!nonEmpty(containerName)) return;
    const target = byName.get(containerName);
    if (!target) return issues.add(`${df}.containerName`, `${who} dependsOn container '${capValue(containerName)}' does not exist in the task definition.`);
    if (containerName === c.name) return issues.add(`${df}.containerName`, `${who} A container cannot depend on itself.`);
    if ((condition === 'COMPLETE' || condition === 'SUCCESS') && target.essential !== false) {
      issues.add(`${df}.condition`, `${who} The ${condition} condition cannot be used with essential container '${capValue(containerName)}'.`);
    }
    if (condition === 'HEALTHY' && !isObject(target.healthCheck)) {
      issues.add(`${df}.condition`, `${who} The HEALTHY condition requires container '${capValue(containerName)}' to have a healthCheck.`);
    }
  });
}

/** A dependsOn cycle would deadlock the task at startup. */
function checkDependencyCycles(containers: Record<string, any>[], issues: Issues): void {
  const edges = new Map<string, string[]>();
  for (const c of containers) {
    if (nonEmpty(c.name)) edges.set(c.name, arr(c.dependsOn).map((d) => obj(d).containerName).filter(nonEmpty));
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (state.get(name) === 'done' || !edges.has(name)) return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    for (const next of edges.get(name)!) {
      if (next === name) continue; // reported as self-dependency
      const cycle = visit(next, [...path, name]);
      if (cycle) return cycle;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const name of edges.keys()) {
    const cycle = visit(name, []);
    if (cycle) return issues.add('spec.containerDefinitions', `Container dependency cycle: ${cycle.join(' -> ')}.`);
  }
}

/** Container cpu and memory (reservation, else hard limit) must fit in the task size. */
function checkSums(containers: Record<string, any>[], ctx: TaskContext, issues: Issues): void {
  const cpu = containers.reduce((n, c) => n + (isInt(c.cpu) ? c.cpu : 0), 0);
  if (ctx.cpu !== undefined && cpu > ctx.cpu) {
    issues.add('spec.cpu', `The sum of the container cpu values (${cpu}) exceeds the task cpu (${ctx.cpu}).`);
  }
  const mem = containers.reduce((n, c) => n + (isInt(c.memoryReservation) ? c.memoryReservation : isInt(c.memory) ? c.memory : 0), 0);
  if (ctx.memory !== undefined && mem > ctx.memory) {
    issues.add('spec.memory', `The sum of the container memory values (${mem} MiB) exceeds the task memory (${ctx.memory} MiB).`);
  }
}

function checkSecrets(list: unknown, f: string, who: string, issues: Issues): void {
  const seen = new Set<string>();
  arr(list).forEach((s, j) => {
    const { name, valueFrom } = obj(s);
    if (!nonEmpty(name)) return issues.add(`${f}[${j}].name`, `${who} Each secret needs a name.`);
    if (seen.has(name)) issues.add(`${f}[${j}].name`, `${who} Duplicate secret '${capValue(name)}'.`);
    seen.add(name);
    // Never echo valueFrom: it may carry the secret's location.
    if (!nonEmpty(valueFrom)) issues.add(`${f}[${j}].valueFrom`, `${who} The secret '${capValue(name)}' needs a valueFrom.`);
  });
}
