/** Helpers the Application Auto Scaling operations share: names, ARNs, pagination, the target lookup. */
import { createHash } from 'node:crypto';
import { ACCOUNT, REGION } from '../../../api/arn.js';
import type { Resource } from '../../../api/meta.js';
import type { App } from '../../register.js';
import { uuidFrom } from '../../capacity/association.js';
import { AwsError } from '../errors.js';

export const VALIDATION = 'ValidationException';
export const NOT_FOUND = 'ObjectNotFoundException';

export interface TargetRef {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
}

export const sameTarget = (spec: Record<string, unknown>, ref: TargetRef) =>
  spec.ServiceNamespace === ref.ServiceNamespace && spec.ResourceId === ref.ResourceId && spec.ScalableDimension === ref.ScalableDimension;

export function findTarget(app: App, ref: TargetRef): Resource | undefined {
  return app.store.list('ScalableTarget').find((t) => sameTarget(t.spec, ref));
}

/** What belongs to a target (policies, scheduled actions), by its reference. */
export function ofTarget(app: App, kind: string, ref: TargetRef): Resource[] {
  return app.store.list(kind).filter((r) => sameTarget(r.spec, ref));
}

/**
 * A store name for a new target: `<cluster>.<service>` from `service/<cluster>/<service>` (`.` is not in
 * ECS names, so it cannot collide with another service), with a hash when taken or too long.
 */
export function targetName(app: App, resourceId: string): string {
  const m = /^service\/([^/]+)\/([^/]+)$/.exec(resourceId);
  const base = m ? `${m[1]}.${m[2]}` : resourceId.replace(/[^A-Za-z0-9_.-]/g, '-');
  const hash = createHash('sha256').update(resourceId).digest('hex').slice(0, 12);
  if (base.length <= 256 && base.length > 0 && !app.store.get('ScalableTarget', base)) return base;
  return `${base.slice(0, 240)}-${hash}`;
}

export function targetArn(t: Resource): string {
  return `arn:aws:application-autoscaling:${REGION}:${ACCOUNT}:scalable-target/${uuidFrom(t.metadata.uid ?? t.metadata.name).replace(/-/g, '').slice(0, 28)}`;
}

/** The controller's formula (controllers/autoscaling/plan.ts), for the reply before it has run. */
export function aasArn(kind: string, uid: string, resourceId: string, nameKind: string, name: string): string {
  return `arn:aws:autoscaling:${REGION}:${ACCOUNT}:${kind}:${uuidFrom(uid)}:resource/ecs/${resourceId}:${nameKind}/${name}`;
}

/** ISO time of a stored timestamp as the JSON 1.1 wire wants it (epoch seconds; shapes.ts converts). */
export const when = (r: Resource) => r.metadata.creationTimestamp;

/** `MaxResults` / `NextToken` (AAS: at most 50); tokens are opaque and bound to the operation. */
export function paginate<T>(items: T[], input: { MaxResults?: number; NextToken?: string }, op: string, max = 50): { items: T[]; NextToken?: string } {
  const limit = input.MaxResults ?? max;
  if (limit < 1 || limit > max) throw new AwsError(VALIDATION, `1 validation error detected: Value '${limit}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  let start = 0;
  if (input.NextToken) {
    const m = /^([A-Za-z]+):(\d{1,9})$/.exec(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
    if (!m || m[1] !== op) throw new AwsError('InvalidNextTokenException', 'Invalid token');
    start = Number(m[2]);
  }
  const page = items.slice(start, start + limit);
  return start + limit < items.length ? { items: page, NextToken: Buffer.from(`${op}:${start + limit}`).toString('base64url') } : { items: page };
}

/** ResourceId / ScalableDimension filters of the Describe* calls. */
export function matches(spec: Record<string, unknown>, input: { ServiceNamespace: string; ResourceId?: string; ResourceIds?: string[]; ScalableDimension?: string }): boolean {
  if (spec.ServiceNamespace !== input.ServiceNamespace) return false;
  if (input.ResourceId !== undefined && spec.ResourceId !== input.ResourceId) return false;
  if (input.ResourceIds?.length && !input.ResourceIds.includes(spec.ResourceId as string)) return false;
  return input.ScalableDimension === undefined || spec.ScalableDimension === input.ScalableDimension;
}

export function byCreation(a: Resource, b: Resource): number {
  return (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name);
}
