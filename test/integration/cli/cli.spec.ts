import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = resolve('dist/controllers/cli/main.js');
const FAST = resolve('test/fixtures/fast/cluster.yaml');
const QUICKSTART = resolve('examples/quickstart');

async function ecsplane(args: string[], opts: { allowFail?: boolean } = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    if (!opts.allowFail) throw new Error(`ecsplane ${args.join(' ')} failed (${e.code}): ${e.stderr}`);
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('cli: ecsplane', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('simulate is deterministic: two runs give byte-identical JSON', async () => {
    const a = await ecsplane(['simulate', QUICKSTART, '--until', '3m', '--seed', '7', '--output', 'json']);
    const b = await ecsplane(['simulate', QUICKSTART, '--until', '3m', '--seed', '7', '--output', 'json']);
    expect(a.stdout).to.equal(b.stdout);
    expect(a.stdout.length).to.be.greaterThan(1000);
  });

  it('simulate --output json matches the contract', async () => {
    const { stdout } = await ecsplane(['simulate', QUICKSTART, '--until', '2m', '--sample-every', '30s', '--output', 'json']);
    const out = JSON.parse(stdout);
    expect(out).to.have.keys(['resources', 'samples', 'events', 'busEvents', 'tasks', 'untilSeconds', 'summary']);
    expect(out.untilSeconds).to.equal(120);
    expect(out.busEvents[0]).to.have.keys(['t', 'event']);
    expect(out.summary).to.have.keys(['seconds', 'pricing', 'services', 'cluster', 'warnings']);
    expect(out.summary.cluster.cost).to.have.keys(['fargate', 'fargateSpot', 'ec2', 'ec2UsedByTasks', 'ec2Idle', 'total']);
    for (const r of out.resources) expect(r).to.include.keys(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(out.samples.map((s: any) => s.t)).to.deep.equal([0, 30, 60, 90, 120]);
    const last = out.samples.at(-1);
    const web = last.services.find((s: any) => s.name === 'web-app');
    expect(web).to.include({ cluster: 'prod', desiredCount: 3, runningCount: 3, pendingCount: 0, healthyCount: 3, cpuUtilization: 0 });
    expect(web).to.include({ status: 'ACTIVE' });
    expect(out.samples[0].services.find((s: any) => s.name === 'web-app').healthyCount).to.equal(0);
    expect(web.deployments[0]).to.have.keys(['id', 'status', 'taskDefinition', 'desiredCount', 'runningCount', 'pendingCount', 'failedTasks', 'rolloutState', 'rolloutStateReason']);
    expect(web.serviceDeployments[0]).to.include({ status: 'SUCCESSFUL' });
    expect(last.containerInstances[0]).to.have.keys(['cluster', 'name', 'status', 'agentConnected', 'runningTasksCount', 'remainingResources']);
    expect(out.events[0]).to.have.keys(['t', 'kind', 'name', 'cluster', 'message']);
    // Every task's timeline, for the task Gantt chart (seconds since the start).
    const webTasks = out.tasks.filter((t: any) => t.service === 'web-app');
    expect(webTasks).to.have.length(3);
    expect(webTasks[0]).to.include({ cluster: 'prod', taskDefinition: 'web-app:1', lastStatus: 'RUNNING', createdAt: 0, startedAt: 5 });
    expect(webTasks[0].deploymentId).to.equal(web.deployments[0].id);
    expect(out.events.some((e: any) => e.message === '(service web-app) has reached a steady state.')).to.equal(true);
  });

  it('simulate --output table prints a readable timeline', async () => {
    const { stdout } = await ecsplane(['simulate', QUICKSTART, '--until', '1m', '--sample-every', '30s']);
    expect(stdout).to.contain('service prod/web-app  desired=3 running=3 pending=0');
    expect(stdout).to.contain('has reached a steady state.');
  });

  it('validate names the field and the ECS exception for a bad manifest', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: ecsplane.io/v1alpha1\nkind: TaskDefinition\nmetadata: {name: web}\nspec:\n  family: web\n  requiresCompatibilities: [FARGATE]\n  networkMode: awsvpc\n  cpu: "256"\n  memory: "4096"\n  containerDefinitions: [{name: app, image: nginx}]\n');
    const r = await ecsplane(['validate', bad], { allowFail: true });
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/ClientException/);
    expect(r.stdout).to.contain('spec.memory');
  });

  it('run --state converges, apply/get/delete act on the file, and a restart resumes without duplicate tasks', async () => {
    const state = join(dir, 'state.json');
    const first = await ecsplane(['run', '-f', FAST, '--state', state, '--until-steady', '--no-watch']);
    expect(first.stdout).to.match(/web .*3/);
    expect(statSync(state).mode & 0o777).to.equal(0o600);
    const tasksBefore = JSON.parse((await ecsplane(['get', 'tasks', '--state', state, '-o', 'json'])).stdout).items;
    expect(tasksBefore.filter((t: any) => t.status.desiredStatus === 'RUNNING')).to.have.length(3);
    const rvBefore = JSON.parse(readFileSync(state, 'utf8')).resourceVersion;

    // Restart on the same state file: the loops converge from there, starting nothing new.
    await ecsplane(['run', '--state', state, '--for', '3s', '--no-watch']);
    const tasksAfter = JSON.parse((await ecsplane(['get', 'tasks', '--state', state, '-o', 'json'])).stdout).items;
    expect(tasksAfter.map((t: any) => t.metadata.name).sort()).to.deep.equal(tasksBefore.map((t: any) => t.metadata.name).sort());
    expect(JSON.parse(readFileSync(state, 'utf8')).resourceVersion).to.be.at.least(rvBefore);

    // apply and delete through the file (no run holds it now).
    const scaled = readFileSync(FAST, 'utf8').replace('desiredCount: 3', 'desiredCount: 0');
    const f2 = join(dir, 'scaled.yaml');
    writeFileSync(f2, scaled);
    const applied = await ecsplane(['apply', '-f', f2, '--state', state]);
    expect(applied.stdout).to.contain('service/web configured');
    const get = await ecsplane(['get', 'service', 'web', '--cluster', 'prod', '--state', state, '-o', 'yaml']);
    expect(get.stdout).to.contain('desiredCount: 0');
    const del = await ecsplane(['delete', 'service', 'web', '--cluster', 'prod', '--state', state]);
    expect(del.stdout).to.contain('service/web deleted');
  });

  it('apply talks to a running `run` through its control socket while it holds the state file', async () => {
    const state = join(dir, 'state.json');
    const child = spawn('node', [CLI, 'run', '-f', FAST, '--state', state, '--for', '20s', '--no-watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      for (let i = 0; i < 100 && !out.includes('service/web created'); i++) await new Promise((r) => setTimeout(r, 100));
      const extra = join(dir, 'extra.yaml');
      writeFileSync(extra, 'apiVersion: ecsplane.io/v1alpha1\nkind: Cluster\nmetadata: {name: staging}\nspec: {}\n');
      const r = await ecsplane(['apply', '-f', extra, '--state', state]);
      expect(r.stdout).to.contain('cluster/staging created');
      const clusters = JSON.parse((await ecsplane(['get', 'clusters', '--state', state, '-o', 'json'])).stdout).items;
      expect(clusters.map((c: any) => c.metadata.name).sort()).to.deep.equal(['prod', 'staging']);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
    }
    // Ctrl-C saved state and released the lock: the file opens directly now.
    const clusters = JSON.parse((await ecsplane(['get', 'clusters', '--state', state, '-o', 'json'])).stdout).items;
    expect(clusters).to.have.length(2);
  });

  it('run re-applies a manifest when the file changes', async () => {
    const state = join(dir, 'state.json');
    const manifest = join(dir, 'cluster.yaml');
    writeFileSync(manifest, readFileSync(FAST, 'utf8'));
    const child = spawn('node', [CLI, 'run', '-f', manifest, '--state', state, '--for', '15s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      // The watcher is set once the first apply is done and the loops run (status lines appear).
      for (let i = 0; i < 100 && !out.includes('service prod/web desired=3'); i++) await new Promise((r) => setTimeout(r, 100));
      writeFileSync(manifest, readFileSync(FAST, 'utf8').replace('desiredCount: 3', 'desiredCount: 1'));
      for (let i = 0; i < 100 && !out.includes('service/web configured'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).to.contain('service/web configured');
      const svc = JSON.parse((await ecsplane(['get', 'service', 'web', '--cluster', 'prod', '--state', state, '-o', 'json'])).stdout);
      expect(svc.spec.desiredCount).to.equal(1);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
    }
  });

  it('run-task starts standalone tasks (count) and stop-task stops one with UserInitiated', async () => {
    const state = join(dir, 'state.json');
    const child = spawn('node', [CLI, 'run', '-f', FAST, '--state', state, '--for', '20s', '--no-watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      for (let i = 0; i < 100 && !out.includes('service prod/web'); i++) await new Promise((r) => setTimeout(r, 100));
      const r = await ecsplane(['run-task', '--cluster', 'prod', '--task-definition', 'web', '--count', '2', '--state', state]);
      const ids = [...r.stdout.matchAll(/task\/([0-9a-f]{32}(?:-2)?) requested/g)].map((m) => m[1]);
      expect(ids).to.have.length(2);
      let task: any;
      for (let i = 0; i < 50; i++) {
        task = JSON.parse((await ecsplane(['get', 'task', ids[0], '--cluster', 'prod', '--state', state, '-o', 'json'])).stdout);
        if (task.status?.lastStatus === 'RUNNING') break;
        await new Promise((res) => setTimeout(res, 200));
      }
      expect(task.status.lastStatus).to.equal('RUNNING');
      expect(task.status.group).to.equal('family:web');
      await ecsplane(['stop-task', ids[0], '--cluster', 'prod', '--reason', 'maintenance', '--state', state]);
      const stopped = JSON.parse((await ecsplane(['get', 'task', ids[0], '--cluster', 'prod', '--state', state, '-o', 'json'])).stdout);
      expect(stopped.status).to.include({ desiredStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'maintenance' });
    } finally {
      child.kill('SIGINT');
      await new Promise((res) => child.on('exit', res));
    }
  });

  it('a corrupt state file is refused with a clear error', async () => {
    const state = join(dir, 'state.json');
    writeFileSync(state, '{oops');
    const r = await ecsplane(['get', 'clusters', '--state', state], { allowFail: true });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/corrupt.*refusing to start/);
  });
});
