/**
 * Helpers shared by the per-kind rule modules: an error collector, defensive accessors (rules also run on
 * input the schema has already rejected, so they must never throw on wrong types), and the rules several
 * ECS kinds share (names, cluster and task-definition references, capacity provider strategies, placement).
 */
import { EcsError, ErrorType, capValue } from '../errors.js';
import { overQuota, type QuotaName } from '../quotas.js';

/** ECS names: clusters, families, services, capacity providers, containers (ecs-semantics §1). */
export const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
export const ECS_NAME_MESSAGE =
  'Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.';

/** Adds the quota's error when `value` is a number above it (api/quotas.ts). */
export function checkQuota(issues: Issues, quota: QuotaName, what: string, value: unknown, field: string): void {
  const err = overQuota(quota, what, value, issues.type, field);
  if (err) issues.list.push(err);
}

/** Collects the problems of one object; `type` is the kind's default exception. */
export class Issues {
  readonly list: EcsError[] = [];
  constructor(readonly type: string) {}

  add(field: string | undefined, message: string, type: string = this.type): void {
    this.list.push(new EcsError(type, message, field));
  }
}

export const isObject = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isStr = (x: unknown): x is string => typeof x === 'string';
export const nonEmpty = (x: unknown): x is string => typeof x === 'string' && x.trim() !== '';
/** The array, or [] for anything else. */
export const arr = <T = any>(x: unknown): T[] => (Array.isArray(x) ? (x as T[]) : []);
/** The object, or {} for anything else. */
export const obj = (x: unknown): Record<string, any> => (isObject(x) ? x : {});

/** A deep, unfrozen copy of plain JSON (store reads are deep-frozen; specs are plain JSON). */
export function clone<T>(x: T): T {
  return x === undefined ? x : (JSON.parse(JSON.stringify(x)) as T);
}

export interface NameRule {
  /** metadata.name must match. */
  pattern: RegExp;
  /** Why it did not (ECS wording where ECS has one). */
  message: string;
  /** The name field inside spec that, when given, must equal metadata.name. */
  nameField?: string;
}

/** metadata.name present and well-formed; the spec's own name field, if given, equal to it. */
export function checkName(o: any, rule: NameRule, issues: Issues): string | undefined {
  const name = o?.metadata?.name;
  if (!nonEmpty(name)) {
    const given = name !== undefined && name !== null && name !== '';
    issues.add('metadata.name', given && typeof name !== 'string' ? `metadata.name must be a string, not ${capValue(name)}.` : 'metadata.name is required.');
    return undefined;
  }
  if (!rule.pattern.test(name)) issues.add('metadata.name', `Invalid name '${capValue(name)}'. ${rule.message}`);
  if (rule.nameField) {
    const inSpec = o?.spec?.[rule.nameField];
    if (inSpec !== undefined && inSpec !== name) {
      issues.add(`spec.${rule.nameField}`, `${rule.nameField} '${capValue(inSpec)}' must equal metadata.name '${capValue(name)}'.`);
    }
  }
  return name;
}

/** `cluster` is a name or `arn:aws:ecs:<region>:<account>:cluster/<name>`. */
export function checkClusterRef(ref: unknown, field: string, issues: Issues): void {
  if (ref === undefined) return;
  if (!nonEmpty(ref)) return issues.add(field, 'Cluster cannot be empty.');
  const name = ref.startsWith('arn:') ? /^arn:[^:]+:ecs:[^:]*:[^:]*:cluster\/(.+)$/.exec(ref)?.[1] : ref;
  if (name === undefined) return issues.add(field, `Invalid cluster ARN '${capValue(ref)}'.`);
  if (!ECS_NAME.test(name)) issues.add(field, `Invalid cluster name '${capValue(name)}'. ${ECS_NAME_MESSAGE}`);
}

/**
 * `family`, `family:N` or `arn:aws:ecs:<region>:<account>:task-definition/family:N` (ecs-semantics §1, §2:
 * `Invalid revision number. Number: foo` is ECS's ClientException for a bad revision).
 */
