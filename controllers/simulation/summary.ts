/**
 * The figures a run is compared by, and what it costs: pure functions of a UsageRecord, the run's
 * events and a price list. Billing rules (cited where they are subtle):
 * - Fargate: vCPU and memory of the task size, from the start of the image pull until the task is
 *   STOPPED, per second with a one-minute minimum; ephemeral storage above the included 20 GB per
 *   GB-hour (https://aws.amazon.com/fargate/pricing/). FARGATE_SPOT tasks at the Spot rates.
 * - EC2: per instance-second with a 60-second minimum (Linux on-demand,
 *   https://aws.amazon.com/ec2/pricing/on-demand/), from launch until terminated or stopped.
 * - A task's share of an EC2 instance (ecsplane's allocation, not an AWS bill line): the mean of its
 *   reserved CPU and memory fractions of what the instance registered, times the instance's price,
 *   over the time it held them; what no task reserved is the fleet's idle cost.
 * A run still going at its end is charged up to the end, without the minimum.
 */
import type { Pricing } from '../../api/pricing.js';
import type { HealthPoint, InstanceUsage, TaskUsage, UsageRecord } from './usage.js';

export interface Cost {
  fargate: number;
  fargateSpot: number;
  /** The share of EC2 instance cost the service's tasks reserved. */
  ec2Share: number;
  total: number;
}

export interface ServiceSummary {
  service: string;
  deployments: number;
  /** The last deployment: when it started (s), its task definition, rollout state and seconds from start to COMPLETED/FAILED (undefined: unfinished). */
  lastDeployment?: { startedAt: number; taskDefinition: string; rolloutState: string; seconds?: number };
  /** Seconds since the start when the service last reached a steady state after its last deployment (undefined: never). */
  steadyAt?: number;
  /** Lowest healthy tasks as a percentage of desired, once the service had first been fully healthy. */
  lowestHealthyPercent?: number;
  /** Longest stretch (s) with fewer healthy tasks than ceil(desired × minimumHealthyPercent / 100), after first fully healthy. */
  longestBelowMinimumSeconds: number;
  failedTasks: number;
  placementFailures: number;
  taskHours: number;
  cost: Cost;
}

export interface RunSummary {
  seconds: number;
  pricing: { region: string; currency: string; date: string };
  services: ServiceSummary[];
  cluster: {
    /** The longest last deployment of the services updated after the start (else of all; undefined when one is unfinished). */
    deploymentSeconds?: number;
    unfinishedDeployments: number;
    /** When the last of those services reached its steady state (undefined when one never did). */
    steadyAt?: number;
    lowestHealthyPercent?: number;
    longestBelowMinimumSeconds: number;
    peakTasks: number;
    peakTaskVcpu: number;
    peakInstances: number;
    failedTasks: number;
    placementFailures: number;
    scalingActivities: number;
    taskHours: number;
    instanceHours: number;
    cost: { fargate: number; fargateSpot: number; ec2: number; ec2UsedByTasks: number; ec2Idle: number; total: number };
  };
  warnings: string[];
}

export interface SummaryEvent {
  t: number;
  kind: string;
  name: string;
  cluster: string;
  message: string;
}

const round = (v: number, digits = 6) => Math.round(v * 10 ** digits) / 10 ** digits;
const HOUR = 3600;

/** Billable seconds of an interval: per second, a 60 s minimum once it has ended. */
export function billableSeconds(fromMs: number | undefined, toMs: number | undefined, endMs: number): number {
  if (fromMs === undefined || fromMs >= endMs) return 0;
  const seconds = (Math.min(toMs ?? endMs, endMs) - fromMs) / 1000;
  return toMs !== undefined && toMs <= endMs ? Math.max(60, Math.ceil(seconds)) : Math.max(0, seconds);
}

export function fargateTaskCost(t: TaskUsage, pricing: Pricing, endMs: number): number {
  const seconds = billableSeconds(t.pullStartedAt, t.stoppedAt, endMs);
  // Fargate Spot has one (x86) rate: it runs no ARM64 task.
  const rate = t.capacityProvider === 'FARGATE_SPOT' ? pricing.fargateSpot.X86_64 : pricing.fargate[t.architecture];
  const extraStorage = Math.max(0, t.ephemeralStorageGb - pricing.fargateIncludedEphemeralStorageGb);
  return (seconds / HOUR) * ((t.cpu / 1024) * rate.vcpuHour + (t.memory / 1024) * rate.gbHour + extraStorage * pricing.fargateEphemeralStorageGbHour);
}

