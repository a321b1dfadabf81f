/**
 * The EventBridge event bus: events as EventBridge delivers them to rules (the envelope with `version`,
 * `id`, `detail-type`, `source`, `account`, `time`, `region`, `resources`, `detail`), numbered in arrival
 * order. Entries come from the PutEvents-shaped scenario step, the AWS front end's PutEvents and ecsplane's
 * own ECS events (ecs-events.ts). Rules read it from the sequence number in their status (rule loop).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html
 */
import { createHash } from 'node:crypto';
import { Subject } from '../../store/rx.js';
import { ACCOUNT, REGION } from '../../api/arn.js';
import { inject, injectable } from '../runtime/di.js';
import { TOKENS } from '../runtime/tokens.js';
import type { Clock } from '../runtime/clock.js';

export interface BusEventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface BusEvent {
  /** 1, 2, 3, ... in arrival order. */
  readonly seq: number;
  /** Epoch ms of arrival. */
  readonly t: number;
  /** The event bus name (`default` unless PutEvents named another). */
  readonly bus: string;
  /** The envelope's `source`, readable without building the envelope (a lazy event's costs a DescribeTasks view). */
  readonly source: string;
  readonly event: BusEventEnvelope;
}

class LazyBusEvent implements BusEvent {
  private built: BusEventEnvelope | undefined;
  constructor(
    readonly seq: number,
    readonly t: number,
    readonly bus: string,
    readonly source: string,
    private make: (() => BusEventEnvelope) | undefined,
  ) {}

  get event(): BusEventEnvelope {
    if (!this.built) {
      this.built = this.make!();
      this.make = undefined;
    }
    return this.built;
  }
}

/** A PutEvents request entry (PutEventsRequestEntry); Detail is JSON text as the API takes it, or an object. */
export interface PutEventsEntry {
  Source: string;
  DetailType: string;
  Detail?: string | Record<string, unknown>;
  Resources?: string[];
  Time?: string;
  EventBusName?: string;
}

export const DEFAULT_BUS = 'default';
const MAX_ENTRY_BYTES = 256 * 1024;
/** Events kept for rules that are behind and for the simulate output. */
export const BUS_HISTORY = 10_000;

export function eventId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

@injectable()
export class EventBus {
  readonly events: BusEvent[] = [];
  readonly stream = new Subject<BusEvent>();
  private seq = 0;
  /** Which bus a rule's cursor counts in: sequence numbers start again when ecsplane restarts. */
  readonly id: string;

  constructor(@inject(TOKENS.Clock) private readonly clock: Clock) {
    this.id = new Date(clock.now()).toISOString();
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Puts one event; the caller has validated the entry (front ends, scenario parser). */
  put(entry: PutEventsEntry): BusEvent {
    const detail = typeof entry.Detail === 'string' ? (JSON.parse(entry.Detail) as Record<string, unknown>) : (entry.Detail ?? {});
    const time = entry.Time ? Date.parse(entry.Time) : undefined;
    return this.putLazy(entry.Source, entry.DetailType, () => ({ resources: entry.Resources ?? [], detail, time }), entry.EventBusName);
  }

  /**
   * Puts an event whose resources and detail are built when first read: ecsplane's own events are many
   * (every task transition) and most are never read, so they cost a closure over the (frozen) object
   * until a rule or the output asks.
   */
  putLazy(source: string, detailType: string, build: () => { resources: string[]; detail: Record<string, unknown>; time?: number }, busName?: string): BusEvent {
    const now = this.clock.now();
    const seq = ++this.seq;
    const busId = this.id;
    const ev = new LazyBusEvent(seq, now, busName ?? DEFAULT_BUS, source, () => {
      const b = build();
      return {
        version: '0',
        id: eventId(`${busId}/${seq}`),
        'detail-type': detailType,
        source,
        account: ACCOUNT,
        // EventBridge timestamps have second precision.
        time: new Date(b.time ?? now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: REGION,
        resources: b.resources,
        detail: b.detail,
      };
    });
    this.events.push(ev);
    // Trim in batches (one splice per BUS_HISTORY / 10 events, not one per event).
    if (this.events.length > BUS_HISTORY * 1.1) this.events.splice(0, this.events.length - BUS_HISTORY);
    this.stream.next(ev);
    return ev;
  }

  /** Events after `seq`, oldest first (at most `limit`). */
  since(seq: number, limit = Infinity): BusEvent[] {
    const first = this.events.length ? this.events[0].seq : this.seq + 1;
    const start = Math.max(0, seq + 1 - first);
    return this.events.slice(start, Number.isFinite(limit) ? start + limit : undefined);
  }
}

/** PutEvents entry checks (EventBridge's reasons); undefined when the entry is fine. */
export function putEventsEntryError(e: unknown): string | undefined {
  const o = e as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'The entry must be an object with Source, DetailType and Detail.';
  if (typeof o.Source !== 'string' || o.Source === '') return 'Parameter Source is not valid. Reason: Source is a required argument.';
  if (typeof o.DetailType !== 'string' || o.DetailType === '') return 'Parameter DetailType is not valid. Reason: DetailType is a required argument.';
  if (typeof o.Detail === 'string') {
    try {
      const d = JSON.parse(o.Detail);
      if (typeof d !== 'object' || d === null || Array.isArray(d)) return 'Detail is malformed: it must be a JSON object.';
    } catch {
      return 'Detail is malformed.';
    }
  } else if (o.Detail !== undefined && (typeof o.Detail !== 'object' || o.Detail === null || Array.isArray(o.Detail))) {
    return 'Detail is malformed: it must be a JSON object.';
  }
  if (o.Time !== undefined && (typeof o.Time !== 'string' || Number.isNaN(Date.parse(o.Time)))) return 'Parameter Time is not valid.';
  if (o.Resources !== undefined && !(Array.isArray(o.Resources) && o.Resources.every((r) => typeof r === 'string'))) return 'Parameter Resources is not valid.';
  if (o.EventBusName !== undefined && typeof o.EventBusName !== 'string') return 'Parameter EventBusName is not valid.';
  // PutEvents: an entry is at most 256 KB.
  if (Buffer.byteLength(JSON.stringify(o), 'utf8') > MAX_ENTRY_BYTES) return 'Total size of the entries in the request is over the limit.';
  return undefined;
}
