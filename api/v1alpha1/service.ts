/**
 * Service (CreateService input + UpdateService's forceNewDeployment) rules beyond the schema, and defaults.
 * Errors are InvalidParameterException (ClientException for task definition references, as ECS does).
 */
import { EcsError, ErrorType, capValue } from '../errors.js';
import {
  ECS_NAME,
  ECS_NAME_MESSAGE,
  Issues,
  arr,
  checkClusterRef,
  checkLaunchTypeXorStrategy,
  checkName,
  checkNetworkConfiguration,
  checkNoFargatePlacement,
  checkPlacement,
  checkQuota,
  checkStrategy,
  checkTaskDefinitionRef,
  clone,
  isNum,
  nonEmpty,
  obj,
  requestsFargate,
  strategyWithDefaults,
  type NameRule,
} from './common.js';
import { TARGET_GROUP_NAME } from './target-group.js';
import type { DeploymentConfiguration, ServiceSpec } from './types.js';

export const SERVICE_NAME: NameRule = { pattern: ECS_NAME, message: ECS_NAME_MESSAGE, nameField: 'serviceName' };

/** ecs-semantics §4: REPLICA 100/200, DAEMON 0/100. */
export const DEPLOYMENT_DEFAULTS = {
  REPLICA: { minimumHealthyPercent: 100, maximumPercent: 200 },
  DAEMON: { minimumHealthyPercent: 0, maximumPercent: 100 },
} as const;

export function validateService(o: any): EcsError[] {
  const issues = new Issues(ErrorType.InvalidParameter);
  checkName(o, SERVICE_NAME, issues);
  const spec = obj(o?.spec);
  const controller = obj(spec.deploymentController).type ?? 'ECS';
  const daemon = spec.schedulingStrategy === 'DAEMON';

  checkClusterRef(spec.cluster, 'spec.cluster', issues);
  // The EXTERNAL deployment controller manages task sets itself and may omit the task definition.
  if (spec.taskDefinition !== undefined || controller !== 'EXTERNAL') {
    checkTaskDefinitionRef(spec.taskDefinition, 'spec.taskDefinition', issues);
  }
  checkLaunchTypeXorStrategy(spec, issues);
  checkStrategy(spec.capacityProviderStrategy, 'spec.capacityProviderStrategy', issues);
  checkPlacement(spec, issues);
  checkNoFargatePlacement(spec, issues);
  checkNetworkConfiguration(spec.networkConfiguration, issues);

  if (daemon) {
    // ecs-semantics §1 Service: DAEMON is not available with Fargate, CODE_DEPLOY or EXTERNAL.
    if (requestsFargate(spec)) issues.add('spec.schedulingStrategy', 'The DAEMON scheduling strategy is not supported with Fargate.');
    if (controller !== 'ECS') {
      issues.add('spec.schedulingStrategy', `The DAEMON scheduling strategy is not supported with the ${controller} deployment controller.`);
    }
    if (arr(spec.placementStrategy).length > 0) {
      issues.add('spec.placementStrategy', 'Placement strategies are not supported with the DAEMON scheduling strategy.');
    }
  } else if (spec.desiredCount === undefined) {
    issues.add('spec.desiredCount', 'desiredCount is required for services using the REPLICA scheduling strategy.');
  }
  checkQuota(issues, 'tasksPerService', 'desiredCount', spec.desiredCount, 'spec.desiredCount');
  checkDeploymentConfiguration(obj(spec.deploymentConfiguration), daemon, controller, issues);
  checkLoadBalancers(spec, issues);
  return issues.list;
}

/** ecs-semantics §4: minimumHealthyPercent 0–100 (schema); maximumPercent ≥100, exactly 100 for DAEMON. */
function checkDeploymentConfiguration(dc: Record<string, any>, daemon: boolean, controller: string, issues: Issues): void {
  const f = 'spec.deploymentConfiguration';
  if (isNum(dc.maximumPercent)) {
    if (daemon && dc.maximumPercent !== 100) {
      issues.add(`${f}.maximumPercent`, 'maximumPercent must be 100 for services using the DAEMON scheduling strategy.');
    } else if (!daemon && dc.maximumPercent < 100) {
      issues.add(`${f}.maximumPercent`, 'maximumPercent must be at least 100.');
    }
  }
  if (dc.deploymentCircuitBreaker !== undefined && controller !== 'ECS') {
    issues.add(`${f}.deploymentCircuitBreaker`, 'The deployment circuit breaker is only supported with the ECS deployment controller.');
  }
}

