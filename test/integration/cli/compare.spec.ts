/**
 * `ecsplane compare` and the cost figures, through the CLI as a user runs them: the quickstart's
 * EC2-vs-Fargate and 50/100-vs-100/200 variants (examples/compare/), --pricing, --output json,
 * and the errors for bad variants. The cost figures are checked against hand arithmetic with the
 * shipped us-east-1 prices (docs in the test names).
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = resolve('dist/controllers/cli/main.js');

async function ecsplane(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const json = async (args: string[]) => {
  const r = await ecsplane([...args, '--output', 'json']);
  expect(r.code, r.stderr).to.equal(0);
  return JSON.parse(r.stdout).variants as Array<{ name: string; summary: any }>;
};

describe('cli: ecsplane compare', function () {
  this.timeout(120_000);

  it('EC2 vs Fargate vs Fargate Spot for the quickstart over an hour: 3 × m5.large against the tasks\' Fargate sizes', async () => {
    const [ec2, fargate, spot] = await json(['compare', 'examples/compare/ec2.yaml', 'examples/compare/fargate.yaml', 'examples/compare/fargate-spot.yaml', '--until', '1h']);
    expect([ec2.name, fargate.name, spot.name]).to.deep.equal(['ec2', 'fargate', 'fargate-spot']);
    // The Spot interruption at 30m: web-app (minimumHealthyPercent 100) runs 2 of 3 healthy until the replacement passes its health check.
    const spotWeb = spot.summary.services.find((s: any) => s.service === 'prod/web-app');
    expect(spotWeb.lowestHealthyPercent).to.be.closeTo(66.7, 0.05);
    expect(spotWeb.longestBelowMinimumSeconds).to.be.within(30, 60);
    expect(spot.summary.cluster.cost.fargateSpot).to.be.greaterThan(0);
    expect(spot.summary.cluster.cost.total).to.be.lessThan(fargate.summary.cluster.cost.total);
    // 3 instances × 1 h × $0.096.
    expect(ec2.summary.cluster.instanceHours).to.equal(3);
    expect(ec2.summary.cluster.cost.total).to.be.closeTo(0.288, 1e-9);
    // web-app: 3 × (0.5 vCPU × 0.04048 + 1 GB × 0.004445) = 0.074055; api: 3 × (0.25 × 0.04048 + 0.5 × 0.004445) = 0.0370275.
    expect(fargate.summary.cluster.instanceHours).to.equal(0);
    const web = fargate.summary.services.find((s: any) => s.service === 'prod/web-app');
    const api = fargate.summary.services.find((s: any) => s.service === 'prod/api');
    expect(web.cost.fargate).to.be.closeTo(0.074055, 1e-6);
    expect(api.cost.fargate).to.be.closeTo(0.037028, 1e-6);
    expect(fargate.summary.cluster.cost.total).to.be.closeTo(0.111083, 1e-6);
    // On EC2 web-app pays its reserved share: (512/2048 + 1024/7680) / 2 × $0.096 × 3 tasks.
    expect(ec2.summary.services.find((s: any) => s.service === 'prod/web-app').cost.ec2Share).to.be.closeTo(((0.25 + 1024 / 7680) / 2) * 0.096 * 3, 1e-6);
  });

  it('50/100 vs 100/200 for the quickstart\'s rolling update: 50/100 dips to 2 of 3 healthy and takes longer', async () => {
    const args = ['compare', 'examples/compare/rolling-update.yaml', '--pairwise', '--set', 'Service/web-app.deploymentConfiguration.minimumHealthyPercent=50,100', '--set', 'Service/web-app.deploymentConfiguration.maximumPercent=100,200'];
    const [low, high] = await json(args);
    expect(low.name).to.equal('minimumHealthyPercent=50 maximumPercent=100');
    const webOf = (v: any) => v.summary.services.find((s: any) => s.service === 'prod/web-app');
    expect(webOf(low).lowestHealthyPercent).to.be.closeTo(66.7, 0.05);
    expect(webOf(high).lowestHealthyPercent).to.equal(100);
    expect(webOf(low).lastDeployment).to.include({ taskDefinition: 'web-app:2', rolloutState: 'COMPLETED' });
    expect(webOf(low).lastDeployment.seconds).to.be.greaterThan(webOf(high).lastDeployment.seconds);
    expect(high.summary.cluster.peakTasks).to.be.greaterThan(low.summary.cluster.peakTasks);
    const table = (await ecsplane([...args, '--names', '50/100,100/200'])).stdout;
    expect(table).to.match(/^\s+50\/100\s+100\/200$/m);
    expect(table).to.match(/^lowest healthy %\s+66\.7%\s+100%$/m);
  });

  it('--pricing overrides part of the price list', async () => {
    const [ec2] = await json(['compare', 'examples/compare/ec2.yaml', 'examples/compare/fargate.yaml', '--until', '1h', '--pricing', 'test/fixtures/pricing/m5-at-one-dollar.yaml']);
    expect(ec2.summary.cluster.cost.ec2).to.equal(3);
    expect(ec2.summary.pricing.date).to.equal('2000-01-01');
  });

  it('bad variants fail with a message naming the option, file and object', async () => {
    const one = await ecsplane(['compare', 'examples/compare/ec2.yaml']);
    expect(one.code).to.equal(1);
    expect(one.stderr).to.contain('compare needs at least two variants');
    const missing = await ecsplane(['compare', 'examples/compare/ec2.yaml', '--set', 'Service/web.desiredCount=1,2']);
    expect(missing.stderr).to.contain('--set Service/web.desiredCount=1,2: ec2 has no Service named web (it has: web-app, api)');
    const seed = await ecsplane(['compare', 'examples/compare/ec2.yaml', 'examples/compare/fargate.yaml', '--seed', 'x']);
    expect(seed.stderr).to.contain("option '--seed <n>' argument 'x' is invalid. a non-negative integer is expected");
    const html = await ecsplane(['compare', 'examples/compare/ec2.yaml', 'examples/compare/fargate.yaml', '--until', '1m', '--output', 'html']);
    expect(html.code, html.stderr).to.equal(0); // one report, the variants' charts on one time axis
    expect(html.stdout).to.match(/^<!DOCTYPE html>/);
    expect(html.stdout).to.contain('<title>ecsplane compare ec2 vs fargate (seed 1)</title>');
    expect(html.stdout.match(/<svg/g)?.length ?? 0).to.be.at.least(2);
    const pricing = await ecsplane(['simulate', 'examples/quickstart', '--until', '1m', '--pricing', 'test/fixtures/pricing/bad.yaml']);
    expect(pricing.stderr).to.contain('--pricing test/fixtures/pricing/bad.yaml: fargate.X86_64.vcpuHour must be a number ≥ 0');
  });

  it('validate checks a Variant file as the manifests it makes', async () => {
    const r = await ecsplane(['validate', 'examples/compare/fargate.yaml']);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^taskdefinition\/api: valid/m);
    expect(r.stdout).not.to.contain('containerinstance/i-a');
  });

  it('simulate prints changed samples only, every sample with --every', async () => {
    const count = (out: string) => out.split('\n').filter((l) => l.includes('service prod/web-app  desired=')).length;
    const changes = await ecsplane(['simulate', 'examples/quickstart', '--until', '5m']);
    const every = await ecsplane(['simulate', 'examples/quickstart', '--until', '5m', '--every']);
    expect(count(changes.stdout)).to.equal(3); // pending, running, COMPLETED, and nothing after
    expect(count(every.stdout)).to.equal(31); // every 10 s from 0 to 5m
  });

  it('simulate runs a Variant file and prints the cost per service and for the cluster', async () => {
    const r = await ecsplane(['simulate', 'examples/compare/fargate.yaml', '--until', '10m']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^cost over 10m00s \(us-east-1 prices of \d{4}-\d{2}-\d{2}; EC2: 0\.00 instance-hours/m);
    expect(r.stdout).to.match(/^prod\/web-app\s+0\.50\s+\$0\.0123\s/m);
    expect(r.stdout).to.match(/^cluster\s+1\.00\s+\$0\.0185\s/m);
  });
});
