/**
 * The pure half of the bridge: custom resource ⇄ store object, the status written back, and the JSON
 * merge patches that write it. Nothing here talks to Kubernetes or the store.
 */
import { createHash } from 'node:crypto';
import { API_VERSION, CLUSTER_SCOPED_KINDS, clusterOf, type Condition, type Resource } from '../../api/meta.js';
import { SERVICE_LABEL } from '../shared/indexes.js';
import { setCondition } from '../../api/conditions.js';
import {
  CLUSTER_ANNOTATION,
  CLUSTER_LABEL,
  DROPPED_ANNOTATION_PREFIXES,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MIRROR_HASH_ANNOTATION,
  NAME_ANNOTATION,
  SOURCE_ANNOTATION,
  SOURCE_UID_ANNOTATION,
  SYNCED,
} from './constants.js';
import { isQualifiedKey, labelValue, type KubeObject, type StoreIdentity } from './names.js';

// ------------------------------------------------------------------------------------------------ JSON helpers

/** Plain JSON: undefined dropped, nulls removed (a merge patch would read them as deletions). */
export function normalizeJson<T>(x: T): T {
  if (x === undefined) return x;
  return stripNulls(JSON.parse(JSON.stringify(x))) as T;
}

function stripNulls(x: any): any {
  if (Array.isArray(x)) return x.map(stripNulls);
  if (x && typeof x === 'object') {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(x)) if (v !== null) out[k] = stripNulls(v);
    return out;
  }
  return x;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a as object).filter((k) => (a as any)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as any)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}

const isPlainObject = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The RFC 7386 JSON merge patch turning `from` into `to`: changed keys with their new value, removed
 * keys as null, nested objects recursively; arrays are replaced whole. Undefined when nothing differs.
 */
export function mergePatch(from: unknown, to: unknown): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return deepEqual(from, to) ? undefined : to;
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(from)) if (from[k] !== undefined && to[k] === undefined) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (v === undefined) continue;
    if (isPlainObject(v) && isPlainObject(from[k])) {
      const sub = mergePatch(from[k], v);
      if (sub !== undefined) patch[k] = sub;
    } else if (!deepEqual(from[k], v)) {
      patch[k] = v;
    }
  }
  return Object.keys(patch).length ? patch : undefined;
}

/** Apply a merge patch (for tests and for predicting the result of a write). */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

/** Hash of the JSON value, whatever the order of object keys (the apiserver returns them sorted). */
export function hashOf(x: unknown): string {
  return createHash('sha256').update(JSON.stringify(sortedKeys(x))).digest('hex').slice(0, 16);
}

function sortedKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortedKeys);
  if (!isPlainObject(x)) return x;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(x).sort()) out[k] = sortedKeys(x[k]);
  return out;
}

// ------------------------------------------------------------------------------------------------ CR → store

/** User annotations that reach the store (sim.ecsplane.io/* knobs and the user's own). */
export function storeAnnotations(annotations: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations ?? {})) {
    if (k === NAME_ANNOTATION) continue;
    if (DROPPED_ANNOTATION_PREFIXES.some((p) => k.startsWith(p))) continue;
    out[k] = v;
  }
  return out;
}

/**
 * The store object a user CR asks for: the ECS name, the user's labels and annotations (without kubectl
 * bookkeeping), where it came from, and spec exactly as written.
 */
export function toStoreInput(kind: string, cr: KubeObject, id: StoreIdentity, namespace: string): Resource {
  const annotations = {
    ...storeAnnotations(cr.metadata.annotations),
    [SOURCE_ANNOTATION]: `${namespace}/${cr.metadata.name}`,
    ...(cr.metadata.uid ? { [SOURCE_UID_ANNOTATION]: cr.metadata.uid } : {}),
  };
  const labels = cr.metadata.labels ?? {};
  return {
    apiVersion: API_VERSION,
    kind,
    metadata: {
      name: id.name,
      ...(Object.keys(labels).length ? { labels: { ...labels } } : {}),
      annotations,
    },
    spec: cr.spec ?? {},
  };
}

/** The CR (`namespace/name`) a store object was applied from, if it came from this namespace. */
export function sourceOf(obj: Resource, namespace: string): { name: string; uid?: string } | undefined {
  const src = obj.metadata.annotations?.[SOURCE_ANNOTATION];
  if (!src) return undefined;
  const i = src.indexOf('/');
  if (i < 0 || src.slice(0, i) !== namespace) return undefined;
  return { name: src.slice(i + 1), uid: obj.metadata.annotations?.[SOURCE_UID_ANNOTATION] };
}

// ------------------------------------------------------------------------------------------------ store → status