const isFargate = (t: TaskUsage) => t.launchType === 'FARGATE' || t.capacityProvider === 'FARGATE' || t.capacityProvider === 'FARGATE_SPOT';

/** Health points → lowest percentage and longest time below the minimum, from the first fully healthy moment. */
export function healthFigures(points: HealthPoint[], endS: number): { lowestHealthyPercent?: number; longestBelowMinimumSeconds: number } {
  const first = points.findIndex((p) => p.desired > 0 && p.healthy >= p.desired);
  if (first < 0) return { longestBelowMinimumSeconds: 0 };
  let lowest = Infinity;
  let longest = 0;
  let belowSince: number | undefined;
  for (let i = first; i < points.length; i++) {
    const p = points[i];
    if (p.desired > 0) lowest = Math.min(lowest, (p.healthy / p.desired) * 100);
    const below = p.healthy < Math.ceil((p.desired * p.minimumHealthyPercent) / 100);
    if (below && belowSince === undefined) belowSince = p.t;
    if (!below && belowSince !== undefined) {
      longest = Math.max(longest, p.t - belowSince);
      belowSince = undefined;
    }
  }
  if (belowSince !== undefined) longest = Math.max(longest, endS - belowSince);
  return { lowestHealthyPercent: lowest === Infinity ? undefined : round(lowest, 1), longestBelowMinimumSeconds: round(longest, 3) };
}

