/**
 * Table tests for the comparison figures and cost (controllers/simulation/summary.ts): billing
 * windows, Fargate rates by architecture and Spot, ephemeral storage, EC2 fleet and task shares,
 * and the healthy-percentage figures.
 */
import { expect } from 'chai';
import { DEFAULT_PRICING } from '../../../api/pricing.js';
import { billableSeconds, fargateTaskCost, healthFigures, summarize } from '../../../controllers/simulation/summary.js';
import type { TaskUsage, UsageRecord } from '../../../controllers/simulation/usage.js';

const T0 = Date.UTC(2026, 0, 1);
const H = 3600_000;

const task = (over: Partial<TaskUsage>): TaskUsage => ({
  id: 't',
  cluster: 'prod',
  service: 'prod/web',
  launchType: 'FARGATE',
  cpu: 1024,
  memory: 2048,
  architecture: 'X86_64',
  ephemeralStorageGb: 20,
  osFamily: 'LINUX',
  pullStartedAt: T0,
  ...over,
});

const record = (over: Partial<UsageRecord>): UsageRecord => ({
  startMs: T0,
  endMs: T0 + H,
  tasks: [],
  instances: [],
  deployments: [],
  health: {},
  scalingActivities: 0,
  peakTasks: 0,
  peakInstances: 0,
  peakTaskVcpu: 0,
  ...over,
});

describe('cost: billing windows', () => {
  it('bills per second with a one-minute minimum once an interval has ended', () => {
    expect(billableSeconds(T0, T0 + 10_000, T0 + H)).to.equal(60);
    expect(billableSeconds(T0, T0 + 90_400, T0 + H)).to.equal(91); // rounded up to the second
  });
  it('an interval still open at the end is charged up to the end, without the minimum', () => {
    expect(billableSeconds(T0 + H - 10_000, undefined, T0 + H)).to.equal(10);
  });
  it('nothing before the image pull starts (a task waiting for capacity costs nothing)', () => {
    expect(billableSeconds(undefined, undefined, T0 + H)).to.equal(0);
  });
});

describe('cost: Fargate', () => {
  it('1 vCPU / 2 GB x86 for an hour: vCPU-hour + 2 GB-hours', () => {
    expect(fargateTaskCost(task({}), DEFAULT_PRICING, T0 + H)).to.be.closeTo(0.04048 + 2 * 0.004445, 1e-9);
  });
  it('ARM64 and FARGATE_SPOT use their own rates', () => {
    const arm = fargateTaskCost(task({ architecture: 'ARM64' }), DEFAULT_PRICING, T0 + H);
    expect(arm).to.be.closeTo(DEFAULT_PRICING.fargate.ARM64.vcpuHour + 2 * DEFAULT_PRICING.fargate.ARM64.gbHour, 1e-9);
    const spot = fargateTaskCost(task({ capacityProvider: 'FARGATE_SPOT' }), DEFAULT_PRICING, T0 + H);
    expect(spot).to.be.closeTo(DEFAULT_PRICING.fargateSpot.X86_64.vcpuHour + 2 * DEFAULT_PRICING.fargateSpot.X86_64.gbHour, 1e-9);
  });
  it('Windows is not priced: a warning says it is counted at Linux prices', () => {
    const s = summarize(record({ tasks: [task({ osFamily: 'WINDOWS_SERVER_2022_CORE' })] }), [], DEFAULT_PRICING);
    expect(s.warnings.join('\n')).to.match(/operatingSystemFamily WINDOWS_SERVER_2022_CORE: Windows is not priced/);
  });
  it('ephemeral storage is charged only above the included 20 GB', () => {
    const base = fargateTaskCost(task({}), DEFAULT_PRICING, T0 + H);
    expect(fargateTaskCost(task({ ephemeralStorageGb: 50 }), DEFAULT_PRICING, T0 + H) - base).to.be.closeTo(30 * 0.000111, 1e-9);
  });
});

