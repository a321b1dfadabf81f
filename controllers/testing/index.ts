/**
 * `import { startEcsplane } from 'ecsplane/testing'`: an in-process ecsplane with its AWS API on a
 * free 127.0.0.1 port and a manual clock, for tests of users' own deploy scripts and controllers
 * (docs/testing.md). Time moves only through advance()/advanceTo() (or, opted in, a fixed step
 * per Describe/List call, which is what an SDK waiter's polling needs); the loops answer every
 * call at the instant it is made.
 */
import 'reflect-metadata';
import { EcsError } from '../../api/errors.js';
import type { Resource } from '../../api/meta.js';
import { createApp, type App } from '../register.js';
import { VirtualClock } from '../runtime/clock.js';
import { ManualTime, type AdvanceResult } from '../runtime/manual-time.js';
import { defaultRouter, startAwsServer } from '../aws/server.js';
import { ecsplaneEndpoints, parseAdvance, parseMoveTo, resetApp, type ClockControl } from '../aws/ecsplane-endpoints.js';
import { frontEndState } from '../aws/front-end-state.js';
import { loadManifests } from '../cli/manifests.js';

export type { AdvanceResult } from '../runtime/manual-time.js';

/** Manifests: ecsplane resources (objects), or paths of YAML/JSON files and directories. */
export type Manifests = Resource | Resource[] | string | string[];

export interface StartEcsplaneOptions {
  /** Applied before the call returns (see apply()). */
  manifests?: Manifests;
  /** Placement and id randomness: the same seed and calls give the same tasks. Default 1. */
  seed?: number;
  /** The clock's start. Default: now, to the second. */
  startTime?: Date | string | number;
  /** Region the clients should use (any region works; ARNs take the request's). Default us-east-1. */
  region?: string;
  /**
   * Virtual time added before every Describe* and List* call, as if the caller had waited that
   * long (e.g. "15s", the services-stable waiter's delay). Default: none, time moves only by advance().
   */
  advanceOnPoll?: string | number;
}

export interface Ecsplane {
  /** `http://127.0.0.1:PORT`: pass as the SDK's `endpoint` (or `aws --endpoint-url`). */
  readonly endpoint: string;
  readonly region: string;
  /** Any credentials work (SigV4 is parsed, not verified); these keep the SDK from looking for real ones. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** `{ endpoint, region, credentials }`: `new ECSClient(ecsplane.clientConfig)`. */
  readonly clientConfig: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** The store, loops and clock, for assertions beyond the API. */
  readonly app: App;
  now(): Date;
  /** Move time on ("30s", "5m", "1h30m", or seconds; at most 30 days), running every loop on the way. */
  advance(duration: string | number): Promise<AdvanceResult>;
  /** Move time to an instant (not in the past; ISO-8601 with a zone, or a Date). */
  advanceTo(time: Date | string): Promise<AdvanceResult>;
  /** Create or update resources, as `ecsplane apply`; throws the first ECS error. */
  apply(manifests: Manifests): Promise<void>;
  /** Empty the store (every resource, event and account setting); the clock stays where it is. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEcsplane(opts: StartEcsplaneOptions = {}): Promise<Ecsplane> {
  const region = opts.region ?? 'us-east-1';
  const pollStep = opts.advanceOnPoll === undefined ? 0 : parseAdvance(opts.advanceOnPoll);
  const clock = new VirtualClock(startOf(opts.startTime));
  const app = createApp({ clock, seed: opts.seed ?? 1, deterministicIds: true });
  const manual = new ManualTime(clock, app.manager, (err) => process.stderr.write(`ecsplane/testing: ${String(err)}\n`));
  manual.start();
  const control: ClockControl = { mode: 'manual', scale: 0, manual };
  const extras = frontEndState();
  const server = await startAwsServer(app, {
    host: '127.0.0.1',
    port: 0,
    extras,
    router: defaultRouter().addRawHandler(ecsplaneEndpoints(control)),
    beforeOperation: (op) => {
      if (pollStep && /^(Describe|List)/.test(op)) manual.advanceBy(pollStep);
      else manual.drain();
    },
    afterOperation: () => void manual.drain(),
  });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const apply = async (m: Manifests) => {
    const docs = typeof m === 'string' || (Array.isArray(m) && typeof m[0] === 'string') ? loadManifests(([] as string[]).concat(m as string | string[])) : ([] as Resource[]).concat(m as Resource | Resource[]);
    await app.api.applyAndPersist(docs.filter((d) => d?.kind !== 'Scenario'));
    manual.drain();
  };
  if (opts.manifests !== undefined) {
    try {
      await apply(opts.manifests);
    } catch (err) {
      manual.stop();
      await server.close();
      throw err;
    }
  }
  let stopped = false;
  return {
    endpoint: server.url,
    region,
    credentials,
    clientConfig: { endpoint: server.url, region, credentials },
    app,
    now: () => new Date(clock.now()),
    advance: async (duration) => manual.advanceBy(parseAdvance(duration)),
    advanceTo: async (time) => manual.advanceTo(parseMoveTo(time instanceof Date ? time.toISOString() : time, clock.now())),
    apply,
    async reset() {
      await resetApp(app, extras);
      manual.drain();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      manual.stop();
      await server.close();
      await app.manager.stop();
    },
  };
}

function startOf(t: Date | string | number | undefined): number {
  if (t === undefined) return Math.floor(Date.now() / 1000) * 1000;
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new EcsError('InvalidParameterException', `must be a Date, epoch milliseconds or an ISO-8601 time, got ${String(t).slice(0, 64)}`, 'startTime');
  return ms;
}