/** ≤5 load balancers (schema); each names one target group or classic ELB plus container name and port. */
function checkLoadBalancers(spec: Record<string, any>, issues: Issues): void {
  const seen = new Set<string>();
  arr(spec.loadBalancers).forEach((raw, i) => {
    const f = `spec.loadBalancers[${i}]`;
    const lb = obj(raw);
    const tg = lb.targetGroupArn;
    if ((tg === undefined) === (lb.loadBalancerName === undefined)) {
      issues.add(f, 'Specify exactly one of targetGroupArn or loadBalancerName.');
    }
    // An ARN (`...:targetgroup/<name>/<id>`, doc placeholders like `...` allowed) or an ecsplane TargetGroup name.
    if (tg !== undefined && !(nonEmpty(tg) && (tg.startsWith('arn:') ? /:targetgroup\/[^/]+/.test(tg) : TARGET_GROUP_NAME.pattern.test(tg)))) {
      issues.add(`${f}.targetGroupArn`, `Invalid target group '${capValue(tg)}': use a target group ARN or name.`);
    }
    if (lb.loadBalancerName !== undefined && requestsFargate(spec)) {
      issues.add(`${f}.loadBalancerName`, 'Classic Load Balancers are not supported with Fargate; use a target group.');
    }
    if (!nonEmpty(lb.containerName)) issues.add(`${f}.containerName`, 'containerName is required for a load balancer.');
    if (lb.containerPort === undefined) issues.add(`${f}.containerPort`, 'containerPort is required for a load balancer.');
    const key = `${tg ?? lb.loadBalancerName}|${lb.containerName}|${lb.containerPort}`;
    if (seen.has(key)) issues.add(f, 'Duplicate load balancer entry.');
    seen.add(key);
  });
}

/**
 * The defaulted view (pure): serviceName, cluster `default`, REPLICA, ECS controller, per-strategy deployment
 * percentages and a disabled circuit breaker, grace period 0, empty lists, LATEST platform on Fargate.
 */
export function serviceWithDefaults(spec: ServiceSpec, meta?: { name?: string }): ServiceSpec {
  const s = clone(spec) ?? ({} as ServiceSpec);
  if (s.serviceName === undefined && meta?.name) s.serviceName = meta.name;
  s.cluster ??= 'default';
  s.schedulingStrategy ??= 'REPLICA';
  s.deploymentController ??= { type: 'ECS' };
  const d = DEPLOYMENT_DEFAULTS[s.schedulingStrategy] ?? DEPLOYMENT_DEFAULTS.REPLICA;
  const dc: DeploymentConfiguration = s.deploymentConfiguration ?? {};
  dc.minimumHealthyPercent ??= d.minimumHealthyPercent;
  dc.maximumPercent ??= d.maximumPercent;
  dc.deploymentCircuitBreaker ??= { enable: false, rollback: false };
  dc.strategy ??= 'ROLLING';
  s.deploymentConfiguration = dc;
  s.healthCheckGracePeriodSeconds ??= 0;
  s.loadBalancers ??= [];
  s.serviceRegistries ??= [];
  s.placementConstraints ??= [];
  s.placementStrategy ??= [];
  s.propagateTags ??= 'NONE';
  s.enableECSManagedTags ??= false;
  s.enableExecuteCommand ??= false;
  s.forceNewDeployment ??= false;
  if (s.capacityProviderStrategy) s.capacityProviderStrategy = strategyWithDefaults(s.capacityProviderStrategy);
  if (requestsFargate(s)) s.platformVersion ??= 'LATEST';
  return s;
}
