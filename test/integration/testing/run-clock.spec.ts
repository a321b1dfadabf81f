/** `ecsplane run --time-scale` and `--clock manual` as child processes, driven by the AWS SDK. */
import { expect } from 'chai';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from '@aws-sdk/client-ecs';

const CLI = 'dist/controllers/cli/main.js';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function startRun(args: string[]): { child: ChildProcess; endpoint: Promise<string> } {
  const child = spawn(process.execPath, [CLI, 'run', '-f', 'examples/quickstart', '--no-watch', '--api-addr', '127.0.0.1:0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const endpoint = new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no "AWS API listening" line within 15 s: ${err}`)), 15_000);
    child.stderr!.on('data', (d) => {
      err += d.toString();
      const m = /AWS API listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`run exited (${code}): ${err}`)));
  });
  return { child, endpoint };
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

const steadyEvents = (s: E.Service) => (s.events ?? []).filter((e) => /has reached a steady state/.test(e.message ?? '')).length;

describe('ecsplane run: warped and manual time', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let ecs: E.ECSClient | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ecsplane-clock-'))));
  afterEach(async () => {
    ecs?.destroy();
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('--time-scale 60: the SDK services-stable waiter returns although ECS counts 45 s of health checks', async () => {
    const run = startRun(['--time-scale', '60']);
    child = run.child;
    ecs = new E.ECSClient({ endpoint: await run.endpoint, region: 'us-east-1', credentials });
    // maxWaitTime 20 s of real time: on the real clock the api service's 45 s would not fit.
    const result = await E.waitUntilServicesStable({ client: ecs, minDelay: 1, maxDelay: 2, maxWaitTime: 20 }, { cluster: 'prod', services: ['web-app', 'api'] });
    expect(result.state).to.equal('SUCCESS');
    // ECS's "steady state" comes after the health checks (web-app 35 s, api 45 s of virtual time).
    let services: E.Service[] = [];
    for (let i = 0; i < 100; i++) {
      services = (await ecs.send(new E.DescribeServicesCommand({ cluster: 'prod', services: ['web-app', 'api'] }))).services!;
      if (services.every((s) => steadyEvents(s) > 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(services.map(steadyEvents)).to.deep.equal([1, 1]);
    const clock = await (await fetch(`${await run.endpoint}/_ecsplane/clock`)).json();
    expect([clock.mode, clock.timeScale]).to.deep.equal(['scaled', 60]);
  });

  it('--clock manual: time moves only by POST /_ecsplane/clock; reset empties the store and persists that with --state', async () => {
    const state = join(dir, 'state.json');
    const run = startRun(['--clock', 'manual', '--state', state]);
    child = run.child;
    const endpoint = await run.endpoint;
    ecs = new E.ECSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const describe = async () => (await ecs!.send(new E.DescribeServicesCommand({ cluster: 'prod', services: ['web-app', 'api'] }))).services!;
    const t0 = (await (await fetch(`${endpoint}/_ecsplane/clock`)).json()).now;
    expect((await describe()).map((s) => [s.runningCount, s.pendingCount])).to.deep.equal([[0, 3], [0, 3]]);
    expect((await (await fetch(`${endpoint}/_ecsplane/clock`)).json()).now).to.equal(t0);

    const moved = await (await fetch(`${endpoint}/_ecsplane/clock`, { method: 'POST', body: JSON.stringify({ advance: '1m' }) })).json();
    expect(Date.parse(moved.now) - Date.parse(t0)).to.equal(60_000);
    expect((await describe()).map((s) => [s.runningCount, steadyEvents(s)])).to.deep.equal([[3, 1], [3, 1]]);

    const bad = await fetch(`${endpoint}/_ecsplane/clock`, { method: 'POST', body: JSON.stringify({ to: t0 }) });
    expect(bad.status).to.equal(400);

    const reset = await fetch(`${endpoint}/_ecsplane/reset`, { method: 'POST' });
    expect(reset.status).to.equal(200);
    expect((await ecs.send(new E.ListClustersCommand({}))).clusterArns).to.deep.equal([]);
    child.kill('SIGTERM');
    expect(await exited(child)).to.equal(0);
    const out = execFileSync(process.execPath, [CLI, 'get', 'cluster', '--state', state, '-o', 'json'], { encoding: 'utf8' });
    expect(JSON.parse(out).items).to.deep.equal([]);
  });

  it('refuses --clock manual with --time-scale, and a bad --time-scale, before starting', () => {
    for (const [args, message] of [
      [['--clock', 'manual', '--time-scale', '60'], /exclude each other/],
      [['--time-scale', 'fast'], /--time-scale must be/],
      [['--clock', 'manual', '--no-api'], /needs the AWS API/],
    ] as [string[], RegExp][]) {
      let err = '';
      try {
        execFileSync(process.execPath, [CLI, 'run', '--for', '1s', ...args], { encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        err = (e as { stderr: string }).stderr;
      }
      expect(err, args.join(' ')).to.match(message);
    }
  });
});
