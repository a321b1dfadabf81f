/**
 * The Kubernetes bridge: two level-triggered reconcile loops between the ecsplane store and custom
 * resources of group ecsplane.io in one namespace.
 *
 * - desired (key `Kind/crName`): a user-owned CR (one without the managed-by label) is desired state.
 *   Its spec goes to ApiServer.apply as-is; a rejection (EcsError) is recorded and shown on the CR as
 *   `Synced=False` / `Ready=False` with the ECS exception as reason and a Warning Event; nothing reaches
 *   the store. A deleted CR deletes its store object (with `force`: `kubectl delete` means it).
 * - status (key `Kind\0storeKey`): every store object shows up in Kubernetes. For a user-owned CR only
 *   its status is written (merge patch of the status subresource; spec is never touched). Everything
 *   else (tasks, revisions, instances, objects from manifests) is mirrored as a CR the bridge owns whole,
 *   with an ownerReference to its Service / Cluster / TaskDefinition CR, and deleted by the bridge when
 *   the store object or the owner is gone (no garbage collector needed).
 *
 * At start, before either loop (and before ecsplane's own loops), an empty store is rebuilt from the CRs
 * (rebuild.ts), and statuses the controllers have not re-observed yet are marked as such (progress.ts).
 *
 * Watch events only enqueue keys; reconcilers re-read the store and the reflector caches, so a missed,
 * repeated or reordered event changes nothing. Writes per status key are rate-limited (one write per
 * `statusIntervalMs`, the latest state wins). Reflectors survive kube-apiserver restarts (reflector.ts);
 * failed writes retry with back-off; a periodic resync re-checks everything.
 */
import type { Subscription } from 'rxjs';
import { EcsError, ValidationError } from '../../api/errors.js';
import { clusterOf, keyOf, makeKey, type Resource } from '../../api/meta.js';
import { KINDS } from '../../api/v1alpha1/index.js';
import { APPLY_ORDER, type ApiServer } from '../../store/apiserver.js';
import { ConflictError, NotFoundError } from '../../store/errors.js';
import type { ResourceStore } from '../../store/store.js';
import { FAMILY_LABEL } from '../../store/taskdefs.js';
import type { Clock } from '../runtime/clock.js';
import type { EventRecorder, RecordedEvent } from '../runtime/events.js';
import type { Logger } from '../runtime/logger.js';
import { API_VERSION, FIELD_MANAGER, MIRROR_HASH_ANNOTATION, READ_ONLY_KINDS } from './constants.js';
import { EventSink } from './events.js';
import { isAlreadyExists, isConflict, isInvalid, isNotFound, type KubeApi } from './kube.js';
import { WriteLimiter } from './limiter.js';
import { WorkLoop, type LoopResult } from './loop.js';
import {
  emptyApplyState,
  mirrorBody,
  mirrorPatch,
  mirrorStatus,
  recordApplied,
  sourceOf,
  statusPatch,
  toStoreInput,
  userStatus,
  type ApplyState,
  type OwnerRef,
} from './mapping.js';
import {
  identityOfKey,
  identityOfMirror,
  identityOfUserCr,
  isMirror,
  mirrorName,
  qualifiedMirrorName,
  type KubeObject,
  type StoreIdentity,
} from './names.js';
import { RestartMarker, type LoopProgress } from './progress.js';
import { rebuildStore } from './rebuild.js';
import { Reflector, type CacheEventType } from './reflector.js';

export interface BridgeDeps {
  api: KubeApi;
  store: ResourceStore;
  apiServer: ApiServer;
  events: EventRecorder;
  clock: Clock;
  logger: Logger;
  /** Whether ecsplane's controllers have re-observed every object of a kind since start (default: yes). */
  loops?: LoopProgress;
}

export interface BridgeOptions {
  /** Minimum time between two writes for one object (ms). */
  statusIntervalMs?: number;
  /** Safety-net resync of every object (ms; 0 = off). */
  resyncMs?: number;
  /** Parallel status writers. */
  statusWorkers?: number;
  /** How long an admission error (e.g. the cluster does not exist yet) is retried before it is shown. */
  errorGraceMs?: number;
  /** Reflector watch timeout (s). */
  watchTimeoutSeconds?: number;
  /** How often to check whether the controllers have re-observed what a CR shows from before the start (ms). */
  catchUpPollMs?: number;
}

