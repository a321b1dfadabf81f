/**
 * Application Auto Scaling scheduled-action schedules (ecs-semantics §7): `at(...)`, `rate(...)` and the
 * AWS six-field `cron(...)`, evaluated in an IANA time zone with optional StartTime/EndTime, at one-minute
 * resolution. Pure: no clock; time zone rules come from the runtime's Intl data.
 *
 * cron() is hand-written rather than delegated to cron-parser: cron-parser has no year field and no `W`,
 * reads a bare `L` in day-of-week as an error, numbers weekdays 0–6 and, at DST changes, fires skipped
 * wall-clock times after the jump and repeats some in the repeated hour, where the documented AWS scheduler
 * behaviour is "skipped / once". The tests use cron-parser as an oracle where the two agree.
 * The rules chosen for unverified points are in docs/scaling.md ("Schedules").
 */
import { EcsError, ErrorType } from '../../api/errors.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SCHEDULE_FIELD = 'spec.Schedule';
const TIMEZONE_FIELD = 'spec.Timezone';

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type RateUnit = 'minute' | 'hour' | 'day';

export interface DayOfMonthSpec {
  /** Plain days 1–31. */
  days: number[];
  /** `L` (0) and `L-n` (n): the day `n` days before the last day of the month. */
  lastOffsets: number[];
  /** `LW`: the last weekday (Mon–Fri) of the month. */
  lastWeekday: boolean;
  /** `nW`: the weekday nearest day n, within the same month. */
  nearestWeekdays: number[];
}

export interface DayOfWeekSpec {
  /** Weekdays 1–7 (1 = SUN … 7 = SAT); a bare `L` means 7. */
  days: number[];
  /** `nL`: the last weekday n of the month. */
  lastOfMonth: number[];
  /** `n#k`: the k-th weekday n of the month (k 1–5). */
  nth: { day: number; k: number }[];
}

export interface CronSpec {
  minutes: number[];
  hours: number[];
  /** null when the field is `?`. */
  dayOfMonth: DayOfMonthSpec | null;
  months: number[];
  /** null when the field is `?`. */
  dayOfWeek: DayOfWeekSpec | null;
  years: number[];
}

export type ParsedSchedule =
  | { kind: 'at'; expression: string; at: LocalDateTime }
  | { kind: 'rate'; expression: string; value: number; unit: RateUnit; periodMs: number }
  | { kind: 'cron'; expression: string; cron: CronSpec };

export interface ScheduleOptions {
  /** IANA time zone for at() and cron(); default UTC. rate() ignores it (elapsed time). */
  timezone?: string;
  /** StartTime, epoch ms: no fire time before it; rate() counts from it. */
  startTime?: number;
  /** EndTime, epoch ms: no fire time after it. */
  endTime?: number;
  /** rate() without StartTime counts from here (the time the scheduled action was created), epoch ms. */
  anchorMs?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

function invalid(expression: string, detail: string): EcsError {
  return new EcsError(ErrorType.Validation, `Invalid schedule expression '${expression}': ${detail}`, SCHEDULE_FIELD);
}

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES: Readonly<Record<string, number>> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12,
};
const DAY_NAMES: Readonly<Record<string, number>> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES },
  year: { name: 'year', min: 1970, max: 2199 },
} as const satisfies Record<string, FieldDef>;

function parseValue(token: string, def: FieldDef, expression: string): number {
  let v: number | undefined;
  if (/^\d+$/.test(token)) v = Number(token);
  else if (def.names) v = def.names[token];
  if (v === undefined) throw invalid(expression, `invalid value '${token}' in the ${def.name} field`);
  if (v < def.min || v > def.max) {
    throw invalid(expression, `value ${v} is out of range ${def.min}-${def.max} in the ${def.name} field`);
  }
  return v;
}