/** What the bridge knows about its last apply of a user CR. */
export interface ApplyState {
  uid?: string;
  /** CR generation of the last attempt. */
  generation?: number;
  /** Set when the last attempt was rejected. */
  error?: { type: string; message: string; field?: string; terminal: boolean };
  /** [store generation, CR generation] pairs of successful applies, newest last. */
  generations: Array<[number, number]>;
}

export function emptyApplyState(): ApplyState {
  return { generations: [] };
}

/** Record a successful apply (keeps the last few generation pairs). */
export function recordApplied(st: ApplyState, crGeneration: number, storeGeneration: number, uid?: string): ApplyState {
  const generations = st.generations.filter(([s, c]) => !(s === storeGeneration && c === crGeneration));
  generations.push([storeGeneration, crGeneration]);
  return { uid, generation: crGeneration, error: undefined, generations: generations.slice(-16) };
}

/** The CR generation that corresponds to a store generation (the newest CR generation applied as it). */
export function crGenerationFor(st: ApplyState | undefined, storeGeneration: number | undefined): number | undefined {
  if (!st || storeGeneration === undefined) return undefined;
  let out: number | undefined;
  for (const [s, c] of st.generations) if (s === storeGeneration) out = c;
  return out;
}

/**
 * Internal bookkeeping the store keeps in status but Kubernetes users should not see (not ECS output, and
 * not declared in the CRD status schemas, which would prune it): per kind. It is kept in storeRecord.
 */
const HIDDEN_STATUS_FIELDS: Record<string, string[]> = {
  Service: ['scheduler'],
  AutoScalingGroup: ['launchSeq'],
  CapacityProvider: ['activitySeq', 'managedScaling'],
  ScalableTarget: ['activitySeq', 'metrics', 'quiet', 'cooldown', 'specMinCapacity', 'specMaxCapacity', 'specDesiredCount'],
  ScalingPolicy: ['lastProposal', 'lastNote'],
  Queue: ['messages', 'metrics'],
  MetricAlarm: ['samples'],
  Rule: ['pending', 'busCursor', 'invocationWindow'],
  Schedule: ['pending', 'window'],
};
const hiddenFields = (kind: string | undefined): string[] => (kind && Object.hasOwn(HIDDEN_STATUS_FIELDS, kind) ? HIDDEN_STATUS_FIELDS[kind] : []);
/** Store status fields a CR shows translated (to its own generations) or not at all. */
const recordedFields = (kind: string): string[] => ['observedGeneration', 'conditions', ...hiddenFields(kind)];

function storeStatus(obj: Resource | undefined): Record<string, any> {
  const st = normalizeJson(obj?.status ?? {}) as Record<string, any>;
  for (const f of hiddenFields(obj?.kind)) delete st[f];
  return st;
}

/**
 * `status.storeRecord`: what a restarted bridge needs, beside the rest of the CR status, to put the store
 * object back exactly (rebuild.ts): its metadata (uid, generation, labels, annotations, owners, finalizers),
 * its spec as accepted, the store's own values of the status fields the CR shows translated or hides,
 * and for user CRs the generation pairs of the applies.
 */
export interface StoreRecord {
  metadata: Resource['metadata'];
  spec: unknown;
  status?: Record<string, unknown>;
  appliedGenerations?: Array<[number, number]>;
}

export function storeRecordOf(obj: Resource, appliedGenerations?: Array<[number, number]>): StoreRecord {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  const status: Record<string, unknown> = {};
  for (const f of recordedFields(obj.kind)) if (obj.status?.[f] !== undefined) status[f] = obj.status[f];
  return normalizeJson({
    metadata,
    spec: obj.spec ?? {},
    ...(Object.keys(status).length ? { status } : {}),
    ...(appliedGenerations?.length ? { appliedGenerations } : {}),
  });
}

/**
 * While the controllers of a restarted ecsplane have not re-observed an object, its CR says so:
 * Ready is Unknown (as a Node's is when its kubelet stops reporting), naming the restart.
 */
export const STALE_REASON = 'StatusFromBeforeRestart';

function markStale(conds: Condition[], shown: Condition[] | undefined, restartedAt: number, now: number): Condition[] {
  const message = `ecsplane restarted at ${new Date(restartedAt).toISOString()}; this status is from before the restart and its controllers have not re-observed the object yet`;
  return putCondition(conds, shown, { type: 'Ready', status: 'Unknown', reason: STALE_REASON, message }, now);
}

/** setCondition, but keeping lastTransitionTime from what the CR shows when the status is unchanged. */
function putCondition(
  conds: Condition[] | undefined,
  shown: Condition[] | undefined,
  c: { type: string; status: Condition['status']; reason: string; message?: string; observedGeneration?: number },
  now: number,
): Condition[] {
  const prev = shown?.find((x) => x.type === c.type);
  const base = (conds ?? []).filter((x) => x.type !== c.type);
  if (prev && prev.status === c.status) base.push({ ...prev, status: c.status });
  return setCondition(base, c, now);
}

