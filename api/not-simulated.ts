/**
 * Fields ECS acts on that ecsplane's loops do not simulate. A manifest using one still validates
 * (its spec is the AWS request as-is), but ecsplane would otherwise show a different behaviour
 * without saying so — e.g. a CODE_DEPLOY service simulated as a plain rolling update. Each rule
 * below names the field, what ECS does with it and what ecsplane does instead. Fields ECS accepts
 * but that change nothing the loops decide (tags, roles, logging, ECS Exec, Service Connect,
 * managed EBS `volumeConfigurations`, ephemeral storage, cluster settings) are deliberately not
 * listed. `validate` prints these as warnings; the Service, Task (standalone tasks), CapacityProvider,
 * AutoScalingGroup, ScalingPolicy, Queue and MetricAlarm loops report them as a `NotSimulated` condition and a Warning
 * event once per generation; a TaskDefinition gets the condition when it is applied.
 * The list lives here and only here (docs/scheduler.md "Not simulated" mirrors it).
 */
import { setCondition } from './conditions.js';
import type { Condition } from './meta.js';

export interface NotSimulatedField {
  /** Path of the field, e.g. `spec.deploymentConfiguration.strategy`. */
  field: string;
  message: string;
}

type Found = NotSimulatedField[];
type Rule = (spec: Record<string, any>, out: Found) => void;

export const NOT_SIMULATED = 'NotSimulated';
/** A report names at most this many fields (the message must stay bounded whatever the input). */
const MAX_REPORTED = 20;

const obj = (v: unknown): Record<string, any> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v)).slice(0, 80);
const add = (out: Found, path: string, what: string, instead: string) =>
  out.push({ field: `spec.${path}`, message: `${what} is not simulated by ecsplane; ${instead}` });

/** What ecsplane leaves out of ECS's blue/green, linear and canary deployments (API_DeploymentConfiguration). */
const deploymentRules: Rule[] = [
  // Bake time: both revisions run after the traffic shift (BLUE_GREEN/LINEAR/CANARY), or the alarms'
  // bake time of a ROLLING deployment. Elsewhere ECS ignores it, and so does ecsplane: say so.
  (s, out) => {
    const dc = obj(s.deploymentConfiguration);
    const bake = dc.bakeTimeInMinutes;
    const strategy = dc.strategy ?? 'ROLLING';
    const used = strategy !== 'ROLLING' || obj(dc.alarms).enable === true;
    if (bake !== undefined && bake !== 0 && !used) {
      add(out, 'deploymentConfiguration.bakeTimeInMinutes', `deploymentConfiguration.bakeTimeInMinutes ${show(bake)}`, 'old tasks stop as soon as the rolling update allows');
    }
  },
  // A hook that never answers times out and ROLLs BACK or CONTINUEs; ecsplane's hooks answer when a scenario says.
  (s, out) =>
    arr(obj(s.deploymentConfiguration).lifecycleHooks).forEach((h, i) => {
      if (obj(h).timeoutConfiguration !== undefined) {
        add(out, `deploymentConfiguration.lifecycleHooks[${i}].timeoutConfiguration`, `deploymentConfiguration.lifecycleHooks[${i}].timeoutConfiguration`, 'an IN_PROGRESS hook holds its stage until a scenario answers it');
      }
    }),
  // Green tasks register in the alternate target group and the listener rules get the weights.
  (s, out) =>
    arr(s.loadBalancers).forEach((lb, i) => {
      if (obj(lb).advancedConfiguration !== undefined) {
        add(out, `loadBalancers[${i}].advancedConfiguration`, `loadBalancers[${i}].advancedConfiguration`, 'the listener rules are not modelled: green tasks register in the alternate target group and the production and test traffic weights are reported in status.trafficShift, not applied to the rules');
      }
    }),
];

/** launch types ecsplane places as EC2 although ECS places them elsewhere. */
const launchTypeRule: Rule = (s, out) => {
  if (s.launchType === 'MANAGED_INSTANCES') {
    add(out, 'launchType', 'launchType MANAGED_INSTANCES', 'tasks are placed on the registered container instances as with EC2 and no instance is provisioned for them');
  } else if (s.launchType === 'EXTERNAL') {
    add(out, 'launchType', 'launchType EXTERNAL', 'tasks are placed on any registered container instance as with EC2, not only on external (ECS Anywhere) ones');
  }
};

