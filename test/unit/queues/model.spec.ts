/** The aggregate SQS queue model (controllers/queues/model.ts): table tests of each documented rule. */
import { expect } from 'chai';
import { acceptMoved, addSender, countsOf, emptyQueue, enqueue, MAX_COHORTS, stepQueue, type QueueState } from '../../../controllers/queues/model.js';
import type { QueueSettings } from '../../../api/v1alpha1/queue.js';

const T0 = Date.UTC(2026, 0, 1);
const S = 1000;
const base: QueueSettings = { delaySeconds: 0, retentionSeconds: 345_600, visibilityTimeoutSeconds: 30 };
const one = [{ task: 'jobs/t1', ratePerSecond: 5 }];

/** Steps the queue once per second from `from` to `to` (seconds after T0). */
function run(s: QueueState, from: number, to: number, settings = base, consumers = one, dlq = true): { s: QueueState; moved: number } {
  let moved = 0;
  for (let t = from; t <= to; t++) {
    const r = stepQueue(s, T0 + t * S, settings, consumers, dlq);
    s = r.state;
    moved += r.moved.reduce((a, c) => a + c.n, 0);
  }
  return { s, moved };
}
const counts = (s: QueueState, t: number) => countsOf(s, T0 + t * S);

describe('queue model', () => {
  it('a send is visible at once; one consumer at 5/s receives 5 a second and deletes them a second later', () => {
    let s = enqueue(emptyQueue(T0), 100, T0, 0);
    expect(counts(s, 0)).to.deep.equal({ ApproximateNumberOfMessages: 100, ApproximateNumberOfMessagesNotVisible: 0, ApproximateNumberOfMessagesDelayed: 0, ApproximateAgeOfOldestMessage: 0 });
    s = run(s, 1, 10).s;
    expect(counts(s, 10)).to.include({ ApproximateNumberOfMessages: 50, ApproximateNumberOfMessagesNotVisible: 5 });
    expect(s.totals.deleted).to.equal(45);
  });

  it('DelaySeconds: delayed until the delay ends, then visible', () => {
    let s = enqueue(emptyQueue(T0), 10, T0, 60);
    s = run(s, 1, 59, base, []).s;
    expect(counts(s, 59)).to.include({ ApproximateNumberOfMessages: 0, ApproximateNumberOfMessagesDelayed: 10 });
    s = run(s, 60, 60, base, []).s;
    expect(counts(s, 60)).to.include({ ApproximateNumberOfMessages: 10, ApproximateNumberOfMessagesDelayed: 0 });
  });

  it('a stopped consumer\'s messages stay in flight until the visibility timeout, then are visible again', () => {
    let s = enqueue(emptyQueue(T0), 5, T0, 0);
    s = run(s, 1, 1).s; // t1 receives all 5
    expect(counts(s, 1)).to.include({ ApproximateNumberOfMessages: 0, ApproximateNumberOfMessagesNotVisible: 5 });
    s = run(s, 2, 30, base, []).s; // the task is gone: nothing is deleted
    expect(counts(s, 30)).to.include({ ApproximateNumberOfMessagesNotVisible: 5 });
    s = run(s, 31, 31, base, []).s; // received at 1 s + 30 s visibility
    expect(counts(s, 31)).to.include({ ApproximateNumberOfMessages: 5, ApproximateNumberOfMessagesNotVisible: 0 });
    expect(s.visible[0].rc).to.equal(1);
    expect(s.totals.returned).to.equal(5);
  });

  it('a visibility timeout shorter than the processing time makes the batch visible again (never deleted)', () => {
    let s = enqueue(emptyQueue(T0), 50, T0, 0);
    const slow = [{ task: 'jobs/t1', ratePerSecond: 0.5 }]; // a batch of 1 takes 2 s
    s = run(s, 1, 4, { ...base, visibilityTimeoutSeconds: 1 }, slow).s;
    expect(s.totals.deleted).to.equal(0);
    expect(s.totals.returned).to.be.greaterThan(0);
  });

  it('MessageRetentionPeriod: messages older than it are deleted, visible or in flight', () => {
    let s = enqueue(emptyQueue(T0), 10, T0, 0);
    s = run(s, 1, 59, { ...base, retentionSeconds: 60 }, []).s;
    expect(counts(s, 59).ApproximateNumberOfMessages).to.equal(10);
    s = run(s, 60, 60, { ...base, retentionSeconds: 60 }, []).s;
    expect(counts(s, 60).ApproximateNumberOfMessages).to.equal(0);
    expect(s.totals.expired).to.equal(10);
  });

  it('redrive: a message received more than maxReceiveCount times moves to the dead-letter queue', () => {
    const settings = { ...base, visibilityTimeoutSeconds: 1, redrive: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq', maxReceiveCount: 2 } };
    let s = enqueue(emptyQueue(T0), 1, T0, 0);
    let moved = 0;
    // The consumer receives and dies each time (a new task name every step): receive 1, back, receive 2, back, moved.
    for (let t = 1; t <= 8; t++) {
      const r = stepQueue(s, T0 + t * S, settings, [{ task: `jobs/t${t}`, ratePerSecond: 1 }], true);
      s = r.state;
      moved += r.moved.reduce((a, c) => a + c.n, 0);
    }
    expect(moved).to.equal(1);
    expect(s.totals.movedToDeadLetterQueue).to.equal(1);
    expect(counts(s, 8)).to.include({ ApproximateNumberOfMessages: 0, ApproximateNumberOfMessagesNotVisible: 0 });
  });

  it('redrive waits while the dead-letter queue does not exist', () => {
    const settings = { ...base, visibilityTimeoutSeconds: 1, redrive: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq', maxReceiveCount: 1 } };
    let s = enqueue(emptyQueue(T0), 1, T0, 0);
    for (let t = 1; t <= 8; t++) s = stepQueue(s, T0 + t * S, settings, [{ task: `jobs/t${t}`, ratePerSecond: 1 }], false).state;
    expect(s.totals.movedToDeadLetterQueue).to.equal(0);
  });

  it('in a dead-letter queue the age restarts at the move, retention keeps the original enqueue time', () => {
    const moved = [{ n: 3, sent: T0, entered: T0, rc: 4 }];
    let s = acceptMoved(emptyQueue(T0), moved, T0 + 100 * S);
    expect(countsOf(s, T0 + 130 * S)).to.include({ ApproximateNumberOfMessages: 3, ApproximateAgeOfOldestMessage: 30 });
    expect(s.visible[0].rc).to.equal(0);
    s = stepQueue(s, T0 + 200 * S, { ...base, retentionSeconds: 200 }, [], true).state;
    expect(countsOf(s, T0 + 200 * S).ApproximateNumberOfMessages).to.equal(0); // 200 s after the original send
  });

  it('ApproximateAgeOfOldestMessage skips messages received three times or more', () => {
    const s: QueueState = { ...emptyQueue(T0), visible: [{ n: 1, sent: T0, entered: T0, rc: 3 }, { n: 1, sent: T0 + 50 * S, entered: T0 + 50 * S, rc: 0 }] };
    expect(countsOf(s, T0 + 100 * S).ApproximateAgeOfOldestMessage).to.equal(50);
  });

  it('a producer at 20/s for 10 s sends 200, then stops', () => {
    let s = addSender(emptyQueue(T0), 20, T0, 10 * S);
    s = run(s, 1, 15, base, []).s;
    expect(s.totals.sent).to.equal(200);
    expect(s.senders).to.have.length(0);
  });

  it('fractional rates accumulate: 0.5/s receives one message every two seconds', () => {
    let s = enqueue(emptyQueue(T0), 10, T0, 0);
    s = run(s, 1, 10, base, [{ task: 'jobs/t1', ratePerSecond: 0.5 }]).s;
    expect(s.totals.deleted + counts(s, 10).ApproximateNumberOfMessagesNotVisible).to.equal(5);
  });

  it('after an idle spell a consumer receives one tick\'s worth, not the whole gap', () => {
    let s = enqueue({ ...emptyQueue(T0), asOf: T0 - 3600 * S }, 10_000, T0, 0);
    s = stepQueue(s, T0, base, one, true).state;
    expect(counts(s, 0).ApproximateNumberOfMessagesNotVisible).to.equal(5);
  });

  it('10,000 messages in 10,000 separate sends stay a bounded number of cohorts', () => {
    let s = emptyQueue(T0);
    for (let i = 0; i < 10_000; i++) s = enqueue(s, 1, T0 + i * 1500, 0);
    const r = stepQueue(s, T0 + 10_000 * 1500, base, [], true).state;
    expect(r.visible.length).to.be.at.most(MAX_COHORTS);
    expect(countsOf(r, T0 + 10_000 * 1500).ApproximateNumberOfMessages).to.equal(10_000);
  });
});
