/**
 * The Lease elector (client-go's algorithm) against an in-memory Lease with optimistic concurrency and a
 * manual clock: one leader, takeover only after leaseDuration as the standby observed it, renew deadline,
 * release, and conflicting candidates.
 */
import { expect } from 'chai';
import { checkTiming, LeaderElector, microTime, type LeaseClient, type LeaseRecord } from '../../../controllers/bridge/leader-election.js';
import { silentLogger } from '../../../controllers/runtime/logger.js';

class MemoryLease implements LeaseClient {
  record: LeaseRecord | undefined;
  rv = 0;
  down = false;
  writes = 0;
  async get() {
    if (this.down) throw new Error('connection refused');
    return this.record ? { record: { ...this.record }, resourceVersion: String(this.rv) } : undefined;
  }
  async create(record: LeaseRecord) {
    if (this.down) throw new Error('connection refused');
    if (this.record) throw Object.assign(new Error('AlreadyExists'), { code: 409 });
    this.record = { ...record };
    this.rv++;
    this.writes++;
  }
  async update(record: LeaseRecord, resourceVersion: string) {
    if (this.down) throw new Error('connection refused');
    if (resourceVersion !== String(this.rv)) throw Object.assign(new Error('Conflict'), { code: 409 });
    this.record = { ...record };
    this.rv++;
    this.writes++;
  }
}

describe('bridge: leader election on a Lease', () => {
  let now = 0;
  let lease: MemoryLease;
  const elector = (identity: string, client: LeaseClient = lease) =>
    new LeaderElector(client, { lease: 'ns/ecsplane-bridge', identity, now: () => now, log: silentLogger, sleep: async () => undefined });

  beforeEach(() => {
    now = Date.parse('2026-12-03T10:00:00Z');
    lease = new MemoryLease();
  });

  it("controller-runtime's timing by default; client-go's constraints checked", () => {
    expect(elector('a').timing).to.deep.equal({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
    expect(() => checkTiming({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 })).to.throw(/lease-duration must be greater than --leader-elect-renew-deadline/);
    expect(() => checkTiming({ leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 })).to.throw(/renew-deadline must be greater than --leader-elect-retry-period × 1.2/);
    expect(microTime(Date.parse('2026-12-03T10:00:00.123Z'))).to.equal('2026-12-03T10:00:00.123000Z');
  });

  it('the first candidate creates the Lease and leads; the second stands by without writing', async () => {
    const a = elector('a');
    const b = elector('b');
    expect(await a.tryAcquireOrRenew()).to.equal(true);
    expect(lease.record).to.include({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    const writes = lease.writes;
    now += 14_000;
    expect(await b.tryAcquireOrRenew()).to.equal(false);
    now += 14_000; // 28 s after the lease was written, but b saw it first 14 s ago
    expect(await b.tryAcquireOrRenew(), 'b measures from when it observed the record (clock skew does not matter)').to.equal(false);
    expect(lease.writes, 'a standby writes nothing').to.equal(writes);
    expect(b.holder).to.equal('a');
  });

  it('a leader that renews keeps the lease; one that stops renewing loses it after leaseDuration as the standby saw it', async () => {
    const a = elector('a');
    const b = elector('b');
    await a.tryAcquireOrRenew();
    expect(await b.tryAcquireOrRenew()).to.equal(false);
    for (let i = 0; i < 10; i++) {
      now += 2_000;
      expect(await a.tryAcquireOrRenew()).to.equal(true);
      expect(await b.tryAcquireOrRenew()).to.equal(false);
    }
    const acquired = lease.record!.acquireTime;
    expect(lease.record!.leaseTransitions).to.equal(0);
    // a is killed: its last renewal is the last change b sees.
    now += 14_999;
    expect(await b.tryAcquireOrRenew()).to.equal(false);
    now += 2;
    expect(await b.tryAcquireOrRenew()).to.equal(true);
    expect(lease.record).to.include({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(lease.record!.acquireTime).to.not.equal(acquired);
  });

  it('two candidates racing on an expired lease: the resourceVersion lets exactly one win', async () => {
    const a = elector('a');
    await a.tryAcquireOrRenew();
    const b = elector('b');
    const c = elector('c');
    await b.tryAcquireOrRenew();
    await c.tryAcquireOrRenew();
    now += 20_000;
    const results = await Promise.all([b.tryAcquireOrRenew(), c.tryAcquireOrRenew()]);
    expect(results.filter(Boolean)).to.have.length(1);
  });

  it('the leader that cannot renew for renewDeadline gives up (before a standby may take over)', async () => {
    const a = new LeaderElector(lease, {
      lease: 'ns/l',
      identity: 'a',
      now: () => now,
      log: silentLogger,
      sleep: async (ms) => void (now += ms),
    });
    expect(await a.acquire()).to.equal(true);
    lease.down = true;
    let lost = '';
    const started = now;
    await a.renewLoop((why) => (lost = why));
    expect(lost).to.equal('could not renew lease ns/l for 10 s');
    expect(a.isLeader).to.equal(false);
    expect(now - started).to.be.at.least(10_000).and.below(15_000);
  });

  it('a leader whose lease another took (e.g. after a long pause) stops at its next renewal', async () => {
    const a = new LeaderElector(lease, { lease: 'ns/l', identity: 'a', now: () => now, log: silentLogger, sleep: async (ms) => void (now += ms) });
    await a.acquire();
    lease.record = { ...lease.record!, holderIdentity: 'b', renewTime: microTime(now) };
    lease.rv++;
    let lost = '';
    await a.renewLoop((why) => (lost = why));
    expect(lost).to.equal('lease ns/l is now held by b');
  });

  it('release: the leader gives the lease up, a standby takes it at once', async () => {
    const a = elector('a');
    const b = elector('b');
    await a.acquire();
    expect(await b.tryAcquireOrRenew()).to.equal(false);
    await a.release();
    expect(lease.record).to.include({ holderIdentity: '', leaseDurationSeconds: 1 });
    expect(await b.tryAcquireOrRenew()).to.equal(true);
    expect(lease.record).to.include({ holderIdentity: 'b', leaseTransitions: 1 });
  });
});