const serviceRules: Rule[] = [
  ...deploymentRules,
  // CODE_DEPLOY and EXTERNAL manage task sets themselves; ecsplane runs the ECS controller's rolling update.
  (s, out) => {
    const type = obj(s.deploymentController).type;
    if (type === 'CODE_DEPLOY' || type === 'EXTERNAL') {
      add(out, 'deploymentController.type', `deploymentController.type ${type}`, 'the service is simulated with the ECS deployment controller (ROLLING)');
    }
  },
  // Classic Load Balancer health checks gate task health in ECS; ecsplane has no CLB model.
  (s, out) =>
    arr(s.loadBalancers).forEach((lb, i) => {
      if (obj(lb).loadBalancerName !== undefined) {
        add(out, `loadBalancers[${i}].loadBalancerName`, `loadBalancers[${i}].loadBalancerName (Classic Load Balancer)`, 'no health check runs and its tasks count as healthy once RUNNING');
      }
    }),
  // VPC Lattice target health gates task health like ELB's does.
  (s, out) => {
    if (arr(s.vpcLatticeConfigurations).length) {
      add(out, 'vpcLatticeConfigurations', 'vpcLatticeConfigurations', 'VPC Lattice target health is not checked when counting healthy tasks');
    }
  },
  launchTypeRule,
];

/** Requires EC2 (or EXTERNAL) capacity: compatibilities absent (EC2 by default) or naming it. */
function runsOnInstances(td: Record<string, any>): boolean {
  const c = arr(td.requiresCompatibilities);
  return c.length === 0 || c.includes('EC2') || c.includes('EXTERNAL') || c.includes('MANAGED_INSTANCES');
}

const taskDefinitionRules: Rule[] = [
  (td, out) =>
    arr(td.containerDefinitions).forEach((raw, i) => {
      const c = obj(raw);
      const at = `containerDefinitions[${i}]`;
      // Containers start in dependency order (controllers/task/container-timing.ts); a COMPLETE or
      // SUCCESS dependency has no exit time of its own in ecsplane.
      const exits = arr(c.dependsOn).map((d) => obj(d).condition).filter((x) => x === 'COMPLETE' || x === 'SUCCESS');
      if (exits.length) add(out, `${at}.dependsOn`, `${at}.dependsOn ${exits[0]}`, 'the dependency exits 0 as soon as it has started');
      // ECS restarts an exited container in place; the task keeps running.
      if (obj(c.restartPolicy).enabled === true) add(out, `${at}.restartPolicy`, `${at}.restartPolicy`, 'an exiting essential container stops the task');
      // GPUs (and Elastic Inference accelerators) are placement resources in ECS.
      const kinds = [...new Set(arr(c.resourceRequirements).map((r) => obj(r).type).filter((t) => t !== undefined))];
      if (kinds.length) add(out, `${at}.resourceRequirements`, `${at}.resourceRequirements (${kinds.map(show).join(', ')})`, 'placement neither requires nor reserves them');
    }),
  (td, out) => {
    if (arr(td.inferenceAccelerators).length) add(out, 'inferenceAccelerators', 'inferenceAccelerators', 'placement neither requires nor reserves them');
  },
  // On EC2, ECS places only on instances of the task's CPU architecture and OS family.
  (td, out) => {
    const rp = obj(td.runtimePlatform);
    if (!runsOnInstances(td)) return;
    if (rp.cpuArchitecture !== undefined && rp.cpuArchitecture !== 'X86_64') {
      add(out, 'runtimePlatform.cpuArchitecture', `runtimePlatform.cpuArchitecture ${show(rp.cpuArchitecture)}`, "EC2 placement does not check the instance's CPU architecture");
    }
    if (rp.operatingSystemFamily !== undefined && rp.operatingSystemFamily !== 'LINUX') {
      add(out, 'runtimePlatform.operatingSystemFamily', `runtimePlatform.operatingSystemFamily ${show(rp.operatingSystemFamily)}`, "EC2 placement does not check the instance's operating system");
    }
  },
];

