/**
 * The API layer every writer goes through (CLI, scenario steps, the Kubernetes bridge):
 * validation with ECS's rules and error types, admission checks against existing state
 * (cluster exists, task definition resolvable, ...), then the store. Nothing is stored when a
 * check fails, so bad input never corrupts state. `spec` is stored exactly as given.
 */
import { inject, injectable } from '../controllers/runtime/di.js';
import { API_VERSION, keyOf, type Resource } from '../api/meta.js';
import { EcsError, ErrorType } from '../api/errors.js';
import { validateResource } from '../api/validate.js';
import { TOKENS } from '../controllers/runtime/tokens.js';
import { admit, admitDelete, afterApply, type AdmissionContext } from './admission.js';
import { ConflictError, NotFoundError } from './errors.js';
import { clone, jsonEqual } from './objects.js';
import type { ResourceStore } from './store.js';

export type ApplyResult = { object: Resource; action: 'created' | 'configured' | 'unchanged' };

export interface DeleteOptions {
  /** ECS DeleteService `force`, DeregisterContainerInstance `force`. */
  force?: boolean;
}

/** Apply order for a batch: referenced kinds before the kinds that reference them. */
export const APPLY_ORDER = [
  'AutoScalingGroup',
  'CapacityProvider',
  'Cluster',
  'TargetGroup',
  'TaskDefinition',
  'ContainerInstance',
  'Service',
  'Task',
  'ScalableTarget',
  'ScalingPolicy',
  'ScheduledAction',
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
  apply(input: Resource): ApplyResult {
    const obj = normalize(input);
    validateResource(obj);
    for (let attempt = 0; ; attempt++) {
      const current = this.store.get(obj.kind, keyOf(obj));
      try {
        admit(this.ctx, obj, current);
        if (!current) {
          const created = this.store.create(obj);
          afterApply(this.ctx, created, undefined);
          return { object: this.store.get(created.kind, keyOf(created)) ?? created, action: 'created' };
        }
        if (current.metadata.deletionTimestamp) {
          throw new EcsError(ErrorType.InvalidParameter, `${obj.kind} ${obj.metadata.name} is being deleted.`, 'metadata.name');
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
          return { object: current, action: 'unchanged' };
        }
        const updated = this.store.update(next);
        afterApply(this.ctx, updated, current);
        return { object: this.store.get(updated.kind, keyOf(updated)) ?? updated, action: 'configured' };
      } catch (err) {
        if (err instanceof ConflictError && attempt < 5) continue;
        throw err;
      }
    }
  }

  /** Apply a batch in dependency order; stops at the first error (earlier items stay applied). */
  applyAll(inputs: Resource[]): ApplyResult[] {
    return sortForApply(inputs).map((o) => this.apply(o));
  }

  async applyAndPersist(inputs: Resource[]): Promise<ApplyResult[]> {
    const results: ApplyResult[] = [];
    try {
      for (const o of sortForApply(inputs)) results.push(this.apply(o));
    } finally {
      await this.persist();
    }
    return results;
  }

  delete(kind: string, key: string, opts: DeleteOptions = {}): Resource {
    const current = this.store.get(kind, key);
    if (!current) throw new NotFoundError(`${kind} ${JSON.stringify(key)} not found`);
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

export function sortForApply(inputs: Resource[]): Resource[] {
  const rank = (k: string) => {
    const i = APPLY_ORDER.indexOf(k);
    return i < 0 ? APPLY_ORDER.length : i;
  };
  return inputs.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o.kind) - rank(b.o.kind) || a.i - b.i).map((x) => x.o);
}

/** Keep only what a user may set: apiVersion, kind, name, labels, annotations, spec. */
function normalize(input: Resource): Resource {
  if (!input || typeof input !== 'object') throw new EcsError(ErrorType.InvalidParameter, 'a resource must be an object');
  const md = input.metadata ?? ({} as Resource['metadata']);
  const out: Resource = {
    apiVersion: input.apiVersion ?? API_VERSION,
    kind: input.kind,
    metadata: { name: md.name },
    spec: clone(input.spec ?? {}),
  };
  if (md.namespace) out.metadata.namespace = md.namespace;
  if (md.labels && Object.keys(md.labels).length) out.metadata.labels = clone(md.labels);
  if (md.annotations && Object.keys(md.annotations).length) out.metadata.annotations = clone(md.annotations);
  return out;
}
