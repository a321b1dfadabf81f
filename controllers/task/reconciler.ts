/**
 * Task loop: initialises standalone tasks (RunTask: pin the revision, group, resources), places
 * tasks that have no instance yet, drives every task through its lifecycle (lifecycle.ts), and
 * stops tasks whose host went away.
 */
import { inject, injectable } from '../runtime/di.js';
import { clusterOf, makeKey, splitKey } from '../../api/meta.js';
import { arn, parseTaskDefinitionRef } from '../../api/arn.js';
import { knobsOfTask } from '../shared/knobs.js';
import { attachEni, eniAttachment } from '../shared/eni.js';
import type { TaskStatus } from '../../api/v1alpha1/status.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import { tasksOnInstance } from '../shared/indexes.js';
import { getRevision, resolveTaskDefinition, type RevisionObject } from '../../store/taskdefs.js';
import { defaultRunTaskStrategy } from '../placement/index.js';
import type { Clock } from '../runtime/clock.js';
import type { ReconcileOutcome, Reconciler } from '../runtime/controller.js';
import { TOKENS } from '../runtime/tokens.js';
import { effectiveState, ec2InstanceIdOf, type InstanceObject, type TaskObject } from '../shared/instances.js';
import { placeExisting } from '../shared/launch.js';
import { standaloneLaunch } from '../capacity/standalone.js';
import { taskNeeds } from '../shared/requirements.js';
import { iso, writeStatus } from '../shared/status.js';
import { setCondition } from '../../api/conditions.js';
import { NOT_SIMULATED, notSimulatedFields, notSimulatedMessage, notSimulatedOfTaskDefinition, withNotSimulatedCondition } from '../../api/not-simulated.js';
import type { EventRecorder } from '../runtime/events.js';
import { setConditionKeep } from '../shared/conditions.js';
import { initialContainers, planTask, StopCode } from './lifecycle.js';
import { thaw, thawWithout } from '../../store/objects.js';

/** `lastStatus X, desiredStatus Y`, one string per pair (every task holds one). */
const readyMessages = new Map<string | undefined, Map<string | undefined, string>>();
function readyMessage(last: string | undefined, desired: string | undefined): string {
  let byDesired = readyMessages.get(last);
  if (!byDesired) readyMessages.set(last, (byDesired = new Map()));
  let m = byDesired.get(desired);
  if (m === undefined) byDesired.set(desired, (m = `lastStatus ${last}, desiredStatus ${desired}`));
  return m;
}

/** Ready = RUNNING (and not told to stop); the reason says where it is in the lifecycle. */
function readyCondition(s: TaskStatus, generation: number | undefined) {
  const running = s.lastStatus === 'RUNNING' && s.desiredStatus === 'RUNNING';
  const reason = s.lastStatus === 'STOPPED' ? (s.stopCode ?? 'Stopped') : (s.lastStatus ?? 'PROVISIONING');
  const message = s.lastStatus === 'STOPPED' ? (s.stoppedReason ?? '') : readyMessage(s.lastStatus, s.desiredStatus);
  return { type: 'Ready', status: running ? ('True' as const) : ('False' as const), reason, message, observedGeneration: generation };
}

/**
 * The status planned, as a fresh plain object before writeStatus takes it over. The plan builds it
 * from spreads of stored (frozen) objects and then changes it; frozen in place as it is, each one
 * would get a hidden class of its own (V8): ~600 bytes more per task and slower reads everywhere.
 * One more copy (Object.assign: spreading these objects is slow too) gives every task status the
 * same layout.
 */
function compact(s: TaskStatus): TaskStatus {
  return Object.assign({}, s);
}

/** On an instance (EC2), or in a zone (Fargate). */
function isPlaced(s: TaskStatus): boolean {
  return Boolean(s.containerInstance) || Boolean(s.launchType === 'FARGATE' && s.availabilityZone);
}

/** Tasks waiting for capacity-provider capacity look again this often (instance events also wake them). */
export const CAPACITY_WAIT_RECHECK_MS = 10_000;

