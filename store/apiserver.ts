/**
 * The API layer every writer goes through (CLI, scenario steps, the Kubernetes bridge):
 * validation with ECS's rules and error types, admission checks against existing state
 * (cluster exists, task definition resolvable, ...), then the store. Nothing is stored when a
 * check fails, so bad input never corrupts state. `spec` is stored exactly as given.
 */
import { inject, injectable } from '../controllers/runtime/di.js';
import { API_VERSION, keyOf, type Resource } from '../api/meta.js';
import { EcsError, ErrorType } from '../api/errors.js';
import { assertPlainInput, validateResource } from '../api/validate.js';
import { TOKENS } from '../controllers/runtime/tokens.js';
import { admit, admitDelete, admitRecreate, afterApply, type AdmissionContext } from './admission.js';
import { ConflictError, NotFoundError } from './errors.js';
import { clone, jsonEqual } from './objects.js';
import type { ResourceStore } from './store.js';

export type ApplyResult = { object: Resource; action: 'created' | 'configured' | 'unchanged' };

export interface ApplyOptions {
  /** Who writes ('cli', KUBERNETES_BRIDGE, ...): an object a Kubernetes custom resource owns takes changes from the bridge only. */
  manager?: string;
  /**
   * RegisterTaskDefinition: every call registers a new revision, even with the input of the latest
   * one ("each time you register a task definition with the same family, a new revision is created").
   * `kubectl apply` semantics (a declarative re-apply of the same spec changes nothing) otherwise.
   */
  alwaysRegisterRevision?: boolean;
  /**
   * A new object is stored with this status (the one its loop gives it first), in the same write:
   * RunTask's task, which ECS places before it answers (`failures[]`, the container instance).
   * Called after admission accepted the object, and only when it is created.
   */
  initialStatus?: (obj: Resource) => object | undefined;
}

/** The writer name of the Kubernetes bridge (its field manager, controllers/bridge/constants.ts). */
export const KUBERNETES_BRIDGE = 'ecsplane-bridge';
/** Annotations the bridge keeps on objects applied from a custom resource (source: `namespace/name`). */
const BRIDGE_ANNOTATION_PREFIX = 'bridge.ecsplane.io/';
const CUSTOM_RESOURCE_SOURCE = `${BRIDGE_ANNOTATION_PREFIX}source`;

export interface DeleteOptions {
  /** ECS DeleteService `force`, DeregisterContainerInstance `force`. */
  force?: boolean;
  /** Who deletes: an object a Kubernetes custom resource owns is deleted by the bridge only (delete the custom resource). */
  manager?: string;
}

/** Apply order for a batch: referenced kinds before the kinds that reference them. */
export const APPLY_ORDER = [
  'AccountSetting',
  'AutoScalingGroup',
  'CapacityProvider',
  'Cluster',
  'TargetGroup',
  'Subnet',
  'TaskDefinition',
  'ContainerInstance',
  'Service',
  'Task',
  'ScalableTarget',
  'ScalingPolicy',
  'ScheduledAction',
  'Queue',
  'MetricAlarm',
  'Rule',
  'Schedule',
];

@injectable()
export class ApiServer {
  /** Awaited after user writes so they are on disk before being acknowledged. */
  persist: () => Promise<void> = async () => undefined;

  constructor(
    @inject(TOKENS.Store) readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: { now(): number },
  ) {}

  private get ctx(): AdmissionContext {
    return { store: this.store, now: this.clock.now() };
  }

