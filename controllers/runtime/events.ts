/**
 * Records what happened, for `simulate` output, the live status view and (through the bridge)
 * Kubernetes Events. Service events also live in the service's status.events (ECS shape).
 */
import { Subject } from '../../store/rx.js';
import { inject, injectable } from './di.js';
import { clusterOf, type Resource } from '../../api/meta.js';
import { TOKENS } from './tokens.js';
import type { Clock } from './clock.js';

export interface RecordedEvent {
  /** Epoch milliseconds. */
  t: number;
  kind: string;
  name: string;
  cluster: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

@injectable()
export class EventRecorder {
  readonly events: RecordedEvent[] = [];
  readonly stream = new Subject<RecordedEvent>();
  /** The newest `limit` events are kept (up to an eighth more between trims). */
  limit = 100_000;

  constructor(@inject(TOKENS.Clock) private readonly clock: Clock) {}

  record(obj: Pick<Resource, 'kind' | 'metadata' | 'spec'>, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): RecordedEvent {
    const ev: RecordedEvent = {
      t: this.clock.now(),
      kind: obj.kind,
      name: obj.metadata.name,
      cluster: clusterOf(obj as Resource) || (obj.kind === 'Cluster' ? obj.metadata.name : ''),
      type,
      reason,
      message,
    };
    this.events.push(ev);
    // Trimmed in steps of an eighth of the limit: splicing one off the front of a full buffer per
    // event would move 100,000 entries every time.
    if (this.events.length > this.limit + (this.limit >> 3)) this.events.splice(0, this.events.length - this.limit);
    this.stream.next(ev);
    return ev;
  }
}
