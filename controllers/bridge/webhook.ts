/**
 * The validating admission webhook's verdict (pure: no HTTP, no Kubernetes client). An AdmissionReview
 * of a user's ecsplane.io custom resource is turned into the store object the bridge would apply
 * (toStoreInput, the same mapping) and run through ApiServer.dryRunApply: the admission pipeline of
 * `apply` and `ecsplane validate`, against the live store, storing nothing.
 *
 * - A spec ECS's rules refuse (ValidationError: schema and the kind's rules, whatever the state) is
 *   denied: `kubectl apply` fails with the ECS exception as reason and `field: message`.
 * - A refusal that depends on other objects (ClusterNotFoundException, a task definition not registered
 *   yet, a quota) is allowed with a warning: the objects of one `kubectl apply -f dir/` reach ecsplane in
 *   any order, and the bridge retries it (the resource's Synced condition says why meanwhile).
 * - NotSimulated fields are allowed with a warning each (kubectl prints `Warning: ...`).
 * - Mirrors, objects being deleted and metadata-only updates (finalizers, owners) are always allowed, so
 *   the webhook can never wedge a deletion or the bridge's own writes.
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/
 */
import { EcsError, ValidationError } from '../../api/errors.js';
import { notSimulatedFields } from '../../api/not-simulated.js';
import { kindDef } from '../../api/v1alpha1/index.js';
import type { Resource } from '../../api/meta.js';
import { FIELD_MANAGER, GROUP, READ_ONLY_KINDS } from './constants.js';
import { deepEqual, toStoreInput } from './mapping.js';
import { identityOfUserCr, isMirror, type KubeObject } from './names.js';

export interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; version?: string; kind?: string };
  operation?: string;
  namespace?: string;
  object?: KubeObject;
  oldObject?: KubeObject;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  warnings?: string[];
  status?: {
    code: number;
    status: 'Failure';
    reason: string;
    message: string;
    details?: { name?: string; group: string; kind: string; causes: Array<{ reason: string; message: string; field?: string }> };
  };
}

export interface DryRunner {
  dryRunApply(input: Resource, opts: { manager?: string }): unknown;
}

/** Most warnings a response carries (each is a line kubectl prints). */
const MAX_WARNINGS = 20;

export function admissionVerdict(req: AdmissionRequest, apiServer: DryRunner, namespace: string): AdmissionResponse {
  const allow = (warnings: string[] = []): AdmissionResponse => ({
    uid: req.uid,
    allowed: true,
    ...(warnings.length ? { warnings: warnings.slice(0, MAX_WARNINGS) } : {}),
  });
  const kind = req.kind?.kind ?? '';
  const cr = req.object;
  if (req.kind?.group !== GROUP || !kindDef(kind) || !cr?.metadata) return allow();
  if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return allow();
  if (req.namespace !== undefined && req.namespace !== namespace) return allow(); // another bridge's namespace
  if (isMirror(cr) || cr.metadata.deletionTimestamp) return allow();
  const old = req.oldObject;
  if (
    req.operation === 'UPDATE' &&
    old &&
    deepEqual(old.spec, cr.spec) &&
    deepEqual(old.metadata?.labels ?? {}, cr.metadata.labels ?? {}) &&
    deepEqual(old.metadata?.annotations ?? {}, cr.metadata.annotations ?? {})
  ) {
    return allow();
  }
  if (READ_ONLY_KINDS.has(kind)) {
    return deny(req, kind, new EcsError('ReadOnlyKind', `${kind} objects are created by ecsplane (apply a TaskDefinition instead).`));
  }
  try {
    const input = toStoreInput(kind, cr, identityOfUserCr(kind, cr), namespace);
    apiServer.dryRunApply(input, { manager: FIELD_MANAGER });
    return allow(notSimulatedFields(kind, cr.spec).map((w) => `NotSimulated: ${w.field}: ${w.message}`));
  } catch (err) {
    if (err instanceof ValidationError) return deny(req, kind, err);
    if (err instanceof EcsError) {
      const field = err.field ? `${err.field}: ` : '';
      return allow([`${err.type}: ${field}${err.bareMessage} (not applied yet: ecsplane retries it; see status.conditions)`]);
    }
    // ecsplane's own failure must never block a write: the bridge reports it on the resource.
    return allow([`ecsplane could not check this object: ${(err as Error)?.message ?? err}`]);
  }
}

function deny(req: AdmissionRequest, kind: string, err: EcsError): AdmissionResponse {
  const errors = err instanceof ValidationError ? err.errors : [err];
  const message = errors.map((e) => (e.field ? `${e.field}: ${e.bareMessage}` : e.bareMessage)).join('; ');
  return {
    uid: req.uid,
    allowed: false,
    status: {
      code: 422,
      status: 'Failure',
      reason: err.type,
      message: `${err.type}: ${message}`,
      details: {
        name: req.object?.metadata?.name,
        group: GROUP,
        kind,
        causes: errors.map((e) => ({ reason: e.type, message: e.bareMessage, ...(e.field ? { field: e.field } : {}) })),
      },
    },
  };
}
