/**
 * A list-watch cache of one custom resource in one namespace (client-go's Reflector + Store), written for
 * the failure modes of @kubernetes/client-node's informer (engineering notes C.5): it never stops on its
 * own. A watch that ends cleanly is resumed from the last resourceVersion; 410 Gone / Expired (in-stream
 * or as the HTTP status) relists; any other failure (connection refused or reset while the kube-apiserver
 * restarts, timeouts) retries with capped exponential back-off and jitter, resuming from the last
 * resourceVersion and relisting only when told it is too old. A relist diffs the new list against the
 * cache and reports what was added, changed or deleted meanwhile, so no change is lost; events for
 * objects whose resourceVersion did not change are never reported twice.
 */
import type { Logger } from '../runtime/logger.js';
import { isGone, KubeError, type KubeApi, type WatchHandle } from './kube.js';
import type { KubeObject } from './names.js';

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type CacheHandler = (type: CacheEventType, obj: KubeObject, old: KubeObject | undefined) => void;

export interface ReflectorOptions {
  /** Base and cap of the retry back-off (ms). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** The server ends each watch after about this long (randomised ±20 %), so a silently stalled one heals. */
  watchTimeoutSeconds?: number;
}

export class Reflector {
  readonly cache = new Map<string, KubeObject>();
  private rv = '';
  private stopped = false;
  private hasSynced = false;
  private isConnected = false;
  private handle: WatchHandle | undefined;
  /** Ends the current watch (stop() must not depend on the transport calling back after abort). */
  private cancel: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private firstSync: { promise: Promise<void>; resolve: () => void };
  private loop: Promise<void> | undefined;
  /** Counters for tests, logs and /readyz. */
  readonly stats = { lists: 0, watches: 0, errors: 0, gone: 0, events: 0 };
  lastError = '';

  constructor(
    private readonly api: KubeApi,
    readonly plural: string,
    private readonly handler: CacheHandler,
    private readonly log: Logger,
    private readonly opts: ReflectorOptions = {},
  ) {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.firstSync = { promise, resolve };
  }

  /** Whether the first list has been received. */
  get synced(): boolean {
    return this.hasSynced;
  }

  /** Whether the last list or watch call succeeded (false while retrying). */
  get connected(): boolean {
    return this.isConnected;
  }

  get resourceVersion(): string {
    return this.rv;
  }

  /** Start the loop; resolves once the first list is in the cache. */
  start(): Promise<void> {
    if (!this.loop) this.loop = this.run();
    return this.firstSync.promise;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.handle?.abort();
    this.cancel?.();
    this.wake?.();
    await this.loop;
  }

  get(name: string): KubeObject | undefined {
    return this.cache.get(name);
  }

  list(): KubeObject[] {
    return [...this.cache.values()];
  }

