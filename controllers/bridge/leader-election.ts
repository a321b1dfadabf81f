/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package (and so
 * controller-runtime's `--leader-elect`) does it:
 * - a candidate reads the Lease every retryPeriod; it takes it when there is none, when it is released
 *   (no holder) or when the record has not changed for leaseDuration *as this candidate observed it*
 *   (its own clock measures from when it saw the last change, so clock skew between replicas does not
 *   matter);
 * - the leader renews every retryPeriod; when it cannot renew for renewDeadline it has lost the lease and
 *   must stop at once (`ecsplane run` exits, like controller-runtime), before another candidate can take
 *   the lease (leaseDuration > renewDeadline);
 * - every write is an update with the resourceVersion read (optimistic concurrency): two candidates
 *   never both win.
 * Defaults are controller-runtime's: lease 15 s, renew deadline 10 s, retry period 2 s.
 * https://pkg.go.dev/k8s.io/client-go/tools/leaderelection
 */
import type { Logger } from '../runtime/logger.js';

export interface LeaseRecord {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** The Lease object as far as the elector needs it. */
export interface LeaseClient {
  /** The lease's spec and resourceVersion, or undefined when there is none. */
  get(): Promise<{ record: LeaseRecord; resourceVersion: string } | undefined>;
  create(record: LeaseRecord): Promise<void>;
  /** Replace the spec; fails (409) when the lease changed since `resourceVersion`. */
  update(record: LeaseRecord, resourceVersion: string): Promise<void>;
}

export interface LeaderElectionTiming {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export const DEFAULT_TIMING: LeaderElectionTiming = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
/** client-go's JitterFactor: candidates retry after retryPeriod × [1, 1.2). */
const JITTER = 1.2;

/** client-go's checks: leaseDuration > renewDeadline > retryPeriod × 1.2, all > 0. */
export function checkTiming(t: LeaderElectionTiming): void {
  if (!(t.retryPeriodMs > 0)) throw new Error('--leader-elect-retry-period must be greater than zero');
  if (!(t.leaseDurationMs > t.renewDeadlineMs)) throw new Error('--leader-elect-lease-duration must be greater than --leader-elect-renew-deadline');
  if (!(t.renewDeadlineMs > JITTER * t.retryPeriodMs)) throw new Error(`--leader-elect-renew-deadline must be greater than --leader-elect-retry-period × ${JITTER}`);
}

/** MicroTime as the API server parses it (RFC 3339 with exactly six fractional digits). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface ElectorOptions {
  /** `namespace/name` of the Lease (logs only). */
  lease: string;
  identity: string;
  timing?: LeaderElectionTiming;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  log: Logger;
  /** Leadership changed (metrics). */
  onChange?: (leader: boolean) => void;
}

export class LeaderElector {
  readonly timing: LeaderElectionTiming;
  private leader = false;
  private observed: { raw: string; at: number; record: LeaseRecord } | undefined;
  private stopped = false;
  private lastHolderLogged: string | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly client: LeaseClient,
    private readonly opts: ElectorOptions,
  ) {
    this.timing = opts.timing ?? DEFAULT_TIMING;
    checkTiming(this.timing);
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = opts.random ?? Math.random;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** Who holds the lease as last read ('' when nobody). */
  get holder(): string {
    return this.observed?.record.holderIdentity ?? '';
  }

  /** One attempt (client-go's tryAcquireOrRenew): true when this candidate holds the lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.now();
    const mine = (prev?: LeaseRecord): LeaseRecord => {
      const keep = prev?.holderIdentity === this.opts.identity;
      return {
        holderIdentity: this.opts.identity,
        leaseDurationSeconds: Math.ceil(this.timing.leaseDurationMs / 1000),
        acquireTime: keep && prev?.acquireTime ? prev.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: keep ? (prev?.leaseTransitions ?? 0) : (prev?.leaseTransitions ?? -1) + 1,
      };
    };
    let current: Awaited<ReturnType<LeaseClient['get']>>;
    try {
      current = await this.client.get();
    } catch (err) {
      this.opts.log.warn(`leader election: reading lease ${this.opts.lease} failed: ${(err as Error)?.message ?? err}`);
      return false;
    }
    if (!current) {
      const record = mine();
      record.leaseTransitions = 0;
      try {
        await this.client.create(record);
      } catch (err) {
        this.opts.log.debug(`leader election: creating lease ${this.opts.lease} failed: ${(err as Error)?.message ?? err}`);
        return false;
      }
      this.observed = { raw: JSON.stringify(record), at: now, record };
      return true;
    }
    const raw = JSON.stringify(current.record);
    if (!this.observed || this.observed.raw !== raw) this.observed = { raw, at: now, record: current.record };
    const holder = current.record.holderIdentity ?? '';
    const durationMs = (current.record.leaseDurationSeconds ?? 0) * 1000;
    if (holder && holder !== this.opts.identity && this.observed.at + durationMs > now) {
      if (this.lastHolderLogged !== holder) {
        this.lastHolderLogged = holder;
        this.opts.log.info(`leader election: lease ${this.opts.lease} is held by ${holder}; standing by (no loops run, nothing is written)`);
      }
      return false;
    }
    const record = mine(current.record);
    try {
      await this.client.update(record, current.resourceVersion);
    } catch (err) {
      this.opts.log.debug(`leader election: updating lease ${this.opts.lease} failed: ${(err as Error)?.message ?? err}`);
      return false;
    }
    this.observed = { raw: JSON.stringify(record), at: now, record };
    return true;
  }

  /** Resolve true once this candidate leads (retrying every retryPeriod with jitter); false if stopped first. */
  async acquire(): Promise<boolean> {
    const t0 = this.now();
    this.opts.log.info(`leader election: trying to acquire lease ${this.opts.lease} as ${this.opts.identity}`);
    while (!this.stopped) {
      if (await this.tryAcquireOrRenew()) {
        this.setLeader(true);
        this.opts.log.info(`leader election: acquired lease ${this.opts.lease} after ${((this.now() - t0) / 1000).toFixed(1)} s; this replica leads`);
        return true;
      }
      await this.sleep(this.timing.retryPeriodMs * (1 + this.random() * (JITTER - 1)));
    }
    return false;
  }

  /**
   * Renew every retryPeriod until stopped; when no renewal succeeds for renewDeadline, leadership is lost:
   * `onLost` is called (it must stop every write at once) and the loop ends.
   */
  async renewLoop(onLost: (why: string) => void): Promise<void> {
    let lastRenew = this.now();
    while (!this.stopped) {
      await this.sleep(this.timing.retryPeriodMs);
      if (this.stopped) return;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = this.now();
        continue;
      }
      if (this.now() - lastRenew >= this.timing.renewDeadlineMs || (this.holder && this.holder !== this.opts.identity)) {
        this.setLeader(false);
        const why = this.holder && this.holder !== this.opts.identity ? `lease ${this.opts.lease} is now held by ${this.holder}` : `could not renew lease ${this.opts.lease} for ${this.timing.renewDeadlineMs / 1000} s`;
        this.opts.log.error(`leader election lost: ${why}`);
        onLost(why);
        return;
      }
    }
  }

  /** Stop; a leader gives the lease up (no holder), so a standby takes over at its next retry. */
  async release(): Promise<void> {
    this.stopped = true;
    if (!this.leader) return;
    this.setLeader(false);
    try {
      const current = await this.client.get();
      if (!current || current.record.holderIdentity !== this.opts.identity) return;
      const now = this.now();
      await this.client.update({ ...current.record, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(now), acquireTime: microTime(now) }, current.resourceVersion);
      this.opts.log.info(`leader election: released lease ${this.opts.lease}`);
    } catch (err) {
      this.opts.log.warn(`leader election: releasing lease ${this.opts.lease} failed (it expires by itself): ${(err as Error)?.message ?? err}`);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private setLeader(v: boolean): void {
    if (this.leader === v) return;
    this.leader = v;
    this.opts.onChange?.(v);
  }
}
