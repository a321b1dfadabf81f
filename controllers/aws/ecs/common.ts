/** Helpers the ECS operations share: cluster references, pagination, failures, timestamps. */
import { randomFillSync } from 'node:crypto';
import { arn } from '../../../api/arn.js';
import { clusterNameFromRef, DEFAULT_CLUSTER, makeKey, type Resource } from '../../../api/meta.js';
import { deepFreeze } from '../../../store/objects.js';
import { AwsError } from '../errors.js';
import type { App } from '../../register.js';

export const INVALID = 'InvalidParameterException';

/** `cluster` input (name or ARN, absent = `default`) → cluster name. */
export function clusterOfInput(ref: unknown): string {
  return typeof ref === 'string' && ref !== '' ? clusterNameFromRef(ref) : DEFAULT_CLUSTER;
}

/** The cluster, ACTIVE; ClusterNotFoundException otherwise (ECS's message). */
export function requireCluster(app: App, name: string): Resource {
  const c = app.store.get('Cluster', name);
  if (!c || c.metadata.deletionTimestamp || c.status?.status === 'INACTIVE') throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
  return c;
}

/** The last element of an ARN (`.../cluster/name` → name), or the input. */
export function lastSegment(ref: string): string {
  const slash = ref.lastIndexOf('/');
  return ref.startsWith('arn:') && slash >= 0 ? ref.slice(slash + 1) : ref;
}

/** A service or task reference (name, id or ARN, ARNs may name another cluster) → store key. */
export function scopedKey(cluster: string, ref: string): string {
  if (ref.startsWith('arn:')) {
    const parts = ref.split(':').slice(5).join(':').split('/'); // service/cluster/name or service/name (old format)
    if (parts.length >= 3) return makeKey(parts[1], parts[2]);
    return makeKey(cluster, parts[parts.length - 1]);
  }
  return makeKey(cluster, ref);
}

/** Random bytes drawn 4 KiB at a time: one getrandom call per 256 ids instead of one per id. */
const idPool = Buffer.alloc(4096);
let idPoolUsed = idPool.length;

/** An ECS task id: 32 hex digits. */
export function newTaskId(): string {
  if (idPoolUsed + 16 > idPool.length) {
    randomFillSync(idPool);
    idPoolUsed = 0;
  }
  idPoolUsed += 16;
  return idPool.toString('hex', idPoolUsed - 16, idPoolUsed);
}

/** ECS's `Failure`: `{arn, reason: MISSING}` for references that do not exist. */
export function missing(ref: string, fullArn?: string): { arn: string; reason: string } {
  return { arn: fullArn ?? ref, reason: 'MISSING' };
}

/** `missing` for a reference given as an ARN (reported as given) or a name (reported as `arnOf(name)`). */
export function missingRef(ref: string, arnOf: (name: string) => string): { arn: string; reason: string } {
  return missing(ref, ref.startsWith('arn:') ? ref : arnOf(ref));
}

export { arn };

/**
 * `maxResults` / `nextToken` over a sorted list. Tokens are opaque (base64url of the position) and
 * bound to the operation, so one from another call is refused rather than misread.
 */
export function paginate<T>(items: T[], input: { maxResults?: number; nextToken?: string }, op: string, max = 100): { items: T[]; nextToken?: string } {
  const { start, limit } = pageBounds(input, op, max);
  const page = items.slice(start, start + limit);
  const next = start + limit < items.length ? nextToken(op, start + limit) : undefined;
  return next ? { items: page, nextToken: next } : { items: page };
}

/** The page `paginate` would cut: the position it starts at and its size (the input checked). */
export function pageBounds(input: { maxResults?: number; nextToken?: string }, op: string, max = 100): { start: number; limit: number } {
  const limit = input.maxResults ?? max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new AwsError(INVALID, `maxResults must be between 1 and ${max}.`);
  let start = 0;
  if (input.nextToken) {
    const m = /^([A-Za-z]+):(\d{1,9})$/.exec(Buffer.from(input.nextToken, 'base64url').toString('utf8'));
    if (!m || m[1] !== op) throw new AwsError(INVALID, 'Invalid nextToken value.');
    start = Number(m[2]);
  }
  return { start, limit };
}

export function nextToken(op: string, position: number): string {
  return Buffer.from(`${op}:${position}`).toString('base64url');
}

export function byName(a: Resource, b: Resource): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** A resource built from an API call: the spec is the request as sent. */
export function resource(kind: string, name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): Resource {
  return { apiVersion: 'ecsplane.io/v1alpha1', kind, metadata: { name, ...(annotations ? { annotations } : {}) }, spec };
}

/** The input without the members that are not part of the kind's spec (batch flags, paging, ...). */
export function without(input: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const out = { ...input };
  for (const k of keys) delete out[k];
  for (const [k, v] of Object.entries(out)) if (v === null || v === undefined) delete out[k];
  return out;
}

/**
 * Views of store objects, each built once per object version: the store hands out frozen objects
 * and replaces them on every write, so a view stays right until its object is replaced (and the
 * WeakMap then lets it go). Views are deep-frozen, so shapes.ts keeps their shaped copies too.
 */
export class ViewCache {
  private readonly plain = new WeakMap<Resource, Record<string, unknown>>();
  private readonly tagged = new WeakMap<Resource, Record<string, unknown>>();

  get(obj: Resource, withTags: boolean, build: () => Record<string, unknown>): Record<string, unknown> {
    const cache = withTags ? this.tagged : this.plain;
    let view = cache.get(obj);
    if (!view) cache.set(obj, (view = deepFreeze(build())));
    return view;
  }
}

export function includesTags(include: unknown): boolean {
  return Array.isArray(include) && include.includes('TAGS');
}
