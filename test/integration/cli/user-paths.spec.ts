/**
 * The CLI paths a user takes when something is wrong: missing files, a state file that does not
 * exist, a name in another cluster, a batch with a bad object, a Scenario given to `run`/`apply`.
 * Every one ends with a message naming what is wrong and a non-zero exit; nothing good is lost.
 */
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const CLI = resolve('dist/controllers/cli/main.js');
const FAST = resolve('test/fixtures/fast/cluster.yaml');

async function ecsplane(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await exec('node', [CLI, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const BAD_SERVICE = `apiVersion: ecsplane.io/v1alpha1
kind: Service
metadata: {name: web2}
spec: {cluster: prod, taskDefinition: nosuchtd, desiredCount: 1}
---
apiVersion: ecsplane.io/v1alpha1
kind: Cluster
metadata: {name: staging}
spec: {}
---
apiVersion: ecsplane.io/v1alpha1
kind: Service
metadata: {name: web}
spec: {cluster: prod, taskDefinition: web, desiredCount: 3}
`;

describe('cli: the paths a user takes when something is wrong', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ecsplane-paths-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('run -f on a file that does not exist exits non-zero naming it', async () => {
    const r = await ecsplane(['run', '-f', join(dir, 'missing.yaml')]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('missing.yaml: no such file or directory');
  });

  it('get/delete/stop-task on a state file that does not exist say so, and create nothing', async () => {
    const nope = join(dir, 'nope.json');
    for (const args of [['get', 'services'], ['delete', 'cluster', 'prod'], ['stop-task', 'abc']]) {
      const r = await ecsplane([...args, '--state', nope]);
      expect(r.code, args.join(' ')).to.equal(1);
      expect(r.stderr).to.contain(`state file ${nope} does not exist`);
      expect(r.stdout).to.equal('');
    }
    expect(() => readFileSync(nope)).to.throw();
  });

  it('get NAME without --cluster that finds nothing names the cluster it looked in and where the name is', async () => {
    const state = join(dir, 's.json');
    expect((await ecsplane(['apply', '-f', FAST, '--state', state])).code).to.equal(0);
    const r = await ecsplane(['get', 'service', 'web', '--state', state]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('service web not found in cluster "default" (it exists in cluster "prod": pass --cluster prod)');
    const nowhere = await ecsplane(['get', 'service', 'nosuch', '--state', state]);
    expect(nowhere.stderr.trim()).to.equal('ecsplane: service nosuch not found in cluster "default"');
  });

  it('apply reports every object (created, configured, unchanged) and names a refused one with its exception once', async () => {
    const state = join(dir, 's.json');
    const first = await ecsplane(['apply', '-f', FAST, '--state', state]);
    expect(first.stdout.trim().split('\n')).to.deep.equal([
      'cluster/prod created',
      'taskdefinition/web created',
      'containerinstance/i-1 created',
      'service/web created',
    ]);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, BAD_SERVICE);
    const r = await ecsplane(['apply', '-f', bad, '--state', state]);
    expect(r.code).to.equal(1);
    expect(r.stdout.trim().split('\n')).to.deep.equal(['cluster/staging created', 'service/web unchanged']);
    expect(r.stderr.trim()).to.equal('service/web2: ClientException: Unable to describe task definition. (spec.taskDefinition)');
    // The refused object is not stored; the accepted ones are.
    const services = JSON.parse((await ecsplane(['get', 'services', '--state', state, '-o', 'json'])).stdout).items;
    expect(services.map((s: any) => s.metadata.name)).to.deep.equal(['web']);
  });

  it('through the control socket of a running `run`, errors print the exception name once', async () => {
    const state = join(dir, 's.json');
    const child = spawn('node', [CLI, 'run', '-f', FAST, '--state', state, '--no-watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      for (let i = 0; i < 200 && !out.includes('service/web created'); i++) await new Promise((r) => setTimeout(r, 100));
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, BAD_SERVICE);
      const r = await ecsplane(['apply', '-f', bad, '--state', state]);
      expect(r.code).to.equal(1);
      expect(r.stderr.trim()).to.equal('service/web2: ClientException: Unable to describe task definition. (spec.taskDefinition)');
      const del = await ecsplane(['delete', 'service', 'web', '--cluster', 'prod', '--state', state]);
      expect(del.code).to.equal(1);
      expect(del.stderr).to.match(/^ecsplane: InvalidParameterException: [^]*desiredCount/);
      expect(del.stderr).not.to.contain('InvalidParameterException: InvalidParameterException');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
    }
  });

  it('a Scenario document is for simulate: run applies the rest and says so, apply refuses it by name', async () => {
    const file = join(dir, 'with-scenario.yaml');
    writeFileSync(file, readFileSync(FAST, 'utf8') + '---\napiVersion: ecsplane.io/v1alpha1\nkind: Scenario\nmetadata: {name: demo}\nspec: {until: 1m}\n');
    const run = await ecsplane(['run', '-f', file, '--until-steady', '--no-watch']);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.contain('warning: scenario/demo: Scenario documents are for `ecsplane simulate`');
    expect(run.stdout).to.contain('has reached a steady state');
    const apply = await ecsplane(['apply', '-f', file, '--state', join(dir, 's.json')]);
    expect(apply.code).to.equal(1);
    expect(apply.stderr).to.contain('scenario/demo: InvalidParameterException: Scenario documents are for `ecsplane simulate`');
  });
});
