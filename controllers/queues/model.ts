/**
 * An SQS standard queue as aggregate counts (no per-message objects, so 10,000 messages cost a handful of
 * cohorts): messages sent in the same second with the same receive count form one cohort. Pure; every
 * time comes from the caller (the injected clock). The rules, from the SQS Developer Guide:
 *  - a message sent to a queue with DelaySeconds is invisible (delayed) for that long;
 *  - a received message is in flight (not visible) until its consumer deletes it or the visibility timeout
 *    ends; then it is visible again with its receive count kept (a stopped task's messages come back);
 *  - a message older than MessageRetentionPeriod is deleted, in flight or not (retention counts from the
 *    original enqueue time, also in a dead-letter queue);
 *  - with a RedrivePolicy, a message whose receive count exceeds maxReceiveCount moves to the dead-letter
 *    queue instead of being delivered again (its enqueue time unchanged, its age restarting there).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
 */
import type { QueueSettings } from '../../api/v1alpha1/queue.js';

/** `n` messages enqueued at `sent` (retention), counting age from `entered` (a DLQ move), received `rc` times. */
export interface Cohort {
  n: number;
  sent: number;
  entered: number;
  rc: number;
}
export interface DelayedCohort extends Cohort {
  at: number;
}
/** A consumer's batch: deleted at `done` if the task is still running and the visibility has not ended. */
export interface Batch extends Cohort {
  task: string;
  until: number;
  done: number;
}
/** A scenario's steady producer: `ratePerSecond` until `until` (epoch ms). */
export interface Sender {
  ratePerSecond: number;
  until: number;
  carry: number;
}

export interface QueueState {
  asOf: number;
  visible: Cohort[];
  delayed: DelayedCohort[];
  inFlight: Batch[];
  senders: Sender[];
  /** Fractional receives owed to each consumer task (rates below one message per tick). */
  carry: Record<string, number>;
  totals: { sent: number; deleted: number; expired: number; movedToDeadLetterQueue: number; returned: number };
}

export interface Consumer {
  task: string;
  ratePerSecond: number;
}

export interface QueueCounts {
  ApproximateNumberOfMessages: number;
  ApproximateNumberOfMessagesNotVisible: number;
  ApproximateNumberOfMessagesDelayed: number;
  /** Seconds; 0 for an empty queue. */
  ApproximateAgeOfOldestMessage: number;
}

/** How often a queue with work and consumers is stepped. */
export const QUEUE_TICK_MS = 1000;
/** Cohorts kept per list: above it, neighbours merge (ages stay conservative: the older time is kept). */
export const MAX_COHORTS = 600;
/** The age metric skips messages received this often (SQS moves them to the back of the queue). */
const POISON_RECEIVES = 3;

export function emptyQueue(now: number): QueueState {
  return { asOf: now, visible: [], delayed: [], inFlight: [], senders: [], carry: {}, totals: { sent: 0, deleted: 0, expired: 0, movedToDeadLetterQueue: 0, returned: 0 } };
}

const sum = (xs: readonly { n: number }[]) => xs.reduce((a, c) => a + c.n, 0);

/** `count` messages sent at `now` (DelaySeconds applies). */
export function enqueue(s: QueueState, count: number, now: number, delaySeconds: number): QueueState {
  if (count <= 0) return s;
  const c: Cohort = { n: count, sent: now, entered: now, rc: 0 };
  const next = { ...s, totals: { ...s.totals, sent: s.totals.sent + count } };
  if (delaySeconds > 0) next.delayed = [...s.delayed, { ...c, at: now + delaySeconds * 1000 }];
  else next.visible = insertVisible(s.visible, c);
  return next;
}

/** Messages moved here from a source queue's redrive (enqueue time kept; age counts from `now`). */
export function acceptMoved(s: QueueState, moved: readonly Cohort[], now: number): QueueState {
  let visible = s.visible;
  let n = 0;
  for (const c of moved) {
    visible = insertVisible(visible, { n: c.n, sent: c.sent, entered: now, rc: 0 });
    n += c.n;
  }
  return { ...s, visible, totals: { ...s.totals, sent: s.totals.sent + n } };
}

