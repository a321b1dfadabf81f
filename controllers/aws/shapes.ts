/**
 * Input checks and output shaping from the botocore model (model.ts), for AWS JSON 1.1.
 *
 * Input: a value of the wrong JSON type is a `SerializationException` with the message AWS's
 * JSON deserializer gives ("NUMBER_VALUE can not be converted to a String", "Expected list or
 * null", "Start of structure or map found where not expected."); a missing required member, an
 * unknown member (the SDKs never send one; the AWS CLI refuses it client-side with the same words),
 * a value outside the model's enum, length or range is an `InvalidParameterException` naming the
 * member path. `null` counts as absent, as AWS's deserializer treats it.
 * Output: only members the model has (ecsplane's own status fields are dropped); timestamps as
 * epoch seconds, the JSON 1.1 default.
 */
import { capValue } from '../../api/errors.js';
import { AwsError, ProtocolError } from './errors.js';
import type { ServiceModel, Shape } from './model.js';

const INVALID = 'InvalidParameterException';

/** `invalidType`: the service's exception for bad values (ECS InvalidParameterException, AAS ValidationException, ...). */
export function checkInput(model: ServiceModel, shapeName: string | undefined, value: unknown, invalidType: string = INVALID): void {
  if (!shapeName) return;
  try {
    check(model, model.shapes[shapeName], value, '');
  } catch (err) {
    if (err instanceof AwsError && err.type === INVALID && invalidType !== INVALID) throw new AwsError(invalidType, err.message, err.status);
    throw err;
  }
}

function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return 'NUMBER_VALUE';
  if (typeof v === 'boolean') return v ? 'TRUE_VALUE' : 'FALSE_VALUE';
  return Array.isArray(v) ? 'START_ARRAY' : 'START_OBJECT';
}

function serialization(message: string, path: string): AwsError {
  return new AwsError(ProtocolError.Serialization, path ? `${message} (${path})` : message);
}

