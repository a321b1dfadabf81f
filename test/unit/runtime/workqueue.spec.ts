import { expect } from 'chai';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { WorkQueue } from '../../../controllers/runtime/workqueue.js';

describe('runtime: keyed workqueue (client-go semantics)', () => {
  let clock: VirtualClock;
  let q: WorkQueue;
  beforeEach(() => {
    clock = new VirtualClock(0);
    q = new WorkQueue(clock, { baseMs: 5, maxMs: 1000 });
  });

  it('queues a key at most once', () => {
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.get()).to.equal('a');
    expect(q.get()).to.equal('b');
    expect(q.get()).to.equal(undefined);
  });

  it('never hands out a key that is being processed; re-queues it on done if it changed meanwhile', () => {
    q.add('a');
    expect(q.get()).to.equal('a');
    q.add('a'); // changed while processing
    expect(q.get()).to.equal(undefined, 'not handed out twice at the same time');
    q.done('a');
    expect(q.get()).to.equal('a');
    q.done('a');
    expect(q.isIdle()).to.equal(true);
  });

  it('claim hands a key out now, queued or not, never while it is processed', () => {
    q.add('a');
    q.add('b');
    expect(q.claim('a')).to.equal(true);
    expect(q.claim('a')).to.equal(false, 'being processed');
    expect(q.get()).to.equal('b', "a's place in the queue is skipped");
    q.done('a');
    q.done('b');
    expect(q.get()).to.equal(undefined);
    expect(q.isIdle()).to.equal(true);
    expect(q.claim('c')).to.equal(true, 'a key not queued');
    q.add('c'); // changed while processed: queued again on done
    q.done('c');
    expect(q.get()).to.equal('c');
  });

  it('addAfter waits on the clock; the earliest pending delay wins', () => {
    q.addAfter('a', 1000);
    q.addAfter('a', 500);
    q.addAfter('a', 2000);
    expect(q.get()).to.equal(undefined);
    clock.advanceTo(499);
    expect(q.get()).to.equal(undefined);
    clock.advanceTo(500);
    expect(q.get()).to.equal('a');
  });

  it('rate-limited adds back off exponentially per key, capped; forget resets', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(() => q.addRateLimited('k'));
    expect(delays).to.deep.equal([5, 10, 20, 40, 80, 160, 320, 640, 1000]);
    expect(q.addRateLimited('other')).to.equal(5, 'per key');
    q.forget('k');
    expect(q.addRateLimited('k')).to.equal(5);
  });

  it('the virtual clock fires timers in (time, insertion) order and only when advanced', () => {
    const fired: string[] = [];
    clock.setTimer(10, () => fired.push('b'));
    clock.setTimer(5, () => fired.push('a'));
    const h = clock.setTimer(7, () => fired.push('cancelled'));
    clock.setTimer(10, () => fired.push('c'));
    clock.cancelTimer(h);
    expect(clock.nextTimerAt()).to.equal(5);
    clock.advanceTo(9);
    expect(fired).to.deep.equal(['a']);
    clock.advanceTo(10);
    expect(fired).to.deep.equal(['a', 'b', 'c']);
    expect(clock.now()).to.equal(10);
  });
});
