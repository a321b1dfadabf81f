/**
 * What one invocation of an ECS target does: the RunTask request(s) EventBridge or the Scheduler makes,
 * as Task objects for the admission pipeline. Pure.
 * - The target's input (Input, InputPath or InputTransformer) becomes the task's `overrides`: for ECS
 *   targets the input is the RunTask TaskOverride (containerOverrides, cpu, memory, ...).
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 *   https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
 * - A rule's tasks carry `startedBy: events-rule/<rule name>` as ECS shows them; a schedule's tasks carry
 *   the EcsParameters ReferenceId as `referenceId` and no startedBy (the Scheduler documents none).
 * - One RunTask call with `count` = TaskCount: above RunTask's 10 the call is refused (InvalidParameterException)
 *   and the invocation fails, as EventBridge's RunTask call would.
 */
import { createHash } from 'node:crypto';
import { API_VERSION, type Resource } from '../../api/meta.js';
import { clusterOfTargetArn } from '../../api/v1alpha1/events-common.js';
import type { EventsEcsParameters } from '../../api/v1alpha1/events-types.js';

export const RULE_LABEL = 'events.ecsplane.io/rule';
export const SCHEDULE_LABEL = 'scheduler.ecsplane.io/schedule';

/** A rule's or a schedule's target (its ECS members). */
export interface EcsTarget {
  Id?: string;
  Arn: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  EcsParameters?: EventsEcsParameters;
}

export interface InvocationOrigin {
  /** `Rule` or `Schedule` and its name. */
  kind: 'Rule' | 'Schedule';
  name: string;
  uid: string;
  /** A unique id of this invocation (event id, or scheduled time): makes task ids deterministic. */
  invocationId: string;
}

export class InputError extends Error {}

/** `$.a.b[0]['c-d']` → the value in `doc`, or undefined. */
export function jsonPathGet(doc: unknown, path: string): unknown {
  let cur: any = doc;
  for (const m of path.slice(1).matchAll(/\.([A-Za-z0-9_$@-]+)|\[(\d+)\]|\['([^']*)'\]/g)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3])];
  }
  return cur;
}

/** The target's input as JSON (undefined when it has none); throws InputError when it does not resolve to JSON. */
export function resolveInput(target: EcsTarget, event: unknown): unknown {
  if (target.Input !== undefined) return parse(target.Input, 'Input');
  if (target.InputPath !== undefined) return jsonPathGet(event, target.InputPath);
  const tr = target.InputTransformer;
  if (!tr) return undefined;
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(tr.InputPathsMap ?? {})) values.set(name, jsonPathGet(event, path));
  const text = tr.InputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (whole, name: string) => {
    if (!values.has(name)) return whole;
    const v = values.get(name);
    // A string goes in as its (escaped) characters, so "<key>" in the template stays one JSON string.
    if (typeof v === 'string') return JSON.stringify(v).slice(1, -1);
    return v === undefined ? 'null' : JSON.stringify(v);
  });
  return parse(text, 'InputTransformer output');
}

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${what} is not valid JSON: ${text.slice(0, 80)}`);
  }
}

/** The RunTask `overrides` an input gives, or undefined. */
export function overridesFromInput(input: unknown): Record<string, unknown> | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'object' || Array.isArray(input)) throw new InputError('The input of an ECS target must be a JSON object (a RunTask TaskOverride).');
  return input as Record<string, unknown>;
}

function taskId(origin: InvocationOrigin, targetId: string, chunk: number): string {
  return createHash('sha256').update(`${origin.uid}/${origin.invocationId}/${targetId}/${chunk}`).digest('hex').slice(0, 32);
}

function lowerNetwork(nc: EventsEcsParameters['NetworkConfiguration']): unknown {
  const a = nc?.awsvpcConfiguration;
  if (!a) return undefined;
  return {
    awsvpcConfiguration: {
      subnets: a.Subnets ?? [],
      ...(a.SecurityGroups ? { securityGroups: a.SecurityGroups } : {}),
      ...(a.AssignPublicIp ? { assignPublicIp: a.AssignPublicIp } : {}),
    },
  };
}

/** EventBridge tags are `[{Key, Value}]`, the Scheduler's `[{key: value}]`; RunTask takes `[{key, value}]`. */
function lowerTags(tags: unknown): { key: string; value: string }[] | undefined {
  if (!Array.isArray(tags) || tags.length === 0) return undefined;
  return tags.flatMap((t: any) => ('Key' in t ? [{ key: t.Key, value: t.Value ?? '' }] : Object.entries(t).map(([key, value]) => ({ key, value: String(value) }))));
}

/** The Task objects (RunTask requests) one invocation of `target` creates. */
export function runTaskRequests(origin: InvocationOrigin, target: EcsTarget, overrides: Record<string, unknown> | undefined): Resource[] {
  const p = target.EcsParameters!;
  const cluster = clusterOfTargetArn(target.Arn)!;
  const spec: Record<string, unknown> = {
    cluster,
    taskDefinition: p.TaskDefinitionArn,
    count: p.TaskCount ?? 1,
    ...(p.LaunchType ? { launchType: p.LaunchType } : {}),
    ...(p.CapacityProviderStrategy ? { capacityProviderStrategy: p.CapacityProviderStrategy } : {}),
    ...(p.NetworkConfiguration ? { networkConfiguration: lowerNetwork(p.NetworkConfiguration) } : {}),
    ...(p.PlacementConstraints ? { placementConstraints: p.PlacementConstraints } : {}),
    ...(p.PlacementStrategy ? { placementStrategy: p.PlacementStrategy } : {}),
    ...(p.Group ? { group: p.Group } : {}),
    ...(p.PlatformVersion ? { platformVersion: p.PlatformVersion } : {}),
    ...(p.PropagateTags ? { propagateTags: p.PropagateTags } : {}),
    ...(p.EnableECSManagedTags !== undefined ? { enableECSManagedTags: p.EnableECSManagedTags } : {}),
    ...(p.EnableExecuteCommand !== undefined ? { enableExecuteCommand: p.EnableExecuteCommand } : {}),
    ...(lowerTags(p.Tags) ? { tags: lowerTags(p.Tags) } : {}),
    ...(origin.kind === 'Rule' ? { startedBy: `events-rule/${origin.name}`.slice(0, 128) } : {}),
    ...(origin.kind === 'Schedule' && p.ReferenceId ? { referenceId: p.ReferenceId } : {}),
    ...(overrides ? { overrides } : {}),
  };
  const out: Resource[] = [
    {
      apiVersion: API_VERSION,
      kind: 'Task',
      metadata: { name: taskId(origin, target.Id ?? 'target', 0), labels: { [origin.kind === 'Rule' ? RULE_LABEL : SCHEDULE_LABEL]: origin.name } },
      spec,
    },
  ];
  return out;
}