function check(model: ServiceModel, shape: Shape, v: unknown, path: string): void {
  if (v === null || v === undefined) return;
  const isObject = typeof v === 'object' && !Array.isArray(v);
  switch (shape.type) {
    case 'structure': {
      if (!isObject) throw serialization(Array.isArray(v) ? 'Start of list found where not expected' : `${jsonKind(v)} can not be converted to a structure`, path);
      const o = v as Record<string, unknown>;
      const members = shape.members ?? {};
      for (const k of Object.keys(o)) {
        if (!Object.prototype.hasOwnProperty.call(members, k)) {
          throw new AwsError(INVALID, `Unknown parameter in input: ${JSON.stringify(capValue(k))}, must be one of: ${Object.keys(members).join(', ')} (${join(path, k)})`);
        }
      }
      for (const r of shape.required ?? []) {
        if (o[r] === undefined || o[r] === null) throw new AwsError(INVALID, `Missing required parameter in input: "${r}" (${join(path, r)})`);
      }
      for (const [k, child] of Object.entries(o)) check(model, model.shapes[members[k]], child, join(path, k));
      return;
    }
    case 'list': {
      if (!Array.isArray(v)) throw serialization('Expected list or null', path);
      bound(shape, v.length, path, 'length');
      const member = model.shapes[shape.member!];
      v.forEach((item, i) => check(model, member, item, `${path}[${i}]`));
      return;
    }
    case 'map': {
      if (!isObject) throw serialization('Expected map or null', path);
      const value = model.shapes[shape.value!];
      for (const [k, child] of Object.entries(v as object)) check(model, value, child, `${path}.${k}`);
      return;
    }
    case 'string': {
      if (typeof v !== 'string') throw serialization(isObject || Array.isArray(v) ? 'Start of structure or map found where not expected.' : `${jsonKind(v)} can not be converted to a String`, path);
      if (shape.enum && !shape.enum.includes(v)) {
        throw new AwsError(INVALID, `Value ${JSON.stringify(capValue(v))} at "${path}" failed to satisfy constraint: Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      bound(shape, v.length, path, 'length');
      return;
    }
    case 'integer':
    case 'long':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw serialization(`${jsonKind(v)} can not be converted to an Integer`, path);
      bound(shape, v, path, 'value');
      return;
    case 'double':
    case 'float':
      if (typeof v !== 'number') throw serialization(`${jsonKind(v)} can not be converted to a Double`, path);
      bound(shape, v, path, 'value');
      return;
    case 'boolean':
      if (typeof v !== 'boolean') throw serialization(`${jsonKind(v)} can not be converted to a Boolean`, path);
      return;
    case 'timestamp':
      if (typeof v !== 'number' && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) throw serialization(`${jsonKind(v)} can not be converted to a Timestamp`, path);
      return;
    default:
      return; // blob: not in any ECS input ecsplane serves
  }
}

function bound(shape: Shape, n: number, path: string, what: string): void {
  if (shape.min !== undefined && n < shape.min) throw new AwsError(INVALID, `Invalid ${what} for parameter ${path}, value: ${n}, valid min ${what}: ${shape.min}`);
  if (shape.max !== undefined && n > shape.max) throw new AwsError(INVALID, `Invalid ${what} for parameter ${path}, value: ${n}, valid max ${what}: ${shape.max}`);
}

function join(path: string, k: string): string {
  return path ? `${path}.${k}` : k;
}

/** `value` as the model's output shape: unknown members dropped, timestamps as epoch seconds. */
export function shapeOutput(model: ServiceModel, shapeName: string | undefined, value: unknown): unknown {
  if (!shapeName) return {};
  return shaperOf(model, shapeName)(value ?? {}) ?? {};
}

type Shaper = (v: unknown) => unknown;

/**
 * One shaper per model shape, built on first use and kept: a reply walks only its shape's members
 * (no per-call lookups in the model). A frozen value (store objects are deep-frozen, and so are the
 * views cached from them) never changes, so its shaped copy is kept beside it and reused: a
 * Describe of unchanged objects does no shaping at all.
 */
const shapers = new WeakMap<ServiceModel, Map<string, Shaper>>();

function shaperOf(model: ServiceModel, name: string): Shaper {
  let forModel = shapers.get(model);
  if (!forModel) shapers.set(model, (forModel = new Map()));
  let shaper = forModel.get(name);
  if (!shaper) {
    // Registered before it is built, so a recursive shape finds itself (resolved lazily below).
    let built: Shaper | undefined;
    forModel.set(name, (shaper = (v) => (built ??= buildShaper(model, model.shapes[name]))(v)));
  }
  return shaper;
}

function cachedWhenFrozen(shape: (v: object) => unknown): Shaper {
  const cache = new WeakMap<object, unknown>();
  return (v) => {
    if (typeof v !== 'object' || v === null) return shape(v as object);
    if (!Object.isFrozen(v)) return shape(v);
    if (cache.has(v)) return cache.get(v);
    const out = shape(v);
    if (out && typeof out === 'object') Object.freeze(out);
    cache.set(v, out);
    return out;
  };
}

function buildShaper(model: ServiceModel, shape: Shape): Shaper {
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members ?? {}).map(([k, member]) => [k, shaperOf(model, member)] as const);
      return cachedWhenFrozen((v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
        const out: Record<string, unknown> = {};
        for (const [k, shapeMember] of members) {
          const x = (v as Record<string, unknown>)[k];
          if (x === null || x === undefined) continue;
          const y = shapeMember(x);
          if (y !== undefined) out[k] = y;
        }
        return out;
      });
    }
    case 'list': {
      const member = shaperOf(model, shape.member!);
      return cachedWhenFrozen((v) => {
        if (!Array.isArray(v)) return undefined;
        const out: unknown[] = [];
        for (const i of v) {
          const y = i === null || i === undefined ? undefined : member(i);
          if (y !== undefined) out.push(y);
        }
        return out;
      });
    }
    case 'map': {
      const value = shaperOf(model, shape.value!);
      return (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v as object)) out[k] = x === null || x === undefined ? undefined : value(x);
        return out;
      };
    }
    case 'timestamp':
      return (v) => {
        if (v === null || v === undefined) return undefined;
        const ms = typeof v === 'number' ? v * 1000 : Date.parse(String(v));
        return Number.isNaN(ms) ? undefined : ms / 1000;
      };
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      return (v) => {
        if (v === null || v === undefined) return undefined;
        const n = typeof v === 'number' ? v : Number(v);
        return Number.isFinite(n) ? n : undefined;
      };
    case 'string':
      return (v) => (v === null || v === undefined ? undefined : typeof v === 'string' ? v : String(v));
    default:
      return (v) => (v === null ? undefined : v);
  }
}
