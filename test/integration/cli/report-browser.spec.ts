/**
 * The HTML report in a real headless browser (Debian's chromium through playwright-core): it
 * loads with no console errors and no network requests, shows the expected series, aligns the
 * runs of a comparison on one time axis, and a screenshot is taken. Without chromium the test
 * skips, unless REQUIRE_BROWSER=1 (CI; `make chromium` installs it). CHROMIUM=/path overrides.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ganttSegments } from '../../../controllers/cli/report/data.js';
import { renderHtmlReport } from '../../../controllers/cli/report/index.js';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { simulate, type SimulationResult } from '../../../controllers/simulation/runner.js';

const exec = promisify(execFile);
const CLI = resolve('dist/controllers/cli/main.js');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Loaded {
  page: Page;
  consoleErrors: string[];
  requests: string[];
}

describe('HTML report in headless chromium', function () {
  this.timeout(120_000);
  let dir: string;
  let context: BrowserContext | undefined;

  before(function () {
    if (existsSync(CHROMIUM)) return;
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but there is no chromium at ${CHROMIUM} (make chromium installs it)`);
    console.log(`      (skipped: no chromium at ${CHROMIUM}; \`make chromium\` installs it, REQUIRE_BROWSER=1 makes this a failure)`);
    this.skip();
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-report-'));
    // A fresh profile each time (--user-data-dir through launchPersistentContext).
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1200, height: 900 } });
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(file: string): Promise<Loaded> {
    const page = await context!.newPage();
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, consoleErrors, requests };
  }

  it('simulate --output html: loads offline without errors and shows every series, event and task', async () => {
    const file = join(dir, 'report.html');
    const example = 'examples/scaling/cluster-autoscaling.yaml';
    await exec('node', [CLI, 'simulate', example, '--output', 'html', '--out', file]);
    const result: SimulationResult = JSON.parse((await exec('node', [CLI, 'simulate', example, '--output', 'json'], { maxBuffer: 64 * 1024 * 1024 })).stdout);
    const { page, consoleErrors, requests } = await open(file);

    expect(consoleErrors).to.deep.equal([]);
    expect(requests, 'the page fetches nothing but itself').to.deep.equal([pathToFileURL(file).href]);
    expect(await page.title()).to.equal('ecsplane simulate cluster-autoscaling.yaml');

    const services = page.locator('figure[data-chart="services"]');
    expect(await services.count()).to.equal(1);
    const legend = await services.locator('.role-legend-label text').allTextContents();
    expect(legend).to.include.members(['desired', 'running', 'pending', 'healthy', 'IN_PROGRESS', 'COMPLETED', 'instances ACTIVE', 'cp-web group desired capacity']);
    expect(await services.locator('.mark-line.role-mark path').count()).to.equal(4 + 3); // four task series, three instance series
    const serviceEvents = result.events.filter((e) => e.kind === 'Service').length;
    expect(await services.locator('.mark-symbol.role-mark path title').count()).to.equal(serviceEvents);

    const scaling = page.locator('figure[data-chart="scaling"]');
    expect(await scaling.locator('.role-legend-label text').allTextContents()).to.include.members(['prod/web CPU utilisation', 'cp-web CapacityProviderReservation']);
    const activities = await scaling.locator('.mark-symbol.role-mark path title').allTextContents();
    expect(activities.some((t) => t.includes('CapacityProvider cp-web: CapacityProviderReservation 200'))).to.equal(true);

    // The Gantt: one bar per task phase, each with its hover text.
    const bars = page.locator('figure[data-chart="gantt"] .mark-rect.role-mark path');
    expect(await bars.count()).to.equal(ganttSegments(result).length);
    expect(await bars.first().locator('title').textContent()).to.match(/^task [0-9a-f]+ \(web:1 /);

    // Charts are drawn, not empty: the services chart is wider than its plot width.
    const box = await services.locator('svg').boundingBox();
    expect(box!.width).to.be.greaterThan(640);
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).to.be.greaterThan(20_000);
    expect(readFileSync(shot).subarray(1, 4).toString()).to.equal('PNG');
  });

  it('several runs (compare): one figure per run and chart, on the same time axis', async () => {
    const run = (name: string) => ({ name, result: simulate(loadManifests([`examples/scheduler/${name}.yaml`])) });
    const runs = [run('rolling-50-100'), run('rolling-100-150')];
    const file = join(dir, 'compare.html');
    writeFileSync(file, await renderHtmlReport(runs, { title: 'rolling: 50/100 vs 100/150' }));
    const { page, consoleErrors, requests } = await open(file);
    expect(consoleErrors).to.deep.equal([]);
    expect(requests).to.have.length(1);
    const figures = page.locator('figure[data-chart="services"]');
    expect(await figures.count()).to.equal(2);
    expect(await figures.locator('figcaption').allTextContents()).to.deep.equal(['rolling-50-100', 'rolling-100-150']);
    // The x axes (time) of both runs start and end at the same place on the page and carry the same ticks.
    const axisBox = async (i: number) => figures.nth(i).locator('.role-axis-domain line').first().boundingBox();
    const [a, b] = [await axisBox(0), await axisBox(1)];
    expect(a!.x).to.be.closeTo(b!.x, 0.5);
    expect(a!.width).to.be.greaterThan(600); // the time axis (x), not a y axis
    expect(a!.width).to.be.closeTo(b!.width, 0.5);
    const ticks = async (i: number) => figures.nth(i).locator('.role-axis-label').first().locator('text').allTextContents();
    expect(await ticks(0)).to.deep.equal(await ticks(1));
    await page.screenshot({ path: join(dir, 'compare.png'), fullPage: true });
  });
});
