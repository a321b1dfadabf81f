/**
 * Status from before a restart: until ecsplane's controllers have re-observed the objects of a kind, what
 * the bridge writes for them says so (Ready=Unknown, reason StatusFromBeforeRestart; mapping.ts), and once
 * they have, the CRs that said so are written again (docs/bridge.md, Restarts).
 */
import type { ResourceStore } from '../../store/store.js';
import type { Manager } from '../runtime/manager.js';
import { STALE_REASON } from './mapping.js';

export interface LoopProgress {
  caughtUp(kind: string): boolean;
}

/**
 * A kind is caught up once every controller reconciling it has worked through the queue its start filled
 * (every object of the kind) and found it empty: it has then looked at each of them. Kinds no controller
 * reconciles (task definitions, revisions, ...) have nothing to re-observe. Once caught up, a kind stays so.
 */
export function loopProgress(manager: Pick<Manager, 'controllers'>, store: ResourceStore): LoopProgress {
  const done = new Set<string>();
  return {
    caughtUp(kind: string): boolean {
      if (done.has(kind)) return true;
      const ok = manager.controllers
        .filter((c) => c.options.forKind === kind)
        .every((c) => (c.stats.reconciles > 0 || store.count(kind) === 0) && c.queue.isIdle());
      if (ok) done.add(kind);
      return ok;
    },
  };
}

/** The bridge's side: which status writes carry the marker, and bringing the marked ones back. */
export class RestartMarker {
  readonly stats = { staleMarked: 0, staleCleared: 0 };
  /** Status keys written while stale, as `kind` → keys. */
  private readonly shown = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** When this ecsplane started (what the marker names). */
  private startedAt = 0;

  constructor(
    private readonly loops: LoopProgress | undefined,
    /** Write this status key again (its kind caught up). */
    private readonly rewrite: (statusKey: string) => void,
    private readonly kinds: string[],
    private readonly pollMs = 200,
  ) {}

  start(now: number): void {
    this.startedAt = now;
    if (this.loops) this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Whether a status write for `kind` would carry the marker now (its controllers have not caught up). */
  pending(kind: string): boolean {
    return Boolean(this.loops) && !this.loops!.caughtUp(kind);
  }

  /** The option for a status write of `statusKey` (of `kind`): stale while its kind has not caught up. */
  option(statusKey: string, kind: string): { staleSince?: number } {
    if (!this.loops || this.loops.caughtUp(kind)) return {};
    let keys = this.shown.get(kind);
    if (!keys) this.shown.set(kind, (keys = new Set()));
    keys.add(statusKey);
    return { staleSince: this.startedAt };
  }

  /** Count what a status write did to the marker. */
  count(shown: unknown, written: unknown): void {
    const was = isStale(shown);
    const is = isStale(written);
    if (!was && is) this.stats.staleMarked++;
    if (was && !is) this.stats.staleCleared++;
  }

  /** A re-observation that changed nothing writes nothing to the store, so no store event would do this. */
  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      for (const [kind, keys] of this.shown) {
        if (!this.loops!.caughtUp(kind)) continue;
        for (const sk of keys) this.rewrite(sk);
        this.shown.delete(kind);
      }
      // Once every kind caught up there is nothing left to wait for.
      if (this.shown.size > 0 || this.kinds.some((k) => !this.loops!.caughtUp(k))) this.schedule();
    }, this.pollMs);
    this.timer.unref?.();
  }
}

function isStale(status: any): boolean {
  return (status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c.reason === STALE_REASON);
}
