/**
 * Watch fan-out over an rxjs Subject with a bounded history ring, so a watcher can resume
 * from a resourceVersion (like the Kubernetes watch cache) or learn it must relist.
 */
import { Observable } from './rx.js';
import type { Resource } from '../api/meta.js';
import { ExpiredError } from './errors.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: Resource;
  resourceVersion: number;
  /**
   * The version this event replaced (MODIFIED) or removed (DELETED), as controller-runtime's
   * UpdateEvent.ObjectOld: lets an event filter skip changes that cannot matter to its loop.
   * Live events only; events replayed from history have none (filters then assume a change).
   */
  previous?: Resource;
}

interface LiveWatch {
  kind: string;
  deliver: (ev: WatchEvent) => void;
  closed: boolean;
}

export class WatchHub {
  private readonly ring: (WatchEvent | undefined)[];
  private head = 0; // next write slot
  private size = 0;
  /** Oldest resourceVersion a watcher may resume after without missing events. */
  private floor = 0;
  /** Live watchers in subscription order (the order events reach them). */
  private live: LiveWatch[] = [];
  /**
   * Per kind, the live watchers an event of that kind goes to (that kind's and '*'), in
   * subscription order: built on first use, dropped whenever a watcher comes or goes. Delivery
   * iterates the list as it was when the event was published (like an rxjs Subject's snapshot
   * of its observers): a watcher added meanwhile misses the event, one removed gets nothing more.
   */
  private readonly byKind = new Map<string, LiveWatch[]>();

  constructor(private readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  reset(resourceVersion: number): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
    this.floor = resourceVersion;
  }

  publish(ev: WatchEvent): void {
    if (this.capacity > 0) {
      if (this.size === this.capacity) this.floor = this.ring[this.head]!.resourceVersion;
      // History keeps no replaced versions (they would outlive their use by thousands of writes):
      // a watcher resuming from it gets events without `previous`, and filters treat that as "changed".
      this.ring[this.head] = ev.previous ? { type: ev.type, object: ev.object, resourceVersion: ev.resourceVersion } : ev;
      this.head = (this.head + 1) % this.capacity;
      this.size = Math.min(this.size + 1, this.capacity);
    } else {
      this.floor = ev.resourceVersion;
    }
    const kind = ev.object.kind;
    let targets = this.byKind.get(kind);
    if (!targets) this.byKind.set(kind, (targets = this.live.filter((w) => w.kind === '*' || w.kind === kind)));
    for (let i = 0; i < targets.length; i++) {
      const w = targets[i];
      if (!w.closed) w.deliver(ev);
    }
  }

  watch(kind: string, from: number, current: number): Observable<WatchEvent> {
    return new Observable<WatchEvent>((subscriber) => {
      if (from < this.floor) {
        subscriber.error(
          new ExpiredError(`too old resource version: ${from} (${this.floor}); relist and watch from the list's resourceVersion`),
        );
        return;
      }
      if (from > current) {
        subscriber.error(new ExpiredError(`resource version ${from} is newer than the store (${current})`));
        return;
      }
      const matches = (ev: WatchEvent) => kind === '*' || ev.object.kind === kind;
      for (let i = 0; i < this.size; i++) {
        const ev = this.ring[(this.head - this.size + i + this.capacity) % this.capacity]!;
        if (ev.resourceVersion > from && matches(ev)) subscriber.next(ev);
      }
      // subscriber.next catches and reports what the consumer throws, as before with a Subject.
      const w: LiveWatch = { kind, deliver: (ev) => subscriber.next(ev), closed: false };
      this.live = [...this.live, w];
      this.byKind.clear();
      return () => {
        if (w.closed) return;
        w.closed = true;
        this.live = this.live.filter((x) => x !== w);
        this.byKind.clear();
      };
    });
  }
}
