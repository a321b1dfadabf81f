/**
 * Syntax check of Application Auto Scaling schedule expressions (ecs-semantics §7): `at(yyyy-mm-ddThh:mm:ss)`,
 * `rate(N minute[s]|hour[s]|day[s])`, `cron(min hour day-of-month month day-of-week year)` with EventBridge's
 * field syntax. Evaluation (next fire time) lives elsewhere; this only says whether the text is well-formed.
 */

import { capValue } from '../errors.js';

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Extra single-token forms allowed in this field. */
  special: RegExp;
}

const FIELDS: Field[] = [
  { name: 'minutes', min: 0, max: 59, special: /^$/ },
  { name: 'hours', min: 0, max: 23, special: /^$/ },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS, special: /^$/ },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/ },
  { name: 'year', min: 1970, max: 2199, special: /^$/ },
];

/** An error message, or undefined when `schedule` is well-formed. */
export function scheduleSyntaxError(schedule: string): string | undefined {
  const at = AT.exec(schedule);
  if (at) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number);
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    const valid = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
    return valid ? undefined : `Invalid date in schedule '${capValue(schedule)}'.`;
  }
  if (schedule.startsWith('at(')) return `Invalid at() schedule '${capValue(schedule)}': use at(yyyy-mm-ddThh:mm:ss).`;
  const rate = RATE.exec(schedule);
  if (rate) return Number(rate[1]) >= 1 ? undefined : `Invalid rate() schedule '${capValue(schedule)}': the value must be at least 1.`;
  if (schedule.startsWith('rate(')) return `Invalid rate() schedule '${capValue(schedule)}': use rate(N minute[s]|hour[s]|day[s]).`;
  const cron = CRON.exec(schedule);
  if (cron) return cronError(cron[1].trim().split(/\s+/), schedule);
  return `Invalid schedule '${capValue(schedule)}': use at(...), rate(...) or cron(...).`;
}

function cronError(fields: string[], schedule: string): string | undefined {
  if (fields.length !== 6) return `Invalid cron() schedule '${capValue(schedule)}': expected 6 fields (minutes hours day-of-month month day-of-week year).`;
  for (let i = 0; i < 6; i++) {
    const f = FIELDS[i];
    if (!fields[i].split(',').every((part) => validPart(part.toUpperCase(), f))) {
      return `Invalid cron() schedule '${capValue(schedule)}': bad ${f.name} field '${capValue(fields[i])}'.`;
    }
  }
  // EventBridge: exactly one of day-of-month and day-of-week is '?'.
  if ((fields[2] === '?') === (fields[4] === '?')) {
    return `Invalid cron() schedule '${capValue(schedule)}': use '?' in exactly one of day-of-month and day-of-week.`;
  }
  return undefined;
}

function validPart(part: string, f: Field): boolean {
  if (part === '*' || f.special.test(part)) return true;
  const [range, step, extra] = part.split('/');
  if (extra !== undefined) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return false;
  if (range === '*') return step !== undefined;
  const [from, to, more] = range.split('-');
  if (more !== undefined) return false;
  return value(from, f) !== undefined && (to === undefined || value(to, f) !== undefined);
}

function value(token: string, f: Field): number | undefined {
  const named = f.names?.indexOf(token) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(token)) return undefined;
  const n = Number(token);
  return n >= f.min && n <= f.max ? n : undefined;
}
