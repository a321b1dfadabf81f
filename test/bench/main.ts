/**
 * `make bench`: every benchmark of issues #6, #11 and #16, each suite in its own process (child.ts), printed as
 * one line per figure — median, min, max of the runs, the target, ok / MISSED — plus how the
 * cost grows with size.
 *
 *   node dist/test/bench/main.js [--quick] [--only placement,fleet,store,latency,memory,autoscaling,bridge,api,scale,day,simulate,api-scale] [--markdown FILE] [--json FILE]
 *
 * --quick: one run per figure and no 4× fleet (a smoke test of the harness, not numbers to quote).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceLoopSeconds, REFERENCE_NOTE } from './speed.js';
import { fmt, markdown, RESULT_PREFIX, summarize, table, verdict, shortfall, type FigureResult } from './harness.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

interface Args {
  quick: boolean;
  only?: Set<string>;
  markdown?: string;
  json?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--quick') a.quick = true;
    else if (v === '--only') a.only = new Set(argv[++i].split(','));
    else if (v === '--markdown') a.markdown = argv[++i];
    else if (v === '--json') a.json = argv[++i];
    else throw new Error(`unknown argument ${v}`);
  }
  return a;
}

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

/** Run one suite in a child process; its figures, or one n/a figure per expected id on failure. */
function child(suite: string, opts: unknown, timeoutMs: number): Promise<FigureResult[]> {
  return new Promise((resolve) => {
    const started = performance.now();
    const p = spawn(process.execPath, ['--expose-gc', CHILD, suite, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const figures = out
        .split('\n')
        .filter((l) => l.startsWith(RESULT_PREFIX))
        .map((l) => JSON.parse(l.slice(RESULT_PREFIX.length)) as FigureResult);
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      if (code !== 0 || figures.length === 0) {
        const why = signal ? `killed (${signal}) after ${secs} s` : `exit ${code}: ${err.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`;
        log(`${suite} failed: ${why}`);
        resolve([{ id: `${suite}.error`, name: suite, unit: '', samples: [], na: why }]);
        return;
      }
      log(`${suite} ${JSON.stringify(opts)} done in ${secs} s`);
      resolve(figures);
    });
  });
}

/** Merge figures of the same id from several processes (one run each) into one. */
function merge(lists: FigureResult[][]): FigureResult[] {
  const byId = new Map<string, FigureResult>();
  for (const f of lists.flat()) {
    const cur = byId.get(f.id);
    if (!cur) byId.set(f.id, { ...f, samples: [...f.samples] });
    else {
      cur.samples.push(...f.samples);
      cur.na ??= f.na;
      cur.note ??= f.note;
    }
  }
  return [...byId.values()];
}

const ORDER = [
  'placement.1000',
  'placement.5000',
  'fleet.up',
  'fleet.roll',
  'store.writes',
  'store.fanout',
  'store.latency.p50',
  'store.latency.p99',
  'memory.heapPerTask',
  'memory.rss',
  'memory.restart',
  'autoscaling.hour',
  'queues.backlog',
  'queues.model',
  'bridge.mirror',
  'bridge.writes',
  'events.match',
  'events.fanout',
  ...['api', 'api.http', 'api.sdk'].flatMap((prefix) =>
    [1, 8].flatMap((c) =>
      ['CreateCluster', 'RegisterTaskDefinition', 'RegisterContainerInstance', 'CreateService', 'RunTask', 'DescribeServices', 'ListTasks'].flatMap((p) =>
        ['ecsplane', 'moto', 'ratio'].map((w) => `${prefix}.c${c}.${p}.${w}`),
      ),
    ),
  ),
  'api.describeServices.p99',
  'growth.placement',
  'growth.fleet',
  // Issue #16
  'scale.up',
  'scale.roll',
  'scale.rss',
  'scale.heapPerTask',
  'scale.restart',
  'placement.5000.max',
  'day.24h',
  'simulate.examples',
  'growth.fleet.up',
  'growth.fleet.roll',
  'growth.day',
  'api.describeServices.p99.100k',
];

/** Issue #16's growth target: time ∝ size^e with e ≤ 1.10 from 1× to 4×. */
const GROWTH_TARGET_16 = 1.1;
/** The day's sizes (1×, 2×, 4×); the last is the figure with the 10 s target. */
const DAY_SIZES = [50, 100, 200];