export function checkTaskDefinitionRef(ref: unknown, field: string, issues: Issues): void {
  if (!nonEmpty(ref)) return issues.add(field, 'TaskDefinition can not be blank.', ErrorType.InvalidParameter);
  let tail = ref;
  if (ref.startsWith('arn:')) {
    const m = /^arn:[^:]+:ecs:[^:]*:[^:]*:task-definition\/(.+)$/.exec(ref);
    if (!m) return issues.add(field, `Invalid task definition ARN '${capValue(ref)}'.`, ErrorType.Client);
    tail = m[1];
    if (!tail.includes(':')) return issues.add(field, 'Revision is missing.', ErrorType.Client);
  }
  const colon = tail.indexOf(':');
  const family = colon < 0 ? tail : tail.slice(0, colon);
  if (!ECS_NAME.test(family)) {
    return issues.add(field, `Invalid family '${capValue(family)}'. ${ECS_NAME_MESSAGE}`, ErrorType.Client);
  }
  if (colon >= 0) {
    const rev = tail.slice(colon + 1);
    if (!/^[1-9][0-9]*$/.test(rev)) issues.add(field, `Invalid revision number. Number: ${capValue(rev)}`, ErrorType.Client);
  }
}

export const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

/**
 * Capacity provider strategy rules (ecs-semantics §1 "Strategy base/weight", CapacityProvider): at most one
 * item sets a base; not every weight 0; no provider twice; Fargate providers not mixed with ASG ones.
 * Ranges (base 0–100000, weight 0–1000, ≤20 items) are in the schema.
 */
export function checkStrategy(items: unknown, field: string, issues: Issues): void {
  const list = arr(items);
  if (list.length === 0) return;
  const seen = new Set<string>();
  let bases = 0;
  let positiveWeights = 0;
  let fargate = 0;
  list.forEach((item, i) => {
    const p = obj(item).capacityProvider;
    if (!nonEmpty(p)) return issues.add(`${field}[${i}].capacityProvider`, 'capacityProvider is required.');
    if (seen.has(p)) issues.add(`${field}[${i}].capacityProvider`, `Duplicate capacity provider '${capValue(p)}' in the strategy.`);
    seen.add(p);
    if (FARGATE_PROVIDERS.has(p)) fargate++;
    if (isNum(item.base) && item.base > 0 && ++bases === 2) {
      issues.add(`${field}[${i}].base`, 'Only one capacity provider in a capacity provider strategy can have a base defined.');
    }
    if (isNum(item.weight) && item.weight > 0) positiveWeights++;
  });
  if (positiveWeights === 0) {
    issues.add(field, 'At least one capacity provider in the strategy must have a weight greater than 0.');
  }
  if (fargate > 0 && fargate < seen.size) {
    issues.add(
      field,
      'A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.',
    );
  }
}

/** launchType and capacityProviderStrategy are mutually exclusive (CreateService, RunTask). */
export function checkLaunchTypeXorStrategy(spec: Record<string, any>, issues: Issues): void {
  if (spec.launchType !== undefined && arr(spec.capacityProviderStrategy).length > 0) {
    issues.add(
      'spec.launchType',
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
      ErrorType.InvalidParameter,
    );
  }
}

/**
 * Runtime placement rules (ecs-semantics §5): distinctInstance has no expression, memberOf needs one;
 * binpack on cpu|memory, spread on instanceId|host|attribute:<name>, random takes no field.
 * Counts (≤10 constraints, ≤5 strategies) are in the schema.
 */