  /** Create or update (declarative, like `kubectl apply`). Throws EcsError on bad input. */
  apply(input: Resource, opts: ApplyOptions = {}): ApplyResult {
    const obj = normalize(input);
    validateResource(obj, true); // normalize checked the input as plain JSON and copied only from it
    const expectedVersion = manifestVersion(input);
    for (let attempt = 0; ; attempt++) {
      const current = this.store.get(obj.kind, keyOf(obj));
      if (expectedVersion !== undefined) checkManifestVersion(expectedVersion, current);
      if (opts.manager !== KUBERNETES_BRIDGE) refuseBridgeOwned(obj, current);
      try {
        admit(this.ctx, obj, current);
        if (!current) {
          const status = opts.initialStatus?.(obj);
          const created = this.store.create(status ? { ...obj, status } : obj);
          afterApply(this.ctx, created, undefined);
          return { object: this.store.get(created.kind, keyOf(created)) ?? created, action: 'created' };
        }
        if (current.metadata.deletionTimestamp && admitRecreate(obj, current)) {
          // The old object (an INACTIVE service) is purged; its owned objects go with it (garbage collector).
          this.store.update({ ...current, metadata: { ...current.metadata, finalizers: [] } });
          continue;
        }
        const next: Resource = {
          ...current,
          metadata: {
            ...current.metadata,
            labels: obj.metadata.labels,
            annotations: obj.metadata.annotations,
            ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}),
          },
          spec: obj.spec,
        };
        if (jsonEqual(next.spec, current.spec) && jsonEqual(next.metadata, current.metadata)) {
          if (!(opts.alwaysRegisterRevision && current.kind === 'TaskDefinition')) return { object: current, action: 'unchanged' };
          afterApply(this.ctx, current, current, true);
          return { object: this.store.get(current.kind, keyOf(current)) ?? current, action: 'configured' };
        }
        const updated = this.store.update(next);
        afterApply(this.ctx, updated, current, opts.alwaysRegisterRevision);
        return { object: this.store.get(updated.kind, keyOf(updated)) ?? updated, action: 'configured' };
      } catch (err) {
        if (err instanceof ConflictError && attempt < 5) continue;
        throw err;
      }
    }
  }

  /**
   * A dry run of apply against the current state (the admission webhook): the same normalization,
   * validation and admission checks, nothing stored. Throws the EcsError apply would throw; returns
   * what apply would do.
   */
  dryRunApply(input: Resource, opts: ApplyOptions = {}): { object: Resource; action: 'create' | 'update' } {
    const obj = normalize(input);
    validateResource(obj, true); // normalize checked the input as plain JSON and copied only from it
    const current = this.store.get(obj.kind, keyOf(obj));
    const expectedVersion = manifestVersion(input);
    if (expectedVersion !== undefined) checkManifestVersion(expectedVersion, current);
    if (opts.manager !== KUBERNETES_BRIDGE) refuseBridgeOwned(obj, current);
    admit(this.ctx, obj, current);
    if (current?.metadata.deletionTimestamp) {
      throw new EcsError(ErrorType.InvalidParameter, `${obj.kind} ${obj.metadata.name} is being deleted.`, 'metadata.name');
    }
    return { object: obj, action: current ? 'update' : 'create' };
  }

  /** Apply a batch in dependency order; stops at the first error (earlier items stay applied). */
  applyAll(inputs: Resource[]): ApplyResult[] {
    return sortForApply(inputs).map((o) => this.apply(o));
  }

  async applyAndPersist(inputs: Resource[], opts: ApplyOptions = {}): Promise<ApplyResult[]> {
    const results: ApplyResult[] = [];
    try {
      for (const o of sortForApply(inputs)) results.push(this.apply(o, opts));
    } finally {
      await this.persist();
    }
    return results;
  }

  delete(kind: string, key: string, opts: DeleteOptions = {}): Resource {
    const current = this.store.get(kind, key);
    if (!current) throw new NotFoundError(`${kind} ${JSON.stringify(key)} not found`);
    if (opts.manager !== KUBERNETES_BRIDGE) refuseBridgeOwned(current, current, 'delete');
    admitDelete(this.ctx, current, opts);
    return this.store.delete(kind, key);
  }

  async deleteAndPersist(kind: string, key: string, opts: DeleteOptions = {}): Promise<Resource> {
    try {
      return this.delete(kind, key, opts);
    } finally {
      await this.persist();
    }
  }
}