const taskRules: Rule[] = [
  // RunTask overrides resize the task: ECS places it with the overridden cpu and memory.
  (s, out) => {
    const ov = obj(s.overrides);
    for (const k of ['cpu', 'memory']) {
      if (ov[k] !== undefined) add(out, `overrides.${k}`, `overrides.${k} ${show(ov[k])}`, "the task is sized and placed with the task definition's value");
    }
    arr(ov.containerOverrides).forEach((raw, i) => {
      const c = obj(raw);
      for (const k of ['cpu', 'memory', 'memoryReservation']) {
        if (c[k] !== undefined) add(out, `overrides.containerOverrides[${i}].${k}`, `overrides.containerOverrides[${i}].${k}`, "the task is sized and placed with the task definition's value");
      }
    });
  },
  launchTypeRule,
];

const capacityProviderRules: Rule[] = [
  // ECS Managed Instances launches and retires EC2 instances for the provider's tasks itself.
  (s, out) => {
    if (s.managedInstancesProvider !== undefined) {
      add(out, 'managedInstancesProvider', 'managedInstancesProvider', 'no instance is launched for this provider and its tasks wait in PROVISIONING');
    }
  },
];

const autoScalingGroupRules: Rule[] = [
  (s, out) => {
    if (s.MixedInstancesPolicy !== undefined) add(out, 'MixedInstancesPolicy', 'MixedInstancesPolicy', 'every instance is launched as spec.InstanceType, On-Demand');
  },
  (s, out) => {
    if (s.DesiredCapacityType !== undefined && s.DesiredCapacityType !== 'units') {
      add(out, 'DesiredCapacityType', `DesiredCapacityType ${show(s.DesiredCapacityType)}`, 'capacities count instances');
    }
  },
  (s, out) => {
    if (arr(s.LifecycleHookSpecificationList).length) add(out, 'LifecycleHookSpecificationList', 'LifecycleHookSpecificationList', 'instances launch and terminate without waiting for a hook');
  },
  (s, out) => {
    if (typeof s.MaxInstanceLifetime === 'number' && s.MaxInstanceLifetime > 0) {
      add(out, 'MaxInstanceLifetime', `MaxInstanceLifetime ${s.MaxInstanceLifetime}`, 'instances are never replaced for their age');
    }
  },
  (s, out) => {
    const policies = arr(s.TerminationPolicies);
    if (policies.some((p) => p !== 'Default')) {
      add(out, 'TerminationPolicies', `TerminationPolicies ${policies.map(show).join(', ')}`, 'scale-in uses the Default policy (AZ balance, then the oldest instance)');
    }
  },
];

// A CustomizedMetricSpecification is simulated for the metrics ecsplane publishes (docs/queues.md); any
// other metric makes the policy's Ready condition False (UnsupportedMetric) instead.
const scalingPolicyRules: Rule[] = [];

/** CloudWatch alarm actions other than Application Auto Scaling policies (SNS, EC2, Systems Manager, ...). */
const metricAlarmRules: Rule[] = [
  (s, out) => {
    const other = arr(s.AlarmActions).filter((a) => typeof a === 'string' && !/^arn:aws[a-z-]*:autoscaling:[^:]*:\d*:scalingPolicy:/.test(a));
    if (other.length) add(out, 'AlarmActions', `AlarmActions ${other.map(show).join(', ')}`, 'only Application Auto Scaling policy actions are invoked');
  },
  (s, out) => {
    for (const k of ['OKActions', 'InsufficientDataActions']) if (arr(s[k]).length) add(out, k, k, 'no action runs on these transitions');
  },
];

/** FIFO ordering, deduplication and message groups; a FIFO queue is simulated with standard-queue counts. */
const queueRules: Rule[] = [
  (s, out) => {
    if (obj(s.Attributes).FifoQueue === 'true') add(out, 'Attributes.FifoQueue', 'FifoQueue true', 'message groups, ordering and deduplication are not modelled (counts as a standard queue)');
  },
];

/** EventBridge rule and Scheduler schedule targets: ecsplane runs ECS targets only (docs/events.md). */
function eventTargetRules(path: string, t: Record<string, any>, out: Found): void {
  const id = t.Id !== undefined ? ` ${show(t.Id)}` : '';
  if (t.EcsParameters === undefined && typeof t.Arn === 'string') {
    add(out, `${path}.Arn`, `target${id} ${show(t.Arn)} (not an ECS task target)`, 'it is never invoked');
  }
}

const eventRuleRules: Rule[] = [(s, out) => arr(s.Targets).forEach((t, i) => eventTargetRules(`Targets[${i}]`, obj(t), out))];
const scheduleRules: Rule[] = [(s, out) => eventTargetRules('Target', obj(s.Target), out)];

