/**
 * ecsplane's own endpoints on the AWS API port, for tests of users' code (moto and LocalStack
 * have the like):
 * - `GET /_ecsplane/clock`: the time and how it moves;
 * - `POST /_ecsplane/clock` `{"advance": "5m"}` or `{"to": "<ISO-8601>"}` (manual clock only):
 *   moves time, drains every loop at each due timer as `simulate` does, answers once all are quiet;
 * - `POST /_ecsplane/reset`: empties the store and the front end's own state (test isolation). With
 *   `--state` the empty store is persisted before the answer, like any user write.
 * Bad input is a 400 `InvalidParameterException` naming the field; nothing changes then.
 */
import type { IncomingMessage } from 'node:http';
import { parseDuration } from '../../api/duration.js';
import { EcsError, ErrorType, quoted } from '../../api/errors.js';
import { keyOf } from '../../api/meta.js';
import type { App } from '../register.js';
import { MAX_ADVANCE_MS, type ManualTime } from '../runtime/manual-time.js';
import { toAwsError } from './errors.js';
import type { FrontEndState, RawHandler, RawResponse } from './router.js';

export type ClockMode = 'real' | 'scaled' | 'manual';

/** How `run` (or startEcsplane) keeps time. */
export interface ClockControl {
  mode: ClockMode;
  /** Virtual seconds per real second (1 real, N scaled, 0 manual). */
  scale: number;
  manual?: ManualTime;
}

const PREFIX = '/_ecsplane/';
/** Dependents first, so no moment of the reset holds an object whose owner is already gone. */
const REMOVAL_ORDER = ['Schedule', 'Rule', 'ScheduledAction', 'ScalingPolicy', 'ScalableTarget', 'Task', 'Service', 'TargetGroup', 'TaskDefinitionRevision', 'TaskDefinition', 'ContainerInstance', 'AutoScalingGroup', 'CapacityProvider', 'Cluster'];
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function ecsplaneEndpoints(clock: ClockControl): RawHandler {
  return async (ctx, req, body) => {
    const path = (req.url ?? '').split('?')[0];
    if (!path.startsWith(PREFIX)) return undefined;
    try {
      if (path === `${PREFIX}clock`) {
        if (req.method === 'GET') return json(200, clockState(ctx.app, clock));
        if (req.method === 'POST') return json(200, moveClock(ctx.app, clock, parseBody(body, 'clock')));
        return methodNotAllowed(req, 'GET, POST');
      }
      if (path === `${PREFIX}reset`) {
        if (req.method !== 'POST') return methodNotAllowed(req, 'POST');
        const removed = await resetApp(ctx.app, ctx.extras);
        clock.manual?.drain();
        return json(200, { removed, now: new Date(ctx.app.clock.now()).toISOString() });
      }
      return undefined;
    } catch (err) {
      const e = toAwsError(err);
      return { status: e.status, headers: { 'x-amzn-ErrorType': e.type, 'content-type': 'application/json' }, body: JSON.stringify({ __type: e.type, message: e.message }) };
    }
  };
}

function clockState(app: App, clock: ClockControl) {
  return { now: new Date(app.clock.now()).toISOString(), mode: clock.mode, timeScale: clock.scale };
}

function moveClock(app: App, clock: ClockControl, input: Record<string, unknown>) {
  const manual = clock.manual;
  if (!manual) {
    throw new EcsError(ErrorType.InvalidParameter, `the clock is ${clock.mode} (time scale ${clock.scale}): only \`ecsplane run --clock manual\` moves by request`, 'clock');
  }
  for (const k of Object.keys(input)) if (k !== 'advance' && k !== 'to') throw new EcsError(ErrorType.InvalidParameter, `Unknown parameter ${quoted(k)}: give "advance" (e.g. "5m") or "to" (ISO-8601)`, `clock.${k}`);
  if (('advance' in input) === ('to' in input)) throw new EcsError(ErrorType.InvalidParameter, 'give exactly one of "advance" (e.g. "5m") or "to" (ISO-8601)', 'clock');
  const now = app.clock.now();
  const target = 'advance' in input ? now + parseAdvance(input.advance) : parseMoveTo(input.to, now);
  const from = new Date(now).toISOString();
  const result = manual.advanceTo(target);
  return { from, now: new Date(result.now).toISOString(), advancedMs: result.now - now, reconciles: result.reconciles };
}

/** An `advance` value (`"5m"`, or a number of seconds as everywhere in ecsplane) in ms, at most 30 days. */
export function parseAdvance(v: unknown): number {
  if (typeof v !== 'string' && typeof v !== 'number') throw new EcsError(ErrorType.InvalidParameter, `must be a duration such as "30s", "5m" or "1h30m", got ${quoted(v)}`, 'clock.advance');
  let ms: number;
  try {
    ms = parseDuration(v, 'advance');
  } catch (err) {
    throw new EcsError(ErrorType.InvalidParameter, (err as Error).message, 'clock.advance');
  }
  if (!(ms <= MAX_ADVANCE_MS)) throw new EcsError(ErrorType.InvalidParameter, `must be at most 30d per request, got ${quoted(v)}`, 'clock.advance');
  return Math.round(ms);
}

/** A `to` value: ISO-8601 with a zone, not before `now`, at most 30 days ahead. */
export function parseMoveTo(v: unknown, now: number): number {
  const ms = typeof v === 'string' && ISO_8601.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw new EcsError(ErrorType.InvalidParameter, `must be an ISO-8601 time with a zone, e.g. "2026-01-01T00:05:00Z", got ${quoted(v)}`, 'clock.to');
  if (ms < now) throw new EcsError(ErrorType.InvalidParameter, `${quoted(v)} is in the past (now ${new Date(now).toISOString()}): the clock only moves forward`, 'clock.to');
  if (ms - now > MAX_ADVANCE_MS) throw new EcsError(ErrorType.InvalidParameter, `${quoted(v)} is more than 30d ahead of now (${new Date(now).toISOString()}): move in steps`, 'clock.to');
  return ms;
}

/**
 * Remove every object outright (finalizers and admission are for users' deletes, not for a test
 * wiping its fixture), clear the events and the front end's state, and persist like a user write.
 */
export async function resetApp(app: App, extras?: FrontEndState): Promise<number> {
  const kinds = app.store.kinds().sort((a, b) => rank(a) - rank(b));
  let removed = 0;
  for (const kind of kinds) {
    for (const obj of app.store.list(kind)) {
      app.store.revert(kind, keyOf(obj), undefined);
      removed++;
    }
  }
  app.events.events.length = 0;
  app.load.clear();
  await extras?.clear?.();
  await app.api.persist();
  return removed;
}

function rank(kind: string): number {
  const i = REMOVAL_ORDER.indexOf(kind);
  return i < 0 ? -1 : i;
}

function parseBody(body: string, object: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new EcsError(ErrorType.InvalidParameter, 'request body is not valid JSON', object);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new EcsError(ErrorType.InvalidParameter, `request body must be a JSON object, got ${quoted(v)}`, object);
  return v as Record<string, unknown>;
}

function json(status: number, value: unknown): RawResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function methodNotAllowed(req: IncomingMessage, allow: string): RawResponse {
  const message = `${String(req.method).slice(0, 16)} is not allowed on ${(req.url ?? '').split('?')[0].slice(0, 64)} (allowed: ${allow})`;
  return { status: 405, headers: { allow, 'x-amzn-ErrorType': 'MethodNotAllowedException', 'content-type': 'application/json' }, body: JSON.stringify({ __type: 'MethodNotAllowedException', message }) };
}