function machine(): string {
  const c = cpus();
  return `${c[0]?.model?.trim() ?? 'unknown CPU'}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const runs = args.quick ? 1 : 3;
  const want = (s: string) => !args.only || args.only.has(s);
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'ecsplane-bench-'));
  const statePath = join(dir, 'state.json');
  const maxStatePath = join(dir, 'max-state.json');
  const results: FigureResult[][] = [];
  log(`machine: ${machine()}`);
  const speedBefore = referenceLoopSeconds();
  try {
    if (want('placement')) results.push(await child('placement', { runs: args.quick ? 1 : 5 }, 300_000));
    if (want('fleet')) {
      const one = await child('fleet', { runs }, 600_000);
      results.push(one);
      const sizes = args.quick ? [2] : [2, 4];
      const totals: Array<[number, number]> = [];
      const base = one.find((f) => f.id === 'fleet.total');
      if (base?.samples.length) totals.push([1, summarize(base.samples).median]);
      const sizeRuns: FigureResult[][] = [];
      for (const k of sizes) {
        const r = await child('fleet-size', { k }, 900_000);
        sizeRuns.push(r);
        const t = r.find((f) => f.id === `fleet.total.${k}x`);
        if (t?.samples.length) totals.push([k, t.samples[0]]);
      }
      results.push([growthFigure(totals)]);
      // Issue #16: start-up and rolling deployment each (the fleet runs above, 1× from the median).
      for (const phase of ['up', 'roll'] as const) {
        const points: Array<[number, number]> = [];
        const base = one.find((f) => f.id === `fleet.${phase}`);
        if (base?.samples.length) points.push([1, summarize(base.samples).median]);
        for (const k of sizes) {
          const t = sizeRuns.flat().find((f) => f.id === `fleet.total.${phase}.${k}x`);
          if (t?.samples.length) points.push([k, t.samples[0]]);
        }
        results.push([growthOf(`growth.fleet.${phase}`, `growth: fleet ${phase === 'up' ? 'start-up' : 'rolling deploy'} 1×→2×→4×`, points, GROWTH_TARGET_16, 'fleet runs missing')]);
      }
    }
    if (want('store')) results.push(await child('store', { runs: args.quick ? 1 : 5 }, 300_000));
    if (want('latency')) results.push(await child('latency', { runs }, 300_000));
    if (want('memory')) {
      const mem: FigureResult[][] = [];
      for (let i = 0; i < runs; i++) mem.push(await child('memory', i === 0 ? { statePath } : {}, 300_000));
      results.push(merge(mem));
      const restarts: FigureResult[][] = [];
      for (let i = 0; i < runs; i++) restarts.push(await child('restart', { statePath }, 300_000));
      results.push(merge(restarts));
    }
    if (want('autoscaling')) results.push(await child('autoscaling', { runs }, 300_000));
    if (want('queues')) results.push(await child('queues', { runs }, 300_000));
    if (want('bridge')) results.push(await child('bridge', { runs: args.quick ? 1 : 2 }, 600_000));
    if (want('api')) results.push(await child('api', { runs }, 1_200_000));
    if (want('events')) results.push(await child('events', { runs }, 300_000));
    // Issue #16: ECS's own limits.
    if (want('scale')) {
      const max: FigureResult[][] = [];
      // --quick: a tenth of the cluster (a smoke test of the suite).
      const size = args.quick ? { k: 0.1 } : {};
      for (let i = 0; i < runs; i++) max.push(await child('scale-max', i === 0 ? { ...size, statePath: maxStatePath } : size, 1_800_000));
      results.push(merge(max));
      const restarts: FigureResult[][] = [];
      for (let i = 0; i < runs; i++) restarts.push(await child('scale-restart', { statePath: maxStatePath }, 600_000));
      results.push(merge(restarts));
    }
    if (want('day')) {
      const days: FigureResult[][] = [];
      for (let i = 0; i < runs; i++) days.push(await child('day', { services: DAY_SIZES[2], target: true }, 900_000));
      const day = merge(days);
      results.push(day);
      const points: Array<[number, number]> = [];
      for (const [i, n] of DAY_SIZES.entries()) {
        const r = i === 2 ? day : await child('day', { services: n }, 900_000);
        const f = r.find((x) => x.id === (i === 2 ? 'day.24h' : `day.total.${n}`));
        if (f?.samples.length) points.push([n / DAY_SIZES[0], summarize(f.samples).median]);
      }
      results.push([growthOf('growth.day', `growth: 24 h day ${DAY_SIZES.join('→')} services`, points, GROWTH_TARGET_16, 'day runs missing')]);
    }
    if (want('simulate')) results.push(await child('simulate', { runs }, 600_000));
    if (want('api-scale')) results.push(await child('api-scale', { runs: args.quick ? 1 : 2 }, 1_200_000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const all = merge(results).filter((f) => !f.id.startsWith('fleet.total') && !f.id.startsWith('day.total') && f.id !== 'memory.stateFile');
  all.sort((a, b) => rank(a.id) - rank(b.id));
  const minutes = (performance.now() - t0) / 60_000;

  const lines = table(all);
  console.log(`ecsplane benchmarks — ${new Date().toISOString().slice(0, 10)} — ${machine()}`);
  console.log(`median of ${runs} runs (placement and store: ${args.quick ? 1 : 5}), after a warm-up run; min and max of the runs`);
  const speedAfter = referenceLoopSeconds();
  console.log(`machine speed: reference loop ${speedBefore.toFixed(2)} s before the suites, ${speedAfter.toFixed(2)} s after (${REFERENCE_NOTE})`);
  console.log('');
  for (const l of lines) console.log(l);
  console.log('');
  for (const f of all) if (f.note) console.log(`  ${f.name}: ${f.note}`);
  // Issue #11: whether every API phase reaches 5× moto's throughput (light client; the SDK lines have no target).
  const ratios = all.filter((f) => /^api\.c\d+\..*\.ratio$/.test(f.id) && verdict(f) !== 'n/a');
  if (ratios.length) {
    const short = ratios.filter((f) => verdict(f) === 'MISSED');
    console.log('');
    console.log(
      `API phases at ≥ 5× moto: ${ratios.length - short.length} of ${ratios.length}${short.length ? `; below: ${short.map((f) => `${f.name.replace(/^API /, '').replace(/: ecsplane \/ moto$/, '')} ${fmt(summarize(f.samples).median, 1)}×`).join(', ')}` : ' — every phase'}`,
    );
  }
  const missed = all.filter((f) => verdict(f) === 'MISSED');
  const na = all.filter((f) => verdict(f) === 'n/a');
  console.log('');
  console.log(
    `${all.length - missed.length - na.length} ok, ${missed.length} MISSED${missed.length ? ` (${missed.map((f) => `${f.name}: ${fmt(shortfall(f)!, 2)}× the target`).join('; ')})` : ''}, ${na.length} n/a — ${minutes.toFixed(1)} min`,
  );
  if (args.markdown) writeFileSync(args.markdown, [`Machine speed: reference loop ${speedBefore.toFixed(2)} s before, ${speedAfter.toFixed(2)} s after (${REFERENCE_NOTE}).`, '', ...markdown(all), '', ...all.filter((f) => f.note).map((f) => `- **${f.name}**: ${f.note}`)].join('\n') + '\n');
  if (args.json) writeFileSync(args.json, JSON.stringify({ machine: machine(), date: new Date().toISOString(), referenceLoopSeconds: [speedBefore, speedAfter], figures: all }, null, 2));
}

function rank(id: string): number {
  const i = ORDER.indexOf(id);
  return i < 0 ? ORDER.length : i;
}

/** A growth figure from (size factor, wall s) points: the exponent of each step and overall. */
function growthOf(id: string, name: string, points: Array<[number, number]>, target: number, missing: string): FigureResult {
  const exps: number[] = [];
  for (let i = 1; i < points.length; i++) exps.push(Math.log(points[i][1] / points[i - 1][1]) / Math.log(points[i][0] / points[i - 1][0]));
  if (points.length > 2) exps.push(Math.log(points[points.length - 1][1] / points[0][1]) / Math.log(points[points.length - 1][0] / points[0][0]));
  return {
    id,
    name,
    unit: 'exp',
    samples: exps,
    target: { op: '<=', value: target },
    digits: 2,
    na: points.length < 2 ? missing : undefined,
    note: `wall s at ${points.map(([k, t]) => `${k}× ${t.toFixed(2)}`).join(', ')}; exponent of each step and overall, 1 = linear`,
  };
}

/** Cost growth of the fleet: exponent e in time ∝ size^e between the sizes run (1 = linear). */
function growthFigure(totals: Array<[number, number]>): FigureResult {
  const exps: number[] = [];
  for (let i = 1; i < totals.length; i++) {
    const [k0, t0] = totals[i - 1];
    const [k1, t1] = totals[i];
    exps.push(Math.log(t1 / t0) / Math.log(k1 / k0));
  }
  if (totals.length > 2) exps.push(Math.log(totals[totals.length - 1][1] / totals[0][1]) / Math.log(totals[totals.length - 1][0] / totals[0][0]));
  return {
    id: 'growth.fleet',
    name: 'growth: fleet up + roll 1×→2×→4×',
    unit: 'exp',
    samples: exps,
    target: { op: '<=', value: 1.25 },
    digits: 2,
    na: totals.length < 2 ? 'fleet runs missing' : undefined,
    note: `wall s at ${totals.map(([k, t]) => `${k}× ${t.toFixed(2)}`).join(', ')} (instances, services and tasks × k); exponent of each step and overall, 1 = linear, 2 = quadratic`,
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
