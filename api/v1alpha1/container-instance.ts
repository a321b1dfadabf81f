/**
 * ContainerInstance (RegisterContainerInstance input) rules beyond the schema, and defaults
 * (ecs-semantics §1 ContainerInstance).
 */
import { DEFAULT_RESERVED_TCP_PORTS, containerInstanceResources, lookupInstanceType } from '../instance-types.js';
import { EcsError, ErrorType, capValue } from '../errors.js';
import {
  DEFAULT_INSTANCE_TYPE,
  ECS_NAME,
  ECS_NAME_MESSAGE,
  Issues,
  arr,
  checkClusterRef,
  checkName,
  clone,
  isInt,
  isObject,
  isStr,
  obj,
  type NameRule,
} from './common.js';
import type { Attribute, ContainerInstanceSpec, InstanceResource } from './types.js';

export const CONTAINER_INSTANCE_NAME: NameRule = { pattern: ECS_NAME, message: ECS_NAME_MESSAGE };

/** Custom attributes per resource (ecs-semantics §1: else AttributeLimitExceededException). */
export const MAX_CUSTOM_ATTRIBUTES = 10;
/** Reserved ports per instance. */
export const MAX_RESERVED_PORTS = 100;

// PutAttributes' documented character sets.
const ATTRIBUTE_NAME = /^[A-Za-z0-9_./\\-]{1,128}$/;
const ATTRIBUTE_VALUE = /^(?! )[A-Za-z0-9_.@/\\: -]{1,128}(?<! )$/;

const RESOURCE_TYPES: Record<string, string> = { CPU: 'INTEGER', MEMORY: 'INTEGER', PORTS: 'STRINGSET', PORTS_UDP: 'STRINGSET' };

export function validateContainerInstance(o: any): EcsError[] {
  const issues = new Issues(ErrorType.InvalidParameter);
  checkName(o, CONTAINER_INSTANCE_NAME, issues);
  const spec = obj(o?.spec);
  checkClusterRef(spec.cluster, 'spec.cluster', issues);
  checkResources(arr(spec.totalResources), issues);
  checkAttributes(arr(spec.attributes), issues);
  return issues.list;
}

/** CPU/MEMORY are positive INTEGERs; PORTS/PORTS_UDP are STRINGSETs of port numbers. */
function checkResources(resources: unknown[], issues: Issues): void {
  const seen = new Set<string>();
  resources.forEach((raw, i) => {
    const f = `spec.totalResources[${i}]`;
    const r = obj(raw);
    const expected = RESOURCE_TYPES[r.name];
    if (!expected) return issues.add(`${f}.name`, `Unsupported resource '${capValue(r.name)}'; use CPU, MEMORY, PORTS or PORTS_UDP.`);
    if (seen.has(r.name)) issues.add(`${f}.name`, `Duplicate resource '${capValue(r.name)}'.`);
    seen.add(r.name);
    if (r.type !== undefined && r.type !== expected) issues.add(`${f}.type`, `Resource ${r.name} must have type ${expected}.`);
    if (expected === 'INTEGER' && !(isInt(r.integerValue) && r.integerValue > 0)) {
      issues.add(`${f}.integerValue`, `Resource ${r.name} needs a positive integerValue.`);
    }
    if (expected === 'STRINGSET') {
      const ports = arr(r.stringSetValue);
      if (ports.length > MAX_RESERVED_PORTS) issues.add(`${f}.stringSetValue`, `At most ${MAX_RESERVED_PORTS} reserved ports are allowed.`);
      ports.forEach((p, j) => {
        if (!(isStr(p) && /^\d+$/.test(p) && Number(p) >= 1 && Number(p) <= 65535)) {
          issues.add(`${f}.stringSetValue[${j}]`, `Invalid port '${capValue(p)}': use a port number 1-65535.`);
        }
      });
    }
  });
}

function checkAttributes(attributes: unknown[], issues: Issues): void {
  const seen = new Set<string>();
  let custom = 0;
  attributes.forEach((raw, i) => {
    const f = `spec.attributes[${i}]`;
    const { name, value } = obj(raw);
    if (!(isStr(name) && ATTRIBUTE_NAME.test(name))) {
      return issues.add(`${f}.name`, 'Attribute names are 1-128 letters, numbers, hyphens, underscores, periods, forward or back slashes.');
    }
    if (value !== undefined && !(isStr(value) && ATTRIBUTE_VALUE.test(value))) {
      issues.add(`${f}.value`, `Invalid value for attribute '${capValue(name)}': 1-128 letters, numbers, hyphens, underscores, periods, at signs, slashes, colons or spaces, not starting or ending with a space.`);
    }
    if (seen.has(name)) issues.add(`${f}.name`, `Duplicate attribute '${capValue(name)}'.`);
    seen.add(name);
    if (!name.startsWith('ecs.') && ++custom === MAX_CUSTOM_ATTRIBUTES + 1) {
      issues.add('spec.attributes', `A resource can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`, ErrorType.AttributeLimitExceeded);
    }
  });
}

/**
 * The defaulted view (pure): cluster `default`; the instance type from the `ecs.instance-type` attribute
 * (else m5.large) gives the CPU/MEMORY resources the agent would register, PORTS defaults to the agent's
 * reserved ports, PORTS_UDP to none; the built-in instance-type, os-type and cpu-architecture attributes.
 */
export function containerInstanceWithDefaults(spec: ContainerInstanceSpec): ContainerInstanceSpec {
  const s = clone(spec) ?? ({} as ContainerInstanceSpec);
  s.cluster ??= 'default';
  const attributes: Attribute[] = arr<Attribute>(s.attributes).filter(isObject);
  const attr = (name: string) => attributes.find((a) => a.name === name)?.value;
  const typeName = attr('ecs.instance-type') ?? DEFAULT_INSTANCE_TYPE;
  const info = lookupInstanceType(typeName);
  const registered = info ? containerInstanceResources(info) : undefined;
  const resources: InstanceResource[] = arr<InstanceResource>(s.totalResources).filter(isObject);
  const has = (name: string) => resources.some((r) => r.name === name);
  if (!has('CPU') && registered) resources.push({ name: 'CPU', type: 'INTEGER', integerValue: registered.cpu });
  if (!has('MEMORY') && registered) resources.push({ name: 'MEMORY', type: 'INTEGER', integerValue: registered.memory });
  if (!has('PORTS')) resources.push({ name: 'PORTS', type: 'STRINGSET', stringSetValue: DEFAULT_RESERVED_TCP_PORTS.map(String) });
  if (!has('PORTS_UDP')) resources.push({ name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] });
  for (const r of resources) r.type ??= RESOURCE_TYPES[r.name as string];
  s.totalResources = resources;
  const builtins: Record<string, string | undefined> = {
    'ecs.instance-type': typeName,
    'ecs.os-type': 'linux',
    'ecs.cpu-architecture': info?.architecture,
  };
  for (const [name, value] of Object.entries(builtins)) {
    if (value !== undefined && attr(name) === undefined) attributes.push({ name, value });
  }
  s.attributes = attributes;
  return s;
}
