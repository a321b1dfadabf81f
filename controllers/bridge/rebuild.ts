/**
 * Rebuilding the store from the custom resources, when ecsplane starts with an empty store (no
 * `--state`, or a new file). Pure: custom resources in, a store snapshot out.
 *
 * Every status the bridge writes carries `status.storeRecord`: what the CR status does not show as is
 * (the store object's metadata with its uid and generation, its spec as last accepted, the store's own
 * observedGeneration and conditions, the scheduler's bookkeeping). The rest of the store status is the CR
 * status itself. So a restart keeps task ids, revision numbers, deployments and service uids (task and
 * deployment ids derive from them), and the loops resume where they were instead of starting over.
 *
 * A CR without a record (never written by this bridge version, or written before its object existed) is
 * left out: a user CR is then applied as new by the desired loop, a mirror is removed as stale.
 */
import { API_VERSION, keyOf, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { Logger } from '../runtime/logger.js';
import { validationErrors } from '../../api/validate.js';
import { SOURCE_ANNOTATION, SOURCE_UID_ANNOTATION, SYNCED } from './constants.js';
import { PRINTED_STATUS_FIELDS, normalizeJson, type ApplyState, type StoreRecord } from './mapping.js';
import { identityOfMirror, isMirror, type KubeObject } from './names.js';

export interface RebuildResult {
  /** The objects to restore, with resourceVersions 1..N. */
  objects: Resource[];
  resourceVersion: number;
  /** Per user CR (`Kind/name`): what the desired loop knew about its applies. */
  applyStates: Map<string, ApplyState>;
  /** CRs left out, and why (logged). */
  skipped: Array<{ kind: string; name: string; why: string }>;
}

const isObject = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The CR status fields that come from the record instead (the CR shows them translated). */
const TRANSLATED_STATUS_FIELDS = ['storeRecord', 'observedGeneration', 'conditions', ...PRINTED_STATUS_FIELDS];

/**
 * The store object a CR's record describes, or why there is none. User CRs must have been applied from
 * this very CR (namespace, name and uid in the source annotations); mirrors must name the same object
 * in their identity annotations.
 */
export function storeObjectOf(kind: string, cr: KubeObject, namespace: string): { obj: Resource } | { why: string } {
  const rec = cr.status?.storeRecord as StoreRecord | undefined;
  if (!isObject(rec) || !isObject(rec.metadata) || typeof rec.metadata.name !== 'string' || !rec.metadata.name) return { why: 'no store record in status' };
  const { resourceVersion: _rv, ...metadata } = normalizeJson(rec.metadata);
  const status: Record<string, any> = {};
  for (const [k, v] of Object.entries(isObject(cr.status) ? cr.status : {})) if (!TRANSLATED_STATUS_FIELDS.includes(k)) status[k] = v;
  Object.assign(status, isObject(rec.status) ? rec.status : {});
  const obj: Resource = normalizeJson({ apiVersion: API_VERSION, kind, metadata, spec: isObject(rec.spec) ? rec.spec : {}, status });
  if (isMirror(cr)) {
    const id = identityOfMirror(kind, cr);
    if (!id || id.key !== keyOf(obj)) return { why: `its record describes ${kind} ${keyOf(obj)}, its annotations ${id?.key ?? 'nothing'}` };
    if (obj.metadata.annotations?.[SOURCE_ANNOTATION]) return { why: 'a mirror of an object applied from a custom resource' };
  } else {
    const src = obj.metadata.annotations?.[SOURCE_ANNOTATION];
    if (src !== `${namespace}/${cr.metadata.name}`) return { why: `its record was applied from ${src ?? 'elsewhere'}` };
    const uid = obj.metadata.annotations?.[SOURCE_UID_ANNOTATION];
    if (uid && cr.metadata.uid && uid !== cr.metadata.uid) return { why: 'its record belongs to an earlier custom resource of that name' };
  }
  const bad = badMetadata(obj.metadata);
  if (bad) return { why: `its record has ${bad}` };
  // A status is writable by anyone allowed to patch it: what goes back into the store is checked again.
  const errors = validationErrors({ apiVersion: API_VERSION, kind, metadata: { name: obj.metadata.name }, spec: obj.spec });
  if (errors.length) return { why: `its record's spec is invalid: ${errors[0].message}` };
  return { obj };
}

const isStringMap = (x: unknown) => x === undefined || (isObject(x) && Object.values(x).every((v) => typeof v === 'string'));

/** What is wrong with recorded metadata the store relies on, if anything. */
function badMetadata(md: Resource['metadata']): string | undefined {
  if (typeof md.uid !== 'string' || !md.uid) return 'no uid';
  if (md.generation !== undefined && !(Number.isInteger(md.generation) && md.generation > 0)) return 'a bad generation';
  if (!isStringMap(md.labels) || !isStringMap(md.annotations)) return 'labels or annotations that are not strings';
  if (md.finalizers !== undefined && !(Array.isArray(md.finalizers) && md.finalizers.every((f) => typeof f === 'string'))) return 'bad finalizers';
  const owners = md.ownerReferences;
  if (owners !== undefined && !(Array.isArray(owners) && owners.every((o) => isObject(o) && [o.kind, o.name, o.uid].every((v) => typeof v === 'string')))) {
    return 'bad owner references';
  }
  return undefined;
}

/**
 * What the desired loop knew about a user CR: the generation pairs of its applies (so conditions keep
 * mapping store generations to CR generations) and a rejection the CR still shows for its current
 * generation (so Synced does not flap before the CR is applied again).
 */
export function applyStateOf(cr: KubeObject, rec: StoreRecord | undefined): ApplyState {
  const pairs = (Array.isArray(rec?.appliedGenerations) ? rec!.appliedGenerations : []).filter(
    (p): p is [number, number] => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n)),
  );
  const st: ApplyState = { uid: cr.metadata.uid, generation: pairs.at(-1)?.[1], generations: pairs.slice(-16) };
  const synced = (cr.status?.conditions ?? []).find((c: any) => c?.type === SYNCED);
  const gen = cr.metadata.generation ?? 1;
  if (synced?.status === 'False' && synced.observedGeneration === gen && typeof synced.reason === 'string') {
    st.generation = gen;
    st.error = { type: synced.reason, message: String(synced.message ?? ''), terminal: true };
  }
  return st;
}

