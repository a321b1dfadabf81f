/**
 * `simulate --output svg|csv|html` as the user runs them, the SVG read back structurally (axes,
 * series, labels, hover titles), and the README's charts in docs/images/ checked against what
 * `make charts` draws now.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { byClass, parseSvg, texts, walk, type SvgNode } from '../../helpers/svg-tree.js';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { simulate } from '../../../controllers/simulation/runner.js';

const exec = promisify(execFile);
const CLI = resolve('dist/controllers/cli/main.js');
const ROLLING = 'examples/scheduler/rolling-50-100.yaml';

/** stdout of the CLI; anything on stderr (a Vega or Vega-Lite warning about a spec) fails the test. */
async function ecsplane(...args: string[]): Promise<string> {
  const { stdout, stderr } = await exec('node', [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
  expect(stderr, `stderr of ecsplane ${args.join(' ')}`).to.equal('');
  return stdout;
}

const titlesOf = (n: SvgNode) => [...walk(n)].filter((e) => e.tag === 'title').map((e) => e.text);

describe('cli: simulate charts (--output svg, csv, html)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-charts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--output svg: one well-formed SVG with the time axis, the four task series, deployment bands and hoverable events', async () => {
    const svgText = await ecsplane('simulate', ROLLING, '--output', 'svg');
    const svg = parseSvg(svgText.trim());
    expect(svg.tag).to.equal('svg');
    expect(Number(svg.attrs.width)).to.be.greaterThan(600);
    const all = texts(svg);
    // Axes: time on x for both panels; tasks and instances on y.
    expect(all.filter((t) => t === 'minutes since start')).to.have.length(2);
    expect(all).to.include.members(['tasks', 'instances', 'service prod/web', 'container instances', 'rolling-50-100.yaml']);
    expect(all).to.include.members(['0.0', '6.0']); // the axis runs from 0 to --until (6m)
    // Legends: the series and the rollout states.
    const legend = byClass(svg, 'role-legend-label').flatMap(texts);
    expect(legend).to.include.members(['desired', 'running', 'pending', 'healthy', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'instances ACTIVE']);
    // One line per series, each a drawn path.
    const seriesLines = byClass(svg, 'mark-line', 'concat_0_layer_2_marks');
    expect(seriesLines).to.have.length(4);
    for (const g of seriesLines) expect(g.children[0].attrs.d).to.match(/^M[\d.]+,[\d.]+L/);
    // Deployment bands, labelled with the task definition and rollout state.
    expect(byClass(svg, 'mark-rect', 'concat_0_layer_0_marks')[0].children.length).to.equal(4);
    expect(all).to.include.members(['web:1 COMPLETED', 'web:2 COMPLETED']);
    // Events: markers with their text as an SVG <title>.
    const titles = titlesOf(svg);
    expect(titles.some((t) => t.endsWith('(service web) has reached a steady state.'))).to.equal(true);
    expect(titles.some((t) => /^2m00s \(service web\) has started 2 tasks/.test(t))).to.equal(true);
    expect(svgText).not.to.match(/NaN|undefined|Infinity/);
  });

  it('--output svg of a scaling run adds utilisation, CapacityProviderReservation and the scaling activities', async () => {
    const svg = parseSvg((await ecsplane('simulate', 'examples/scaling/cluster-autoscaling.yaml', '--output', 'svg')).trim());
    const legend = byClass(svg, 'role-legend-label').flatMap(texts);
    expect(legend).to.include.members(['prod/web CPU utilisation', 'cp-web CapacityProviderReservation', 'ScalableTarget', 'CapacityProvider', 'AutoScalingGroup', 'cp-web group desired capacity']);
    expect(legend).not.to.include('ScheduledAction'); // only the kinds of activity the run had
    const titles = titlesOf(svg);
    expect(titles.some((t) => t.startsWith('5m00s ScalableTarget web: desired count 2 → 4'))).to.equal(true);
    expect(titles.some((t) => /^6m00s CapacityProvider cp-web: CapacityProviderReservation 200 \(M=2, N=1\): desired capacity 1 → 2$/.test(t))).to.equal(true);
  });

  it('task timelines keep the tasks the simulation has since deleted (stopped over an hour ago)', () => {
    const r = simulate(loadManifests([ROLLING]), { untilMs: 2 * 3600_000, sampleEveryMs: 600_000 });
    expect(r.resources.filter((o) => o.kind === 'Task')).to.have.length(4); // web:1's four were stopped at 2m and are gone
    expect(r.tasks).to.have.length(8);
    const old = r.tasks.filter((t) => t.taskDefinition === 'web:1');
    expect(old.map((t) => [t.lastStatus, t.createdAt, t.startedAt, t.stoppedAt !== undefined])).to.deep.equal(Array(4).fill(['STOPPED', 0, 5, true]));
    expect(new Set(old.map((t) => t.containerInstance))).to.deep.equal(new Set(['i-a', 'i-b']));
  });

  it('--output csv --out FILE: a header and one row per sample and service', async () => {
    const file = join(dir, 'samples.csv');
    expect(await ecsplane('simulate', ROLLING, '--output', 'csv', '--out', file)).to.equal('');
    const lines = readFileSync(file, 'utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).to.match(/^t_seconds,cluster,service,desired,running,pending,healthy,/);
    expect(lines).to.have.length(1 + 73); // samples every 5 s over 6 minutes, 0 and 360 included
    expect(lines[25]).to.match(/^120,prod,web,4,2,2,2,/); // the update at 2m: two old tasks stopped, two new pending
  });

  it('--output html: one self-contained page (no script, nothing fetched) with every chart of the run', async () => {
    const html = await ecsplane('simulate', 'examples/scaling/cluster-autoscaling.yaml', '--output', 'html');
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html).not.to.match(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html.match(/\s(?:src|href)=/g)).to.equal(null);
    expect(html).to.contain("default-src 'none'");
    for (const chart of ['services', 'scaling', 'gantt']) expect(html).to.contain(`data-chart="${chart}"`);
    expect(html).to.contain('cp-web CapacityProviderReservation');
    expect(html).to.contain('ScalableTarget web: desired count 2 → 4');
    // The Gantt: a bar per task phase, the phase told by opacity (RUNNING solid, the others paler).
    const at = html.indexOf('<svg', html.indexOf('data-chart="gantt"'));
    const gantt = parseSvg(html.slice(at, html.indexOf('</svg>', at) + 6));
    const bars = byClass(gantt, 'mark-rect', 'role-mark').flatMap((g) => g.children);
    const opacityOf = (phase: string) => new Set(bars.filter((b) => titlesOf(b)[0]?.includes(`: ${phase} `)).map((b) => b.attrs.opacity));
    expect(opacityOf('RUNNING')).to.deep.equal(new Set(['1']));
    expect(opacityOf('PENDING')).to.deep.equal(new Set(['0.5']));
    expect(opacityOf('PROVISIONING')).to.deep.equal(new Set(['0.25'])); // the two tasks waiting for the new instance
  });

  it('the charts in docs/images/ are what `make charts` draws now (regenerate with `make charts`)', async () => {
    await exec('make', ['--no-print-directory', '-s', 'charts-svg', `CHARTS_DIR=${dir}`], { cwd: resolve('.') });
    const made = readdirSync(dir).sort();
    expect(made).to.deep.equal(['circuit-breaker-rollback.svg', 'cluster-autoscaling.svg', 'rolling-50-100.svg']);
    for (const f of made) {
      const committed = readFileSync(resolve('docs/images', f), 'utf8');
      expect(readFileSync(join(dir, f), 'utf8') === committed, `docs/images/${f} is stale: run \`make charts\` and commit it`).to.equal(true);
    }
  });
});
