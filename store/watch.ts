/**
 * Watch fan-out over an rxjs Subject with a bounded history ring, so a watcher can resume
 * from a resourceVersion (like the Kubernetes watch cache) or learn it must relist.
 */
import { Observable, Subject } from 'rxjs';
import type { Resource } from '../api/meta.js';
import { ExpiredError } from './errors.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: Resource;
  resourceVersion: number;
}

export class WatchHub {
  private readonly ring: (WatchEvent | undefined)[];
  private head = 0; // next write slot
  private size = 0;
  /** Oldest resourceVersion a watcher may resume after without missing events. */
  private floor = 0;
  private readonly live = new Subject<WatchEvent>();

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
      this.ring[this.head] = ev;
      this.head = (this.head + 1) % this.capacity;
      this.size = Math.min(this.size + 1, this.capacity);
    } else {
      this.floor = ev.resourceVersion;
    }
    this.live.next(ev);
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
      const sub = this.live.subscribe((ev) => {
        if (matches(ev)) subscriber.next(ev);
      });
      return () => sub.unsubscribe();
    });
  }
}