export function summarize(usage: UsageRecord, events: SummaryEvent[], pricing: Pricing): RunSummary {
  const endMs = usage.endMs;
  const endS = (endMs - usage.startMs) / 1000;
  const warnings = new Set<string>();
  const instancePrice = (i: InstanceUsage): number => {
    if (!i.instanceType) {
      warnings.add(`instance ${i.id} has no ecs.instance-type attribute: its cost is not counted`);
      return 0;
    }
    const p = pricing.ec2OnDemandHour[i.instanceType];
    if (p === undefined) warnings.add(`no price for instance type ${i.instanceType} in the price list (add it with --pricing): its cost is not counted`);
    return p ?? 0;
  };
  const byContainerInstance = new Map(usage.instances.filter((i) => i.containerInstance).map((i) => [i.containerInstance!, i]));
  let ec2 = 0;
  let instanceSeconds = 0;
  for (const i of usage.instances) {
    const s = billableSeconds(i.launchedAt, i.terminatedAt, endMs);
    instanceSeconds += s;
    ec2 += (s / HOUR) * instancePrice(i);
  }

  const services = new Map<string, ServiceSummary>();
  const serviceOf = (key: string) => {
    let s = services.get(key);
    if (!s) {
      s = { service: key, deployments: 0, longestBelowMinimumSeconds: 0, failedTasks: 0, placementFailures: 0, taskHours: 0, cost: { fargate: 0, fargateSpot: 0, ec2Share: 0, total: 0 } };
      services.set(key, s);
    }
    return s;
  };
  for (const key of Object.keys(usage.health)) serviceOf(key);
  let taskSeconds = 0;
  const standalone: Cost = { fargate: 0, fargateSpot: 0, ec2Share: 0, total: 0 };
  for (const t of usage.tasks) {
    const running = Math.max(0, (Math.min(t.stoppedAt ?? endMs, endMs) - (t.pullStartedAt ?? endMs)) / 1000);
    taskSeconds += running;
    const cost = t.service ? serviceOf(t.service).cost : standalone;
    if (t.service) serviceOf(t.service).taskHours += running / HOUR;
    if (t.osFamily !== 'LINUX') warnings.add(`task definitions with operatingSystemFamily ${t.osFamily}: Windows is not priced; counted at Linux prices`);
    if (isFargate(t)) {
      const c = fargateTaskCost(t, pricing, endMs);
      if (t.capacityProvider === 'FARGATE_SPOT') cost.fargateSpot += c;
      else cost.fargate += c;
    } else if (t.instance) {
      const inst = byContainerInstance.get(t.instance);
      if (!inst || !inst.registeredCpu || !inst.registeredMemory) continue;
      const share = 0.5 * (t.cpu / inst.registeredCpu) + 0.5 * (t.memory / inst.registeredMemory);
      cost.ec2Share += (running / HOUR) * share * instancePrice(inst);
    }
  }

  const deploymentsOf = new Map<string, typeof usage.deployments>();
  for (const d of usage.deployments) deploymentsOf.set(d.service, [...(deploymentsOf.get(d.service) ?? []), d]);
  for (const [key, deps] of deploymentsOf) {
    const s = serviceOf(key);
    deps.sort((a, b) => a.createdAt - b.createdAt);
    s.deployments = deps.length;
    s.failedTasks = deps.reduce((n, d) => n + d.failedTasks, 0);
    const last = deps.at(-1)!;
    s.lastDeployment = { startedAt: round((last.createdAt - usage.startMs) / 1000, 3), taskDefinition: last.taskDefinition, rolloutState: last.rolloutState, seconds: last.finishedAt !== undefined ? round((last.finishedAt - last.createdAt) / 1000, 3) : undefined };
    const since = (last.createdAt - usage.startMs) / 1000;
    const steady = events.filter((e) => e.kind === 'Service' && `${e.cluster}/${e.name}` === key && e.t >= since && e.message.endsWith('has reached a steady state.')).at(-1);
    s.steadyAt = steady?.t;
  }
  for (const e of events) {
    if (e.kind === 'Service' && e.message.includes('was unable to place a task')) serviceOf(`${e.cluster}/${e.name}`).placementFailures++;
  }
  for (const [key, points] of Object.entries(usage.health)) Object.assign(serviceOf(key), healthFigures(points, endS));

  const list = [...services.values()].sort((a, b) => (a.service < b.service ? -1 : 1));
  const sum = (f: (s: ServiceSummary) => number) => list.reduce((n, s) => n + f(s), 0);
  for (const s of list) {
    s.taskHours = round(s.taskHours);
    s.cost.total = s.cost.fargate + s.cost.fargateSpot + s.cost.ec2Share;
    for (const k of Object.keys(s.cost) as (keyof Cost)[]) s.cost[k] = round(s.cost[k]);
  }
  // The updates, when there were any: the services' first deployments would hide them otherwise.
  const updated = list.filter((s) => s.lastDeployment && s.lastDeployment.startedAt > 0);
  const withDeploy = updated.length ? updated : list.filter((s) => s.lastDeployment);
  const unfinished = withDeploy.filter((s) => s.lastDeployment!.seconds === undefined).length;
  const ec2Used = sum((s) => s.cost.ec2Share) + standalone.ec2Share;
  const fargate = sum((s) => s.cost.fargate) + standalone.fargate;
  const fargateSpot = sum((s) => s.cost.fargateSpot) + standalone.fargateSpot;
  const lowest = list.map((s) => s.lowestHealthyPercent).filter((v): v is number => v !== undefined);
  return {
    seconds: endS,
    pricing: { region: pricing.region, currency: pricing.currency, date: pricing.date },
    services: list,
    cluster: {
      deploymentSeconds: withDeploy.length && !unfinished ? Math.max(...withDeploy.map((s) => s.lastDeployment!.seconds!)) : undefined,
      unfinishedDeployments: unfinished,
      steadyAt: withDeploy.length && withDeploy.every((s) => s.steadyAt !== undefined) ? Math.max(...withDeploy.map((s) => s.steadyAt!)) : undefined,
      lowestHealthyPercent: lowest.length ? Math.min(...lowest) : undefined,
      longestBelowMinimumSeconds: Math.max(0, ...list.map((s) => s.longestBelowMinimumSeconds)),
      peakTasks: usage.peakTasks,
      peakTaskVcpu: round(usage.peakTaskVcpu, 3),
      peakInstances: usage.peakInstances,
      failedTasks: sum((s) => s.failedTasks),
      placementFailures: sum((s) => s.placementFailures),
      scalingActivities: usage.scalingActivities,
      taskHours: round(taskSeconds / HOUR),
      instanceHours: round(instanceSeconds / HOUR),
      cost: { fargate: round(fargate), fargateSpot: round(fargateSpot), ec2: round(ec2), ec2UsedByTasks: round(ec2Used), ec2Idle: round(ec2 - ec2Used), total: round(fargate + fargateSpot + ec2) },
    },
    warnings: [...warnings].sort(),
  };
}