/**
 * Status of a user-owned CR: the store object's status (without internal bookkeeping), conditions and
 * observedGeneration translated to the CR's generations, plus `Synced` (whether the bridge could apply
 * the current spec). A rejected spec also turns Ready False with the ECS exception as reason and the
 * message naming the field.
 */
export function userStatus(
  cr: KubeObject,
  obj: Resource | undefined,
  st: ApplyState | undefined,
  now: number,
  opts: { staleSince?: number } = {},
): Record<string, any> {
  const status = storeStatus(obj);
  const shown: Condition[] | undefined = cr.status?.conditions;
  const gen = cr.metadata.generation ?? 1;
  let conds: Condition[] = ((status.conditions ?? []) as Condition[]).map((c) => {
    const { observedGeneration, ...rest } = c;
    const mapped = crGenerationFor(st, observedGeneration);
    return mapped === undefined ? rest : { ...rest, observedGeneration: mapped };
  });
  // Keep lastTransitionTime stable across bridge restarts for conditions the store recomputes.
  conds = conds.map((c) => {
    const prev = shown?.find((x) => x.type === c.type);
    return prev && prev.status === c.status && prev.lastTransitionTime ? { ...c, lastTransitionTime: prev.lastTransitionTime } : c;
  });
  const err = st?.error;
  if (err && st?.generation === gen) {
    const message = err.message; // names the field(s) already
    conds = putCondition(conds, shown, { type: SYNCED, status: 'False', reason: err.type, message, observedGeneration: gen }, now);
    conds = putCondition(conds, shown, { type: 'Ready', status: 'False', reason: err.type, message, observedGeneration: gen }, now);
  } else if (obj && st && st.generation === gen) {
    conds = putCondition(
      conds,
      shown,
      { type: SYNCED, status: 'True', reason: 'Applied', message: 'spec applied to the ecsplane store', observedGeneration: gen },
      now,
    );
    if (!conds.some((c) => c.type === 'Ready')) {
      conds = putCondition(conds, shown, { type: 'Ready', status: 'True', reason: 'Accepted', message: 'accepted by ecsplane', observedGeneration: gen }, now);
    }
  } else if (!obj && !err) {
    conds = putCondition(conds, shown, { type: SYNCED, status: 'Unknown', reason: 'Pending', message: 'not yet applied', observedGeneration: gen }, now);
  }
  if (obj && opts.staleSince !== undefined) conds = markStale(conds, shown, opts.staleSince, now);
  const out: Record<string, any> = { ...status, conditions: conds };
  if (obj) out.storeRecord = storeRecordOf(obj, st?.generations);
  // observedGeneration: the CR generation whose store generation the store's controllers have acted on
  // (kinds without a controller: the last CR generation applied).
  const storeObserved: number | undefined = status.observedGeneration ?? (obj ? obj.metadata.generation : undefined);
  const observed = crGenerationFor(st, storeObserved);
  if (observed !== undefined) out.observedGeneration = observed;
  else if (cr.status?.observedGeneration !== undefined) out.observedGeneration = cr.status.observedGeneration;
  else delete out.observedGeneration;
  if (!conds.length) delete out.conditions;
  return normalizeJson(withPrintedFields(out, obj));
}

// ------------------------------------------------------------------------------------------------ for kubectl get

/** `family:revision` of a task definition ARN (`arn:aws:ecs:…:task-definition/web:3` → `web:3`). */
export function shortTaskDefinition(arn: unknown): string | undefined {
  if (typeof arn !== 'string' || !arn) return undefined;
  const i = arn.indexOf(':task-definition/');
  return i < 0 ? arn : arn.slice(i + ':task-definition/'.length);
}

/** The READY column: the Ready condition's status, with its reason unless True. */
export function readySummary(conds: Condition[] | undefined): string | undefined {
  const c = conds?.find((x) => x.type === 'Ready');
  if (!c) return undefined;
  return c.status === 'True' || !c.reason ? c.status : `${c.status}: ${c.reason}`;
}

/** The label selector of a service's task custom resources (the scale subresource's `status.selector`). */
export function serviceTaskSelector(obj: Resource): string | undefined {
  const cluster = labelValue(clusterOf(obj) ?? 'default');
  const name = labelValue(obj.metadata.name);
  return cluster === undefined || name === undefined ? undefined : `${CLUSTER_LABEL}=${cluster},${SERVICE_LABEL}=${name}`;
}

/** Status fields only the bridge writes (not from the store): a rebuild leaves them out. */
export const PRINTED_STATUS_FIELDS = ['summary', 'selector'];

