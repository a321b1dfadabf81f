/** Scheduled-action occurrences (controllers/autoscaling/schedules.ts) and activity lifecycle (activities.ts). */
import { expect } from 'chai';
import { dueOccurrence, type ScheduledInput } from '../../../controllers/autoscaling/schedules.js';
import { ActivityLog, ACTIVITY_TIMEOUT_MS } from '../../../controllers/autoscaling/activities.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const action = (Schedule: string, over: Partial<ScheduledInput> = {}, spec: Record<string, unknown> = {}): ScheduledInput => ({
  name: 'a',
  spec: { ServiceNamespace: 'ecs', ResourceId: 'service/c/s', ScalableDimension: 'ecs:service:DesiredCount', Schedule, Timezone: 'UTC', ...spec },
  createdAt: T0,
  ...over,
});

describe('scheduled action occurrences', () => {
  const cases: Array<[string, ScheduledInput, number, number | undefined, number | undefined]> = [
    ['at() before it is due', action('at(2026-01-01T00:10:00)'), T0 + 9 * MIN, undefined, T0 + 10 * MIN],
    ['at() when due', action('at(2026-01-01T00:10:00)'), T0 + 10 * MIN, T0 + 10 * MIN, undefined],
    ['at() in a time zone (01:10 Paris = 00:10Z)', action('at(2026-01-01T01:10:00)', {}, { Timezone: 'Europe/Paris' }), T0 + 10 * MIN, T0 + 10 * MIN, undefined],
    ['at() already handled', action('at(2026-01-01T00:10:00)', { lastFireTime: T0 + 10 * MIN }), T0 + 20 * MIN, undefined, undefined],
    ['at() before the action existed never runs', action('at(2025-12-31T23:00:00)'), T0 + MIN, undefined, undefined],
    ['rate() runs at creation', action('rate(5 minutes)'), T0, T0, T0 + 5 * MIN],
    ['rate() after a restart: only the latest missed occurrence', action('rate(5 minutes)', { lastFireTime: T0 }), T0 + 17 * MIN, T0 + 15 * MIN, T0 + 20 * MIN],
    ['cron() in UTC', action('cron(30 0 * * ? *)'), T0 + 31 * MIN, T0 + 30 * MIN, T0 + 24 * 60 * MIN + 30 * MIN],
    ['StartTime holds occurrences back', action('rate(1 hour)', {}, { StartTime: new Date(T0 + 90 * MIN).toISOString() }), T0 + MIN, undefined, T0 + 90 * MIN],
    ['EndTime ends them', action('rate(10 minutes)', { lastFireTime: T0 }, { EndTime: new Date(T0 + 15 * MIN).toISOString() }), T0 + 30 * MIN, T0 + 10 * MIN, undefined],
  ];
  for (const [name, a, now, due, next] of cases) {
    it(name, () => expect(dueOccurrence(a, now)).to.deep.equal({ due, next }));
  }
  it('a bad schedule is reported, not thrown', () => {
    expect(dueOccurrence(action('cron(* * * * * *)'), T0).error).to.match(/ValidationException|day-of-month|\?/);
  });
});

describe('scaling activities', () => {
  const ref = { ServiceNamespace: 'ecs', ResourceId: 'service/c/s', ScalableDimension: 'ecs:service:DesiredCount' };
  it('InProgress → Successful once the service runs the desired count', () => {
    const log = new ActivityLog([], 0, 'uid', ref, T0);
    log.add({ Description: 'Setting desired count to 4.', Cause: 'c', StatusCode: 'InProgress', DesiredCount: 4 });
    log.progress({ exists: true, desiredCount: 4, runningCount: 2 });
    expect(log.list[0].StatusCode).to.equal('InProgress');
    const later = new ActivityLog(log.result(), log.sequence, 'uid', ref, T0 + MIN);
    later.progress({ exists: true, desiredCount: 4, runningCount: 4 });
    expect(later.list[0]).to.include({ StatusCode: 'Successful', EndTime: new Date(T0 + MIN).toISOString() });
  });
  it('a newer desired count overrides an open one; a gone service fails it; a stuck one is Unfulfilled', () => {
    const log = new ActivityLog([], 0, 'uid', ref, T0);
    log.add({ Description: 'd1', Cause: 'c', StatusCode: 'InProgress', DesiredCount: 4 });
    log.add({ Description: 'd2', Cause: 'c', StatusCode: 'InProgress', DesiredCount: 6 });
    expect(log.list.map((a) => a.StatusCode)).to.deep.equal(['InProgress', 'Overridden']);
    const gone = new ActivityLog(log.result(), 2, 'uid', ref, T0);
    gone.progress({ exists: false });
    expect(gone.list[0].StatusCode).to.equal('Failed');
    const stuck = new ActivityLog(log.result(), 2, 'uid', ref, T0 + ACTIVITY_TIMEOUT_MS);
    stuck.progress({ exists: true, desiredCount: 6, runningCount: 3 });
    expect(stuck.list[0].StatusCode).to.equal('Unfulfilled');
  });
  it('ids are deterministic from the target and sequence; min/max changes end at once', () => {
    const a = new ActivityLog([], 7, 'uid', ref, T0).add({ Description: 'Setting min capacity to 5 and max capacity to 10', Cause: 'c', StatusCode: 'Successful' });
    const b = new ActivityLog([], 7, 'uid', ref, T0).add({ Description: 'x', Cause: 'c', StatusCode: 'Successful' });
    expect(a.ActivityId).to.equal(b.ActivityId);
    expect(a.EndTime).to.equal(new Date(T0).toISOString());
  });
});