const RULES: Record<string, Rule[]> = {
  Rule: eventRuleRules,
  Schedule: scheduleRules,
  Service: serviceRules,
  Task: taskRules,
  TaskDefinition: taskDefinitionRules,
  TaskDefinitionRevision: taskDefinitionRules,
  CapacityProvider: capacityProviderRules,
  AutoScalingGroup: autoScalingGroupRules,
  ScalingPolicy: scalingPolicyRules,
  MetricAlarm: metricAlarmRules,
  Queue: queueRules,
};

/** The fields of `spec` (of an object of `kind`) that ECS acts on and ecsplane does not simulate. */
export function notSimulatedFields(kind: string, spec: any): Array<{ field: string; message: string }> {
  const rules = RULES[kind];
  if (!rules || spec === null || typeof spec !== 'object') return [];
  const out: Found = [];
  for (const rule of rules) rule(spec, out);
  return out;
}

/**
 * The same fields of a task definition revision, as the service or task running it reports them
 * (`taskDefinition(web:3).containerDefinitions[0].dependsOn`).
 */
export function notSimulatedOfTaskDefinition(revisionName: string, spec: any): readonly NotSimulatedField[] {
  // A stored revision's spec is frozen and never changes: its answer is kept (every RunTask asks).
  const cacheable = spec !== null && typeof spec === 'object' && Object.isFrozen(spec);
  const cached = cacheable ? ofRevision.get(spec) : undefined;
  if (cached && cached.name === revisionName) return cached.fields;
  const fields = Object.freeze(
    notSimulatedFields('TaskDefinition', spec).map((f) => ({
      field: `taskDefinition(${revisionName}).${f.field.slice('spec.'.length)}`,
      message: `task definition ${revisionName}: ${f.message}`,
    })),
  );
  if (cacheable) ofRevision.set(spec, { name: revisionName, fields });
  return fields;
}

const ofRevision = new WeakMap<object, { name: string; fields: readonly NotSimulatedField[] }>();

/** One bounded line naming every field: the condition's and the event's message. */
export function notSimulatedMessage(fields: readonly NotSimulatedField[]): string {
  const shown = fields.slice(0, MAX_REPORTED).map((f) => f.message);
  if (fields.length > MAX_REPORTED) shown.push(`and ${fields.length - MAX_REPORTED} more`);
  return shown.join('; ');
}

/**
 * `conditions` with the NotSimulated condition set (status True, naming the fields) or removed
 * (no field), and whether this generation's report is new (then the caller records the event).
 */
export function withNotSimulatedCondition(
  conditions: Condition[] | undefined,
  fields: readonly NotSimulatedField[],
  generation: number | undefined,
  nowMs: number,
): { conditions: Condition[] | undefined; report: boolean } {
  const prev = conditions?.find((c) => c.type === NOT_SIMULATED);
  if (fields.length === 0) return { conditions: prev ? conditions!.filter((c) => c !== prev) : conditions, report: false };
  const message = notSimulatedMessage(fields);
  const report = !prev || prev.observedGeneration !== generation || prev.message !== message;
  const next = setCondition(conditions, { type: NOT_SIMULATED, status: 'True', reason: NOT_SIMULATED, message, observedGeneration: generation }, nowMs);
  return { conditions: report ? next : conditions, report };
}

/** The Warning event a new report is recorded as (a plan returns it; its reconciler records it). */
export interface NotSimulatedEvent {
  reason: typeof NOT_SIMULATED;
  message: string;
  type: 'Warning';
}

/**
 * For a pure plan: `conditions` with the NotSimulated condition of an object of `kind` (its spec's
 * fields), and the event to record when this generation's report is new.
 */
export function notSimulatedReport(
  kind: string,
  spec: unknown,
  conditions: Condition[] | undefined,
  generation: number | undefined,
  nowMs: number,
): { conditions: Condition[] | undefined; event?: NotSimulatedEvent } {
  const fields = notSimulatedFields(kind, spec);
  const r = withNotSimulatedCondition(conditions, fields, generation, nowMs);
  return r.report ? { conditions: r.conditions, event: { reason: NOT_SIMULATED, message: notSimulatedMessage(fields), type: 'Warning' } } : { conditions: r.conditions };
}