/**
 * What printer columns cannot compute (JSONPath has no conditionals or string functions): `summary.ready`
 * and `summary.taskDefinition`, and a Service's `selector`.
 */
function withPrintedFields(status: Record<string, any>, obj: Resource | undefined): Record<string, any> {
  const summary: Record<string, string> = {};
  const ready = readySummary(status.conditions);
  if (ready !== undefined) summary.ready = ready;
  const td = shortTaskDefinition(obj?.kind === 'Service' ? status.taskDefinition : status.taskDefinitionArn);
  if (td !== undefined) summary.taskDefinition = td;
  const out: Record<string, any> = { ...status };
  if (Object.keys(summary).length) out.summary = summary;
  else delete out.summary;
  if (obj?.kind === 'Service') {
    const selector = serviceTaskSelector(obj);
    if (selector !== undefined) out.selector = selector;
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ store → mirror

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

/** Labels of the store object that are valid Kubernetes labels. */
function kubeLabels(labels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    const value = labelValue(String(v));
    if (isQualifiedKey(k) && value !== undefined) out[k] = value;
  }
  return out;
}

/**
 * The metadata and spec of the mirror of a store object (the bridge owns all of it). The hash of the
 * result goes into an annotation so an unchanged mirror is never rewritten (the apiserver may prune or
 * reorder what it stores, so comparing bodies could loop).
 */
export function mirrorBody(obj: Resource, id: StoreIdentity, crName: string, owner: OwnerRef | undefined): KubeObject {
  const labels: Record<string, string> = {
    ...kubeLabels(obj.metadata.labels),
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
  };
  if (CLUSTER_SCOPED_KINDS.has(obj.kind)) {
    const v = labelValue(id.cluster);
    if (v !== undefined) labels[CLUSTER_LABEL] = v;
  }
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj.metadata.annotations ?? {})) {
    if (isQualifiedKey(k) && !k.startsWith('bridge.ecsplane.io/')) annotations[k] = String(v);
  }
  annotations[NAME_ANNOTATION] = id.name;
  if (id.cluster) annotations[CLUSTER_ANNOTATION] = id.cluster;
  const body: KubeObject = {
    apiVersion: API_VERSION,
    kind: obj.kind,
    metadata: {
      name: crName,
      labels,
      annotations,
      ...(owner ? { ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: false }] } : {}),
    },
    spec: normalizeJson(obj.spec ?? {}),
  };
  body.metadata.annotations![MIRROR_HASH_ANNOTATION] = hashOf({ m: body.metadata, s: body.spec });
  return body;
}

/** The merge patch bringing an existing mirror's metadata and spec to `want` (labels/annotations exact). */
export function mirrorPatch(current: KubeObject, want: KubeObject): unknown {
  const from = {
    metadata: {
      labels: current.metadata.labels ?? {},
      annotations: current.metadata.annotations ?? {},
      ownerReferences: current.metadata.ownerReferences ?? [],
    },
    spec: current.spec ?? {},
  };
  const to = {
    metadata: {
      labels: want.metadata.labels ?? {},
      annotations: want.metadata.annotations ?? {},
      ownerReferences: want.metadata.ownerReferences ?? [],
    },
    spec: want.spec ?? {},
  };
  const p = mergePatch(from, to) as any;
  if (!p) return undefined;
  // Spec of a mirror is the store's, whole: replace it rather than merge (drops keys the store dropped).
  if (p.spec !== undefined) p.spec = to.spec;
  return p;
}

/**
 * Status of a mirror: the store object's status, observedGeneration being the mirror's own generation
 * (the bridge wrote that spec) and condition generations likewise.
 */
export function mirrorStatus(cr: KubeObject, obj: Resource, now: number, opts: { staleSince?: number } = {}): Record<string, any> {
  const status = storeStatus(obj);
  const gen = cr.metadata.generation ?? 1;
  if (Array.isArray(status.conditions)) {
    status.conditions = (status.conditions as Condition[]).map((c) => (c.observedGeneration !== undefined ? { ...c, observedGeneration: gen } : c));
  }
  if (opts.staleSince !== undefined) status.conditions = markStale(status.conditions ?? [], cr.status?.conditions, opts.staleSince, now);
  if (status.observedGeneration !== undefined) status.observedGeneration = gen;
  status.storeRecord = storeRecordOf(obj);
  return normalizeJson(withPrintedFields(status, obj));
}

/** The status patch, or undefined when the CR already shows `want`. */
export function statusPatch(cr: KubeObject, want: Record<string, any>): unknown {
  const p = mergePatch(cr.status ?? {}, want);
  return p === undefined ? undefined : { status: p };
}