export function addSender(s: QueueState, ratePerSecond: number, now: number, durationMs: number): QueueState {
  return { ...s, senders: [...s.senders, { ratePerSecond, until: now + durationMs, carry: 0 }] };
}

export interface StepResult {
  state: QueueState;
  /** Messages to move to the dead-letter queue (enqueue time kept). */
  moved: Cohort[];
  /** When the queue needs stepping again (ms from now), ignoring the metric period. */
  wakeInMs: number | undefined;
}

/**
 * Advance the queue from `s.asOf` to `now`: producers, consumers finishing or losing their batches,
 * delays ending, retention, then each running consumer receiving `ratePerSecond × elapsed` messages.
 * `redriveAvailable`: the RedrivePolicy's dead-letter queue exists (otherwise nothing moves).
 */
export function stepQueue(s: QueueState, now: number, settings: QueueSettings, consumers: readonly Consumer[], redriveAvailable: boolean): StepResult {
  const dt = Math.max(0, now - s.asOf);
  const totals = { ...s.totals };
  let visible = [...s.visible];
  const delayed: DelayedCohort[] = [];
  const inFlight: Batch[] = [];
  const alive = new Set(consumers.map((c) => c.task));
  const retentionMs = settings.retentionSeconds * 1000;
  const expired = (c: Cohort) => c.sent + retentionMs <= now;

  // Producers.
  const senders: Sender[] = [];
  const sends: Array<{ n: number; at: number }> = [];
  for (const p of s.senders) {
    const end = Math.min(now, p.until);
    const owed = (p.ratePerSecond * Math.max(0, end - s.asOf)) / 1000 + p.carry;
    const n = Math.floor(owed + 1e-9);
    if (n > 0) sends.push({ n, at: end });
    if (p.until > now) senders.push({ ...p, carry: owed - n });
  }
  // Batches: deleted when processed in time, visible again when the visibility timeout ends first.
  for (const b of s.inFlight) {
    if (expired(b)) {
      totals.expired += b.n;
    } else if (alive.has(b.task) && b.done <= b.until && b.done <= now) {
      totals.deleted += b.n;
    } else if (b.until <= now && (b.until < b.done || !alive.has(b.task))) {
      visible = insertVisible(visible, { n: b.n, sent: b.sent, entered: b.entered, rc: b.rc });
      totals.returned += b.n;
    } else inFlight.push(b);
  }
  let state: QueueState = { ...s, visible, totals, senders };
  for (const x of sends) state = enqueue(state, x.n, x.at, settings.delaySeconds);
  visible = state.visible;
  for (const d of state.delayed) {
    if (expired(d)) totals.expired += d.n;
    else if (d.at <= now) visible = insertVisible(visible, { n: d.n, sent: d.sent, entered: d.entered, rc: d.rc });
    else delayed.push(d);
  }
  totals.sent = state.totals.sent;
  visible = visible.filter((c) => (expired(c) ? ((totals.expired += c.n), false) : true));

  // Receives, oldest first; a message past maxReceiveCount moves to the dead-letter queue instead.
  const moved: Cohort[] = [];
  const carry: Record<string, number> = {};
  const redrive = redriveAvailable ? settings.redrive : undefined;
  const vtMs = settings.visibilityTimeoutSeconds * 1000;
  let next = 0; // receives take from the head of `visible`
  for (const c of [...consumers].sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : 0))) {
    // At most one tick's worth: messages that just appeared (a send, a delay ending, a batch returning
    // after an idle spell) were not there for consumers to take during the whole gap.
    const owed = (c.ratePerSecond * Math.min(dt, QUEUE_TICK_MS)) / 1000 + (s.carry[c.task] ?? 0);
    let want = Math.floor(owed + 1e-9);
    const got: Cohort[] = [];
    while (want > 0 && next < visible.length) {
      const head = visible[next];
      if (redrive && head.rc >= redrive.maxReceiveCount) {
        moved.push(head);
        totals.movedToDeadLetterQueue += head.n;
        next++;
        continue;
      }
      const take = Math.min(want, head.n);
      got.push({ ...head, n: take, rc: head.rc + 1 });
      if (take === head.n) next++;
      else visible[next] = { ...head, n: head.n - take }; // `visible` is this step's own copy
      want -= take;
    }
    const received = sum(got);
    carry[c.task] = next < visible.length ? owed - Math.floor(owed + 1e-9) : 0; // idle capacity is not banked
    // The batch takes received / rate seconds at this consumer's rate.
    const done = now + Math.max(1, Math.ceil((received / c.ratePerSecond) * 1000));
    for (const g of got) inFlight.push({ ...g, task: c.task, until: now + vtMs, done });
  }

  const out: QueueState = { asOf: now, visible: compact(visible.slice(next)), delayed: compact(delayed), inFlight: compactBatches(inFlight), senders, carry, totals };
  return { state: out, moved, wakeInMs: wakeIn(out, now, consumers.length > 0, retentionMs) };
}