/** `*`, `v`, `a-b`, each optionally with `/step`; a range with a > b wraps around (e.g. FRI-MON, 22-2). */
function parseRangeStep(part: string, def: FieldDef, expression: string, into: Set<number>): void {
  const [base, stepText, extra] = part.split('/');
  if (extra !== undefined || base === '') throw invalid(expression, `invalid element '${part}' in the ${def.name} field`);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
      throw invalid(expression, `invalid step '${stepText}' in the ${def.name} field`);
    }
    step = Number(stepText);
  }
  let from: number;
  let to: number;
  if (base === '*') {
    from = def.min;
    to = def.max;
  } else if (base.includes('-')) {
    const bounds = base.split('-');
    if (bounds.length !== 2) throw invalid(expression, `invalid range '${base}' in the ${def.name} field`);
    from = parseValue(bounds[0], def, expression);
    to = parseValue(bounds[1], def, expression);
  } else {
    from = parseValue(base, def, expression);
    to = stepText === undefined ? from : def.max;
  }
  const size = def.max - def.min + 1;
  const length = (to >= from ? to - from : to - from + size) + 1;
  for (let i = 0; i < length; i += step) into.add(((from - def.min + i) % size) + def.min);
}

function sorted(set: Set<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

function parseSimpleField(text: string, def: FieldDef, expression: string): number[] {
  const out = new Set<number>();
  for (const part of text.toUpperCase().split(',')) {
    if (part === '?' || /[LW#]/.test(part.replace(/[A-Z]{3}/g, 'X'))) {
      throw invalid(expression, `'${part}' is not allowed in the ${def.name} field`);
    }
    parseRangeStep(part, def, expression, out);
  }
  return sorted(out);
}

function parseDayOfMonth(text: string, expression: string): DayOfMonthSpec {
  const def = FIELDS.dayOfMonth;
  const days = new Set<number>();
  const lastOffsets = new Set<number>();
  const nearest = new Set<number>();
  let lastWeekday = false;
  for (const part of text.toUpperCase().split(',')) {
    let m: RegExpMatchArray | null;
    if (part === 'L') lastOffsets.add(0);
    else if (part === 'LW') lastWeekday = true;
    else if ((m = part.match(/^L-(\d+)$/))) {
      const n = Number(m[1]);
      if (n > 30) throw invalid(expression, `offset ${n} in '${part}' is out of range 0-30 in the day-of-month field`);
      lastOffsets.add(n);
    } else if ((m = part.match(/^(\d+)W$/))) nearest.add(parseValue(m[1], def, expression));
    else if (part === '?') throw invalid(expression, `'?' must be the whole day-of-month field`);
    else if (/[LW#]/.test(part)) throw invalid(expression, `invalid element '${part}' in the day-of-month field`);
    else parseRangeStep(part, def, expression, days);
  }
  return { days: sorted(days), lastOffsets: sorted(lastOffsets), lastWeekday, nearestWeekdays: sorted(nearest) };
}

function parseDayOfWeek(text: string, expression: string): DayOfWeekSpec {
  const def = FIELDS.dayOfWeek;
  const days = new Set<number>();
  const last = new Set<number>();
  const nth = new Map<string, { day: number; k: number }>();
  for (const part of text.toUpperCase().split(',')) {
    let m: RegExpMatchArray | null;
    if (part === 'L') days.add(7);
    else if ((m = part.match(/^(\d+|[A-Z]{3})L$/))) last.add(parseValue(m[1], def, expression));
    else if ((m = part.match(/^(\d+|[A-Z]{3})#(\d+)$/))) {
      const day = parseValue(m[1], def, expression);
      const k = Number(m[2]);
      if (k < 1 || k > 5) throw invalid(expression, `'${part}': the occurrence after # must be 1-5`);
      nth.set(`${day}#${k}`, { day, k });
    } else if (part === '?') throw invalid(expression, `'?' must be the whole day-of-week field`);
    else if (/[LW#]/.test(part.replace(/[A-Z]{3}/g, 'X'))) {
      throw invalid(expression, `invalid element '${part}' in the day-of-week field`);
    } else parseRangeStep(part, def, expression, days);
  }
  const nthList = [...nth.values()].sort((a, b) => a.day - b.day || a.k - b.k);
  return { days: sorted(days), lastOfMonth: sorted(last), nth: nthList };
}

function parseCron(body: string, expression: string): CronSpec {
  const fields = body.trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 6) {
    throw invalid(
      expression,
      `expected 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
    );
  }
  const [min, hour, dom, month, dow, year] = fields;
  const domAny = dom === '?';
  const dowAny = dow === '?';
  if (domAny && dowAny) throw invalid(expression, 'day-of-month and day-of-week cannot both be ?');
  if (!domAny && !dowAny) {
    throw invalid(expression, 'day-of-month and day-of-week cannot both be specified; use ? in one of them');
  }
  return {
    minutes: parseSimpleField(min, FIELDS.minutes, expression),
    hours: parseSimpleField(hour, FIELDS.hours, expression),
    dayOfMonth: domAny ? null : parseDayOfMonth(dom, expression),
    months: parseSimpleField(month, FIELDS.month, expression),
    dayOfWeek: dowAny ? null : parseDayOfWeek(dow, expression),
    years: parseSimpleField(year, FIELDS.year, expression),
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseAt(body: string, expression: string): LocalDateTime {
  const m = body.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/);
  if (!m) throw invalid(expression, 'expected at(yyyy-mm-ddThh:mm:ss)');
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (month < 1 || month > 12) throw invalid(expression, `month ${month} is out of range 1-12`);
  if (day < 1 || day > daysInMonth(year, month)) throw invalid(expression, `day ${day} does not exist in ${m[1]}-${m[2]}`);
  if (hour > 23 || minute > 59 || second > 59) throw invalid(expression, `time ${m[4]}:${m[5]}:${m[6]} is invalid`);
  return { year, month, day, hour, minute, second };
}

const RATE_UNITS: Readonly<Record<string, RateUnit>> = {
  minute: 'minute', minutes: 'minute', hour: 'hour', hours: 'hour', day: 'day', days: 'day',
};
const UNIT_MS: Readonly<Record<RateUnit, number>> = { minute: MINUTE, hour: HOUR, day: DAY };

function parseRate(body: string, expression: string): { value: number; unit: RateUnit; periodMs: number } {
  const m = body.trim().match(/^(\S+)\s+(\S+)$/);
  if (!m) throw invalid(expression, 'expected rate(value unit), e.g. rate(5 minutes)');
  if (!/^\d+$/.test(m[1]) || Number(m[1]) < 1 || !Number.isSafeInteger(Number(m[1]))) {
    throw invalid(expression, `the rate value '${m[1]}' must be a positive integer`);
  }
  const unit = RATE_UNITS[m[2]];
  if (!unit) throw invalid(expression, `the rate unit '${m[2]}' must be minute(s), hour(s) or day(s)`);
  const value = Number(m[1]);
  return { value, unit, periodMs: value * UNIT_MS[unit] };
}

/**
 * Parses `at(yyyy-mm-ddThh:mm:ss)`, `rate(N minute|minutes|hour|hours|day|days)` or
 * `cron(minutes hours day-of-month month day-of-week year)`.
 * Throws EcsError(ValidationException, field 'spec.Schedule') with the reason.
 */
export function parseSchedule(expression: string): ParsedSchedule {
  // The loops ask again for every evaluation of every action (a day of 400 actions: millions of
  // calls); the result depends on the string alone, so it is kept (errors are not: they throw).
  let parsed = parsedSchedules.get(expression);
  if (!parsed) {
    parsed = parseScheduleOnce(expression);
    if (parsedSchedules.size >= MAX_CACHED) parsedSchedules.clear();
    parsedSchedules.set(expression, parsed);
  }
  return parsed;
}

const MAX_CACHED = 10_000;
const parsedSchedules = new Map<string, ParsedSchedule>();
const zones = new Map<string, Zone>();

function parseScheduleOnce(expression: string): ParsedSchedule {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new EcsError(ErrorType.Validation, 'The schedule expression must not be empty', SCHEDULE_FIELD);
  }
  const expr = expression.trim();
  const m = expr.match(/^(at|rate|cron)\((.*)\)$/s);
  if (!m) throw invalid(expression, 'expected at(...), rate(...) or cron(...)');
  switch (m[1]) {
    case 'at':
      return { kind: 'at', expression: expr, at: parseAt(m[2], expression) };
    case 'rate':
      return { kind: 'rate', expression: expr, ...parseRate(m[2], expression) };
    default:
      return { kind: 'cron', expression: expr, cron: parseCron(m[2], expression) };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Time zones

interface Zone {
  /** Local wall-clock time at `ms`, as epoch ms of the same wall time in UTC. */
  wallAt(ms: number): number;
}

/** One Zone per time zone name: building an Intl.DateTimeFormat costs ~50 µs, and every evaluation needs one. */
function makeZone(timezone: string): Zone {
  let zone = zones.get(timezone);
  if (!zone) {
    zone = timezone === 'UTC' ? UTC_ZONE : buildZone(timezone);
    if (zones.size >= MAX_CACHED) zones.clear();
    zones.set(timezone, zone);
  }
  return zone;
}

/** UTC's wall time is the instant itself, to the second (what formatToParts gives for 'UTC'). */
const UTC_ZONE: Zone = { wallAt: (ms) => Math.floor(ms / 1000) * 1000 };

function buildZone(timezone: string): Zone {
  let dtf: Intl.DateTimeFormat;
  try {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new EcsError(ErrorType.Validation, `Unknown time zone '${timezone}'; use an IANA name such as America/New_York`, TIMEZONE_FIELD);
  }
  return {
    wallAt(ms: number): number {
      const p: Record<string, number> = {};
      for (const part of dtf.formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    },
  };
}

/** Throws EcsError(ValidationException, field 'spec.Timezone') unless `timezone` is a known IANA zone. */
export function validateTimezone(timezone: string): void {
  makeZone(timezone);
}

function offsetAt(zone: Zone, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return zone.wallAt(whole) - whole;
}

type Resolved = { kind: 'ok' | 'ambiguous'; ms: number } | { kind: 'gap'; shiftedMs: number };

/**
 * The instant(s) of a local wall-clock time. Ambiguous times (repeated hour) resolve to the earlier
 * instant; a time in a gap (skipped hour) reports the instant it would have with the offset before the
 * change, which is the wall time shifted forward by the gap length (java.time's rule).
 */
function resolveWall(zone: Zone, wall: number): Resolved {
  const before = offsetAt(zone, wall - DAY);
  const after = offsetAt(zone, wall + DAY);
  const candidates = before === after ? [wall - before] : [wall - before, wall - after];
  const valid = candidates.filter((t) => offsetAt(zone, t) === wall - t).sort((a, b) => a - b);
  if (valid.length === 0) return { kind: 'gap', shiftedMs: wall - before };
  return { kind: valid.length > 1 ? 'ambiguous' : 'ok', ms: valid[0] };
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation

/** 1 = SUN … 7 = SAT for a calendar date. */
function awsWeekday(year: number, month: number, day: number): number {
  const dayIndex = Math.floor(Date.UTC(year, month - 1, day) / DAY);
  return ((((dayIndex + 4) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (JS day 4)
}

function isWeekend(wd: number): boolean {
  return wd === 1 || wd === 7;
}

function nearestWeekday(n: number, year: number, month: number, dim: number): number | undefined {
  if (n > dim) return undefined;
  const wd = awsWeekday(year, month, n);
  if (wd === 7) return n === 1 ? 3 : n - 1; // Saturday: Friday before, or Monday the 3rd
  if (wd === 1) return n === dim ? n - 2 : n + 1; // Sunday: Monday after, or Friday before at month end
  return n;
}

function dayMatches(spec: CronSpec, year: number, month: number, day: number, dim: number): boolean {
  const dom = spec.dayOfMonth;
  if (dom) {
    if (dom.days.includes(day)) return true;
    if (dom.lastOffsets.some((off) => dim - off === day)) return true;
    if (dom.lastWeekday) {
      const wd = awsWeekday(year, month, dim);
      const lastWeekday = wd === 7 ? dim - 1 : wd === 1 ? dim - 2 : dim;
      if (day === lastWeekday) return true;
    }
    return dom.nearestWeekdays.some((n) => nearestWeekday(n, year, month, dim) === day);
  }
  const dow = spec.dayOfWeek!;
  const wd = awsWeekday(year, month, day);
  if (dow.days.includes(wd)) return true;
  if (dow.lastOfMonth.includes(wd) && day + 7 > dim) return true;
  return dow.nth.some((x) => x.day === wd && Math.ceil(day / 7) === x.k);
}

/** The first fire time on one local date at or after `lower`, or undefined. */
function firstOnDay(spec: CronSpec, zone: Zone, year: number, month: number, day: number, lower: number): number | undefined {
  const dayWall = Date.UTC(year, month - 1, day);
  const offsetBefore = offsetAt(zone, dayWall - DAY);
  const offsetAfter = offsetAt(zone, dayWall + 2 * DAY);
  const uniform = offsetBefore === offsetAfter;
  const smallestOffset = Math.min(offsetBefore, offsetAfter);
  for (const h of spec.hours) {
    for (const m of spec.minutes) {
      const wall = dayWall + h * HOUR + m * MINUTE;
      let t: number;
      if (uniform) t = wall - offsetBefore;
      else {
        if (wall - smallestOffset < lower) continue; // every instant of this wall time is before `lower`
        const r = resolveWall(zone, wall);
        if (r.kind === 'gap') continue; // skipped wall-clock time: no fire
        t = r.ms; // repeated wall-clock time: fires once, at the first occurrence
      }
      if (t >= lower) return t;
    }
  }
  return undefined;
}

function nextCron(spec: CronSpec, zone: Zone, lower: number, end: number): number | undefined {
  const years = spec.years;
  const wall = new Date(zone.wallAt(lower));
  let y = wall.getUTCFullYear();
  let mo = wall.getUTCMonth() + 1;
  let d = wall.getUTCDate();
  for (;;) {
    if (!years.includes(y)) {
      const ny = years.find((v) => v > y);
      if (ny === undefined) return undefined;
      [y, mo, d] = [ny, 1, 1];
      continue;
    }
    if (!spec.months.includes(mo)) {
      const nm = spec.months.find((v) => v > mo);
      if (nm === undefined) [y, mo, d] = [y + 1, 1, 1];
      else [mo, d] = [nm, 1];
      continue;
    }
    const dim = daysInMonth(y, mo);
    if (d > dim) {
      if (mo === 12) [y, mo, d] = [y + 1, 1, 1];
      else [mo, d] = [mo + 1, 1];
      continue;
    }
    // Local midnight is never earlier than wall − 14 h (the largest UTC offset).
    if (Date.UTC(y, mo - 1, d) - 14 * HOUR > end) return undefined;
    if (dayMatches(spec, y, mo, d, dim)) {
      const t = firstOnDay(spec, zone, y, mo, d, lower);
      if (t !== undefined) return t > end ? undefined : t;
    }
    d++;
  }
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}

/**
 * The first fire time strictly after `afterMs` (epoch ms, whole minutes), within [startTime, endTime], or
 * undefined when there is none.
 * - at(): the local time in `timezone`, floored to the minute; fires once.
 * - rate(): anchor + k × period for k ≥ 0, where anchor = StartTime, else `anchorMs` (the action's
 *   creation time), floored to the minute; elapsed time, so DST does not matter.
 * - cron(): minute by minute in `timezone`; a wall-clock time skipped by DST does not fire, a repeated one
 *   fires once (its first occurrence).
 */
export function nextFireTime(parsed: ParsedSchedule, afterMs: number, options: ScheduleOptions = {}): number | undefined {
  const { startTime, endTime } = options;
  const lower = Math.max(afterMs + 1, startTime ?? -Infinity);
  const end = endTime ?? Infinity;
  switch (parsed.kind) {
    case 'at': {
      const zone = makeZone(options.timezone ?? 'UTC');
      const a = parsed.at;
      const r = resolveWall(zone, Date.UTC(a.year, a.month - 1, a.day, a.hour, a.minute, a.second));
      const t = floorMinute(r.kind === 'gap' ? r.shiftedMs : r.ms);
      return t >= lower && t <= end ? t : undefined;
    }
    case 'rate': {
      const anchorSource = startTime ?? options.anchorMs;
      if (anchorSource === undefined) {
        throw new TypeError('nextFireTime: rate() needs options.startTime or options.anchorMs (the creation time)');
      }
      const anchor = floorMinute(anchorSource);
      const k = lower <= anchor ? 0 : Math.ceil((lower - anchor) / parsed.periodMs);
      const t = anchor + k * parsed.periodMs;
      return t <= end ? t : undefined;
    }
    case 'cron': {
      const zone = makeZone(options.timezone ?? 'UTC');
      return nextCron(parsed.cron, zone, Math.ceil(lower / MINUTE) * MINUTE, end);
    }
  }
}

/** Up to `count` successive fire times after `afterMs` (convenience for previews and tests). */
export function nextFireTimes(
  parsed: ParsedSchedule,
  afterMs: number,
  count: number,
  options: ScheduleOptions = {},
): number[] {
  const out: number[] = [];
  let after = afterMs;
  while (out.length < count) {
    const t = nextFireTime(parsed, after, options);
    if (t === undefined) break;
    out.push(t);
    after = t;
  }
  return out;
}