describe('cost: the EC2 fleet and the tasks on it', () => {
  const inst = { id: 'i-a', cluster: 'prod', containerInstance: 'prod/i-a', instanceType: 'm5.large', launchedAt: T0, registeredCpu: 2048, registeredMemory: 7680 };
  it('instance-hours at the on-demand price; a task pays its reserved share, the rest is idle', () => {
    const ec2Task = task({ launchType: 'EC2', cpu: 512, memory: 1920, instance: 'prod/i-a' });
    const s = summarize(record({ instances: [inst], tasks: [ec2Task] }), [], DEFAULT_PRICING);
    expect(s.cluster.instanceHours).to.equal(1);
    expect(s.cluster.cost.ec2).to.equal(0.096);
    // (512/2048 + 1920/7680) / 2 = 0.25 of the instance.
    expect(s.services[0].cost.ec2Share).to.be.closeTo(0.024, 1e-6);
    expect(s.cluster.cost.ec2Idle).to.be.closeTo(0.072, 1e-6);
    expect(s.cluster.cost.total).to.equal(0.096);
  });
  it('an instance type without a price is a warning, not a silent zero', () => {
    const s = summarize(record({ instances: [{ ...inst, instanceType: 'x9.huge' }] }), [], DEFAULT_PRICING);
    expect(s.warnings.join('\n')).to.match(/no price for instance type x9\.huge/);
  });
  it('a terminated instance bills until it was terminated', () => {
    const s = summarize(record({ instances: [{ ...inst, terminatedAt: T0 + H / 2 }] }), [], DEFAULT_PRICING);
    expect(s.cluster.cost.ec2).to.equal(0.048);
  });
});

describe('health figures', () => {
  const p = (t: number, healthy: number, desired = 4, minimumHealthyPercent = 50) => ({ t, healthy, desired, minimumHealthyPercent });
  it('start from the first fully healthy moment: the ramp-up from zero is not a dip', () => {
    expect(healthFigures([p(0, 0), p(10, 4), p(100, 2), p(130, 4)], 200)).to.deep.equal({ lowestHealthyPercent: 50, longestBelowMinimumSeconds: 0 });
  });
  it('the longest stretch below ceil(desired × min%)', () => {
    const points = [p(0, 4), p(100, 1), p(130, 4), p(150, 1), p(200, 2), p(300, 0)];
    expect(healthFigures(points, 320)).to.deep.equal({ lowestHealthyPercent: 0, longestBelowMinimumSeconds: 50 });
  });
  it('never fully healthy: no figures', () => {
    expect(healthFigures([p(0, 0), p(10, 1)], 20)).to.deep.equal({ longestBelowMinimumSeconds: 0 });
  });
});

describe('deployment figures', () => {
  it('an update after the start is what the cluster figure reports, not the first deployment', () => {
    const deployments = [
      { service: 'prod/web', id: 'd1', taskDefinition: 'web:1', createdAt: T0, finishedAt: T0 + 45_000, rolloutState: 'COMPLETED', failedTasks: 0 },
      { service: 'prod/web', id: 'd2', taskDefinition: 'web:2', createdAt: T0 + 180_000, finishedAt: T0 + 285_000, rolloutState: 'COMPLETED', failedTasks: 1 },
      { service: 'prod/api', id: 'd3', taskDefinition: 'api:1', createdAt: T0, finishedAt: T0 + 300_000, rolloutState: 'COMPLETED', failedTasks: 0 },
    ];
    const events = [{ t: 290, kind: 'Service', name: 'web', cluster: 'prod', message: '(service web) has reached a steady state.' }];
    const s = summarize(record({ deployments }), events, DEFAULT_PRICING);
    expect(s.cluster.deploymentSeconds).to.equal(105);
    expect(s.cluster.steadyAt).to.equal(290);
    expect(s.cluster.failedTasks).to.equal(1);
  });
  it('an unfinished deployment makes the figure unfinished', () => {
    const deployments = [{ service: 'prod/web', id: 'd1', taskDefinition: 'web:1', createdAt: T0, rolloutState: 'IN_PROGRESS', failedTasks: 3 }];
    const s = summarize(record({ deployments }), [], DEFAULT_PRICING);
    expect(s.cluster.deploymentSeconds).to.equal(undefined);
    expect(s.cluster.unfinishedDeployments).to.equal(1);
    expect(s.cluster.steadyAt).to.equal(undefined);
  });
});