function wakeIn(s: QueueState, now: number, consuming: boolean, retentionMs: number): number | undefined {
  if (s.senders.length > 0 || (consuming && s.visible.length > 0)) return QUEUE_TICK_MS;
  const times: number[] = [];
  for (const d of s.delayed) times.push(d.at);
  for (const b of s.inFlight) times.push(Math.min(b.until, b.done));
  for (const c of [...s.visible, ...s.delayed, ...s.inFlight]) times.push(c.sent + retentionMs);
  if (times.length === 0) return undefined;
  return Math.max(1, Math.min(...times) - now);
}

/** Counts as GetQueueAttributes and the CloudWatch metrics report them. */
export function countsOf(s: QueueState, now: number): QueueCounts {
  const held = [...s.visible, ...s.inFlight];
  const fresh = held.filter((c) => c.rc < POISON_RECEIVES);
  const pool = fresh.length > 0 ? fresh : held;
  const oldest = pool.reduce((m, c) => Math.min(m, c.entered), Infinity);
  return {
    ApproximateNumberOfMessages: sum(s.visible),
    ApproximateNumberOfMessagesNotVisible: sum(s.inFlight),
    ApproximateNumberOfMessagesDelayed: sum(s.delayed),
    ApproximateAgeOfOldestMessage: Number.isFinite(oldest) ? Math.max(0, Math.floor((now - oldest) / 1000)) : 0,
  };
}

/** Keeps `list` ordered by enqueue time; merges into a neighbour sent in the same second with the same receive count. */
function insertVisible(list: readonly Cohort[], c: Cohort): Cohort[] {
  const out = [...list];
  let i = out.length;
  while (i > 0 && out[i - 1].sent > c.sent) i--;
  const prev = out[i - 1];
  const near = prev && prev.rc === c.rc && c.sent - prev.sent < 1000 && Math.abs(c.entered - prev.entered) < 1000;
  if (near) out[i - 1] = { ...prev, n: prev.n + c.n, entered: Math.min(prev.entered, c.entered) };
  else out.splice(i, 0, c);
  return out;
}

/** Bounded size: while too long, merge neighbours pairwise (older enqueue time and higher receive count kept). */
function compact<T extends Cohort>(list: T[]): T[] {
  let out = list;
  while (out.length > MAX_COHORTS) {
    const merged: T[] = [];
    for (let i = 0; i < out.length; i += 2) {
      const a = out[i];
      const b = out[i + 1];
      merged.push(b ? { ...a, n: a.n + b.n, sent: Math.min(a.sent, b.sent), entered: Math.min(a.entered, b.entered), rc: Math.max(a.rc, b.rc) } : a);
    }
    out = merged;
  }
  return out;
}

function compactBatches(list: Batch[]): Batch[] {
  // One batch per task and receive time and count; receives of one step share their times already.
  const byKey = new Map<string, Batch>();
  for (const b of list) {
    const key = `${b.task}\0${b.until}\0${b.done}\0${b.rc}\0${b.entered}`;
    const prev = byKey.get(key);
    byKey.set(key, prev ? { ...prev, n: prev.n + b.n, sent: Math.min(prev.sent, b.sent) } : b);
  }
  return compact([...byKey.values()]);
}
