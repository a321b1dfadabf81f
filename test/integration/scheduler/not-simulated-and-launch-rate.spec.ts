/**
 * Fields ecsplane does not simulate are reported, not silently simulated as something else
 * (api/not-simulated.ts), and the service scheduler launches at most 500 tasks per service per
 * minute (controllers/service/launch-rate.ts), through `simulate`.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseManifests } from '../../../controllers/cli/manifests.js';
import { simulate } from '../../../controllers/simulation/runner.js';

const run = promisify(execFile);
const CLI = resolve('dist/controllers/cli/main.js');

const fargateBase = (desiredCount: number, deploymentConfiguration: string) => `
apiVersion: ecsplane.io/v1alpha1
kind: Cluster
metadata: {name: prod}
spec: {}
---
apiVersion: ecsplane.io/v1alpha1
kind: TaskDefinition
metadata: {name: web}
spec:
  family: web
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - {name: app, image: nginx, essential: true}
---
apiVersion: ecsplane.io/v1alpha1
kind: Service
metadata: {name: web}
spec:
  cluster: prod
  taskDefinition: web
  desiredCount: ${desiredCount}
  launchType: FARGATE
  networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-1, subnet-2]}}
  deploymentConfiguration: ${deploymentConfiguration}
`;

const BAKE_TIME_MESSAGE = 'deploymentConfiguration.bakeTimeInMinutes 10 is not simulated by ecsplane; old tasks stop as soon as the rolling update allows';

describe('not simulated fields and the service launch rate (simulate)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-notsim-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a ROLLING service with a bake time (used only by other strategies or alarms): simulate --output json shows the NotSimulated event and condition', async () => {
    const file = join(dir, 'bake-time.yaml');
    writeFileSync(file, fargateBase(2, '{strategy: ROLLING, bakeTimeInMinutes: 10}'));
    const { stdout } = await run('node', [CLI, 'simulate', file, '--until', '2m', '--output', 'json'], { maxBuffer: 64 * 1024 * 1024 });
    const out = JSON.parse(stdout);
    const notSimulated = out.events.filter((e: any) => e.kind === 'Service' && e.name === 'web' && e.message.includes('is not simulated by ecsplane'));
    expect(notSimulated, 'one event for generation 1').to.have.length(1);
    expect(notSimulated[0].message).to.contain(BAKE_TIME_MESSAGE);
    const svc = out.resources.find((o: any) => o.kind === 'Service' && o.metadata.name === 'web');
    const cond = svc.status.conditions.find((c: any) => c.type === 'NotSimulated');
    expect(cond).to.include({ status: 'True', reason: 'NotSimulated', observedGeneration: 1 });
    expect(cond.message).to.contain(BAKE_TIME_MESSAGE);
    // What is simulated instead: the rolling update, to completion.
    expect(svc.status.deployments[0].rolloutState).to.equal('COMPLETED');
  });

  it('a plain rolling service gets neither the event nor the condition', () => {
    const r = simulate(parseManifests(fargateBase(2, '{minimumHealthyPercent: 50}'), 'plain.yaml'), { untilMs: 60_000 });
    expect(r.events.some((e) => e.message.includes('is not simulated by ecsplane'))).to.equal(false);
    const svc = r.resources.find((o) => o.kind === 'Service')!;
    expect(svc.status.conditions.map((c: any) => c.type)).to.not.include('NotSimulated');
  });

  it('a standalone task with RunTask size overrides reports them on the task', () => {
    const docs = parseManifests(
      `${fargateBase(0, '{}')}---
apiVersion: ecsplane.io/v1alpha1
kind: Task
metadata: {name: job}
spec:
  cluster: prod
  taskDefinition: web
  launchType: FARGATE
  networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-1]}}
  overrides: {cpu: "1024", memory: "2048"}
`,
      'job.yaml',
    );
    const r = simulate(docs, { untilMs: 30_000 });
    const task = r.resources.find((o) => o.kind === 'Task' && o.metadata.name === 'job')!;
    const cond = task.status.conditions.find((c: any) => c.type === 'NotSimulated');
    expect(cond.message).to.contain('overrides.cpu 1024 is not simulated by ecsplane');
    expect(r.events.filter((e) => e.kind === 'Task' && e.name === 'job' && e.message.includes('overrides.memory 2048'))).to.have.length(1);
  });

  it('desiredCount 5000 (the tasks-per-service quota) converges in batches of at most 500 a minute', () => {
    const r = simulate(parseManifests(fargateBase(5000, '{}'), 'big.yaml'), { untilMs: 11 * 60_000, sampleEveryMs: 15_000 });
    const started = r.events.filter((e) => e.name === 'web' && /has started \d+ tasks/.test(e.message));
    const perLaunch = started.map((e) => Number(/has started (\d+) tasks/.exec(e.message)![1]));
    expect(Math.max(...perLaunch)).to.equal(500);
    // No 60 s window holds more than 500 launches (event times are seconds from the start).
    for (const e of started) {
      const inWindow = started.filter((x) => x.t >= e.t && x.t < e.t + 60);
      expect(inWindow.reduce((n, x) => n + Number(/has started (\d+)/.exec(x.message)![1]), 0), `window from ${e.t}`).to.be.at.most(500);
    }
    expect(perLaunch.reduce((a, b) => a + b, 0)).to.equal(5000);
    const last = r.samples.at(-1)!.services.find((s) => s.name === 'web')!;
    expect(last.runningCount).to.equal(5000);
    expect(last.deployments[0].rolloutState).to.equal('COMPLETED');
    expect(r.resources.filter((o) => o.kind === 'Task')).to.have.length(5000);
  });
});