export function checkPlacement(spec: Record<string, any>, issues: Issues): void {
  arr(spec.placementConstraints).forEach((c, i) => {
    const f = `spec.placementConstraints[${i}]`;
    const { type, expression } = obj(c);
    if (type === 'distinctInstance' && expression !== undefined) {
      issues.add(`${f}.expression`, 'The distinctInstance constraint does not take an expression.');
    }
    if (type === 'memberOf' && !nonEmpty(expression)) issues.add(`${f}.expression`, 'The memberOf constraint requires an expression.');
    if (type === undefined) issues.add(`${f}.type`, 'Placement constraint type is required.');
  });
  arr(spec.placementStrategy).forEach((s, i) => {
    const f = `spec.placementStrategy[${i}]`;
    const { type, field } = obj(s);
    if (type === undefined) issues.add(`${f}.type`, 'Placement strategy type is required.');
    if (type === 'binpack' && field !== 'cpu' && field !== 'memory') {
      issues.add(`${f}.field`, `Invalid field '${capValue(field ?? '')}' for binpack placement strategy; use cpu or memory.`);
    }
    if (type === 'spread' && !(field === 'instanceId' || field === 'host' || (isStr(field) && /^attribute:.+/.test(field)))) {
      issues.add(`${f}.field`, `Invalid field '${capValue(field ?? '')}' for spread placement strategy; use instanceId, host or attribute:<name>.`);
    }
    if (type === 'random' && field !== undefined) issues.add(`${f}.field`, 'The random placement strategy does not take a field.');
  });
}

/** awsvpcConfiguration needs at least one subnet (counts are in the schema). */
export function checkNetworkConfiguration(nc: unknown, issues: Issues): void {
  const awsvpc = obj(nc).awsvpcConfiguration;
  if (isObject(awsvpc) && Array.isArray(awsvpc.subnets) && awsvpc.subnets.length === 0) {
    issues.add('spec.networkConfiguration.awsvpcConfiguration.subnets', 'At least one subnet must be specified.');
  }
}

/**
 * IAM role references. ECS accepts an ARN or (task role) a bare role name; we are lenient about the ARN so
 * that abbreviated doc examples such as `arn:aws:iam::role/ecsTaskExecutionRole` (seed 002) validate:
 * `arn:` prefix, an `:iam:` service and a `role/` resource.
 */
export function isRoleRef(ref: string, allowBareName: boolean): boolean {
  if (ref.startsWith('arn:')) return ref.includes(':iam:') && ref.includes('role/');
  return allowBareName && /^[\w+=,.@-]{1,64}$/.test(ref);
}

/** Map an AWS-side `Date`-ish string to epoch ms, or NaN. */
export function parseTime(x: unknown): number {
  return isStr(x) ? Date.parse(x) : isNum(x) ? x * 1000 : NaN;
}

/** The service or task asks for Fargate capacity (launch type or a Fargate capacity provider strategy). */
export function requestsFargate(spec: Record<string, any>): boolean {
  return spec.launchType === 'FARGATE' || arr(spec.capacityProviderStrategy).some((i) => FARGATE_PROVIDERS.has(obj(i).capacityProvider));
}

/** Fargate does its own placement (ecs-semantics §3): no placement constraints or strategies. */
export function checkNoFargatePlacement(spec: Record<string, any>, issues: Issues): void {
  if (!requestsFargate(spec)) return;
  if (arr(spec.placementConstraints).length > 0) {
    issues.add('spec.placementConstraints', 'Placement constraints are not supported with the FARGATE launch type.');
  }
  if (arr(spec.placementStrategy).length > 0) {
    issues.add('spec.placementStrategy', 'Placement strategies are not supported with the FARGATE launch type.');
  }
}

/** Strategy items with the API defaults (base 0, weight 0) filled in. */
export function strategyWithDefaults<T extends { base?: number; weight?: number }>(items: T[] | undefined): T[] | undefined {
  return items?.map((i) => (isObject(i) ? { ...i, base: i.base ?? 0, weight: i.weight ?? 0 } : i));
}

/** The instance type assumed when an AutoScalingGroup or ContainerInstance names none. */
export const DEFAULT_INSTANCE_TYPE = 'm5.large';
