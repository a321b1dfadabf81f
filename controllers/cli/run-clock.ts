/**
 * `ecsplane run`'s clock: real (default), scaled (`--time-scale N`: virtual time N× faster than
 * real) or manual (`--clock manual`: time moves only through `POST /_ecsplane/clock`). Checked
 * before anything starts, so a bad value is a usage error.
 */
import type { App } from '../register.js';
import { MAX_TIME_SCALE, RealClock, ScaledClock, VirtualClock, type Clock } from '../runtime/clock.js';
import { ManualTime } from '../runtime/manual-time.js';
import type { ClockControl } from '../aws/ecsplane-endpoints.js';

export interface ClockRunOptions {
  clock?: string;
  timeScale?: string | number;
  api?: boolean;
}

export interface RunClock {
  clock: Clock;
  control: ClockControl;
  /** Safety-net resync: off on the manual clock (each would be work inside a move). */
  resyncMs: number;
  /** Start the loops (manual: drained on demand instead of async workers). */
  startLoops(app: App): void;
  stop(): void;
}

export function chooseRunClock(opts: ClockRunOptions): RunClock {
  const mode = opts.clock ?? 'real';
  if (mode !== 'real' && mode !== 'manual') throw new Error(`--clock must be "real" or "manual", got ${JSON.stringify(String(mode).slice(0, 40))}`);
  const scale = parseTimeScale(opts.timeScale);
  if (mode === 'manual') {
    if (opts.timeScale !== undefined && scale !== 1) throw new Error('--time-scale and --clock manual exclude each other: a manual clock moves only through POST /_ecsplane/clock');
    if (opts.api === false) throw new Error('--clock manual needs the AWS API (time moves through POST /_ecsplane/clock on it): drop --no-api');
    const clock = new VirtualClock(Math.floor(Date.now() / 1000) * 1000);
    const control: ClockControl = { mode: 'manual', scale: 0 };
    return {
      clock,
      control,
      resyncMs: 0,
      startLoops(app) {
        control.manual = new ManualTime(clock, app.manager, (err) => process.stderr.write(`ecsplane: ${String(err)}\n`));
        control.manual.start();
      },
      stop: () => control.manual?.stop(),
    };
  }
  const clock = scale === 1 ? new RealClock() : new ScaledClock(scale);
  return {
    clock,
    control: { mode: scale === 1 ? 'real' : 'scaled', scale },
    resyncMs: 5 * 60_000,
    startLoops: (app) => app.manager.start(),
    stop: () => clock.cancelAll(),
  };
}

export function parseTimeScale(v: string | number | undefined): number {
  if (v === undefined) return 1;
  const n = typeof v === 'number' ? v : /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (!(n > 0 && n <= MAX_TIME_SCALE)) throw new Error(`--time-scale must be a number > 0 and <= ${MAX_TIME_SCALE} (virtual seconds per real second), got ${JSON.stringify(String(v).slice(0, 40))}`);
  return n;
}
