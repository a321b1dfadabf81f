/** `run --time-scale N`: the scaled clock against a fake real-time source (no sleeping). */
import { expect } from 'chai';
import { ScaledClock, RealClock, MAX_TIME_SCALE, type RealTimeSource } from '../../../controllers/runtime/clock.js';
import { chooseRunClock, parseTimeScale } from '../../../controllers/cli/run-clock.js';

/** Real time that moves only when told; timers fire in due order as it passes them. */
class FakeRealTime implements RealTimeSource {
  t = 1_000_000;
  private seq = 0;
  readonly timers = new Map<number, { at: number; fn: () => void; ms: number }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn, ms });
    return id;
  }
  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, v]) => v.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = end;
  }
}

describe('ScaledClock (--time-scale)', () => {
  const START = Date.UTC(2026, 0, 1);

  it('runs virtual time N times faster than real time from its start', () => {
    const real = new FakeRealTime();
    const clock = new ScaledClock(60, START, real);
    expect(clock.now()).to.equal(START);
    real.advance(1000);
    expect(clock.now()).to.equal(START + 60_000);
    real.advance(250);
    expect(clock.now()).to.equal(START + 75_000);
  });

  it('starts at the real time when no start is given', () => {
    const real = new FakeRealTime();
    const clock = new ScaledClock(10, undefined, real);
    expect(clock.now()).to.equal(real.t);
    real.advance(100);
    expect(clock.now()).to.equal(real.t - 100 + 1000);
  });

  it('fires a timer when virtual time reaches it: a 45 s delay at 60x after 750 real ms', () => {
    const real = new FakeRealTime();
    const clock = new ScaledClock(60, START, real);
    const fired: number[] = [];
    clock.setTimer(45_000, () => fired.push(clock.now()));
    real.advance(749);
    expect(fired).to.deep.equal([]);
    real.advance(1);
    expect(fired).to.deep.equal([START + 45_000]);
  });

  it('never fires early: a real timer that fires before the virtual time re-arms for the rest', () => {
    const real = new FakeRealTime();
    const clock = new ScaledClock(7, START, real);
    const fired: number[] = [];
    clock.setTimer(10, () => fired.push(clock.now())); // 10/7 ms real: armed for 2 ms
    const [[id, first]] = [...real.timers.entries()];
    expect(first.ms).to.equal(2);
    real.t += 1; // the host's timer fires a millisecond early
    real.timers.delete(id);
    first.fn();
    expect(fired).to.deep.equal([]);
    real.advance(5);
    expect(fired).to.have.length(1);
    expect(fired[0]).to.be.at.least(START + 10);
  });

  it('fires in due order, and a cancelled timer never fires', () => {
    const real = new FakeRealTime();
    const clock = new ScaledClock(100, START, real);
    const fired: string[] = [];
    clock.setTimer(30_000, () => fired.push('b'));
    const c = clock.setTimer(20_000, () => fired.push('cancelled'));
    clock.setTimer(10_000, () => fired.push('a'));
    clock.cancelTimer(c);
    real.advance(1000);
    expect(fired).to.deep.equal(['a', 'b']);
    expect(real.timers.size).to.equal(0);
  });

  it('waits in steps of at most 2^31-1 real ms for a very long delay, and cancelAll drops everything', () => {
    const real = new FakeRealTime();
    const clock = new ScaledClock(0.5, START, real); // slower than real: 1 virtual year = 2 real years
    let fired = false;
    clock.setTimer(365 * 86_400_000, () => (fired = true));
    const [t] = [...real.timers.values()];
    expect(t.ms).to.equal(2 ** 31 - 1);
    real.advance(2 ** 31 - 1);
    expect(fired).to.equal(false);
    expect(real.timers.size).to.equal(1); // re-armed
    real.advance(2 * 365 * 86_400_000);
    expect(fired).to.equal(true);
    clock.setTimer(1000, () => expect.fail('cancelled'));
    clock.cancelAll();
    expect(real.timers.size).to.equal(0);
  });

  it('refuses a scale that is not a number in (0, MAX_TIME_SCALE]', () => {
    for (const bad of [0, -1, NaN, Infinity, MAX_TIME_SCALE + 1]) expect(() => new ScaledClock(bad)).to.throw(RangeError, /time scale/);
  });
});

describe('run --time-scale / --clock: the choice of clock', () => {
  it('parses --time-scale and refuses nonsense with the flag named', () => {
    expect(parseTimeScale(undefined)).to.equal(1);
    expect(parseTimeScale('60')).to.equal(60);
    expect(parseTimeScale('0.5')).to.equal(0.5);
    for (const bad of ['0', '-5', 'fast', '1e9', '', '60x', String(MAX_TIME_SCALE + 1)]) expect(() => parseTimeScale(bad), bad).to.throw(/--time-scale must be/);
  });

  it('picks real, scaled or manual, and refuses contradictory flags', () => {
    const real = chooseRunClock({});
    expect(real.clock).to.be.instanceOf(RealClock);
    expect(real.control).to.deep.equal({ mode: 'real', scale: 1 });
    const scaled = chooseRunClock({ timeScale: '60' });
    expect(scaled.clock).to.be.instanceOf(ScaledClock);
    expect(scaled.control).to.deep.equal({ mode: 'scaled', scale: 60 });
    const manual = chooseRunClock({ clock: 'manual' });
    expect(manual.control.mode).to.equal('manual');
    expect(manual.resyncMs).to.equal(0);
    expect(() => chooseRunClock({ clock: 'manual', timeScale: '60' })).to.throw(/exclude each other/);
    expect(() => chooseRunClock({ clock: 'manual', api: false })).to.throw(/needs the AWS API/);
    expect(() => chooseRunClock({ clock: 'sundial' })).to.throw(/--clock must be/);
  });
});
