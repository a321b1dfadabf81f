import { expect } from 'chai';
import { CronExpressionParser } from 'cron-parser';
import { EcsError } from '../../../api/errors.js';
import {
  nextFireTime,
  nextFireTimes,
  parseSchedule,
  validateTimezone,
  type ScheduleOptions,
} from '../../../controllers/scaling-math/schedule.js';

const ms = (iso: string): number => Date.parse(iso);
const iso = (times: number[]): string[] => times.map((t) => new Date(t).toISOString().replace('.000Z', 'Z'));
const NY: ScheduleOptions = { timezone: 'America/New_York' };

interface FireCase {
  name: string;
  expr: string;
  after: string;
  want: string[];
  options?: ScheduleOptions;
}

function runFireCases(cases: FireCase[]): void {
  for (const c of cases) {
    it(`${c.name}: ${c.expr} after ${c.after}`, () => {
      const n = c.want.length + 1; // one more than expected: proves the sequence ends where it should
      const got = iso(nextFireTimes(parseSchedule(c.expr), ms(c.after), n, c.options));
      expect(got.slice(0, c.want.length)).to.deep.equal(c.want);
    });
  }
}

describe('scaling-math/schedule', () => {
  describe('parseSchedule: accepted expressions', () => {
    const valid = [
      'at(2024-02-29T00:00:00)',
      'rate(1 minute)',
      'rate(5 minutes)',
      'rate(1 hour)',
      'rate(2 hours)',
      'rate(1 day)',
      'rate(7 days)',
      'rate(1 minutes)',
      'rate(2 day)',
      'cron(0 9 * * ? *)',
      'cron(0 9 ? * MON *)',
      'cron(0/15 * * * ? *)',
      'cron(*/15 * * * ? *)',
      'cron(0 18 ? * MON-FRI *)',
      'cron(5,35 14 * * ? *)',
      'cron(0 0 L * ? *)',
      'cron(0 0 L-3 * ? *)',
      'cron(0 0 LW * ? *)',
      'cron(0 0 15W * ? *)',
      'cron(0 0 ? * L *)',
      'cron(0 0 ? * 6L *)',
      'cron(0 0 ? * FRIL *)',
      'cron(0 0 ? * 3#2 *)',
      'cron(0 0 ? * TUE#2,THU#4 *)',
      'cron(15 10 ? * 6L 2022-2023)',
      'cron(0 0 1 jan ? *)',
      'cron(0 22-2 ? * FRI-MON *)',
      'cron(0 0 1 NOV-FEB ? 2024/2)',
      '  cron(0   9 * * ? *)  ',
    ];
    for (const expr of valid) it(expr, () => expect(() => parseSchedule(expr)).to.not.throw());
  });

  describe('parseSchedule: rejected expressions', () => {
    const invalid: [expr: string, fragment: string][] = [
      ['', 'must not be empty'],
      ['   ', 'must not be empty'],
      ['every 5 minutes', 'expected at(...), rate(...) or cron(...)'],
      ['Cron(0 9 * * ? *)', 'expected at(...), rate(...) or cron(...)'],
      ['cron(0 9 * * ? *', 'expected at(...), rate(...) or cron(...)'],
      ['at(2024-02-30T00:00:00)', 'does not exist'],
      ['at(2023-02-29T00:00:00)', 'does not exist'],
      ['at(2024-13-01T00:00:00)', 'month 13 is out of range'],
      ['at(2024-01-01T24:00:00)', 'is invalid'],
      ['at(2024-01-01T10:60:00)', 'is invalid'],
      ['at(2024-01-01 00:00:00)', 'expected at(yyyy-mm-ddThh:mm:ss)'],
      ['at(2024-01-01T00:00)', 'expected at(yyyy-mm-ddThh:mm:ss)'],
      ['rate(0 minutes)', 'must be a positive integer'],
      ['rate(-1 minutes)', 'must be a positive integer'],
      ['rate(1.5 hours)', 'must be a positive integer'],
      ['rate(5 weeks)', 'must be minute(s), hour(s) or day(s)'],
      ['rate(5 Minutes)', 'must be minute(s), hour(s) or day(s)'],
      ['rate(5)', 'expected rate(value unit)'],
      ['rate()', 'expected rate(value unit)'],
      ['cron(0 9 * * *)', 'expected 6 fields'],
      ['cron(0 0 9 * * ? *)', 'expected 6 fields'],
      ['cron(0 9 * * * *)', 'cannot both be specified; use ? in one of them'],
      ['cron(0 9 1 * MON *)', 'cannot both be specified'],
      ['cron(0 9 ? * ? *)', 'cannot both be ?'],
      ['cron(60 9 * * ? *)', 'out of range 0-59 in the minutes field'],
      ['cron(0 24 * * ? *)', 'out of range 0-23 in the hours field'],
      ['cron(0 9 32 * ? *)', 'out of range 1-31 in the day-of-month field'],
      ['cron(0 9 0 * ? *)', 'out of range 1-31 in the day-of-month field'],
      ['cron(0 9 * 13 ? *)', 'out of range 1-12 in the month field'],
      ['cron(0 9 ? * 0 *)', 'out of range 1-7 in the day-of-week field'],
      ['cron(0 9 ? * 8 *)', 'out of range 1-7 in the day-of-week field'],
      ['cron(0 9 * * ? 1969)', 'out of range 1970-2199 in the year field'],
      ['cron(0 9 * * ? 2200)', 'out of range 1970-2199 in the year field'],
      ['cron(0 9 ? * FOO *)', "invalid value 'FOO' in the day-of-week field"],
      ['cron(0 9 * FOO ? *)', "invalid value 'FOO' in the month field"],
      ['cron(0 9 ? * MON#6 *)', 'must be 1-5'],
      ['cron(0 9 ? * MON#0 *)', 'must be 1-5'],
      ['cron(0/0 9 * * ? *)', "invalid step '0' in the minutes field"],
      ['cron(*/ 9 * * ? *)', "invalid step '' in the minutes field"],
      ['cron(L 9 * * ? *)', "'L' is not allowed in the minutes field"],
      ['cron(0 9 * * ? L)', "'L' is not allowed in the year field"],
      ['cron(0 ? * * ? *)', "'?' is not allowed in the hours field"],
      ['cron(0 9 1-2-3 * ? *)', "invalid range '1-2-3'"],
      ['cron(0 9 *,? * ? *)', "'?' must be the whole day-of-month field"],
      ['cron(0 9 ? * MON,? *)', "'?' must be the whole day-of-week field"],
      ['cron(0 9 5L * ? *)', "invalid element '5L' in the day-of-month field"],
      ['cron(0 9 ? * 5W *)', "invalid element '5W' in the day-of-week field"],
      ['cron(0 9 ? * MONW *)', "invalid element 'MONW' in the day-of-week field"],
      ['cron(0 9 L-31 * ? *)', 'out of range 0-30'],
      ['cron(0 9 1,,2 * ? *)', "invalid element '' in the day-of-month field"],
    ];
    for (const [expr, fragment] of invalid) {
      it(`${JSON.stringify(expr)}: ${fragment}`, () => {
        let err: unknown;
        try {
          parseSchedule(expr);
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(EcsError);
        const e = err as EcsError;
        expect(e.type).to.equal('ValidationException');
        expect(e.field).to.equal('spec.Schedule');
        expect(e.bareMessage).to.include(fragment);
      });
    }
  });

  describe('parseSchedule: parsed shapes', () => {
    it('at()', () => {
      expect(parseSchedule('at(2024-06-01T12:30:45)')).to.deep.equal({
        kind: 'at',
        expression: 'at(2024-06-01T12:30:45)',
        at: { year: 2024, month: 6, day: 1, hour: 12, minute: 30, second: 45 },
      });
    });
    const rates: [string, number, string, number][] = [
      ['rate(1 minute)', 1, 'minute', 60_000],
      ['rate(5 minutes)', 5, 'minute', 300_000],
      ['rate(2 hours)', 2, 'hour', 7_200_000],
      ['rate(7 days)', 7, 'day', 604_800_000],
    ];
    for (const [expr, value, unit, periodMs] of rates) {
      it(expr, () => expect(parseSchedule(expr)).to.deep.include({ kind: 'rate', value, unit, periodMs }));
    }
    it('cron() fields: steps, wrap-around ranges, names, year steps', () => {
      const p = parseSchedule('cron(0/15 22-2 ? NOV-FEB FRI-MON 2024/50)');
      if (p.kind !== 'cron') throw new Error('expected cron');
      expect(p.cron.minutes).to.deep.equal([0, 15, 30, 45]);
      expect(p.cron.hours).to.deep.equal([0, 1, 2, 22, 23]);
      expect(p.cron.months).to.deep.equal([1, 2, 11, 12]);
      expect(p.cron.dayOfMonth).to.equal(null);
      expect(p.cron.dayOfWeek).to.deep.equal({ days: [1, 2, 6, 7], lastOfMonth: [], nth: [] });
      expect(p.cron.years).to.deep.equal([2024, 2074, 2124, 2174]);
    });
    it('cron() day-of-month specials', () => {
      const p = parseSchedule('cron(5-20/5 * 1,L,L-2,LW,15W * ? *)');
      if (p.kind !== 'cron') throw new Error('expected cron');
      expect(p.cron.minutes).to.deep.equal([5, 10, 15, 20]);
      expect(p.cron.dayOfMonth).to.deep.equal({ days: [1], lastOffsets: [0, 2], lastWeekday: true, nearestWeekdays: [15] });
    });
    it('cron() day-of-week specials', () => {
      const p = parseSchedule('cron(0 0 ? * L,2L,FRI#3,1#1 *)');
      if (p.kind !== 'cron') throw new Error('expected cron');
      expect(p.cron.dayOfWeek).to.deep.equal({ days: [7], lastOfMonth: [2], nth: [{ day: 1, k: 1 }, { day: 6, k: 3 }] });
    });
  });

  describe('cron() in UTC', () => {
    runFireCases([
      { name: 'daily', expr: 'cron(0 9 * * ? *)', after: '2024-01-01T00:00:00Z', want: ['2024-01-01T09:00:00Z', '2024-01-02T09:00:00Z', '2024-01-03T09:00:00Z'] },
      { name: 'strictly after', expr: 'cron(0/15 * * * ? *)', after: '2024-01-01T00:00:00Z', want: ['2024-01-01T00:15:00Z', '2024-01-01T00:30:00Z', '2024-01-01T00:45:00Z'] },
      { name: 'mid-minute start', expr: 'cron(* * * * ? *)', after: '2024-01-01T00:00:30Z', want: ['2024-01-01T00:01:00Z', '2024-01-01T00:02:00Z'] },
      { name: 'weekdays, hour range', expr: 'cron(*/20 10-11 ? * MON-FRI *)', after: '2024-01-05T11:30:00Z', want: ['2024-01-05T11:40:00Z', '2024-01-08T10:00:00Z', '2024-01-08T10:20:00Z'] },
      { name: 'last day of month', expr: 'cron(0 0 L * ? *)', after: '2024-01-01T00:00:00Z', want: ['2024-01-31T00:00:00Z', '2024-02-29T00:00:00Z', '2024-03-31T00:00:00Z'] },
      { name: 'L-2', expr: 'cron(0 0 L-2 * ? *)', after: '2024-01-01T00:00:00Z', want: ['2024-01-29T00:00:00Z', '2024-02-27T00:00:00Z', '2024-03-29T00:00:00Z'] },
      { name: 'last weekday (Mar 31 2024 is a Sunday)', expr: 'cron(0 0 LW * ? *)', after: '2024-01-01T00:00:00Z', want: ['2024-01-31T00:00:00Z', '2024-02-29T00:00:00Z', '2024-03-29T00:00:00Z'] },
      {
        name: 'nearest weekday to the 15th',
        expr: 'cron(0 0 15W * ? 2024)',
        after: '2024-05-01T00:00:00Z',
        want: ['2024-05-15T00:00:00Z', '2024-06-14T00:00:00Z', '2024-07-15T00:00:00Z', '2024-08-15T00:00:00Z', '2024-09-16T00:00:00Z', '2024-10-15T00:00:00Z', '2024-11-15T00:00:00Z', '2024-12-16T00:00:00Z'],
      },
      { name: '1W does not leave the month (Jun 1 2024 is a Saturday)', expr: 'cron(0 0 1W * ? *)', after: '2024-05-15T00:00:00Z', want: ['2024-06-03T00:00:00Z', '2024-07-01T00:00:00Z', '2024-08-01T00:00:00Z'] },
      { name: '31W: Friday before a Sunday 31st; no fire in 30-day months', expr: 'cron(0 0 31W * ? *)', after: '2024-03-01T00:00:00Z', want: ['2024-03-29T00:00:00Z', '2024-05-31T00:00:00Z', '2024-07-31T00:00:00Z'] },
      { name: 'first Monday (2#1); Jan 1 2024 12:00 itself excluded', expr: 'cron(0 12 ? * 2#1 *)', after: '2024-01-01T12:00:00Z', want: ['2024-02-05T12:00:00Z', '2024-03-04T12:00:00Z', '2024-04-01T12:00:00Z'] },
      { name: 'bare L in day-of-week is Saturday', expr: 'cron(0 12 ? * L *)', after: '2024-01-01T00:00:00Z', want: ['2024-01-06T12:00:00Z', '2024-01-13T12:00:00Z', '2024-01-20T12:00:00Z'] },
      { name: 'last Friday (FRIL)', expr: 'cron(0 12 ? * FRIL *)', after: '2024-01-01T00:00:00Z', want: ['2024-01-26T12:00:00Z', '2024-02-23T12:00:00Z', '2024-03-29T12:00:00Z'] },
      { name: 'fifth Saturday', expr: 'cron(0 12 ? * SAT#5 *)', after: '2024-01-01T00:00:00Z', want: ['2024-03-30T12:00:00Z', '2024-06-29T12:00:00Z', '2024-08-31T12:00:00Z'] },
      { name: 'wrap-around hours 22-2', expr: 'cron(0 22-2 * * ? *)', after: '2024-01-01T00:30:00Z', want: ['2024-01-01T01:00:00Z', '2024-01-01T02:00:00Z', '2024-01-01T22:00:00Z', '2024-01-01T23:00:00Z', '2024-01-02T00:00:00Z'] },
      { name: 'wrap-around weekdays FRI-MON', expr: 'cron(0 0 ? * FRI-MON *)', after: '2024-01-03T00:00:00Z', want: ['2024-01-05T00:00:00Z', '2024-01-06T00:00:00Z', '2024-01-07T00:00:00Z', '2024-01-08T00:00:00Z', '2024-01-12T00:00:00Z'] },
      { name: 'month names', expr: 'cron(0 0 1 JAN,JUL ? *)', after: '2024-01-01T00:00:00Z', want: ['2024-07-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-07-01T00:00:00Z'] },
      { name: 'Feb 29 only in leap years', expr: 'cron(0 0 29 2 ? *)', after: '2024-03-01T00:00:00Z', want: ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z', '2036-02-29T00:00:00Z'] },
    ]);

    it('Feb 30 never fires', () => {
      expect(nextFireTime(parseSchedule('cron(0 0 30 2 ? *)'), ms('2024-01-01T00:00:00Z'))).to.equal(undefined);
    });
  });

  describe('cron() year field', () => {
    runFireCases([
      { name: 'a single year', expr: 'cron(0 0 1 1 ? 2030)', after: '2024-06-01T00:00:00Z', want: ['2030-01-01T00:00:00Z'] },
      { name: 'a year range with #', expr: 'cron(30 8 ? * MON#1 2025-2026)', after: '2024-06-01T00:00:00Z', want: ['2025-01-06T08:30:00Z', '2025-02-03T08:30:00Z', '2025-03-03T08:30:00Z'] },
      { name: 'a year step', expr: 'cron(0 0 1 1 ? 2024/4)', after: '2024-01-01T00:00:00Z', want: ['2028-01-01T00:00:00Z', '2032-01-01T00:00:00Z', '2036-01-01T00:00:00Z'] },
      { name: 'a year list', expr: 'cron(0 0 1 1 ? 2025,2027)', after: '2024-01-01T00:00:00Z', want: ['2025-01-01T00:00:00Z', '2027-01-01T00:00:00Z'] },
    ]);
    const ended: [expr: string, after: string][] = [
      ['cron(0 0 1 1 ? 2030)', '2030-01-01T00:00:00Z'],
      ['cron(30 8 ? * MON#1 2025-2026)', '2026-12-07T08:30:00Z'],
      ['cron(0 0 1 1 ? 2020-2023)', '2024-01-01T00:00:00Z'],
      ['cron(0 0 1 1 ? *)', '2199-01-01T00:00:00Z'],
    ];
    for (const [expr, after] of ended) {
      it(`${expr} after ${after} has no next fire time`, () => {
        expect(nextFireTime(parseSchedule(expr), ms(after))).to.equal(undefined);
      });
    }
    it('a year in a time zone: New Year in New York is 05:00 UTC', () => {
      expect(iso([nextFireTime(parseSchedule('cron(0 0 1 1 ? 2030)'), ms('2029-12-31T23:00:00Z'), NY)!])).to.deep.equal(['2030-01-01T05:00:00Z']);
    });
  });

  describe('cron() across DST (America/New_York: 2024-03-10 02:00→03:00, 2024-11-03 02:00→01:00)', () => {
    runFireCases([
      { name: 'a skipped wall-clock time does not fire', expr: 'cron(30 2 * * ? *)', after: '2024-03-09T12:00:00Z', want: ['2024-03-11T06:30:00Z', '2024-03-12T06:30:00Z'], options: NY },
      { name: '02:00 does not exist on Mar 10', expr: 'cron(0 2 * * ? *)', after: '2024-03-09T12:00:00Z', want: ['2024-03-11T06:00:00Z'], options: NY },
      { name: '03:00 on Mar 10 is 03:00 EDT', expr: 'cron(0 3 * * ? *)', after: '2024-03-09T12:00:00Z', want: ['2024-03-10T07:00:00Z', '2024-03-11T07:00:00Z'], options: NY },
      { name: 'a repeated wall-clock time fires once (first occurrence)', expr: 'cron(30 1 * * ? *)', after: '2024-11-02T12:00:00Z', want: ['2024-11-03T05:30:00Z', '2024-11-04T06:30:00Z'], options: NY },
      {
        name: 'the repeated hour does not fire again',
        expr: 'cron(0/30 * * * ? *)',
        after: '2024-11-03T04:50:00Z',
        want: ['2024-11-03T05:00:00Z', '2024-11-03T05:30:00Z', '2024-11-03T07:00:00Z', '2024-11-03T07:30:00Z'],
        options: NY,
      },
      { name: 'after the first 01:30, the second 01:30 is skipped', expr: 'cron(30 1 * * ? *)', after: '2024-11-03T05:30:00Z', want: ['2024-11-04T06:30:00Z'], options: NY },
      {
        name: 'the skipped hour is jumped',
        expr: 'cron(0/30 * * * ? *)',
        after: '2024-03-10T06:10:00Z',
        want: ['2024-03-10T06:30:00Z', '2024-03-10T07:00:00Z', '2024-03-10T07:30:00Z'],
        options: NY,
      },
      { name: 'every minute through fall-back', expr: 'cron(* * * * ? *)', after: '2024-11-03T05:58:00Z', want: ['2024-11-03T05:59:00Z', '2024-11-03T07:00:00Z', '2024-11-03T07:01:00Z'], options: NY },
      { name: 'weekday 09:00 across spring-forward', expr: 'cron(0 9 ? * MON-FRI *)', after: '2024-03-08T00:00:00Z', want: ['2024-03-08T14:00:00Z', '2024-03-11T13:00:00Z', '2024-03-12T13:00:00Z'], options: NY },
      { name: 'weekday 09:00 across fall-back', expr: 'cron(0 9 ? * MON-FRI *)', after: '2024-11-01T00:00:00Z', want: ['2024-11-01T13:00:00Z', '2024-11-04T14:00:00Z'], options: NY },
      { name: 'the local date decides the weekday (Fri 21:00 EDT is Sat 01:00 UTC)', expr: 'cron(0 21 ? * FRI *)', after: '2024-06-01T00:00:00Z', want: ['2024-06-01T01:00:00Z', '2024-06-08T01:00:00Z'], options: NY },
      { name: 'London spring-forward skips 01:30', expr: 'cron(30 1 * * ? *)', after: '2024-03-30T12:00:00Z', want: ['2024-04-01T00:30:00Z'], options: { timezone: 'Europe/London' } },
      { name: 'Lord Howe 30-minute DST gap (02:00→02:30)', expr: 'cron(15 2 * * ? *)', after: '2024-10-05T00:00:00Z', want: ['2024-10-06T15:15:00Z'], options: { timezone: 'Australia/Lord_Howe' } },
      { name: 'Lord Howe 30-minute repeat (02:00→01:30)', expr: 'cron(45 1 * * ? *)', after: '2024-04-06T00:00:00Z', want: ['2024-04-06T14:45:00Z', '2024-04-07T15:15:00Z'], options: { timezone: 'Australia/Lord_Howe' } },
      { name: 'Kolkata (+05:30, no DST)', expr: 'cron(0 9 * * ? *)', after: '2024-01-01T00:00:00Z', want: ['2024-01-01T03:30:00Z', '2024-01-02T03:30:00Z'], options: { timezone: 'Asia/Kolkata' } },
    ]);
  });

  describe('StartTime / EndTime', () => {
    runFireCases([
      { name: 'StartTime is inclusive', expr: 'cron(0 * * * ? *)', after: '2024-01-01T00:00:00Z', want: ['2024-01-01T10:00:00Z', '2024-01-01T11:00:00Z'], options: { startTime: ms('2024-01-01T10:00:00Z') } },
      { name: 'StartTime mid-hour', expr: 'cron(0 * * * ? *)', after: '2024-01-01T00:00:00Z', want: ['2024-01-01T11:00:00Z'], options: { startTime: ms('2024-01-01T10:00:01Z') } },
      {
        name: 'EndTime is inclusive and ends the sequence',
        expr: 'cron(0 * * * ? *)',
        after: '2024-01-01T09:30:00Z',
        want: ['2024-01-01T10:00:00Z', '2024-01-01T11:00:00Z', '2024-01-01T12:00:00Z'],
        options: { endTime: ms('2024-01-01T12:00:00Z') },
      },
    ]);
    it('no fire time after EndTime', () => {
      const p = parseSchedule('cron(0 * * * ? *)');
      expect(nextFireTime(p, ms('2024-01-01T12:00:00Z'), { endTime: ms('2024-01-01T12:30:00Z') })).to.equal(undefined);
      expect(nextFireTimes(p, ms('2024-01-01T09:30:00Z'), 10, { endTime: ms('2024-01-01T12:00:00Z') })).to.have.length(3);
    });
    it('a sparse schedule stops searching at EndTime', () => {
      const p = parseSchedule('cron(0 0 29 2 ? *)');
      expect(nextFireTime(p, ms('2024-03-01T00:00:00Z'), { endTime: ms('2025-01-01T00:00:00Z') })).to.equal(undefined);
    });
  });

  describe('at()', () => {
    const cases: [name: string, expr: string, after: string, options: ScheduleOptions, want: string | undefined][] = [
      ['UTC', 'at(2024-06-01T12:00:00)', '2024-01-01T00:00:00Z', {}, '2024-06-01T12:00:00Z'],
      ['fires once: not after itself', 'at(2024-06-01T12:00:00)', '2024-06-01T12:00:00Z', {}, undefined],
      ['just before', 'at(2024-06-01T12:00:00)', '2024-06-01T11:59:59Z', {}, '2024-06-01T12:00:00Z'],
      ['seconds are floored to the minute', 'at(2024-06-01T12:00:45)', '2024-01-01T00:00:00Z', {}, '2024-06-01T12:00:00Z'],
      ['New York summer (EDT)', 'at(2024-06-01T12:00:00)', '2024-01-01T00:00:00Z', NY, '2024-06-01T16:00:00Z'],
      ['New York winter (EST)', 'at(2024-01-15T12:00:00)', '2024-01-01T00:00:00Z', NY, '2024-01-15T17:00:00Z'],
      ['in the DST gap: shifted forward by the gap (03:30 EDT)', 'at(2024-03-10T02:30:00)', '2024-01-01T00:00:00Z', NY, '2024-03-10T07:30:00Z'],
      ['in the repeated hour: the first occurrence (EDT)', 'at(2024-11-03T01:30:00)', '2024-01-01T00:00:00Z', NY, '2024-11-03T05:30:00Z'],
      ['before StartTime', 'at(2024-06-01T12:00:00)', '2024-01-01T00:00:00Z', { startTime: ms('2024-06-02T00:00:00Z') }, undefined],
      ['after EndTime', 'at(2024-06-01T12:00:00)', '2024-01-01T00:00:00Z', { endTime: ms('2024-05-31T00:00:00Z') }, undefined],
      ['at EndTime', 'at(2024-06-01T12:00:00)', '2024-01-01T00:00:00Z', { endTime: ms('2024-06-01T12:00:00Z') }, '2024-06-01T12:00:00Z'],
    ];
    for (const [name, expr, after, options, want] of cases) {
      it(`${name}: ${expr}`, () => {
        const t = nextFireTime(parseSchedule(expr), ms(after), options);
        expect(t === undefined ? undefined : iso([t])[0]).to.equal(want);
      });
    }
  });

  describe('rate()', () => {
    const A = '2024-01-01T00:00:00Z';
    runFireCases([
      { name: 'the anchor itself is the first occurrence', expr: 'rate(5 minutes)', after: '2023-12-31T23:59:59Z', want: ['2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z', '2024-01-01T00:10:00Z'], options: { anchorMs: ms(A) } },
      { name: 'strictly after the anchor', expr: 'rate(5 minutes)', after: A, want: ['2024-01-01T00:05:00Z', '2024-01-01T00:10:00Z'], options: { anchorMs: ms(A) } },
      { name: 'mid-period', expr: 'rate(1 hour)', after: '2024-01-01T03:17:00Z', want: ['2024-01-01T04:00:00Z', '2024-01-01T05:00:00Z'], options: { anchorMs: ms(A) } },
      { name: 'the anchor is floored to the minute', expr: 'rate(10 minutes)', after: A, want: ['2024-01-01T00:10:00Z'], options: { anchorMs: ms('2024-01-01T00:00:37Z') } },
      {
        name: 'StartTime overrides the creation time',
        expr: 'rate(5 minutes)',
        after: A,
        want: ['2024-01-01T00:02:00Z', '2024-01-01T00:07:00Z'],
        options: { anchorMs: ms(A), startTime: ms('2024-01-01T00:02:00Z') },
      },
      {
        name: 'days are 24 h of elapsed time, whatever the time zone',
        expr: 'rate(1 day)',
        after: '2024-03-09T00:00:00Z',
        want: ['2024-03-09T12:00:00Z', '2024-03-10T12:00:00Z', '2024-03-11T12:00:00Z'],
        options: { anchorMs: ms('2024-03-08T12:00:00Z'), timezone: 'America/New_York' },
      },
      {
        name: 'EndTime ends it',
        expr: 'rate(1 hour)',
        after: '2023-12-31T00:00:00Z',
        want: ['2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z'],
        options: { anchorMs: ms(A), endTime: ms('2024-01-01T01:30:00Z') },
      },
    ]);
    it('needs StartTime or the creation time', () => {
      expect(() => nextFireTime(parseSchedule('rate(5 minutes)'), 0)).to.throw(TypeError, 'anchorMs');
    });
  });

  describe('time zones', () => {
    it('rejects an unknown time zone with ValidationException on spec.Timezone', () => {
      for (const call of [
        () => validateTimezone('Mars/Olympus_Mons'),
        () => nextFireTime(parseSchedule('cron(0 9 * * ? *)'), 0, { timezone: 'Mars/Olympus_Mons' }),
        () => nextFireTime(parseSchedule('at(2024-01-01T00:00:00)'), 0, { timezone: 'Nope' }),
      ]) {
        expect(call).to.throw(EcsError, 'time zone').with.property('field', 'spec.Timezone');
      }
    });
    for (const tz of ['UTC', 'Etc/GMT+9', 'Pacific/Tahiti', 'America/New_York', 'Asia/Kolkata']) {
      it(`accepts ${tz}`, () => expect(() => validateTimezone(tz)).to.not.throw());
    }
  });

  describe('agrees with cron-parser where both apply (no W/year, no DST-gap hours)', function () {
    this.timeout(10_000); // cron-parser itself takes a few hundred ms per case
    // [aws, unix, time zones, fire times to compare] — daily ones span both 2024 DST changes.
    const pairs: [aws: string, unix: string, timezones: string[], count: number][] = [
      ['cron(0 9 * * ? *)', '0 9 * * *', ['UTC', 'America/New_York', 'Europe/Berlin'], 320],
      ['cron(*/7 * * * ? *)', '*/7 * * * *', ['UTC'], 300],
      ['cron(5-20/5 3,15 ? * MON-FRI *)', '5-20/5 3,15 * * 1-5', ['UTC', 'America/New_York'], 300],
      ['cron(0 12 L * ? *)', '0 12 L * *', ['UTC', 'Asia/Tokyo'], 60],
      ['cron(30 6 ? * 2#1 *)', '30 6 * * 1#1', ['UTC', 'America/New_York'], 60],
      ['cron(0 0 1 JAN,JUL ? *)', '0 0 1 1,7 *', ['UTC', 'Australia/Sydney'], 40],
      ['cron(45 17 ? * 6L *)', '45 17 * * 5L', ['UTC', 'America/Los_Angeles'], 60],
      ['cron(0 */4 ? * SAT,SUN *)', '0 */4 * * 0,6', ['UTC', 'America/New_York'], 400],
      ['cron(15 10 1-7 * ? *)', '15 10 1-7 * *', ['UTC', 'Europe/London'], 100],
    ];
    const start = ms('2024-01-01T00:00:00Z');
    for (const [aws, unix, timezones, count] of pairs) {
      for (const tz of timezones) {
        it(`${aws} ≡ '${unix}' in ${tz} (${count} fire times)`, () => {
          const ours = nextFireTimes(parseSchedule(aws), start, count, { timezone: tz });
          const theirs = CronExpressionParser.parse(unix, { currentDate: new Date(start), tz })
            .take(count)
            .map((d) => d.getTime());
          expect(iso(ours)).to.deep.equal(iso(theirs));
        });
      }
    }
  });
});
