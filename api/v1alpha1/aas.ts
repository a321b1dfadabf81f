/**
 * Rules shared by the Application Auto Scaling kinds (ecs-semantics §7): ecsplane scales ECS services only,
 * so the namespace is `ecs`, the dimension `ecs:service:DesiredCount` and the resource `service/<cluster>/<service>`.
 */
import { capValue } from '../errors.js';
import { ECS_NAME, Issues, isStr, type NameRule } from './common.js';

export const AAS_NAMESPACE = 'ecs';
export const AAS_DIMENSION = 'ecs:service:DesiredCount';
const RESOURCE_ID = /^service\/([^/]+)\/([^/]+)$/;

/** AAS allows printable names; ecsplane keeps metadata names key-safe. */
export const AAS_NAME = (nameField?: string): NameRule => ({
  pattern: /^[A-Za-z0-9_.-]{1,256}$/,
  message: 'Up to 256 letters, numbers, underscores, periods and hyphens are allowed.',
  nameField,
});

/** `service/<cluster>/<service>` → its parts, or undefined. */
export function parseServiceResourceId(id: unknown): { cluster: string; service: string } | undefined {
  const m = isStr(id) ? RESOURCE_ID.exec(id) : null;
  return m ? { cluster: m[1], service: m[2] } : undefined;
}

export function checkScalableTargetRef(spec: Record<string, any>, issues: Issues): void {
  const unsupported = 'Unsupported service namespace, resource type or scalable dimension';
  if (spec.ServiceNamespace !== AAS_NAMESPACE) issues.add('spec.ServiceNamespace', `${unsupported}: ecsplane supports ServiceNamespace 'ecs' only.`);
  if (spec.ScalableDimension !== AAS_DIMENSION) {
    issues.add('spec.ScalableDimension', `${unsupported}: ecsplane supports ScalableDimension '${capValue(AAS_DIMENSION)}' only.`);
  }
  if (spec.ResourceId === undefined) return; // required: reported by the schema
  const ref = parseServiceResourceId(spec.ResourceId);
  if (!ref || !ECS_NAME.test(ref.cluster) || !ECS_NAME.test(ref.service)) {
    issues.add('spec.ResourceId', `Invalid ResourceId '${capValue(spec.ResourceId)}': use service/<cluster>/<service>.`);
  }
}
