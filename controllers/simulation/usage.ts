/**
 * What a simulation used, recorded as it runs (the store forgets stopped tasks after an hour and
 * terminated instances at once): every task's billable interval and size, every EC2 instance's
 * running interval and type, each deployment's start and end, scaling activities, peaks, and each
 * service's healthy count over time as the service scheduler counts it (controllers/service/health.ts).
 * Observes the store's writes and is ticked by the runner after each instant has drained; it never
 * writes anything.
 */
import { clusterOf, makeKey, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import { getRevision } from '../../store/taskdefs.js';
import { tasksOfService, SERVICE_LABEL } from '../shared/indexes.js';
import { internedKey } from '../shared/keys.js';
import { parseCpu, parseMemory } from '../shared/requirements.js';
import { serviceTaskHealth } from '../service/health.js';
import type { TaskObject } from '../shared/instances.js';

export interface TaskUsage {
  id: string;
  cluster: string;
  /** `cluster/service`, or undefined for a standalone task. */
  service?: string;
  launchType: string;
  capacityProvider?: string;
  /** CPU units and MiB the task reserves (task size on Fargate). */
  cpu: number;
  memory: number;
  architecture: 'X86_64' | 'ARM64';
  /** runtimePlatform.operatingSystemFamily (LINUX unless a Windows family is named). */
  osFamily: string;
  ephemeralStorageGb: number;
  /** `cluster/name` of its container instance (EC2). */
  instance?: string;
  /** Billing starts when the image pull starts (ms), ends when the task is STOPPED. */
  pullStartedAt?: number;
  startedAt?: number;
  stoppedAt?: number;
}

export interface InstanceUsage {
  /** EC2 instance id: the ContainerInstance's name. */
  id: string;
  cluster?: string;
  /** ContainerInstance `cluster/name` once registered. */
  containerInstance?: string;
  instanceType?: string;
  launchedAt: number;
  terminatedAt?: number;
  registeredCpu?: number;
  registeredMemory?: number;
}

export interface DeploymentUsage {
  service: string;
  id: string;
  taskDefinition: string;
  createdAt: number;
  /** When rolloutState first became COMPLETED or FAILED. */
  finishedAt?: number;
  rolloutState: string;
  failedTasks: number;
}

/** `t`: seconds since the start. */
export interface HealthPoint {
  t: number;
  healthy: number;
  desired: number;
  minimumHealthyPercent: number;
}

export interface UsageRecord {
  startMs: number;
  endMs: number;
  tasks: TaskUsage[];
  instances: InstanceUsage[];
  deployments: DeploymentUsage[];
  /** Per service (`cluster/name`), the healthy count whenever it or the desired count changed. */
  health: Record<string, HealthPoint[]>;
  scalingActivities: number;
  peakTasks: number;
  peakInstances: number;
  /** Peak vCPU reserved by tasks that are not STOPPED (Fargate and EC2). */
  peakTaskVcpu: number;
}

const ms = (s: string | undefined) => (s ? Date.parse(s) : undefined);

export class UsageRecorder {
  /** Per cluster, per task name; and every record in the order first seen (the output's order). */
  private readonly tasks = new Map<string, Map<string, TaskUsage>>();
  private readonly taskList: TaskUsage[] = [];
  private readonly instances = new Map<string, InstanceUsage>();
  private readonly deployments = new Map<string, DeploymentUsage>();
  private readonly health = new Map<string, HealthPoint[]>();
  private readonly activityIds = new Set<string>();
  /** Services to re-count at the next tick, and when a count may change without a write. */
  private readonly dirty = new Set<string>();
  private readonly recheckAt = new Map<string, number>();
  /** Tasks seen and not STOPPED (those whose record has no stoppedAt), and the vCPU they reserve. */
  private live = 0;
  private liveVcpu = 0;
  private peakTasks = 0;
  private peakInstances = 0;
  private peakTaskVcpu = 0;
  private activeInstances = new Set<string>();

  constructor(
    private readonly store: ResourceStore,
    private readonly startMs: number,
    private readonly now: () => number,
  ) {
    store.onWrite((ev: any) => this.observe(ev.type, ev.object as Resource, ev.previous as Resource | undefined));
  }

  private observe(type: string, obj: Resource, previous: Resource | undefined): void {
    switch (obj?.kind) {
      case 'Task':
        return this.observeTask(type, obj as TaskObject);
      case 'ContainerInstance':
        return this.observeInstance(type, obj);
      case 'AutoScalingGroup':
        return this.observeGroup(obj);
      case 'Service':
        return this.observeService(obj);
      case 'ScalableTarget':
        // The store keeps an unchanged list by identity: most writes (a datapoint a minute) add none.
        if (previous?.status?.ScalingActivities === obj.status?.ScalingActivities) return;
        for (const a of obj.status?.ScalingActivities ?? []) this.activityIds.add(`aas/${a.ActivityId}`);
        return;
    }
  }

  private observeTask(type: string, t: TaskObject): void {
    const cluster = clusterOf(t);
    const svc = t.metadata.labels?.[SERVICE_LABEL];
    if (svc) this.dirty.add(internedKey(cluster, svc));
    const s = t.status;
    if (!s) return;
    // Per task this keeps its usage record and nothing else (no key strings: a maximum-size cluster
    // has 100,000 tasks, and each string was another ~60 bytes of heap per task).
    let inCluster = this.tasks.get(cluster);
    if (!inCluster) this.tasks.set(cluster, (inCluster = new Map()));
    let u = inCluster.get(t.metadata.name);
    const isNew = u === undefined;
    if (!u) {
      const rev = s.taskDefinitionArn ? getRevision(this.store, s.taskDefinitionArn.slice(s.taskDefinitionArn.lastIndexOf('/') + 1)) : undefined;
      const td: any = rev?.spec ?? {};
      u = {
        id: t.metadata.name,
        cluster: clusterOf(t),
        service: svc ? internedKey(cluster, svc) : undefined,
        launchType: s.launchType ?? 'EC2',
        capacityProvider: s.capacityProviderName,
        cpu: parseCpu(s.cpu) ?? 0,
        memory: parseMemory(s.memory) ?? 0,
        architecture: td.runtimePlatform?.cpuArchitecture === 'ARM64' ? 'ARM64' : 'X86_64',
        osFamily: td.runtimePlatform?.operatingSystemFamily ?? 'LINUX',
        ephemeralStorageGb: td.ephemeralStorage?.sizeInGiB ?? 20,
        // Declared now, set later: the record keeps one shape with its members in the object itself.
        instance: undefined,
        pullStartedAt: undefined,
        startedAt: undefined,
        stoppedAt: undefined,
      };
      inCluster.set(t.metadata.name, u);
      this.taskList.push(u);
    }
    u.capacityProvider ??= s.capacityProviderName;
    if (s.cpu) {
      const cpu = parseCpu(s.cpu) ?? u.cpu;
      if (u.stoppedAt === undefined && !isNew) this.liveVcpu += (cpu - u.cpu) / 1024;
      u.cpu = cpu;
    }
    if (s.memory) u.memory = parseMemory(s.memory) ?? u.memory;
    if (s.containerInstance) u.instance = internedKey(cluster, s.containerInstance);
    u.pullStartedAt ??= this.sinceStart(ms(s.pullStartedAt));
    u.startedAt ??= this.sinceStart(ms(s.startedAt));
    if (s.lastStatus === 'STOPPED' || type === 'DELETED') {
      // Live (counted) from its first sight until STOPPED: exactly the records without stoppedAt.
      if (u.stoppedAt === undefined) {
        if (!isNew) {
          this.live--;
          this.liveVcpu -= u.cpu / 1024;
        }
        u.stoppedAt = this.sinceStart(ms(s.stoppedAt) ?? this.now());
      }
    } else if (isNew) {
      this.live++;
      this.liveVcpu += u.cpu / 1024;
    }
  }

  private observeInstance(type: string, i: Resource): void {
    const id = i.metadata.name; // an Auto Scaling group names its container instances by EC2 instance id
    let u = this.instances.get(id);
    if (!u) {
      u = { id, launchedAt: ms(i.metadata.creationTimestamp) ?? this.now() };
      this.instances.set(id, u);
    }
    const attr = (n: string) => [...(i.status?.attributes ?? []), ...(i.spec?.attributes ?? [])].find((a: any) => a.name === n)?.value;
    u.cluster = clusterOf(i);
    u.containerInstance = makeKey(clusterOf(i), i.metadata.name);
    u.instanceType ??= attr('ecs.instance-type');
    const reg = (n: string) => (i.status?.registeredResources ?? i.spec?.totalResources ?? []).find((r: any) => r.name === n)?.integerValue;
    u.registeredCpu = reg('CPU') ?? u.registeredCpu;
    u.registeredMemory = reg('MEMORY') ?? u.registeredMemory;
    const ec2State = i.metadata.annotations?.['sim.ecsplane.io/ec2-state'];
    const gone = type === 'DELETED' || ec2State === 'terminated' || ec2State === 'stopped';
    if (gone) {
      u.terminatedAt ??= this.now();
      this.activeInstances.delete(id);
    } else {
      // A stopped instance that starts again bills again from then (a new interval is not modelled: it continues).
      if (u.terminatedAt !== undefined && ec2State === undefined) u.terminatedAt = undefined;
      this.activeInstances.add(id);
    }
  }

  /** EC2 Auto Scaling instances bill from launch, before their container instance registers. */
  private observeGroup(g: Resource): void {
    const st = g.status ?? {};
    for (const a of st.Activities ?? []) this.activityIds.add(`asg/${a.ActivityId}`);
    const seen = new Set<string>();
    for (const inst of st.Instances ?? []) {
      seen.add(inst.InstanceId);
      let u = this.instances.get(inst.InstanceId);
      if (!u) {
        u = { id: inst.InstanceId, launchedAt: ms(inst.LaunchTime) ?? this.now() };
        this.instances.set(inst.InstanceId, u);
        this.activeInstances.add(inst.InstanceId);
      }
      u.launchedAt = Math.min(u.launchedAt, ms(inst.LaunchTime) ?? u.launchedAt);
      u.instanceType ??= inst.InstanceType;
    }
    // Left the group: terminated (its container instance may linger as INACTIVE).
    for (const id of this.groupIds.get(g.metadata.name) ?? []) {
      const u = this.instances.get(id);
      if (u && u.terminatedAt === undefined && !seen.has(id)) {
        u.terminatedAt = this.now();
        this.activeInstances.delete(id);
      }
    }
    this.groupIds.set(g.metadata.name, seen);
  }

  private readonly groupIds = new Map<string, Set<string>>();

  private observeService(svc: Resource): void {
    const key = makeKey(clusterOf(svc), svc.metadata.name);
    this.dirty.add(key);
    for (const d of svc.status?.deployments ?? []) {
      let u = this.deployments.get(d.id);
      if (!u) {
        u = { service: key, id: d.id, taskDefinition: String(d.taskDefinition).split('/').pop()!, createdAt: ms(d.createdAt) ?? this.now(), rolloutState: d.rolloutState, failedTasks: 0 };
        this.deployments.set(d.id, u);
      }
      u.rolloutState = d.rolloutState;
      u.failedTasks = Math.max(u.failedTasks, d.failedTasks ?? 0);
      if (u.finishedAt === undefined && (d.rolloutState === 'COMPLETED' || d.rolloutState === 'FAILED')) u.finishedAt = this.now();
    }
  }

  /** After everything due at `now` has run: peaks, and the healthy count of services that may have changed. */
  tick(now: number): void {
    this.peakTasks = Math.max(this.peakTasks, this.live);
    this.peakTaskVcpu = Math.max(this.peakTaskVcpu, this.liveVcpu);
    this.peakInstances = Math.max(this.peakInstances, this.activeInstances.size);
    for (const [k, at] of this.recheckAt) if (at <= now) this.dirty.add(k);
    for (const key of this.dirty) this.countHealthy(key, now);
    this.dirty.clear();
  }

  private countHealthy(key: string, now: number): void {
    this.recheckAt.delete(key);
    const svc = this.store.get('Service', key);
    const points = this.health.get(key) ?? [];
    if (!svc) return;
    const spec = svc.spec ?? {};
    let healthy = 0;
    let next = Infinity;
    for (const t of tasksOfService(this.store, key)) {
      const arn = t.status?.taskDefinitionArn;
      const rev = arn ? getRevision(this.store, arn.slice(arn.lastIndexOf('/') + 1)) : undefined;
      if (!rev) continue;
      const h = serviceTaskHealth(this.store, spec, t, rev, now);
      if (h.health.healthy) healthy++;
      if (h.nextChangeAt !== undefined) next = Math.min(next, h.nextChangeAt);
    }
    if (next < Infinity) this.recheckAt.set(key, next);
    const desired = svc.status?.desiredCount ?? spec.desiredCount ?? 0;
    const minimumHealthyPercent = spec.deploymentConfiguration?.minimumHealthyPercent ?? 100;
    const last = points.at(-1);
    if (!last || last.healthy !== healthy || last.desired !== desired || last.minimumHealthyPercent !== minimumHealthyPercent) {
      points.push({ t: (now - this.startMs) / 1000, healthy, desired, minimumHealthyPercent });
      this.health.set(key, points);
    }
  }

  /**
   * A task's times are kept in ms since the start while it runs (small integers, held in the record
   * itself; epoch ms would be a boxed number each, ~36 bytes per task at 100,000 tasks) and given out
   * as epoch ms.
   */
  private sinceStart(epochMs: number | undefined): number | undefined {
    return epochMs === undefined ? undefined : epochMs - this.startMs;
  }

  private absolute(sinceStart: number | undefined): number | undefined {
    return sinceStart === undefined ? undefined : sinceStart + this.startMs;
  }

  record(endMs: number): UsageRecord {
    return {
      startMs: this.startMs,
      endMs,
      tasks: this.taskList.map((u) => ({ ...u, pullStartedAt: this.absolute(u.pullStartedAt), startedAt: this.absolute(u.startedAt), stoppedAt: this.absolute(u.stoppedAt) })),
      instances: [...this.instances.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      deployments: [...this.deployments.values()],
      health: Object.fromEntries([...this.health.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
      scalingActivities: this.activityIds.size,
      peakTasks: this.peakTasks,
      peakInstances: this.peakInstances,
      peakTaskVcpu: this.peakTaskVcpu,
    };
  }
}