const statusKey = (kind: string, key: string) => `${kind}\u0000${key}`;
const splitStatusKey = (sk: string) => {
  const i = sk.indexOf('\u0000');
  return { kind: sk.slice(0, i), key: sk.slice(i + 1) };
};
const crKey = (kind: string, name: string) => `${kind}/${name}`;
const splitCrKey = (k: string) => {
  const i = k.indexOf('/');
  return { kind: k.slice(0, i), name: k.slice(i + 1) };
};

type OwnerDecision = { state: 'none' } | { state: 'ok'; ref: OwnerRef } | { state: 'wait'; why: string } | { state: 'gone' };

export class Bridge {
  readonly reflectors = new Map<string, Reflector>();
  readonly desired: WorkLoop;
  readonly status: WorkLoop;
  readonly sink: EventSink;
  private readonly applyStates = new Map<string, ApplyState>();
  /** status key → name of the user CR describing that store object. */
  private readonly userIndex = new Map<string, string>();
  /** CR key → store key it described at its last apply (to notice a CR moving to another object). */
  private readonly crStoreKey = new Map<string, string>();
  /** status key → mirror name. */
  private readonly mirrorNames = new Map<string, string>();
  /** CR key → metadata.generation after the bridge's last write of a mirror's spec (drift detection). */
  private readonly mirrorGen = new Map<string, number>();
  private readonly limiter: WriteLimiter;
  private readonly firstFailure = new Map<string, { generation: number; at: number }>();
  private readonly reportedErrors = new Map<string, string>();
  private subs: Subscription[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly marker: RestartMarker;
  /** Status key → when the creation of its mirror was first deferred (stopsNotShown). */
  private readonly createDeferredSince = new Map<string, number>();
  private started = false;
  private stopped = false;
  readonly stats = {
    applies: 0,
    applyErrors: 0,
    storeDeletes: 0,
    statusWrites: 0,
    mirrorCreates: 0,
    mirrorUpdates: 0,
    mirrorDeletes: 0,
    /** Store objects rebuilt from the custom resources at start, and CRs left out. */
    rebuilt: 0,
    rebuildSkipped: 0,
  };

  constructor(
    private readonly deps: BridgeDeps,
    private readonly opts: BridgeOptions = {},
  ) {
    const { clock, logger } = deps;
    this.limiter = new WriteLimiter(opts.statusIntervalMs ?? 500);
    this.desired = new WorkLoop('desired', clock, (k) => this.reconcileDesired(k), logger, { workers: 1 });
    this.status = new WorkLoop('status', clock, (k) => this.reconcileStatus(k), logger, { workers: opts.statusWorkers ?? 4 });
    this.sink = new EventSink(deps.api, logger);
    this.marker = new RestartMarker(deps.loops, (sk) => this.status.add(sk), Object.keys(KINDS), opts.catchUpPollMs);
    for (const def of Object.values(KINDS)) {
      this.reflectors.set(
        def.kind,
        new Reflector(deps.api, def.plural, (type, obj, old) => this.onCacheEvent(def.kind, type, obj, old), logger, {
          watchTimeoutSeconds: opts.watchTimeoutSeconds,
        }),
      );
    }
  }

  private get ns(): string {
    return this.deps.api.namespace;
  }

  /** Start the reflectors, wait for their first lists, then start reconciling. */
  async start(syncTimeoutMs = 60_000): Promise<void> {
    const synced = Promise.all([...this.reflectors.values()].map((r) => r.start()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      synced,
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          const waiting = [...this.reflectors.values()].filter((r) => !r.synced).map((r) => `${r.plural} (${r.lastError || 'no answer'})`);
          reject(new Error(`bridge: could not list ${waiting.join(', ')} within ${syncTimeoutMs} ms`));
        }, syncTimeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));

    const rebuilt = rebuildStore(this.deps.store, this.reflectors, this.ns, this.deps.logger);
    for (const [k, st] of rebuilt.applyStates) this.applyStates.set(k, st);
    Object.assign(this.stats, { rebuilt: rebuilt.objects, rebuildSkipped: rebuilt.skipped });
    this.started = true;
    // Desired state in dependency order (clusters before services, ...), then everything's status.
    const order = (kind: string) => (APPLY_ORDER.includes(kind) ? APPLY_ORDER.indexOf(kind) : APPLY_ORDER.length);
    for (const [kind, r] of [...this.reflectors].sort((a, b) => order(a[0]) - order(b[0]))) {
      for (const cr of r.list()) this.indexCr(kind, cr, true);
    }
    this.subs.push(
      this.deps.store.watch('*').subscribe({
        next: (ev) => this.status.add(statusKey(ev.object.kind, keyOf(ev.object))),
        error: (err) => this.deps.logger.error(`bridge: store watch failed: ${err}`),
      }),
    );
    this.subs.push(this.deps.events.stream.subscribe((ev) => this.forwardEvent(ev)));
    this.enqueueAllStatus();
    this.sink.start();
    this.marker.start(this.deps.clock.now());
    this.desired.start();
    this.status.start();
    this.scheduleResync();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.resyncTimer);
    this.marker.stop();
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
    await Promise.all([this.desired.stop(), this.status.stop()]);
    await Promise.all([...this.reflectors.values()].map((r) => r.stop()));
    await Promise.race([this.sink.stop(), new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  /** Every reflector listed and currently connected. */
  get ready(): boolean {
    return this.started && !this.stopped && [...this.reflectors.values()].every((r) => r.synced && r.connected);
  }

  /** Both loops idle (for tests and `--until-steady`-like waits). */
  isIdle(): boolean {
    return this.desired.isIdle() && this.status.isIdle();
  }

  health(): Record<string, unknown> {
    return {
      ready: this.ready,
      reflectors: Object.fromEntries(
        [...this.reflectors.values()].map((r) => [r.plural, { synced: r.synced, connected: r.connected, objects: r.cache.size, ...r.stats, lastError: r.lastError || undefined }]),
      ),
      queues: { desired: this.desired.queue.length, status: this.status.queue.length },
      events: { pending: this.sink.pending, ...this.sink.stats },
      ...this.stats,
      ...this.marker.stats,
    };
  }

  // ---------------------------------------------------------------------------------------------- events in

  private onCacheEvent(kind: string, type: CacheEventType, obj: KubeObject, old: KubeObject | undefined): void {
    if (old && (type === 'DELETED' || identityChanged(kind, old, obj))) this.unindexCr(kind, old);
    if (type === 'DELETED') {
      const k = crKey(kind, obj.metadata.name);
      this.applyStates.delete(k);
      this.firstFailure.delete(k);
      this.reportedErrors.delete(k);
      this.mirrorGen.delete(k);
      return;
    }
    // Status-only changes (often the bridge's own writes) need no apply.
    const specChanged = !old || !isMirror(obj) !== !isMirror(old) || old.metadata.generation !== obj.metadata.generation ||
      !sameJson(old.metadata.labels, obj.metadata.labels) || !sameJson(old.metadata.annotations, obj.metadata.annotations) ||
      old.metadata.uid !== obj.metadata.uid || Boolean(old.metadata.deletionTimestamp) !== Boolean(obj.metadata.deletionTimestamp);
    this.indexCr(kind, obj, specChanged);
  }

  private indexCr(kind: string, cr: KubeObject, enqueueDesired: boolean): void {
    const name = cr.metadata.name;
    if (isMirror(cr)) {
      const id = identityOfMirror(kind, cr);
      if (!id) return;
      const sk = statusKey(kind, id.key);
      if (!this.mirrorNames.has(sk)) this.mirrorNames.set(sk, name);
      if (this.started) this.status.add(sk);
      return;
    }
    const id = identityOfUserCr(kind, cr);
    const sk = statusKey(kind, id.key);
    const holder = this.userIndex.get(sk);
    if (!holder || !this.liveUserCr(kind, holder, id.key)) this.userIndex.set(sk, name);
    if (!this.started) return;
    if (enqueueDesired) this.desired.add(crKey(kind, name));
    this.status.add(sk);
  }

  private unindexCr(kind: string, cr: KubeObject): void {
    const name = cr.metadata.name;
    if (isMirror(cr)) {
      const id = identityOfMirror(kind, cr);
      if (!id) return;
      const sk = statusKey(kind, id.key);
      if (this.mirrorNames.get(sk) === name) this.mirrorNames.delete(sk);
      this.status.add(sk);
      return;
    }
    const id = identityOfUserCr(kind, cr);
    const sk = statusKey(kind, id.key);
    if (this.userIndex.get(sk) === name) {
      this.userIndex.delete(sk);
      // Another CR that asked for the same store object takes over.
      const next = this.reflectors
        .get(kind)!
        .list()
        .find((o) => o.metadata.name !== name && !isMirror(o) && identityOfUserCr(kind, o).key === id.key);
      if (next) {
        this.userIndex.set(sk, next.metadata.name);
        this.desired.add(crKey(kind, next.metadata.name));
      }
    }
    this.status.add(sk);
  }

  /** The user CR `name` exists and still describes store key `key`. */
  private liveUserCr(kind: string, name: string, key: string): KubeObject | undefined {
    const cr = this.reflectors.get(kind)?.get(name);
    if (!cr || isMirror(cr) || cr.metadata.deletionTimestamp) return undefined;
    return identityOfUserCr(kind, cr).key === key ? cr : undefined;
  }

  private forwardEvent(ev: RecordedEvent): void {
    const def = KINDS[ev.kind];
    if (!def) return;
    const key = def.clusterScoped ? makeKey(ev.cluster || 'default', ev.name) : ev.name;
    const sk = statusKey(ev.kind, key);
    const name = this.userIndex.get(sk) ?? this.mirrorNames.get(sk);
    const cr = name ? this.reflectors.get(ev.kind)?.get(name) : undefined;
    if (!cr) return;
    this.sink.post({ kind: ev.kind, name: cr.metadata.name, uid: cr.metadata.uid }, ev.type, ev.reason, ev.message, ev.t);
  }

  private enqueueAllStatus(): void {
    for (const kind of Object.keys(KINDS)) {
      for (const obj of this.deps.store.list(kind)) this.status.add(statusKey(kind, keyOf(obj)));
    }
    for (const sk of [...this.userIndex.keys(), ...this.mirrorNames.keys()]) this.status.add(sk);
  }

  private scheduleResync(): void {
    const every = this.opts.resyncMs ?? 60_000;
    if (every <= 0 || this.stopped) return;
    this.resyncTimer = setTimeout(() => {
      for (const [kind, r] of this.reflectors) for (const cr of r.list()) if (!isMirror(cr)) this.desired.add(crKey(kind, cr.metadata.name));
      this.enqueueAllStatus();
      this.scheduleResync();
    }, every);
    this.resyncTimer.unref?.();
  }

  // ---------------------------------------------------------------------------------------------- desired

  private async reconcileDesired(k: string): Promise<LoopResult | void> {
    const { kind, name } = splitCrKey(k);
    const cr = this.reflectors.get(kind)?.get(name);
    if (!cr) return;
    if (isMirror(cr)) {
      const id = identityOfMirror(kind, cr);
      if (id) this.status.add(statusKey(kind, id.key));
      return;
    }
    const id = identityOfUserCr(kind, cr);
    const sk = statusKey(kind, id.key);
    const prevKey = this.crStoreKey.get(k);
    if (prevKey !== undefined && prevKey !== id.key) this.status.add(statusKey(kind, prevKey)); // its old object goes
    this.crStoreKey.set(k, id.key);
    if (cr.metadata.deletionTimestamp) {
      this.status.add(sk);
      return;
    }
    const generation = cr.metadata.generation ?? 1;
    const holder = this.userIndex.get(sk);
    if (holder !== name) {
      if (holder && this.liveUserCr(kind, holder, id.key)) {
        return this.reject(k, cr, sk, new EcsError('AlreadyExists', `${kind} ${id.key} is already described by ${kind.toLowerCase()}.${'ecsplane.io'}/${holder}.`, 'metadata.name'), true);
      }
      this.userIndex.set(sk, name);
    }
    if (READ_ONLY_KINDS.has(kind)) {
      return this.reject(k, cr, sk, new EcsError('ReadOnlyKind', `${kind} objects are created by ecsplane (apply a TaskDefinition instead).`), true);
    }
    const current = this.deps.store.get(kind, id.key);
    if (current) {
      const src = sourceOf(current, this.ns);
      if (src && src.name === name && src.uid && cr.metadata.uid && src.uid !== cr.metadata.uid) {
        // The CR was deleted and created again: the store object belongs to the old one. Delete it first
        // (a service drains), then apply the new one (over an INACTIVE service: admitRecreate replaces it).
        if (!current.metadata.deletionTimestamp) {
          await this.deleteFromStore(kind, id.key);
          return { requeueAfterMs: 1000 };
        }
        if (!(kind === 'Service' && current.status?.status === 'INACTIVE')) return { requeueAfterMs: 1000 };
      }
      // Being deleted: apply once it is gone, or once it is an INACTIVE service (apply replaces that, store/admission.ts admitRecreate).
      if (current.metadata.deletionTimestamp && !(kind === 'Service' && current.status?.status === 'INACTIVE')) return { requeueAfterMs: 1000 };
    }
    const input = toStoreInput(kind, cr, id, this.ns);
    try {
      const [res] = await this.deps.apiServer.applyAndPersist([input], { manager: FIELD_MANAGER });
      this.stats.applies++;
      const prev = this.applyStates.get(k) ?? emptyApplyState();
      this.applyStates.set(k, recordApplied(prev, generation, res.object.metadata.generation ?? 1, cr.metadata.uid));
      this.firstFailure.delete(k);
      this.reportedErrors.delete(k);
      if (res.action !== 'unchanged') this.deps.logger.info(`bridge: ${kind.toLowerCase()}/${name} → store ${id.key} ${res.action}`);
    } catch (err) {
      if (err instanceof EcsError) {
        this.stats.applyErrors++;
        const terminal = err instanceof ValidationError;
        const first = this.firstFailure.get(k);
        const now = Date.now();
        if (!first || first.generation !== generation) this.firstFailure.set(k, { generation, at: now });
        const since = first && first.generation === generation ? now - first.at : 0;
        // Admission errors can fix themselves (the cluster CR is applied a moment later): retry quietly
        // for a while before showing them.
        if (terminal || since >= (this.opts.errorGraceMs ?? 3000)) this.reject(k, cr, sk, err, terminal);
        if (terminal) return;
        throw err;
      }
      // ConflictError and the unexpected: retry with back-off; something that keeps failing the same
      // way is shown on the CR and left alone until the CR changes.
      if (!(err instanceof ConflictError) && this.desired.queue.retries(k) >= 5) {
        this.deps.logger.error(`bridge: applying ${k} keeps failing: ${(err as Error)?.stack ?? err}`);
        this.reject(k, cr, sk, new EcsError('InternalError', `ecsplane could not apply this object: ${(err as Error)?.message ?? err}`), true);
        return;
      }
      throw err;
    }
    this.status.add(sk);
  }

  /** Record a rejected spec (shown by the status loop) and post a Warning Event once per generation. */
  private reject(k: string, cr: KubeObject, sk: string, err: EcsError, terminal: boolean): void {
    const generation = cr.metadata.generation ?? 1;
    const errors = err instanceof ValidationError ? err.errors : [err];
    const message = errors.map((e) => (e.field ? `${e.field}: ${e.bareMessage}` : e.bareMessage)).join('; ');
    const prev = this.applyStates.get(k) ?? emptyApplyState();
    this.applyStates.set(k, { ...prev, uid: cr.metadata.uid, generation, error: { type: err.type, message, field: errors[0]?.field, terminal } });
    const fingerprint = `${generation}|${err.type}|${message}`;
    if (this.reportedErrors.get(k) !== fingerprint) {
      this.reportedErrors.set(k, fingerprint);
      this.deps.logger.warn(`bridge: ${cr.metadata.name}: ${err.type}: ${message}`);
      this.sink.post({ kind: splitCrKey(k).kind, name: cr.metadata.name, uid: cr.metadata.uid }, 'Warning', err.type, message);
    }
    this.status.add(sk);
  }

  private async deleteFromStore(kind: string, key: string): Promise<void> {
    try {
      await this.deps.apiServer.deleteAndPersist(kind, key, { force: true, manager: FIELD_MANAGER });
      this.stats.storeDeletes++;
      this.deps.logger.info(`bridge: ${kind.toLowerCase()} ${key} deleted from the store (its custom resource is gone)`);
    } catch (err) {
      if (err instanceof NotFoundError) return;
      throw err;
    }
  }

  // ---------------------------------------------------------------------------------------------- status

  private async reconcileStatus(sk: string): Promise<LoopResult | void> {
    const { kind, key } = splitStatusKey(sk);
    const refl = this.reflectors.get(kind);
    if (!refl) return;
    const obj = this.deps.store.get(kind, key);
    const userName = this.userIndex.get(sk);
    const userCr = userName ? this.liveUserCr(kind, userName, key) : undefined;

    if (userCr) {
      // A mirror of the same object under another name (the user took it over) goes away.
      const stale = this.mirrorNames.get(sk);
      if (stale && stale !== userCr.metadata.name) {
        const m = refl.get(stale);
        if (m && isMirror(m)) await this.deleteCr(kind, m);
        this.mirrorNames.delete(sk);
      }
      const k = crKey(kind, userCr.metadata.name);
      const st = this.applyStates.get(k);
      if (!obj && st && !st.error && st.generation === userCr.metadata.generation) {
        // Applied once, gone from the store since (deleted by another client): the CR still wants it.
        this.applyStates.set(k, { ...st, generation: undefined });
        this.desired.add(k);
      }
      if (!obj && !this.applyStates.get(k)) return; // not tried yet: the desired loop reports first
      // A status the store has not changed is not written again just to carry the restart marker: after a
      // restart or a leader failover, a status that is still right must not flap to Unknown and back.
      if (this.marker.pending(kind) && !statusPatch(userCr, userStatus(userCr, obj, this.applyStates.get(k), Date.now()))) return;
      const want = userStatus(userCr, obj, this.applyStates.get(k), Date.now(), this.marker.option(sk, kind));
      const patch = statusPatch(userCr, want);
      if (!patch) return;
      const wait = this.throttle(sk);
      if (wait > 0) return { requeueAfterMs: wait };
      try {
        await this.deps.api.patchStatus(KINDS[kind].plural, userCr.metadata.name, patch);
        this.stats.statusWrites++;
        this.marker.count(userCr.status, want);
      } catch (err) {
        if (isNotFound(err)) return; // deleted meanwhile; its DELETED event follows
        if (isInvalid(err)) return this.invalidWrite(kind, key, err);
        throw err;
      }
      return;
    }

    if (obj) {
      const src = sourceOf(obj, this.ns);
      if (src) {
        // Applied from a CR of this namespace that is gone (deleted, possibly while the bridge was down).
        if (!obj.metadata.deletionTimestamp) await this.deleteFromStore(kind, key);
        const m = this.mirrorNames.get(sk);
        if (m) {
          const cr = refl.get(m);
          if (cr && isMirror(cr)) await this.deleteCr(kind, cr);
        }
        return;
      }
      return this.syncMirror(kind, key, sk, obj, refl);
    }

    // Gone from the store: its mirror goes too.
    this.createDeferredSince.delete(sk);
    const m = this.mirrorNames.get(sk) ?? mirrorName(identityOfKey(kind, key));
    const cr = refl.get(m);
    if (cr && isMirror(cr) && identityOfMirror(kind, cr)?.key === key) await this.deleteCr(kind, cr);
    else if (cr === undefined) this.mirrorNames.delete(sk);
  }

  private async syncMirror(kind: string, key: string, sk: string, obj: Resource, refl: Reflector): Promise<LoopResult | void> {
    const def = KINDS[kind];
    const id = identityOfKey(kind, key);
    const name = this.mirrorNameFor(id, refl);
    const cr = refl.get(name);
    if (cr && !isMirror(cr)) return; // a user CR of that name stands for another object; nothing to mirror into
    const owner = this.ownerFor(obj);
    if (owner.state === 'gone' || (obj.metadata.deletionTimestamp && !cr)) {
      if (cr) await this.deleteCr(kind, cr);
      return;
    }
    if (owner.state === 'wait') return { requeueAfterMs: 1000 };
    const body = mirrorBody(obj, id, name, owner.state === 'ok' ? owner.ref : undefined);
    const k = crKey(kind, name);
    if (!cr) {
      if (this.stopsNotShown(obj, sk)) return { requeueAfterMs: 50 };
      const wait = this.throttle(sk);
      if (wait > 0) return { requeueAfterMs: wait };
      let created: KubeObject;
      try {
        created = await this.deps.api.create(def.plural, body);
      } catch (err) {
        if (isAlreadyExists(err)) return { requeueAfterMs: 500 }; // the cache has not seen it yet
        if (isInvalid(err)) {
          this.deps.logger.warn(`bridge: cannot mirror ${kind} ${key}: ${(err as Error).message}`);
          return { requeueAfterMs: 60_000 };
        }
        throw err;
      }
      this.stats.mirrorCreates++;
      this.mirrorNames.set(sk, name);
      this.mirrorGen.set(k, created.metadata.generation ?? 1);
      const patch = statusPatch(created, mirrorStatus(created, obj, Date.now(), this.marker.option(sk, kind)));
      if (patch) {
        try {
          await this.deps.api.patchStatus(def.plural, name, patch);
          this.stats.statusWrites++;
        } catch (err) {
          if (isInvalid(err)) return this.invalidWrite(kind, key, err);
          throw err;
        }
      }
      return;
    }
    this.mirrorNames.set(sk, name);
    const hashChanged = cr.metadata.annotations?.[MIRROR_HASH_ANNOTATION] !== body.metadata.annotations?.[MIRROR_HASH_ANNOTATION];
    const known = this.mirrorGen.get(k);
    const drifted = known !== undefined && (cr.metadata.generation ?? 0) > known; // someone edited its spec
    let current = cr;
    if (hashChanged || drifted) {
      const patch = mirrorPatch(cr, body);
      if (patch) {
        const wait = this.throttle(sk);
        if (wait > 0) return { requeueAfterMs: wait };
        try {
          current = await this.deps.api.patch(def.plural, name, patch);
        } catch (err) {
          if (isNotFound(err)) return;
          if (isInvalid(err)) {
            this.deps.logger.warn(`bridge: cannot update the mirror of ${kind} ${key}: ${(err as Error).message}`);
            return { requeueAfterMs: 60_000 };
          }
          throw err;
        }
        this.stats.mirrorUpdates++;
      }
      this.mirrorGen.set(k, current.metadata.generation ?? 1);
    } else if (known === undefined) {
      this.mirrorGen.set(k, cr.metadata.generation ?? 1);
    }
    if (this.marker.pending(kind) && !statusPatch(current, mirrorStatus(current, obj, Date.now()))) return; // as for user CRs
    const want = mirrorStatus(current, obj, Date.now(), this.marker.option(sk, kind));
    const patch = statusPatch(current, want);
    if (!patch) return;
    // A task told to stop is shown at once, not after the write interval: its replacement's mirror is
    // created without waiting, and no observer should count both as running (maximumPercent).
    const stopping = want.desiredStatus === 'STOPPED' && current.status?.desiredStatus !== 'STOPPED';
    const wait = current === cr && !stopping ? this.throttle(sk) : 0;
    if (wait > 0) return { requeueAfterMs: wait };
    try {
      await this.deps.api.patchStatus(def.plural, name, patch);
      this.stats.statusWrites++;
      this.marker.count(current.status, want);
    } catch (err) {
      if (isNotFound(err)) return;
      if (isInvalid(err)) return this.invalidWrite(kind, key, err);
      throw err;
    }
  }

  /**
   * A new task is mirrored only once its siblings (same owner) told to stop show it: a rolling update stops
   * old tasks and starts new ones at once, and no observer may see both running, more than maximumPercent
   * allows. Capped (2 s), so a sibling whose status cannot be written never blocks a new task.
   */
  private stopsNotShown(task: Resource, sk: string): boolean {
    if (task.kind !== 'Task') return false;
    const owner = task.metadata.ownerReferences?.find((r) => r.controller)?.uid;
    if (!owner) return false;
    const since = this.createDeferredSince.get(sk) ?? Date.now();
    let waiting = false;
    for (const sib of this.deps.store.dependentsOf(owner)) {
      if (sib.kind !== 'Task' || sib === task || sib.status?.desiredStatus !== 'STOPPED') continue;
      const ssk = statusKey('Task', keyOf(sib));
      const name = this.mirrorNames.get(ssk);
      const shown = name ? this.reflectors.get('Task')!.get(name) : undefined;
      if (!shown || !isMirror(shown) || shown.status?.desiredStatus === 'STOPPED') continue;
      this.status.add(ssk);
      waiting = true;
    }
    if (waiting && Date.now() - since < 2000) {
      this.createDeferredSince.set(sk, since);
      return true;
    }
    this.createDeferredSince.delete(sk);
    return false;
  }

  /** The apiserver refused what the bridge wrote (a schema mismatch): say so, check again much later. */
  private invalidWrite(kind: string, key: string, err: unknown): LoopResult {
    this.deps.logger.warn(`bridge: the apiserver refused the status of ${kind} ${key}: ${(err as Error).message}`);
    return { requeueAfterMs: 60_000 };
  }

  /** The mirror's name: the ECS name when free, else cluster-qualified (two clusters, same name). */
  private mirrorNameFor(id: StoreIdentity, refl: Reflector): string {
    const sk = statusKey(id.kind, id.key);
    const known = this.mirrorNames.get(sk);
    if (known) return known;
    const preferred = mirrorName(id);
    const cr = refl.get(preferred);
    if (!cr || (isMirror(cr) && identityOfMirror(id.kind, cr)?.key === id.key)) return preferred;
    return qualifiedMirrorName(id);
  }

  /**
   * The CR a mirror belongs to: a task's Service (its store owner) or else its Cluster, a container
   * instance's store owner or Cluster, a revision's TaskDefinition, a mirrored service's Cluster.
   */
  private ownerFor(obj: Resource): OwnerDecision {
    let ownerKind: string | undefined;
    let ownerKey: string | undefined;
    let implied = false;
    const ref = obj.metadata.ownerReferences?.find((r) => KINDS[r.kind]);
    if (ref) {
      ownerKind = ref.kind;
      ownerKey = KINDS[ref.kind].clusterScoped ? makeKey(clusterOf(obj), ref.name) : ref.name;
    } else if (obj.kind === 'TaskDefinitionRevision') {
      ownerKind = 'TaskDefinition';
      ownerKey = obj.metadata.labels?.[FAMILY_LABEL] ?? obj.metadata.name.slice(0, obj.metadata.name.lastIndexOf(':'));
    } else if (KINDS[obj.kind]?.clusterScoped) {
      ownerKind = 'Cluster';
      ownerKey = clusterOf(obj);
      implied = true;
    }
    if (!ownerKind || !ownerKey) return { state: 'none' };
    const ownerObj = this.deps.store.get(ownerKind, ownerKey);
    if (!ownerObj) return implied ? { state: 'none' } : { state: 'gone' };
    const osk = statusKey(ownerKind, ownerKey);
    const refl = this.reflectors.get(ownerKind)!;
    const userName = this.userIndex.get(osk);
    const ownerCr = (userName ? this.liveUserCr(ownerKind, userName, ownerKey) : undefined) ?? (() => {
      const m = this.mirrorNames.get(osk);
      const cr = m ? refl.get(m) : undefined;
      return cr && isMirror(cr) ? cr : undefined;
    })();
    if (ownerCr && !ownerCr.metadata.deletionTimestamp && ownerCr.metadata.uid) {
      return { state: 'ok', ref: { apiVersion: API_VERSION, kind: ownerKind, name: ownerCr.metadata.name, uid: ownerCr.metadata.uid } };
    }
    if (ownerObj.metadata.deletionTimestamp || sourceOf(ownerObj, this.ns)) return { state: 'gone' };
    return { state: 'wait', why: `waiting for the ${ownerKind} ${ownerKey} custom resource` };
  }

  private async deleteCr(kind: string, cr: KubeObject): Promise<void> {
    try {
      await this.deps.api.delete(KINDS[kind].plural, cr.metadata.name, cr.metadata.uid);
      this.stats.mirrorDeletes++;
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return; // gone already, or a newer object of that name
      throw err;
    }
  }

  /** ms to wait before the next write for this key (0: write now, and it is recorded). */
  private throttle(sk: string): number {
    return this.limiter.reserve(sk);
  }
}

function identityChanged(kind: string, a: KubeObject, b: KubeObject): boolean {
  if (isMirror(a) !== isMirror(b)) return true;
  const ia = isMirror(a) ? identityOfMirror(kind, a) : identityOfUserCr(kind, a);
  const ib = isMirror(b) ? identityOfMirror(kind, b) : identityOfUserCr(kind, b);
  return ia?.key !== ib?.key;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}
