/**
 * The rule and schedule plans, table-tested: EventBridge cron (six fields, ?, L, W, #; UTC for rules),
 * Scheduler time zones across daylight saving changes (skipped once / repeated once), rate() starts,
 * flexible windows, StartDate/EndDate, DISABLED, ActionAfterCompletion, pattern rules' cursors.
 */
import { expect } from 'chai';
import type { BusEvent } from '../../../controllers/events/bus.js';
import { INVOCATIONS_PER_MINUTE, invocationBudget, planRule, type RuleInput } from '../../../controllers/events/rule-plan.js';
import { planSchedule, type ScheduleInput } from '../../../controllers/events/schedule-plan.js';

const T = (s: string) => Date.parse(s);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function ruleAt(expr: string, createdAt: string, now: string, extra: Partial<RuleInput> = {}) {
  return planRule({
    name: 'r',
    spec: { ScheduleExpression: expr, State: 'ENABLED', EventBusName: 'default' },
    createdAt: T(createdAt),
    events: [],
    moreEvents: false,
    matches: () => true,
    now: T(now),
    ...extra,
  });
}

describe('rule plan: schedule expressions (UTC)', () => {
  const cases: [string, string, string, string | undefined, string | undefined][] = [
    // expression, created, now, fires now (scheduled time), next
    ['rate(1 hour)', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z'],
    ['rate(1 hour)', '2026-01-01T00:00:00Z', '2026-01-01T00:59:59Z', '2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z'],
    ['rate(15 minutes)', '2026-01-01T00:07:30Z', '2026-01-01T00:07:30Z', '2026-01-01T00:07:00.000Z', '2026-01-01T00:22:00.000Z'],
    ['cron(0 18 L * ? *)', '2026-02-01T00:00:00Z', '2026-02-28T18:00:00Z', '2026-02-28T18:00:00.000Z', '2026-03-31T18:00:00.000Z'],
    ['cron(15 10 ? * 6#3 *)', '2026-01-01T00:00:00Z', '2026-01-16T10:15:00Z', '2026-01-16T10:15:00.000Z', '2026-02-20T10:15:00.000Z'],
    ['cron(0 8 15W * ? *)', '2026-02-01T00:00:00Z', '2026-02-16T08:00:00Z', '2026-02-16T08:00:00.000Z', '2026-03-16T08:00:00.000Z'],
    ['cron(0/30 9-17 ? * MON-FRI *)', '2026-01-02T16:45:00Z', '2026-01-02T17:30:00Z', '2026-01-02T17:30:00.000Z', '2026-01-05T09:00:00.000Z'],
    ['cron(0 0 1 1 ? 2026)', '2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z', undefined, undefined],
  ];
  for (const [expr, created, now, fires, next] of cases) {
    it(`${expr} created ${created}, at ${now}: ${fires ? `fires for ${fires}` : 'nothing due'}`, () => {
      const p = ruleAt(expr, created, now);
      expect(p.invocations.map((i) => iso(i.time))).to.deep.equal(fires ? [fires] : []);
      expect(iso(p.nextInvocationTime)).to.equal(next);
      if (next) expect(p.requeueAfterMs).to.equal(T(next) - T(now));
    });
  }

  it('the target gets the Scheduled Event envelope', () => {
    const p = ruleAt('rate(1 hour)', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
    expect(p.invocations[0].event).to.deep.include({ source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-01-01T00:00:00Z', detail: {} });
  });

  it('after downtime only the latest missed occurrence fires', () => {
    const p = ruleAt('rate(1 hour)', '2026-01-01T00:00:00Z', '2026-01-01T05:30:00Z', { lastScheduledTime: T('2026-01-01T01:00:00Z') });
    expect(p.invocations.map((i) => iso(i.time))).to.deep.equal(['2026-01-01T05:00:00.000Z']);
  });

  it('an occurrence already handled does not fire again', () => {
    const p = ruleAt('rate(1 hour)', '2026-01-01T00:00:00Z', '2026-01-01T00:30:00Z', { lastScheduledTime: T('2026-01-01T00:00:00Z') });
    expect(p.invocations).to.deep.equal([]);
  });

  it('DISABLED: the occurrence passes without an invocation', () => {
    const p = ruleAt('rate(1 hour)', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', { spec: { ScheduleExpression: 'rate(1 hour)', State: 'DISABLED', EventBusName: 'default' } });
    expect(p.invocations).to.deep.equal([]);
    expect(iso(p.lastScheduledTime)).to.equal('2026-01-01T01:00:00.000Z');
  });
});

describe('rule plan: event patterns', () => {
  const ev = (seq: number, t: string, bus = 'default'): BusEvent => ({ seq, t: T(t), bus, source: 'x', event: { id: `e${seq}`, source: 'x', 'detail-type': 'y', detail: {} } as any });
  const base = (events: BusEvent[], extra: Partial<RuleInput> = {}) =>
    planRule({ name: 'r', spec: { EventPattern: '{}', State: 'ENABLED', EventBusName: 'default' }, createdAt: T('2026-01-01T00:01:00Z'), events, moreEvents: false, matches: (e: any) => e.id !== 'e4', now: T('2026-01-01T00:05:00Z'), ...extra });

  it('invokes for matching events after its creation on its bus, and moves the cursor past all', () => {
    const p = base([ev(1, '2026-01-01T00:00:30Z'), ev(2, '2026-01-01T00:02:00Z'), ev(3, '2026-01-01T00:03:00Z', 'orders'), ev(4, '2026-01-01T00:04:00Z'), ev(5, '2026-01-01T00:04:30Z')]);
    expect(p.invocations.map((i) => i.invocationId)).to.deep.equal(['event/e2', 'event/e5']);
    expect(p.cursor).to.equal(5);
    expect(p.requeueAfterMs).to.equal(undefined);
  });
  it('DISABLED consumes without invoking', () => {
    const p = base([ev(2, '2026-01-01T00:02:00Z')], { spec: { EventPattern: '{}', State: 'DISABLED', EventBusName: 'default' } });
    expect(p.invocations).to.deep.equal([]);
    expect(p.cursor).to.equal(2);
  });
  it('more events waiting: requeue at once', () => expect(base([ev(2, '2026-01-01T00:02:00Z')], { moreEvents: true }).requeueAfterMs).to.equal(0));
});

function schedAt(expr: string, created: string, now: string, extra: Partial<ScheduleInput['spec']> = {}, state: Partial<ScheduleInput> = {}) {
  return planSchedule({
    spec: { ScheduleExpression: expr, ScheduleExpressionTimezone: 'UTC', State: 'ENABLED', ActionAfterCompletion: 'NONE', FlexibleTimeWindow: { Mode: 'OFF' }, ...extra },
    createdAt: T(created),
    now: T(now),
    random: () => 0.5,
    ...state,
  });
}

describe('schedule plan (EventBridge Scheduler)', () => {
  const NY = { ScheduleExpressionTimezone: 'America/New_York' };
  const cases: [string, string, string, string, Partial<ScheduleInput['spec']>, string | undefined, string | undefined][] = [
    // name, expression, created, now, spec extras, invokes (scheduled), next
    ['rate without StartDate starts at once', 'rate(1 hour)', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', {}, '2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z'],
    ['rate counts from StartDate', 'rate(1 hour)', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', { StartDate: '2026-01-01T00:20:00Z' }, undefined, '2026-01-01T00:20:00.000Z'],
    ['cron in New York (EST)', 'cron(0 9 * * ? *)', '2026-01-05T00:00:00Z', '2026-01-05T14:00:00Z', NY, '2026-01-05T14:00:00.000Z', '2026-01-06T14:00:00.000Z'],
    ['cron in New York (EDT)', 'cron(0 9 * * ? *)', '2026-07-01T00:00:00Z', '2026-07-01T13:00:00Z', NY, '2026-07-01T13:00:00.000Z', '2026-07-02T13:00:00.000Z'],
    ['spring forward: 02:30 does not exist on 8 March, skipped', 'cron(30 2 * * ? *)', '2026-03-07T12:00:00Z', '2026-03-08T12:00:00Z', NY, undefined, '2026-03-09T06:30:00.000Z'],
    ['fall back: 01:30 happens twice on 1 November, fires once', 'cron(30 1 * * ? *)', '2026-10-31T12:00:00Z', '2026-11-01T05:30:00Z', NY, '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
    ['rate without StartDate, created mid-minute: at once', 'rate(5 minutes)', '2026-01-01T00:07:30Z', '2026-01-01T00:07:30Z', {}, '2026-01-01T00:07:00.000Z', '2026-01-01T00:12:00.000Z'],
    ['one-time at() in Paris', 'at(2026-03-29T03:30:00)', '2026-03-01T00:00:00Z', '2026-03-29T01:30:00Z', { ScheduleExpressionTimezone: 'Europe/Paris' }, '2026-03-29T01:30:00.000Z', undefined],
    ['EndDate bounds occurrences', 'rate(1 hour)', '2026-01-01T00:00:00Z', '2026-01-01T02:00:00Z', { EndDate: '2026-01-01T01:30:00Z' }, '2026-01-01T01:00:00.000Z', undefined],
  ];
  for (const [name, expr, created, now, extra, invokes, next] of cases) {
    it(name, () => {
      const p = schedAt(expr, created, now, extra);
      expect(iso(p.invoke)).to.equal(invokes);
      expect(iso(p.nextInvocationTime)).to.equal(next);
    });
  }

  it('fall back: after the first 01:30 the repeated 01:30 does not fire', () => {
    const p = schedAt('cron(30 1 * * ? *)', '2026-10-31T12:00:00Z', '2026-11-01T06:30:00Z', NY, { lastScheduledTime: T('2026-11-01T05:30:00Z') });
    expect(p.invoke).to.equal(undefined);
  });

  it('flexible window: invokes at the seeded point of the window, kept in status until then', () => {
    const flex = { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 } };
    const first = schedAt('cron(0 9 * * ? *)', '2026-01-01T00:00:00Z', '2026-01-01T09:00:00Z', flex);
    expect(first.invoke).to.equal(undefined);
    expect(first.window).to.deep.equal({ scheduled: T('2026-01-01T09:00:00Z'), invokeAt: T('2026-01-01T09:05:00Z') });
    expect(first.requeueAfterMs).to.equal(5 * 60_000);
    const later = schedAt('cron(0 9 * * ? *)', '2026-01-01T00:00:00Z', '2026-01-01T09:05:00Z', flex, { window: first.window, lastScheduledTime: first.lastScheduledTime });
    expect(iso(later.invoke)).to.equal('2026-01-01T09:00:00.000Z');
    expect(later.window).to.equal(undefined);
  });

  it('completion: at() done → complete; ActionAfterCompletion DELETE deletes', () => {
    const done = schedAt('at(2026-01-01T00:10:00)', '2026-01-01T00:00:00Z', '2026-01-01T00:10:00Z', { ActionAfterCompletion: 'DELETE' });
    expect(iso(done.invoke)).to.equal('2026-01-01T00:10:00.000Z');
    expect(done).to.include({ completed: true, deleteSchedule: true });
    const notYet = schedAt('at(2026-01-01T00:10:00)', '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z', { ActionAfterCompletion: 'DELETE' });
    expect(notYet).to.include({ completed: false, deleteSchedule: false });
  });

  it('DISABLED: no invocation and never complete', () => {
    const p = schedAt('rate(1 hour)', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', { State: 'DISABLED' });
    expect(p.invoke).to.equal(undefined);
    expect(p.completed).to.equal(false);
  });
});

describe('rule invocation guard (ecsplane: a rule matching its own tasks\' events)', () => {
  const M = Date.UTC(2026, 0, 1, 0, 5);
  const rows: [string, { start: number; count: number } | undefined, number, number, number][] = [
    ['a fresh minute', undefined, M + 1000, 5, 5],
    ['within the limit', { start: M, count: 90 }, M + 30_000, 5, 5],
    ['crossing the limit', { start: M, count: 98 }, M + 30_000, 5, 2],
    ['the limit reached', { start: M, count: INVOCATIONS_PER_MINUTE }, M + 59_000, 3, 0],
    ['the next minute starts again', { start: M, count: INVOCATIONS_PER_MINUTE }, M + 60_000, 3, 3],
  ];
  for (const [name, window, now, wanted, allowed] of rows) it(name, () => expect(invocationBudget(window, now, wanted).allowed).to.equal(allowed));
});
