import 'reflect-metadata';
import { expect } from 'chai';
import { expandCurve, MAX_CURVE_POINTS } from '../../../controllers/simulation/load-curve.js';
import { parseScenario, ScenarioError } from '../../../controllers/simulation/scenario.js';
import { LoadModel } from '../../../controllers/shared/load-model.js';

const H = 3600_000;
const scenario = (steps: unknown[], seed?: number) => parseScenario({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Scenario', metadata: { name: 's' }, spec: { seed, steps } } as any);

describe('scenario load curves (issue #16)', () => {
  it('points: a value every `every`, linear between points, flat after the last', () => {
    const pts = expandCurve({ every: '1h', points: [{ after: '0s', cpuUtilization: 20 }, { after: '4h', cpuUtilization: 60 }] }, 'c', 1);
    expect(pts.map((p) => [p.atMs / H, p.values.cpuUtilization])).to.deep.equal([[0, 20], [1, 30], [2, 40], [3, 50], [4, 60]]);
  });

  it('daily: lowest twelve hours before peakAt, highest at peakAt, within min..max', () => {
    const pts = expandCurve({ shape: 'daily', every: '1h', cpuUtilization: { min: 10, max: 90 }, peakAt: '14h' }, 'c', 1);
    expect(pts).to.have.length(25);
    const at = (h: number) => pts[h].values.cpuUtilization!;
    expect(at(14)).to.equal(90);
    expect(at(2)).to.equal(10);
    expect(at(8)).to.be.closeTo(50, 0.01);
    for (const p of pts) expect(p.values.cpuUtilization).to.be.within(10, 90);
  });

  it('noise comes from the seed: the same seed gives the same day, another seed another, each within ±noise', () => {
    const curve = { shape: 'daily', every: '10m', cpuUtilization: { min: 20, max: 80 }, noise: 5 };
    const a = expandCurve(curve, 'c', 7).map((p) => p.values.cpuUtilization!);
    const b = expandCurve(curve, 'c', 7).map((p) => p.values.cpuUtilization!);
    const c = expandCurve(curve, 'c', 8).map((p) => p.values.cpuUtilization!);
    const clean = expandCurve({ ...curve, noise: 0 }, 'c', 7).map((p) => p.values.cpuUtilization!);
    expect(a).to.deep.equal(b);
    expect(a).to.not.deep.equal(c);
    a.forEach((v, i) => expect(Math.abs(v - clean[i])).to.be.at.most(5.01));
    expect(a.some((v, i) => v !== clean[i])).to.equal(true);
  });

  it('a curve step becomes plain load steps from its `at`, sharing one baseline, sorted among the other steps', () => {
    const sc = scenario([
      { at: '30m', load: { service: 'web', cluster: 'c1', curve: { every: '1h', points: [{ after: '0s', cpuUtilization: 40 }, { after: '2h', cpuUtilization: 80 }] } } },
      { at: '1h', load: { service: 'api', cpuUtilization: 10 } },
    ]);
    expect(sc.steps.map((s) => [s.atMs / 60_000, s.load!.service, s.load!.cpuUtilization, s.load!.baseline])).to.deep.equal([
      [30, 'web', 40, 'steps[0]'],
      [60, 'api', 10, undefined],
      [90, 'web', 60, 'steps[0]'],
      [150, 'web', 80, 'steps[0]'],
    ]);
  });

  it('along a curve the demand is relative to the running count when the curve started', () => {
    const m = new LoadModel();
    m.set({ service: 'web', cpuUtilization: 50, baseline: 'steps[0]' }, 4); // 200 task-percent
    m.set({ service: 'web', cpuUtilization: 50, baseline: 'steps[0]' }, 8); // still 200: scaling out lowered the average
    expect(m.utilization('default/web', 8).cpu).to.equal(25);
    m.set({ service: 'web', cpuUtilization: 50 }, 8); // a plain step re-reads the count
    expect(m.utilization('default/web', 8).cpu).to.equal(50);
    // A curve that starts before any task runs takes its baseline at the first point with tasks.
    m.set({ service: 'api', cpuUtilization: 60, baseline: 'steps[1]' }, 0);
    m.set({ service: 'api', cpuUtilization: 60, baseline: 'steps[1]' }, 2);
    m.set({ service: 'api', cpuUtilization: 60, baseline: 'steps[1]' }, 4);
    expect(m.utilization('default/api', 4).cpu).to.equal(30);
    expect(m.utilization('default/web', 8).cpu).to.equal(50);
  });

  it('refuses a bad curve naming the step and field', () => {
    const bad = (curve: unknown, msg: RegExp) => expect(() => scenario([{ at: '0s', load: { service: 'web', curve } }])).to.throw(ScenarioError, msg);
    bad({ points: [{ after: '0s', cpuUtilization: 1 }], shape: 'daily' }, /steps\[0\]\.load\.curve needs exactly one of points, shape/);
    bad({ shape: 'weekly', cpuUtilization: { min: 1, max: 2 } }, /load\.curve\.shape must be one of daily/);
    bad({ shape: 'daily' }, /needs one of cpuUtilization/);
    bad({ shape: 'daily', cpuUtilization: { min: 5, max: 1 } }, /cpuUtilization\.max must be ≥ min/);
    bad({ points: [{ after: '1h', cpuUtilization: 1 }, { after: '1h', cpuUtilization: 2 }] }, /points\[1\]\.after must be later/);
    bad({ points: [{ after: '0s', cpu: 1 }] }, /points\[0\]\.cpu: unknown field/);
    bad({ points: [{ after: '0s', cpuUtilization: -1 }] }, /cpuUtilization must be a number ≥ 0/);
    bad({ every: '1s', shape: 'daily', duration: '30d', cpuUtilization: { min: 1, max: 2 } }, new RegExp(`more than ${MAX_CURVE_POINTS}`));
    bad({ every: '0s', shape: 'daily', cpuUtilization: { min: 1, max: 2 } }, /every must be longer than 0s/);
    bad({ shape: 'daily', cpuUtilization: { min: 1, max: 2 }, colour: 'red' }, /load\.curve\.colour: unknown field/);
    expect(() => scenario([{ at: '0s', load: { service: 'web', cpuUtilization: 5, curve: { shape: 'daily', cpuUtilization: { min: 1, max: 2 } } } }])).to.throw(ScenarioError, /the values go in the curve/);
  });
});