  private async run(): Promise<void> {
    let needList = true;
    let failures = 0;
    while (!this.stopped) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        if (this.stopped) break;
        const started = Date.now();
        const before = this.stats.events;
        const outcome = await this.watchOnce();
        if (this.stopped) break;
        if (outcome === 'gone') {
          this.stats.gone++;
          this.log.debug(`bridge: watch ${this.plural}: resourceVersion ${this.rv} is too old; relisting`);
          needList = true;
          failures = 0;
        } else if (Date.now() - started < 1000 && this.stats.events === before) {
          // Closed at once without an event: treat as a failure so it cannot spin.
          failures++;
          await this.sleep(this.backoff(failures));
        } else {
          failures = 0;
        }
      } catch (err) {
        if (this.stopped) break;
        this.isConnected = false;
        this.stats.errors++;
        this.lastError = (err as Error)?.message ?? String(err);
        if (isGone(err)) {
          this.stats.gone++;
          needList = true;
          continue;
        }
        failures++;
        const delay = this.backoff(failures);
        const line = `bridge: ${needList ? 'list' : 'watch'} ${this.plural} failed (${this.lastError}); retrying in ${delay} ms`;
        if (failures === 1 || failures % 10 === 0) this.log.warn(line);
        else this.log.debug(line);
        await this.sleep(delay);
      }
    }
    this.isConnected = false;
  }

  private backoff(failures: number): number {
    const base = this.opts.backoffBaseMs ?? 250;
    const max = this.opts.backoffMaxMs ?? 10_000;
    const d = Math.min(max, base * 2 ** Math.min(failures - 1, 20));
    return Math.round(d * (0.8 + Math.random() * 0.4));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** List and reconcile the cache with the list (synthesising ADDED / MODIFIED / DELETED). */
  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.api.list(this.plural);
    this.stats.lists++;
    this.isConnected = true;
    const seen = new Set<string>();
    for (const obj of items) {
      const name = obj.metadata.name;
      seen.add(name);
      const old = this.cache.get(name);
      this.cache.set(name, obj);
      if (!old) this.emit('ADDED', obj, undefined);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('MODIFIED', obj, old);
    }
    for (const [name, old] of [...this.cache]) {
      if (seen.has(name)) continue;
      this.cache.delete(name);
      this.emit('DELETED', old, old);
    }
    this.rv = resourceVersion;
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.firstSync.resolve();
    }
  }

  /** One watch; resolves 'closed' or 'gone', rejects on a transport error. */
  private watchOnce(): Promise<'closed' | 'gone'> {
    const timeoutSeconds = Math.round((this.opts.watchTimeoutSeconds ?? 300) * (0.8 + Math.random() * 0.4));
    return new Promise<'closed' | 'gone'>((resolve, reject) => {
      let gone = false;
      let finished = false;
      let watchdog: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(watchdog);
        // No event, bookmark or close well past the server-side timeout: the stream has stalled.
        watchdog = setTimeout(() => {
          this.log.warn(`bridge: watch ${this.plural} stalled; reconnecting`);
          this.handle?.abort();
          finish(null);
        }, (timeoutSeconds + 30) * 1000);
        watchdog.unref?.();
      };
      const finish = (err: unknown) => {
        if (finished) return;
        finished = true;
        clearTimeout(watchdog);
        this.handle = undefined;
        this.cancel = undefined;
        if (gone) resolve('gone');
        else if (err && !this.stopped) reject(err);
        else resolve('closed');
      };
      this.cancel = () => finish(null);
      arm();
      this.stats.watches++;
      this.api
        .watch(
          this.plural,
          this.rv,
          timeoutSeconds,
          (type, obj) => {
            if (finished) return;
            arm();
            this.isConnected = true;
            if (type === 'ERROR') {
              // 410 Expired / Gone, or any other in-stream error: relist (to be safe) and watch again.
              const code = obj?.code;
              if (code !== 410) this.lastError = `watch error ${code}: ${obj?.message ?? ''}`;
              gone = true;
              this.handle?.abort();
              finish(null);
              return;
            }
            const rv = obj?.metadata?.resourceVersion;
            if (type === 'BOOKMARK') {
              if (rv) this.rv = rv;
              return;
            }
            if (!obj?.metadata?.name) return;
            if (rv) this.rv = rv;
            const name = obj.metadata.name as string;
            const old = this.cache.get(name);
            if (type === 'DELETED') {
              this.cache.delete(name);
              this.emit('DELETED', obj, old);
            } else {
              // A resumed watch may repeat an object we already hold: report only real changes.
              if (old && old.metadata.resourceVersion === rv) return;
              this.cache.set(name, obj);
              this.emit(old ? 'MODIFIED' : 'ADDED', obj, old);
            }
          },
          (err) => finish(err),
        )
        .then(
          (h) => {
            if (finished) return h.abort();
            this.handle = h;
            // The apiserver accepted the watch (200): connected, even if no event comes for a while (a quiet
            // namespace after a failed attempt would otherwise stay "not ready" until the next bookmark).
            this.isConnected = true;
          },
          (err) => finish(err instanceof KubeError ? err : new KubeError(String((err as Error)?.message ?? err), 0)),
        );
    });
  }

  private emit(type: CacheEventType, obj: KubeObject, old: KubeObject | undefined): void {
    this.stats.events++;
    try {
      this.handler(type, obj, old);
    } catch (err) {
      this.log.error(`bridge: handler for ${this.plural} ${obj.metadata.name} threw: ${(err as Error)?.stack ?? err}`);
    }
  }
}