@injectable()
export class TaskReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly rng: () => number,
    @inject(TOKENS.Events) private readonly events: EventRecorder,
  ) {}

  reconcile(key: string): ReconcileOutcome {
    const task = this.store.get('Task', key) as TaskObject | undefined;
    if (!task) return;
    const now = this.clock.now();
    const started = this.start(task, thaw(task.status ?? {}), now);
    if (!started) return; // revision objects are never deleted
    if (!task.status?.taskDefinitionArn) this.createSiblings(task);
    const { status, rev, requeue } = started;

    const hostGone = this.checkHost(key, status);
    const placed = isPlaced(status);
    const plan = planTask({
      status,
      taskDefinition: rev.spec,
      knobs: knobsOfTask(rev, task),
      placed,
      deregistrationDelayMs: hostGone ? 0 : (status.deregistrationDelayMs ?? 0),
      now,
    });
    if (hostGone && plan.status.lastStatus !== 'STOPPED') {
      // The host is gone: its containers went with it, there is no graceful stop.
      plan.status.lastStatus = 'STOPPED';
      plan.status.stoppedAt ??= iso(now);
      plan.status.executionStoppedAt ??= plan.status.stoppedAt;
      for (const c of plan.status.containers ?? []) c.lastStatus = 'STOPPED';
    }
    if (plan.remove) {
      this.store.delete('Task', key);
      return;
    }
    if (task.status?.observedGeneration !== task.metadata.generation) this.reportNotSimulated(task, rev, plan.status, now);
    plan.status.observedGeneration = task.metadata.generation;
    plan.status.conditions = setConditionKeep(plan.status.conditions, readyCondition(plan.status, task.metadata.generation), now);
    writeStatus(this.store, task, compact(plan.status));
    const after = Math.min(plan.requeueAfterMs ?? Infinity, requeue ?? Infinity);
    return Number.isFinite(after) ? { requeueAfterMs: after } : undefined;
  }

  /**
   * The status this loop gives a new standalone task on its first turn, before its lifecycle moves
   * it: the revision pinned, ECS's fields filled in, placed (or failed to place: `failures`, or
   * waiting in PROVISIONING for capacity), its ENI attached. RunTask stores its task with it in
   * one write, as ECS places a task before RunTask answers; this loop then takes it from there.
   */
  firstStatus(task: TaskObject): TaskStatus | undefined {
    return this.start(task, {} as TaskStatus, this.clock.now())?.status;
  }

  /**
   * Initialise (a standalone task), place (one with no instance yet) and attach the ENI (one just
   * placed): each step only when it is due, so a started task passes through unchanged.
   */
  private start(task: TaskObject, status: TaskStatus, now: number): { status: TaskStatus; rev: RevisionObject; requeue?: number } | undefined {
    if (!status.taskDefinitionArn) status = this.initStandalone(task, status, now);
    const { family, revision } = parseTaskDefinitionRef(status.taskDefinitionArn!);
    const rev = getRevision(this.store, `${family}:${revision}`);
    if (!rev) return undefined;

    let requeue: number | undefined;
    if (status.lastStatus === 'PROVISIONING' && status.desiredStatus === 'RUNNING' && !isPlaced(status)) {
      const placed = placeExisting(this.store, { ...task, status }, rev, {
        constraints: [...((rev.spec.placementConstraints ?? []) as any[]), ...((task.spec.placementConstraints ?? []) as any[])],
        strategy: task.spec.placementStrategy?.length ? task.spec.placementStrategy : defaultRunTaskStrategy(),
        rng: this.rng,
      });
      if (placed.containerInstance || placed.availabilityZone) {
        // Built without `delete` (it would turn the status into a slow dictionary-mode object).
        const merged = Object.assign(status, placed) as TaskStatus & { failures?: unknown };
        status = thawWithout(merged, 'failures');
      } else if (status.capacityProviderName) {
        requeue = CAPACITY_WAIT_RECHECK_MS; // waits in PROVISIONING for the capacity provider
      } else {
        // RunTask could not place it: ECS reports failures[] and starts nothing.
        status = {
          ...status,
          desiredStatus: 'STOPPED',
          lastStatus: 'STOPPED',
          stopCode: StopCode.TaskFailedToStart,
          stoppedReason: `Unable to place the task: ${placed.failures[0]?.reason ?? 'MISSING'}`,
          stoppingAt: iso(now),
          stoppedAt: iso(now),
          failures: placed.failures,
        } as TaskStatus;
      }
    }

    // Placed: the task's ENI is created now, in the subnet of its zone (a full subnet fails it).
    if (isPlaced(status) && status.lastStatus === 'PROVISIONING') status = attachEni(this.store, task.metadata.name, status, task.spec.networkConfiguration);
    return { status, rev, requeue };
  }

  /**
   * A standalone task's fields (and its task definition's) that ecsplane does not simulate, once per
   * generation. A service's tasks are the service's to report: their spec is the scheduler's own.
   */
  private reportNotSimulated(task: TaskObject, rev: RevisionObject, status: TaskStatus, now: number): void {
    if (task.metadata.ownerReferences?.some((o) => o.kind === 'Service')) return;
    const fields = [...notSimulatedFields('Task', task.spec), ...notSimulatedOfTaskDefinition(rev.metadata.name, rev.spec)];
    const r = withNotSimulatedCondition(status.conditions, fields, task.metadata.generation, now);
    if (r.conditions !== status.conditions) status.conditions = r.conditions; // no key added when there is nothing to say
    if (r.report) this.events.record(task, NOT_SIMULATED, notSimulatedMessage(fields), 'Warning');
  }

  /** A user-created task (RunTask): pin the latest ACTIVE revision now, fill in ECS fields. */
  private initStandalone(task: TaskObject, status: TaskStatus, now: number): TaskStatus {
    const rev: RevisionObject = resolveTaskDefinition(this.store, task.spec.taskDefinition, 'spec.taskDefinition', false);
    const needs = taskNeeds(rev.spec);
    const cluster = clusterOf(task);
    return {
      ...status,
      taskArn: arn.task(cluster, task.metadata.name),
      clusterArn: arn.cluster(cluster),
      taskDefinitionArn: rev.status!.taskDefinitionArn,
      ...(rev.spec.networkMode === 'awsvpc' ? { attachments: [eniAttachment(task.metadata.name)] } : {}),
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      ...standaloneLaunch(this.store, task), // launchType, or the capacity provider its strategy picks
      group: task.spec.group ?? `family:${rev.status!.family}`,
      ...(task.spec.startedBy ? { startedBy: task.spec.startedBy } : {}),
      cpu: String(needs.cpu),
      memory: String(needs.memory),
      createdAt: iso(now),
      containers: initialContainers(rev.spec),
      healthStatus: 'UNKNOWN',
    };
  }

  /**
   * RunTask `count` (≤ 10): the manifest's task is the first; the others are created beside it
   * as `<name>-2` … `<name>-N`, owned by it, and placed one by one (each reports its own failures).
   */
  private createSiblings(task: TaskObject): void {
    const count = task.spec.count ?? 1;
    if (task.metadata.ownerReferences?.length || count <= 1) return;
    const cluster = clusterOf(task);
    for (let i = 2; i <= count; i++) {
      const name = `${task.metadata.name}-${i}`;
      if (this.store.get('Task', makeKey(cluster, name))) continue; // idempotent after a crash
      this.store.create({
        apiVersion: task.apiVersion,
        kind: 'Task',
        metadata: {
          name,
          labels: task.metadata.labels,
          ownerReferences: [{ apiVersion: task.apiVersion, kind: 'Task', name: task.metadata.name, uid: task.metadata.uid!, controller: true }],
        },
        spec: { ...task.spec, count: undefined },
      });
    }
  }

  /** Stop tasks whose instance was terminated, stopped or deregistered. Returns true if gone. */
  private checkHost(key: string, status: TaskStatus): boolean {
    if (!status.containerInstance || status.lastStatus === 'STOPPED') return false;
    const inst = this.store.get('ContainerInstance', makeKey(splitKey(key).cluster, status.containerInstance)) as InstanceObject | undefined;
    const state = inst ? effectiveState(inst) : undefined;
    if (inst && state!.ec2State === 'running') return false;
    if (status.desiredStatus !== 'STOPPED' || !status.stoppedReason) {
      status.desiredStatus = 'STOPPED';
      status.stopCode = StopCode.TerminationNotice;
      status.stoppingAt ??= iso(this.clock.now());
      status.stoppedReason = inst
        ? `Host EC2 (instance ${ec2InstanceIdOf(inst)}) ${state!.ec2State === 'stopped' ? 'stopped' : 'terminated'}.`
        : 'Container instance deregistration forced by user';
    }
    return true;
  }
}

/**
 * Instance events wake the tasks on it when its state changes (host stopped, terminated,
 * deregistered, agent), and unplaced tasks when an instance appears. Status-only updates of
 * the instance (resource accounting) wake nobody: that keeps this off the hot path.
 */
export function taskKeysForInstance(store: ResourceStore): (ev: WatchEvent) => string[] {
  const seen = new Map<string, string>();
  return (ev) => {
    const inst = ev.object as InstanceObject;
    const key = makeKey(clusterOf(inst), inst.metadata.name);
    const state = ev.type === 'DELETED' ? 'deleted' : JSON.stringify(effectiveState(inst));
    if (seen.get(key) === state) return [];
    if (ev.type === 'DELETED') seen.delete(key);
    else seen.set(key, state);
    const keys = tasksOnInstance(store, key).map((t) => makeKey(clusterOf(t), t.metadata.name));
    if (ev.type === 'ADDED' || state.includes('"ACTIVE"')) {
      for (const t of store.list('Task', { cluster: clusterOf(inst) })) {
        if (t.status?.lastStatus === 'PROVISIONING' && !t.status?.containerInstance) keys.push(makeKey(clusterOf(t), t.metadata.name));
      }
    }
    return keys;
  };
}
