/**
 * Rules shared by the EventBridge Rule and EventBridge Scheduler Schedule kinds: ECS targets
 * (EcsParameters, the RunTask a target makes), schedule expressions, input and JSONPath.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_EcsParameters.html
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_EcsParameters.html
 */
import { capValue } from '../errors.js';
import { scheduleSyntaxError } from './schedule.js';
import { Issues, arr, checkStrategy, isObject, isStr, obj } from './common.js';

export const EVENTS_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
export const EVENTS_NAME_MESSAGE = 'Up to 64 letters, numbers, periods, hyphens and underscores are allowed.';

/** `arn:aws:ecs:<region>:<account>:cluster/<name>` → the cluster name, or undefined. */
export function clusterOfTargetArn(ref: unknown): string | undefined {
  const m = isStr(ref) ? /^arn:[^:]+:ecs:[^:]*:[^:]*:cluster\/([A-Za-z0-9_-]{1,255})$/.exec(ref) : null;
  return m ? m[1] : undefined;
}

/**
 * The schedule expression: the shared at()/rate()/cron() syntax, plus EventBridge's rules that rate() takes
 * the singular unit for 1 and the plural above 1 (`rate(1 hour)`, `rate(5 minutes)`), and (rules) no at().
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export function scheduleExpressionError(expr: string, allowAt: boolean): string | undefined {
  if (!allowAt && expr.startsWith('at(')) return 'at() expressions are not supported by rules; use rate() or cron() (or an EventBridge Scheduler schedule).';
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expr);
  if (rate) {
    const plural = rate[2].endsWith('s');
    if (Number(rate[1]) === 1 && plural) return `the unit must be singular for a value of 1 (rate(1 ${rate[2].slice(0, -1)})).`;
    if (Number(rate[1]) > 1 && !plural) return `the unit must be plural for a value above 1 (rate(${rate[1]} ${rate[2]}s)).`;
  }
  return scheduleSyntaxError(expr);
}

/** A JSONPath as EventBridge input paths use it: `$`, `$.a.b`, `$.a[0].b`, `$.detail['x-y']`. */
const JSON_PATH = /^\$(\.[A-Za-z0-9_$@-]+|\[\d+\]|\['[^']*'\])*$/;
export const isJsonPath = (p: unknown): p is string => isStr(p) && p.length <= 256 && JSON_PATH.test(p);

function isJsonText(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** Input / InputPath / InputTransformer: at most one, each well-formed. */
export function checkTargetInput(t: Record<string, any>, f: string, issues: Issues): void {
  const given = ['Input', 'InputPath', 'InputTransformer'].filter((k) => t[k] !== undefined);
  if (given.length > 1) issues.add(`${f}.${given[1]}`, `Only one of Input, InputPath, or InputTransformer may be specified (target ${capValue(t.Id)}).`);
  if (isStr(t.Input) && !isJsonText(t.Input)) issues.add(`${f}.Input`, 'Input must be valid JSON text.');
  if (t.InputPath !== undefined && !isJsonPath(t.InputPath)) issues.add(`${f}.InputPath`, `Invalid InputPath '${capValue(t.InputPath)}': use a JSONPath such as $.detail.`);
  const tr = t.InputTransformer;
  if (isObject(tr)) {
    for (const [name, path] of Object.entries(obj(tr.InputPathsMap))) {
      if (!isJsonPath(path)) issues.add(`${f}.InputTransformer.InputPathsMap.${name}`, `Invalid JSONPath '${capValue(path)}' for '${capValue(name)}'.`);
    }
    const names = new Set(Object.keys(obj(tr.InputPathsMap)));
    for (const m of isStr(tr.InputTemplate) ? tr.InputTemplate.matchAll(/<([A-Za-z0-9_.-]+)>/g) : []) {
      const n = m[1];
      if (!names.has(n) && !n.startsWith('aws.events.')) issues.add(`${f}.InputTransformer.InputTemplate`, `InputTemplate uses <${capValue(n)}>, which InputPathsMap does not define.`);
    }
  }
}

/** EcsParameters (EventBridge spelling; the Scheduler's is the same apart from casing of nested ECS fields). */
export function checkEcsParameters(p: Record<string, any>, f: string, issues: Issues): void {
  if (p.LaunchType !== undefined && arr(p.CapacityProviderStrategy).length > 0) {
    issues.add(`${f}.LaunchType`, 'LaunchType and CapacityProviderStrategy cannot both be specified.');
  }
  const strategy = arr(p.CapacityProviderStrategy).map((i) => ({ capacityProvider: obj(i).capacityProvider, weight: obj(i).weight, base: obj(i).base }));
  checkStrategy(strategy, `${f}.CapacityProviderStrategy`, issues);
  const subnets = obj(obj(p.NetworkConfiguration).awsvpcConfiguration);
  const list = subnets.Subnets ?? subnets.subnets;
  if (Array.isArray(list) && list.length === 0) issues.add(`${f}.NetworkConfiguration.awsvpcConfiguration`, 'At least one subnet must be specified.');
}

/** Timestamp text or epoch seconds → ms (NaN when neither). */
export function timeOf(x: unknown): number {
  return isStr(x) ? Date.parse(x) : typeof x === 'number' ? x * 1000 : NaN;
}