/**
 * Two writers of one object would undo each other's changes: what a Kubernetes custom resource owns
 * (the bridge applied it from there) is changed there, and only the bridge sets its bookkeeping annotations.
 */
function refuseBridgeOwned(obj: Resource, current: Resource | undefined, verb: 'change' | 'delete' = 'change'): void {
  const id = `${obj.kind.toLowerCase()}/${obj.metadata.name}`;
  const source = current?.metadata.annotations?.[CUSTOM_RESOURCE_SOURCE];
  if (source) {
    throw new EcsError(ErrorType.Client, `${id} is managed by the Kubernetes custom resource ${source} (ecsplane.io); ${verb} it with kubectl`);
  }
  const forged = Object.keys(obj.metadata.annotations ?? {}).find((k) => k.startsWith(BRIDGE_ANNOTATION_PREFIX));
  if (forged) {
    throw new EcsError(ErrorType.InvalidParameter, `annotations under ${BRIDGE_ANNOTATION_PREFIX} are set by the Kubernetes bridge only`, `metadata.annotations["${forged}"]`);
  }
}

/**
 * A manifest carrying metadata.resourceVersion (e.g. edited from `get -o yaml`) is a write based on
 * that version: as the Kubernetes API does, a stale one is a Conflict, never an overwrite. The version
 * is only checked, never stored (normalize drops it).
 */
function manifestVersion(input: Resource): string | undefined {
  const rv: unknown = input.metadata?.resourceVersion;
  if (rv === undefined || rv === null || rv === '') return undefined;
  if (typeof rv !== 'string' && typeof rv !== 'number') {
    throw new EcsError(ErrorType.InvalidParameter, 'resourceVersion must be a string.', 'metadata.resourceVersion');
  }
  return String(rv);
}

function checkManifestVersion(expected: string, current: Resource | undefined): void {
  if (!current) throw new ConflictError(`the object does not exist (deleted?); manifest resourceVersion ${expected}`);
  const stored = current.metadata.resourceVersion;
  if (stored !== expected) throw new ConflictError(`the object has been modified; manifest resourceVersion ${expected}, stored ${stored}`);
}

export function sortForApply(inputs: Resource[]): Resource[] {
  if (!Array.isArray(inputs)) throw new EcsError(ErrorType.InvalidParameter, 'Expected a list of resources.', 'resources');
  const rank = (k: unknown) => {
    const i = typeof k === 'string' ? APPLY_ORDER.indexOf(k) : -1;
    return i < 0 ? APPLY_ORDER.length : i;
  };
  return inputs.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o?.kind) - rank(b.o?.kind) || a.i - b.i).map((x) => x.o);
}

/**
 * Keep only what a user may set: apiVersion, kind, name, labels, annotations, spec. The input is checked
 * to be plain, bounded JSON first (no `__proto__` keys, no deep nesting), because copying hostile input
 * could set a prototype or overflow the stack. Labels or annotations that are not a non-empty mapping are
 * kept as they are, for validation to reject.
 */
function normalize(input: Resource): Resource {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new EcsError(ErrorType.InvalidParameter, 'A resource must be a mapping (apiVersion, kind, metadata, spec).', '(object)');
  }
  assertPlainInput(input);
  const md = input.metadata ?? ({} as Resource['metadata']);
  const out: Resource = {
    apiVersion: input.apiVersion ?? API_VERSION,
    kind: input.kind,
    metadata: { name: md.name },
    spec: clone(input.spec ?? {}),
  };
  if (md.namespace) out.metadata.namespace = md.namespace;
  if (!isEmptyMap(md.labels)) out.metadata.labels = clone(md.labels);
  if (!isEmptyMap(md.annotations)) out.metadata.annotations = clone(md.annotations);
  return out;
}

function isEmptyMap(x: unknown): boolean {
  return x === undefined || x === null || (typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0);
}