/**
 * The snapshot to restore from every CR of the namespace (`crs`: kind → CRs). When two CRs describe the
 * same store object, the user's CR wins over a mirror (the user took the mirror over).
 */
export function rebuildFromCrs(crs: Map<string, KubeObject[]>, namespace: string): RebuildResult {
  const chosen = new Map<string, { obj: Resource; cr: KubeObject; kind: string }>();
  const skipped: RebuildResult['skipped'] = [];
  const applyStates = new Map<string, ApplyState>();
  for (const [kind, list] of crs) {
    for (const cr of [...list].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      const out = storeObjectOf(kind, cr, namespace);
      if ('why' in out) {
        if (cr.status?.storeRecord !== undefined || isMirror(cr)) skipped.push({ kind, name: cr.metadata.name, why: out.why });
        continue;
      }
      const id = `${kind}\u0000${keyOf(out.obj)}`;
      const held = chosen.get(id);
      if (held && (!isMirror(held.cr) || isMirror(cr))) {
        skipped.push({ kind, name: cr.metadata.name, why: `${kind} ${keyOf(out.obj)} is rebuilt from ${held.cr.metadata.name}` });
        continue;
      }
      if (held) skipped.push({ kind, name: held.cr.metadata.name, why: `${kind} ${keyOf(out.obj)} is rebuilt from ${cr.metadata.name}` });
      chosen.set(id, { obj: out.obj, cr, kind });
    }
  }
  const objects: Resource[] = [];
  let rv = 0;
  for (const { obj, cr, kind } of chosen.values()) {
    objects.push({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(++rv) } });
    if (!isMirror(cr)) applyStates.set(`${kind}/${cr.metadata.name}`, applyStateOf(cr, cr.status.storeRecord));
  }
  return { objects, resourceVersion: rv, applyStates, skipped };
}

/**
 * An empty store (no --state, or a new file) is rebuilt from the custom resources before anything
 * reconciles. A store that holds state already (--state) wins: nothing is rebuilt; the desired loop
 * applies the CRs to it as usual and mirrors of objects it does not hold are removed.
 */
export function rebuildStore(
  store: ResourceStore,
  reflectors: Map<string, { list(): KubeObject[] }>,
  namespace: string,
  log: Logger,
): { objects: number; skipped: number; applyStates: Map<string, ApplyState> } {
  if (store.resourceVersion !== 0 || store.kinds().some((k) => store.count(k) > 0)) return { objects: 0, skipped: 0, applyStates: new Map() };
  const crs = new Map<string, KubeObject[]>();
  for (const [kind, r] of reflectors) crs.set(kind, r.list());
  const res = rebuildFromCrs(crs, namespace);
  for (const s of res.skipped) log.info(`bridge: not rebuilt from ${s.kind.toLowerCase()}/${s.name}: ${s.why}`);
  if (res.objects.length) {
    store.restore({ resourceVersion: res.resourceVersion, objects: res.objects });
    log.info(`bridge: rebuilt ${res.objects.length} store objects from the custom resources of ${namespace}`);
  }
  return { objects: res.objects.length, skipped: res.skipped.length, applyStates: res.applyStates };
}
