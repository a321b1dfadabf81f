/**
 * Service loop (the ECS service scheduler). Reads the service, its deployments and tasks, asks
 * the pure plans (rolling.ts, daemon.ts) what to do, applies that through the store (placing and
 * creating tasks, asking tasks to stop) and writes status: counts, deployments[], events[],
 * conditions. Deleting a service drains it: ACTIVE → DRAINING → INACTIVE, then the finalizer
 * goes and the object with it.
 */
import { createHash } from 'node:crypto';
import { inject, injectable } from '../runtime/di.js';
import { API_VERSION, makeKey, splitKey, type Resource } from '../../api/meta.js';
import { arn } from '../../api/arn.js';
import { setCondition } from '../../api/conditions.js';
import { NOT_SIMULATED, notSimulatedFields, notSimulatedMessage, notSimulatedOfTaskDefinition, withNotSimulatedCondition } from '../../api/not-simulated.js';
import { setConditionKeep } from '../shared/conditions.js';
import type { DeploymentStatus, ServiceDeploymentBrief, ServiceEvent, ServiceStatus } from '../../api/v1alpha1/status.js';
import type { ServiceSpec } from '../../api/v1alpha1/types.js';
import type { ResourceStore } from '../../store/store.js';
import { getRevision, resolveTaskDefinition, type RevisionObject } from '../../store/taskdefs.js';
import { clone, thaw } from '../../store/objects.js';
import { parseTaskDefinitionRef } from '../../api/arn.js';
import type { Clock } from '../runtime/clock.js';
import { TerminalError, type ReconcileOutcome, type Reconciler } from '../runtime/controller.js';
import type { EventRecorder } from '../runtime/events.js';
import { TOKENS } from '../runtime/tokens.js';
import { selectTasksToStop, defaultServiceStrategy } from '../placement/index.js';
import { DEPLOYMENT_LABEL, SERVICE_LABEL, tasksOfService } from '../shared/indexes.js';
import { ec2InstanceIdOf, effectiveState, type InstanceObject, type TaskObject } from '../shared/instances.js';
import { launchTasks } from '../shared/launch.js';
import { viewCache } from '../shared/views.js';
import { parseTime } from '../shared/time.js';
import { internedKey } from '../shared/keys.js';
import { iso, writeStatus } from '../shared/status.js';
import { requestStop, taskIdFrom } from '../shared/tasks.js';
import { StopCode } from '../task/lifecycle.js';
import { deploymentRelevant, needsNewDeployment, startDeployment } from './deployments.js';
import { ELB_HEALTH_CHECK_FAILURE_PREFIX, HEALTH_CHECK_FAILURE, isFailureStop, tallyFailures, type FailureTally, type ObservedTask } from './failures.js';
import { detectFailure } from './failure-detection.js';
import type { AlarmStateSource } from '../shared/alarm-states.js';
import type { HookResultSource } from '../shared/hook-results.js';
import { planBlueGreen, type BlueGreenConfig, type BlueGreenState } from './blue-green.js';
import { serviceTaskHealth, type TaskHealth } from './health.js';
import { knobsOfTask } from '../shared/knobs.js';
import { deregistrationDelayMs, TARGET_SIDE_LABEL, targetGroupArn, targetGroupOfTask, targetGroupName, targetGroupSpec, targetStateAt } from '../load-balancer/targets.js';
import { closestMatchDetail, ServiceMessages } from './messages.js';
import { planRolling, type PlanTask, type StopReason } from './rolling.js';
import { planAzRebalance, RebalanceMessages, rebalancingApplies, type RebalancePlan } from './az-rebalance.js';
import { zonesOfSubnets } from '../shared/subnets.js';
import { usableZones } from '../shared/zones.js';
import { planDaemon } from './daemon.js';
import { LAUNCH_WINDOW_MS, launchAllowance, recentLaunches } from './launch-rate.js';
import { effectiveDesiredCount, launchTargetFor } from './targets.js';
import { protectionAt } from './protection.js';
import { specDefaults } from '../shared/defaults.js';

export const SERVICE_FINALIZER = 'ecsplane.io/service-scheduler';
export const FORCE_DEPLOYMENT_ANNOTATION = 'ecsplane.io/force-new-deployment';
const MAX_EVENTS = 100;
const UNPLACEABLE_RETRY_MS = 60_000;
const EVENT_REPEAT_MS = 5 * 60_000;
/** How often a deployment with alarms looks at them (ECS polls CloudWatch; the period is ours). */
const ALARM_POLL_MS = 10_000;
/** At most this many service deployments are listed in status (newest first). */
const MAX_SERVICE_DEPLOYMENTS = 10;
const MAX_HOOK_INVOCATIONS = 50;
/** ecsplane's alarm bake time when bakeTimeInMinutes is not set (ECS derives it from the alarms). */
const DEFAULT_ALARM_BAKE_MS = 5 * 60_000;
/**
 * How long an INACTIVE service stays describable before it is purged: ECS says only that INACTIVE
 * services "may be cleaned up and purged" in the future; ecsplane keeps them as long as stopped tasks (1 h).
 */
export const INACTIVE_RETENTION_MS = 60 * 60_000;

export type ServiceObject = Resource<ServiceSpec, ServiceStatus>;

interface SchedulerState {
  seq?: number;
  taskSeq?: number;
  eventSeq?: number;
  relevant?: Record<string, unknown>;
  forceToken?: string;
  lastCompleted?: { id: string; taskDefinition: string };
  lastEventAt?: Record<string, number>;
  steady?: boolean;
  /** Failure tally per deployment id (failures.ts): the circuit breaker's count and the launch backoff. */
  breaker?: Record<string, FailureTally>;
  /** Deployment id → the failed deployment it rolls back (its service deployment then ends ROLLBACK_SUCCESSFUL). */
  rollbacks?: Record<string, string>;
  /** Blue/green lifecycle state of the primary deployment (blue-green.ts). */
  blueGreen?: Record<string, BlueGreenState>;
  /** Lifecycle hook invocations, oldest first (at most MAX_HOOK_INVOCATIONS). */
  hookInvocations?: Array<{ deploymentId: string; hookTargetArn: string; lifecycleStage: string; invokedAt: string }>;
  /** Epoch ms the deleted service became INACTIVE (it is purged INACTIVE_RETENTION_MS later). */
  inactiveAt?: number;
  /** Deployment id → epoch ms its alarm bake time ends (deployments with alarms). */
  bakeUntil?: Record<string, number>;
  /** Blue/green: the target group production serves from (`alternate`: advancedConfiguration.alternateTargetGroupArn). */
  productionSide?: 'primary' | 'alternate';
  /** An AZ rebalance was announced and has not finished (az-rebalance.ts). */
  azRebalancing?: boolean;
  /** Epoch ms: a rebalance start found no room; rebalancing waits until then. */
  azRetryAt?: number;
}

@injectable()
export class ServiceReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Events) private readonly events: EventRecorder,
    @inject(TOKENS.Random) private readonly rng: () => number,
    @inject(TOKENS.Alarms) private readonly alarms: AlarmStateSource,
    @inject(TOKENS.Hooks) private readonly hooks: HookResultSource,
  ) {}

  reconcile(key: string): ReconcileOutcome {
    let svc = this.store.get('Service', key) as ServiceObject | undefined;
    if (!svc) return;
    if (!svc.metadata.deletionTimestamp && !(svc.metadata.finalizers ?? []).includes(SERVICE_FINALIZER)) {
      svc = this.store.update({
        ...svc,
        metadata: { ...svc.metadata, finalizers: [...(svc.metadata.finalizers ?? []), SERVICE_FINALIZER] },
      }) as ServiceObject;
    }
    return new ServiceSync(this, svc, key).run();
  }

  recordTerminalError(key: string, err: TerminalError): void {
    const svc = this.store.get('Service', key) as ServiceObject | undefined;
    if (!svc) return;
    const status = { ...(svc.status ?? {}) };
    status.conditions = setConditionKeep(
      status.conditions,
      { type: 'Degraded', status: 'True', reason: err.reason, message: err.message, observedGeneration: svc.metadata.generation },
      this.clock.now(),
    );
    writeStatus(this.store, svc, status);
  }

  /** @internal shared with ServiceSync */
  get deps() {
    return { store: this.store, clock: this.clock, events: this.events, rng: this.rng, alarms: this.alarms, hooks: this.hooks };
  }
}

/** One reconcile of one service. */
class ServiceSync {
  private readonly store: ResourceStore;
  private readonly now: number;
  private readonly cluster: string;
  private readonly name: string;
  private readonly spec: ServiceSpec;
  private status: ServiceStatus;
  private sched: SchedulerState;
  private requeue = Infinity;
  /** A rollback started in this reconcile: the tasks were relabelled, plan again from a fresh read. */
  private rolledBack = false;
  /** The service's tasks as read at the start, and the store version then. */
  private read: { rv: number; all: TaskObject[] } | undefined;

  constructor(
    private readonly owner: ServiceReconciler,
    private svc: ServiceObject,
    private readonly key: string,
  ) {
    this.store = owner.deps.store;
    this.now = owner.deps.clock.now();
    ({ cluster: this.cluster, name: this.name } = splitKey(key));
    this.spec = serviceDefaults(svc.spec);
    this.status = copyStatus(svc.status);
    this.sched = { ...((this.status.scheduler as SchedulerState) ?? {}) };
  }

  run(): ReconcileOutcome {
    const deleting = Boolean(this.svc.metadata.deletionTimestamp);
    this.status.serviceArn = arn.service(this.cluster, this.name);
    this.status.clusterArn = arn.cluster(this.cluster);
    this.status.createdAt ??= this.svc.metadata.creationTimestamp;
    if (!deleting) this.observeSpec();
    const deployments = this.status.deployments ?? [];
    const primary = deployments[0];
    let desired = deleting ? 0 : effectiveDesiredCount(this.store, this.svc, this.spec);

    const all = tasksOfService(this.store, this.key);
    this.read = { rv: this.store.resourceVersion, all };
    const active = all.filter((t) => t.status?.desiredStatus === 'RUNNING');
    const revisions = new Map<string, RevisionObject>();
    const revisionOf = (taskDefArn: string) => {
      let r = revisions.get(taskDefArn);
      if (!r) {
        const { family, revision } = parseTaskDefinitionRef(taskDefArn);
        r = getRevision(this.store, `${family}:${revision}`)!;
        revisions.set(taskDefArn, r);
      }
      return r;
    };
    // Instances are looked up per task (an index read), not listed: a reconcile stays O(its tasks).
    const instanceByName = new Map<string, InstanceObject | undefined>();
    const instanceOf = (name: string) => {
      let inst = instanceByName.get(name);
      if (inst === undefined && !instanceByName.has(name)) {
        inst = this.store.get('ContainerInstance', internedKey(this.cluster, name)) as InstanceObject | undefined;
        instanceByName.set(name, inst);
      }
      return inst;
    };

    // Health of every active task, and failures of the primary deployment.
    const health = new Map<string, TaskHealth & { elbUnhealthy?: boolean }>();
    for (const t of all) {
      const h = serviceTaskHealth(this.store, this.spec, t, revisionOf(t.status!.taskDefinitionArn!), this.now);
      health.set(t.metadata.name, h.health);
      if (h.nextChangeAt !== undefined) this.requeue = Math.min(this.requeue, h.nextChangeAt - this.now);
    }

    let launchBlocked = deleting || !primary;
    if (primary && !deleting) launchBlocked = this.evaluateFailures(primary, all, health) || launchBlocked;
    const blueGreen = primary && !deleting && !this.rolledBack && this.status.deployments?.[0] ? this.blueGreenStep(this.status.deployments[0], active, all, health) : undefined;
    if (this.rolledBack) {
      // The rollback deployment is PRIMARY now and the tasks it adopted are relabelled: plan again
      // on a fresh read (once: a rollback deployment never rolls back itself).
      this.rolledBack = false;
      this.requeue = Infinity;
      return this.run();
    }

    const primaryNow = this.status.deployments?.[0];
    const planTasks: PlanTask[] = active.map((t) => {
      const inst = t.status?.containerInstance ? instanceOf(t.status.containerInstance) : undefined;
      const draining = inst ? effectiveState(inst).status === 'DRAINING' : false;
      const h = health.get(t.metadata.name)!;
      const pending = t.status?.lastStatus !== 'RUNNING';
      return {
        id: t.metadata.name,
        deploymentId: t.metadata.labels?.[DEPLOYMENT_LABEL] ?? '',
        replaceable: t.metadata.labels?.[DEPLOYMENT_LABEL] !== primaryNow?.id || draining,
        healthy: h.healthy,
        unhealthy: h.unhealthy,
        pending,
        pendingOnDraining: draining && pending,
        // Blue/green: blue keeps running beside green until CLEAN_UP.
        protected: this.isProtected(t) || (blueGreen !== undefined && !blueGreen.cleanUp && t.metadata.labels?.[DEPLOYMENT_LABEL] !== primaryNow?.id),
      };
    });

    const byId = new Map(active.map((t) => [t.metadata.name, t]));
    const pickVictims = (ids: string[], n: number): string[] => {
      if (n <= 0) return [];
      // Only the candidates' instances matter to the victim choice (cached views, views.ts).
      const cache = viewCache(this.store);
      const candidates = ids
        .map((id) => byId.get(id)!)
        .map((t) => ({
          id: t.metadata.name,
          group: t.status?.group ?? '',
          serviceKey: this.key,
          deploymentId: t.metadata.labels?.[DEPLOYMENT_LABEL],
          startedAt: t.status?.startedAt ? parseTime(t.status.startedAt) : undefined,
          instance: (t.status?.containerInstance ? cache.view(this.cluster, t.status.containerInstance) : undefined) ?? fargateView(t),
        }));
      const old = (this.status.deployments ?? []).slice(1).map((d) => d.id).reverse();
      return selectTasksToStop({
        candidates,
        count: n,
        strategy: this.spec.placementStrategy?.length ? (this.spec.placementStrategy as any) : [],
        rng: this.owner.deps.rng,
        preferDeploymentIds: old,
      });
    };

    let start = 0;
    let stops: Array<{ id: string; why: StopReason }> = [];
    let daemonStarts: string[] = [];
    let launchesDeferred = 0;
    const recent = recentLaunches(all, this.now);
    const maxLaunches = launchAllowance(recent, this.now).allowed;
    if (this.spec.schedulingStrategy === 'DAEMON') {
      const plan = planDaemon({
        primaryId: primaryNow?.id ?? '',
        deleting,
        launchBlocked,
        instances: this.store.list('ContainerInstance', { cluster: this.cluster }) as InstanceObject[],
        tasks: active,
        health,
        constraints: this.constraintsFor(primaryNow),
        minimumHealthyPercent: this.spec.deploymentConfiguration?.minimumHealthyPercent ?? 0,
        maxLaunches,
      });
      stops = plan.stop;
      daemonStarts = plan.startOn;
      desired = plan.desiredCount;
      launchesDeferred = plan.launchesDeferred;
    } else {
      // AZ rebalancing may keep one task above the desired count while it moves a task (az-rebalance.ts).
      const rebalance = this.azRebalance(primaryNow, active, health, desired, deleting || launchBlocked || blueGreen !== undefined);
      const plan = planRolling({
        // A rebalance start is made below (in its zone, with its own event), not by the rolling plan.
        desiredCount: desired + (rebalance.startIn ? 0 : rebalance.extra),
        minimumHealthyPercent: this.spec.deploymentConfiguration?.minimumHealthyPercent ?? 100,
        // Blue/green runs the full green revision beside blue: room for 2 × desired.
        maximumPercent: blueGreen ? Math.max(200, this.spec.deploymentConfiguration?.maximumPercent ?? 200) : (this.spec.deploymentConfiguration?.maximumPercent ?? 200),
        primaryId: primaryNow?.id ?? '',
        tasks: planTasks,
        launchBlocked,
        pickVictims,
        maxLaunches,
      });
      start = plan.start;
      stops = plan.stop;
      launchesDeferred = plan.launchesDeferred;
      if (plan.deadlocked) this.event('deadlock', ServiceMessages.deploymentConfigDeadlock(this.name), true);
      if (rebalance.stop && start === 0 && stops.length === 0) stops = [{ id: rebalance.stop.id, why: 'scale-in' }];
      if (rebalance.inProgress && start === 0 && stops.length > 0 && stops.every((s) => s.why === 'scale-in')) {
        // The trim of the rebalance's extra task: ECS names the zone it stops it in.
        for (const s of stops) {
          const az = byId.get(s.id)?.status?.availabilityZone ?? '';
          this.event(`az-stopped-${s.id}`, RebalanceMessages.tasksStopped(this.name, az, [s.id]));
        }
      }
      if (rebalance.startIn && start === 0 && stops.length === 0 && primaryNow) this.startRebalanceTask(primaryNow, rebalance.startIn, revisionOf(primaryNow.taskDefinition));
    }
    // The launch rate deferred some starts: look again when the oldest recent launch leaves the minute.
    if (launchesDeferred > 0) this.requeue = Math.min(this.requeue, (recent.earliest ?? this.now) + LAUNCH_WINDOW_MS - this.now);

    this.applyStops(stops, byId, health);
    if (primaryNow && !launchBlocked) {
      if (daemonStarts.length) this.startDaemonTasks(primaryNow, daemonStarts);
      else if (start > 0) this.startTasks(primaryNow, start, revisionOf(primaryNow.taskDefinition));
    }

    this.finishStatus(desired, deleting, health);
    if (deleting && this.status.status === 'INACTIVE') {
      // INACTIVE services stay describable (DescribeServices), with their events, for a while; then
      // they are purged. A CreateService of the same name replaces one at once (store/admission.ts).
      // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html
      const inactiveAt = (this.sched.inactiveAt ??= this.now);
      this.commit();
      if (this.now < inactiveAt + INACTIVE_RETENTION_MS) return { requeueAfterMs: inactiveAt + INACTIVE_RETENTION_MS - this.now };
      const latest = this.store.get('Service', this.key) as ServiceObject;
      this.store.update({
        ...latest,
        metadata: { ...latest.metadata, finalizers: (latest.metadata.finalizers ?? []).filter((f) => f !== SERVICE_FINALIZER) },
      });
      return;
    }
    this.commit();
    return Number.isFinite(this.requeue) ? { requeueAfterMs: Math.max(1, this.requeue) } : undefined;
  }

  /** A new spec generation: resolve the task definition, maybe start a deployment. */
  /** Scale-in protection in force now; look again when it expires (the task may then be a victim). */
  private isProtected(t: TaskObject): boolean {
    const p = protectionAt(t, this.now);
    if (p.protectionEnabled) this.requeue = Math.min(this.requeue, Date.parse(p.expirationDate!) - this.now);
    return p.protectionEnabled;
  }

  private observeSpec(): void {
    if (this.status.observedGeneration === this.svc.metadata.generation && this.status.deployments?.length &&
        this.sched.forceToken === this.svc.metadata.annotations?.[FORCE_DEPLOYMENT_ANNOTATION]) {
      return;
    }
    let rev: RevisionObject;
    try {
      rev = resolveTaskDefinition(this.store, this.spec.taskDefinition, 'spec.taskDefinition', false);
    } catch (err) {
      throw new TerminalError((err as Error).message, 'TaskDefinitionNotFound');
    }
    const trigger = {
      taskDefinitionArn: rev.status!.taskDefinitionArn,
      relevant: deploymentRelevant(this.spec),
      forceToken: this.svc.metadata.annotations?.[FORCE_DEPLOYMENT_ANNOTATION],
    };
    const generationChanged = this.status.observedGeneration !== this.svc.metadata.generation;
    const deployments = this.status.deployments ?? [];
    if (needsNewDeployment(deployments[0], this.sched, trigger, generationChanged && Boolean(this.spec.forceNewDeployment))) {
      this.newDeployment(rev.status!.taskDefinitionArn);
    }
    this.reportNotSimulated(rev);
    this.sched.relevant = trigger.relevant;
    this.sched.forceToken = trigger.forceToken;
    this.status.observedGeneration = this.svc.metadata.generation;
  }

  /** Fields of the spec and its task definition that ecsplane does not simulate: condition, and an event per generation. */
  private reportNotSimulated(rev: RevisionObject): void {
    const fields = [...notSimulatedFields('Service', this.svc.spec), ...notSimulatedOfTaskDefinition(rev.metadata.name, rev.spec)];
    const r = withNotSimulatedCondition(this.status.conditions, fields, this.svc.metadata.generation, this.now);
    if (r.conditions !== this.status.conditions) this.status.conditions = r.conditions; // no key added when there is nothing to say
    if (r.report) this.owner.deps.events.record(this.svc, NOT_SIMULATED, notSimulatedMessage(fields), 'Warning');
  }

  /** A new PRIMARY deployment; `rollback`: it redeploys the last completed revision after `rollbackOf` failed. */
  private newDeployment(taskDefinitionArn: string, rollback?: { rollbackOf: string; reason: string }): void {
    const target = launchTargetFor(this.store, this.cluster, this.spec);
    this.sched.seq = (this.sched.seq ?? 0) + 1;
    this.status.deployments = startDeployment({
      current: this.status.deployments ?? [],
      serviceUid: this.svc.metadata.uid!,
      seq: this.sched.seq,
      taskDefinitionArn,
      desiredCount: 0,
      launchType: target.launchType,
      capacityProviderStrategy: target.capacityProviderStrategy,
      now: iso(this.now),
    });
    const np = this.status.deployments[0];
    this.sched.steady = false;
    if (rollback) {
      np.rolloutStateReason = rollback.reason;
      (this.sched.rollbacks ??= {})[np.id] = rollback.rollbackOf;
      return; // the failed deployment's service deployment carries the rollback
    }
    // A deployment still in progress is stopped by the newer one.
    for (const d of this.status.serviceDeployments ?? []) {
      if (d.status === 'IN_PROGRESS' || d.status === 'PENDING') this.setServiceDeployment(d.serviceDeploymentArn, 'STOPPED', 'A newer deployment was started.');
    }
    const depArn = arn.serviceDeployment(this.cluster, this.name, shortId(np.id));
    const brief: ServiceDeploymentBrief = {
      serviceDeploymentArn: depArn,
      serviceArn: arn.service(this.cluster, this.name),
      clusterArn: arn.cluster(this.cluster),
      targetServiceRevisionArn: arn.serviceRevision(this.cluster, this.name, shortId(np.id)),
      status: 'IN_PROGRESS',
      createdAt: np.createdAt,
      startedAt: np.createdAt,
    };
    this.status.serviceDeployments = [brief, ...(this.status.serviceDeployments ?? [])].slice(0, MAX_SERVICE_DEPLOYMENTS);
  }

  /** The service deployment of deployment `dep` (ListServiceDeployments' view) moves to `state`. */
  private recordServiceDeployment(dep: DeploymentStatus, state: ServiceDeploymentBrief['status'], reason?: string): void {
    this.setServiceDeployment(arn.serviceDeployment(this.cluster, this.name, shortId(dep.id)), state, reason);
  }

  private setServiceDeployment(depArn: string, state: ServiceDeploymentBrief['status'], reason?: string): void {
    const finished = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].includes(state);
    this.status.serviceDeployments = (this.status.serviceDeployments ?? []).map((d) =>
      d.serviceDeploymentArn === depArn
        ? { ...d, status: state, ...(reason ? { statusReason: reason } : {}), ...(finished ? { finishedAt: iso(this.now) } : {}) }
        : d,
    );
  }

  /**
   * Failure detection for the primary deployment (failure-detection.ts): its failure tally kept in
   * status (not rebuilt from tasks that are collected after an hour), the circuit breaker, the
   * deployment alarms and failing-to-start throttling. True: the primary may not launch now.
   */
  private evaluateFailures(primary: DeploymentStatus, all: TaskObject[], health: Map<string, { healthy: boolean }>): boolean {
    const observed: ObservedTask[] = [];
    for (const t of all) {
      if (t.metadata.labels?.[DEPLOYMENT_LABEL] !== primary.id) continue;
      const s = t.status!;
      const failed = s.desiredStatus === 'STOPPED' && isFailureStop(s.stopCode, s.stoppedReason);
      observed.push({
        id: t.metadata.name,
        succeededAt: health.get(t.metadata.name)?.healthy ? parseTime(s.startedAt) : undefined,
        failedAt: failed ? parseTime(s.stoppingAt ?? s.stoppedAt ?? iso(this.now)) : undefined,
        failedToStart: failed && s.stopCode === StopCode.TaskFailedToStart,
      });
    }
    const tallies = (this.sched.breaker ??= {});
    const tally = tallyFailures(tallies[primary.id], observed);
    tallies[primary.id] = tally;
    for (const id of Object.keys(tallies)) if (!this.status.deployments?.some((d) => d.id === id)) delete tallies[id];
    primary.failedTasks = tally.consecutive;
    const dc = this.spec.deploymentConfiguration;
    const alarmNames = dc?.alarms?.enable ? (dc.alarms.alarmNames ?? []) : [];
    if (alarmNames.length && primary.rolloutState === 'IN_PROGRESS' && !this.sched.rollbacks?.[primary.id]) this.requeue = Math.min(this.requeue, ALARM_POLL_MS);
    const decision = detectFailure({
      rolloutState: primary.rolloutState,
      tally,
      desiredCount: this.spec.desiredCount ?? 0,
      circuitBreaker: dc?.deploymentCircuitBreaker,
      alarms: dc?.alarms,
      alarmsInAlarm: alarmNames.filter((n) => this.owner.deps.alarms.stateOf(n) === 'ALARM'),
      lastCompleted: this.sched.lastCompleted,
      isRollback: Boolean(this.sched.rollbacks?.[primary.id]),
      now: this.now,
    });
    if (decision.kind === 'failed') return true;
    if (decision.kind === 'fail') {
      this.failPrimary(primary, decision, all);
      return true;
    }
    if (decision.notBefore !== undefined) {
      this.event('throttle', ServiceMessages.inconsistentStart(this.name), true, 'Warning');
      if (decision.throttled) {
        this.requeue = Math.min(this.requeue, decision.notBefore - this.now);
        return true;
      }
    }
    return false;
  }

  /**
   * The primary deployment fails: FAILED with `reason`, and it launches nothing more, not even in
   * this reconcile; with `rollbackTo` a rollback deployment of that revision becomes PRIMARY.
   */
  private failPrimary(
    primary: DeploymentStatus,
    f: { by: 'circuit-breaker' | 'alarms' | 'hook'; reason: string; rollbackTo?: { id: string; taskDefinition: string }; rollbackReason?: string },
    all: TaskObject[],
  ): void {
    primary.rolloutState = 'FAILED';
    primary.rolloutStateReason = f.reason;
    primary.updatedAt = iso(this.now);
    this.recordServiceDeployment(primary, f.rollbackTo ? 'ROLLBACK_IN_PROGRESS' : 'STOPPED', f.reason);
    this.event(`failed-${primary.id}`, ServiceMessages.deploymentFailed(this.name, primary.id, f.by));
    if (f.rollbackTo) {
      this.event(`rollback-${primary.id}`, ServiceMessages.rollingBack(this.name, primary.id, f.rollbackTo.id));
      this.newDeployment(f.rollbackTo.taskDefinition, { rollbackOf: primary.id, reason: f.rollbackReason! });
      this.adoptRollbackTargetTasks(f.rollbackTo.id, all);
      this.rolledBack = true;
    }
  }

  /**
   * BLUE_GREEN / LINEAR / CANARY (blue-green.ts): advance the primary's lifecycle stages, record
   * hook invocations and traffic weights; undefined when the deployment is not one (the first
   * deployment of a service, a rollback, ROLLING). `cleanUp`: blue may scale down.
   */
  private blueGreenStep(primary: DeploymentStatus, active: TaskObject[], all: TaskObject[], health: Map<string, { healthy: boolean }>): { cleanUp: boolean } | undefined {
    const dc = this.spec.deploymentConfiguration ?? {};
    const states = (this.sched.blueGreen ??= {});
    for (const id of Object.keys(states)) if (id !== primary.id) delete states[id];
    const strategy = dc.strategy;
    const blue = active.filter((t) => t.metadata.labels?.[DEPLOYMENT_LABEL] !== primary.id);
    const applies = (strategy === 'BLUE_GREEN' || strategy === 'LINEAR' || strategy === 'CANARY') && this.spec.schedulingStrategy !== 'DAEMON' &&
      primary.rolloutState === 'IN_PROGRESS' && !this.sched.rollbacks?.[primary.id] && (blue.length > 0 || states[primary.id] !== undefined);
    if (!applies) {
      delete this.status.trafficShift;
      return undefined;
    }
    const green = active.filter((t) => t.metadata.labels?.[DEPLOYMENT_LABEL] === primary.id);
    const plan = planBlueGreen({
      config: { ...dc, strategy } as BlueGreenConfig,
      state: states[primary.id],
      desiredCount: effectiveDesiredCount(this.store, this.svc, this.spec),
      greenHealthy: green.filter((t) => health.get(t.metadata.name)?.healthy).length,
      blueActive: blue.length,
      hookResult: (arn) => this.owner.deps.hooks.resultOf(arn),
      now: this.now,
    });
    states[primary.id] = plan.state;
    const log = (this.sched.hookInvocations ??= []);
    for (const e of plan.log) {
      if (e.hookTargetArn === undefined) {
        this.event(`stage-${primary.id}-${e.stage}`, ServiceMessages.lifecycleStage(this.name, primary.id, e.stage));
        continue;
      }
      log.push({ deploymentId: primary.id, hookTargetArn: e.hookTargetArn, lifecycleStage: e.stage, invokedAt: iso(this.now) });
      this.event(`hook-${primary.id}-${e.stage}-${e.hookTargetArn}-${this.now}`, ServiceMessages.hookInvoked(this.name, primary.id, e.hookTargetArn, e.stage));
    }
    if (log.length > MAX_HOOK_INVOCATIONS) log.splice(0, log.length - MAX_HOOK_INVOCATIONS);
    if (plan.wakeAt !== undefined) this.requeue = Math.min(this.requeue, plan.wakeAt - this.now);
    const blueId = this.status.deployments?.[1]?.id;
    this.status.trafficShift = {
      lifecycleStage: plan.state.stage,
      testTrafficOnGreen: plan.state.testOnGreen,
      productionWeights: [
        ...(blueId ? [{ deploymentId: blueId, targetGroupArns: this.targetGroupsOf('blue'), weight: Math.round((100 - plan.state.greenWeight) * 10) / 10 }] : []),
        { deploymentId: primary.id, targetGroupArns: this.targetGroupsOf('green'), weight: plan.state.greenWeight },
      ],
    };
    this.setServiceDeploymentStage(primary, plan.state.stage);
    if (plan.failed) {
      const reason = `ECS deployment lifecycle hook ${plan.failed.hookTargetArn} failed at ${plan.failed.stage}.`;
      const to = this.sched.lastCompleted;
      delete this.status.trafficShift; // production traffic goes back to blue
      this.failPrimary(primary, { by: 'hook', reason, ...(to ? { rollbackTo: to, rollbackReason: `ECS deployment lifecycle hook: rolling back to deploymentId ${to.id}.` } : {}) }, all);
      return { cleanUp: false };
    }
    return { cleanUp: plan.cleanUp };
  }

  /** Blue serves from production's target groups, green from the others (targetGroupArn and alternateTargetGroupArn swap roles each deployment). */
  private targetGroupsOf(side: 'blue' | 'green'): string[] {
    const production = this.sched.productionSide ?? 'primary';
    const useAlternate = side === 'blue' ? production === 'alternate' : production === 'primary';
    return (this.spec.loadBalancers ?? [])
      .map((lb) => (useAlternate ? (lb.advancedConfiguration?.alternateTargetGroupArn as string | undefined) : lb.targetGroupArn))
      .filter((x): x is string => typeof x === 'string');
  }

  private setServiceDeploymentStage(dep: DeploymentStatus, stage: string): void {
    const depArn = arn.serviceDeployment(this.cluster, this.name, shortId(dep.id));
    this.status.serviceDeployments = (this.status.serviceDeployments ?? []).map((d) => (d.serviceDeploymentArn === depArn && d.lifecycleStage !== stage ? { ...d, lifecycleStage: stage } : d));
  }

  /**
   * A rollback redeploys the last successful service revision (ECS creates no new revision for it):
   * the tasks still running that revision's deployment are kept and count for the rollback
   * deployment, so only the missing ones launch.
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-revision.html
   */
  private adoptRollbackTargetTasks(targetId: string, all: TaskObject[]): void {
    const np = this.status.deployments![0];
    for (const t of all) {
      if (t.metadata.labels?.[DEPLOYMENT_LABEL] !== targetId || t.status?.desiredStatus !== 'RUNNING') continue;
      const latest = this.store.get('Task', makeKey(this.cluster, t.metadata.name)) as TaskObject | undefined;
      if (!latest) continue;
      this.store.update({ ...latest, metadata: { ...latest.metadata, labels: { ...latest.metadata.labels, [DEPLOYMENT_LABEL]: np.id } } });
    }
  }

  private constraintsFor(dep: DeploymentStatus | undefined) {
    const rev = dep ? getRevision(this.store, nameOfArn(dep.taskDefinition)) : undefined;
    return [...((rev?.spec.placementConstraints ?? []) as any[]), ...((this.spec.placementConstraints ?? []) as any[])];
  }

  private startTasks(primary: DeploymentStatus, count: number, rev: RevisionObject): void {
    const target = launchTargetFor(this.store, this.cluster, this.spec, primary);
    const strategy = this.spec.placementStrategy?.length ? this.spec.placementStrategy : defaultServiceStrategy();
    const created: TaskObject[] = [];
    let failures: Array<{ arn: string; reason: string }> = [];
    let unplaced = 0;
    let instanceCount = 0;
    for (const part of target.split(count, this.store, this.key)) {
      const res = launchTasks(this.store, {
        ...this.launchBase(primary, rev),
        count: part.count,
        launchType: part.launchType,
        capacityProviderName: part.capacityProviderName,
        waitForCapacity: part.waitForCapacity,
        strategy: part.launchType === 'FARGATE' ? [] : (strategy as any),
      });
      created.push(...res.created);
      failures = failures.concat(res.failures);
      unplaced += res.unplaced;
      instanceCount += res.instanceCount;
    }
    if (created.length) {
      this.event(`started-${created[0].metadata.name}`, ServiceMessages.started(this.name, created.map((t) => t.metadata.name)));
      for (const lb of (this.spec.loadBalancers ?? []).filter((x) => x.targetGroupArn)) {
        const tg = targetGroupOfTask(lb, created[0])!; // blue/green: the new revision's tasks may go to the alternate group
        this.event(`registered-${created[0].metadata.name}-${tg}`, ServiceMessages.registeredTargets(this.name, created.length, targetGroupArn(this.store, tg)));
      }
    }
    if (unplaced > 0) {
      this.event('unplaceable', ServiceMessages.unableToPlace(this.name, closestMatchDetail(failures, instanceCount)), true, 'Warning');
      this.requeue = Math.min(this.requeue, UNPLACEABLE_RETRY_MS);
    }
  }

  /**
   * Availability Zone rebalancing (az-rebalance.ts): the plan for this reconcile, its events, and
   * whether a rebalance is under way (kept in the scheduler's status).
   */
  private azRebalance(primary: DeploymentStatus | undefined, active: TaskObject[], health: Map<string, { healthy: boolean }>, desired: number, blocked: boolean): RebalancePlan {
    const enabled = !blocked && rebalancingApplies(this.spec) && this.now >= (this.sched.azRetryAt ?? 0);
    const running = active.filter((t) => t.status?.lastStatus === 'RUNNING');
    const plan = planAzRebalance(this.name, {
      enabled,
      steady: Boolean(primary) && (this.status.deployments ?? []).length === 1 && primary!.rolloutState === 'COMPLETED',
      zones: enabled ? this.serviceZones() : [],
      tasks: running.map((t) => ({ id: t.metadata.name, az: t.status?.availabilityZone ?? '', healthy: Boolean(health.get(t.metadata.name)?.healthy) })),
      pending: active.length - running.length,
      desired,
      maximumPercent: this.spec.deploymentConfiguration?.maximumPercent ?? 200,
      minimumHealthyPercent: this.spec.deploymentConfiguration?.minimumHealthyPercent ?? 100,
      inProgress: Boolean(this.sched.azRebalancing),
    });
    if (plan.event) this.event(`az-${plan.event.kind}`, plan.event.message);
    if (plan.inProgress) this.sched.azRebalancing = true;
    else delete this.sched.azRebalancing;
    return plan;
  }

  /** Zones the service's tasks can run in: its subnets' (Fargate), else the zones of the cluster's usable instances. */
  private serviceZones(): string[] {
    if (this.spec.launchType === 'FARGATE') return zonesOfSubnets(this.store, this.spec.networkConfiguration);
    return usableZones(this.store, this.cluster);
  }

  /** Start one task in `az` for the rebalance; a zone with no room pauses rebalancing for a while. */
  private startRebalanceTask(primary: DeploymentStatus, az: string, rev: RevisionObject): void {
    const fargate = this.spec.launchType === 'FARGATE';
    const res = launchTasks(this.store, {
      ...this.launchBase(primary, rev),
      count: 1,
      launchType: fargate ? 'FARGATE' : 'EC2',
      onlyZones: [az],
      strategy: fargate ? [] : ((this.spec.placementStrategy?.length ? this.spec.placementStrategy : defaultServiceStrategy()) as any),
    });
    if (res.created.length) {
      this.event(`az-started-${res.created[0].metadata.name}`, RebalanceMessages.tasksStarted(this.name, az, res.created.map((t) => t.metadata.name)));
      return;
    }
    this.event('az-unplaceable', `service (${this.name}) is unable to place a task in ${az} because no container instance met all of its requirements.`, true, 'Warning');
    this.sched.azRetryAt = this.now + UNPLACEABLE_RETRY_MS;
    this.requeue = Math.min(this.requeue, UNPLACEABLE_RETRY_MS);
  }

  /**
   * Which target group of a blue/green load balancer entry `dep`'s tasks register in: the side
   * production is not on while a blue/green deployment runs (green), else production's side.
   */
  private targetSideOf(dep: DeploymentStatus): 'primary' | 'alternate' {
    const production = this.sched.productionSide ?? 'primary';
    const strategy = this.spec.deploymentConfiguration?.strategy;
    const blueGreen = strategy === 'BLUE_GREEN' || strategy === 'LINEAR' || strategy === 'CANARY';
    const green = blueGreen && dep.rolloutState === 'IN_PROGRESS' && (this.status.deployments ?? []).length > 1 && !this.sched.rollbacks?.[dep.id];
    return green ? (production === 'primary' ? 'alternate' : 'primary') : production;
  }

  /** What every task this service launches for `primary` shares: group, owner, labels, ids. */
  private launchBase(primary: DeploymentStatus, rev: RevisionObject) {
    return {
      cluster: this.cluster,
      revision: rev,
      group: `service:${this.name}`,
      serviceKey: this.key,
      startedBy: primary.id,
      constraints: this.constraintsFor(primary),
      networkConfiguration: this.spec.networkConfiguration,
      owner: { apiVersion: API_VERSION, kind: 'Service', name: this.name, uid: this.svc.metadata.uid!, controller: true, blockOwnerDeletion: true },
      labels: { [SERVICE_LABEL]: this.name, [DEPLOYMENT_LABEL]: primary.id, ...(this.targetSideOf(primary) === 'alternate' ? { [TARGET_SIDE_LABEL]: 'alternate' } : {}) },
      nextTaskId: () => {
        this.sched.taskSeq = (this.sched.taskSeq ?? 0) + 1;
        return taskIdFrom(`${this.svc.metadata.uid}/${this.sched.taskSeq}`);
      },
      rng: this.owner.deps.rng,
      now: this.now,
    };
  }

  private startDaemonTasks(primary: DeploymentStatus, instanceNames: string[]): void {
    const rev = getRevision(this.store, nameOfArn(primary.taskDefinition))!;
    const created: TaskObject[] = [];
    let unplaced = 0;
    let failures: Array<{ arn: string; reason: string }> = [];
    for (const inst of instanceNames) {
      const res = launchTasks(this.store, {
        ...this.launchBase(primary, rev),
        count: 1,
        launchType: 'EC2',
        onlyInstances: [inst],
        strategy: [],
      });
      created.push(...res.created);
      unplaced += res.unplaced;
      failures = failures.concat(res.failures);
    }
    if (created.length) this.event(`started-${created[0].metadata.name}`, ServiceMessages.started(this.name, created.map((t) => t.metadata.name)));
    if (unplaced > 0) {
      this.event('unplaceable', ServiceMessages.unableToPlace(this.name, closestMatchDetail(failures, 1)), true, 'Warning');
      this.requeue = Math.min(this.requeue, UNPLACEABLE_RETRY_MS);
    }
  }

  private applyStops(stops: Array<{ id: string; why: StopReason }>, byId: Map<string, TaskObject>, health: Map<string, { elbUnhealthy?: boolean }>): void {
    const stoppedRunning: string[] = [];
    const lbs = (this.spec.loadBalancers ?? []).filter((lb) => lb.targetGroupArn);
    // Targets drain for the target group's deregistration delay (DEACTIVATING) before SIGTERM.
    const delayMs = Math.max(0, ...lbs.map((lb) => deregistrationDelayMs(targetGroupSpec(this.store, lb.targetGroupArn!))));
    for (const s of stops) {
      const t = byId.get(s.id);
      if (!t) continue;
      const dep = t.metadata.labels?.[DEPLOYMENT_LABEL] ?? '';
      const elb = lbs[0]?.targetGroupArn;
      const reason =
        s.why === 'unhealthy'
          ? health.get(s.id)?.elbUnhealthy && elb
            ? `${ELB_HEALTH_CHECK_FAILURE_PREFIX} in (target-group ${targetGroupArn(this.store, elb)})`
            : HEALTH_CHECK_FAILURE
          : `Scaling activity initiated by (deployment ${this.status.deployments?.[0]?.id ?? dep})`;
      if (s.why === 'unhealthy' && health.get(s.id)?.elbUnhealthy && elb) this.reportUnhealthyTarget(t, lbs[0]);
      const ran = Boolean(t.status?.startedAt);
      requestStop(this.store, t, StopCode.ServiceSchedulerInitiated, reason, this.now, ran && lbs.length ? { deregistrationDelayMs: delayMs } : {});
      if (t.status?.lastStatus === 'RUNNING') stoppedRunning.push(s.id);
    }
    if (stoppedRunning.length) {
      if (lbs.length) this.event(`draining-${stoppedRunning[0]}`, ServiceMessages.drainingInstance(this.name, stoppedRunning.length));
      this.event(`stopped-${stoppedRunning[0]}`, ServiceMessages.stopped(this.name, stoppedRunning));
    }
  }

  /** ECS's "is unhealthy in (target-group …)" event for a task its load balancer took out of service. */
  private reportUnhealthyTarget(t: TaskObject, lb: { targetGroupArn?: string; containerName?: string; containerPort?: number }): void {
    const s = t.status!;
    const binding = s.containers?.find((c) => c.name === lb.containerName)?.networkBindings?.find((b) => b.containerPort === lb.containerPort);
    const inst = s.containerInstance ? (this.store.get('ContainerInstance', makeKey(this.cluster, s.containerInstance)) as InstanceObject | undefined) : undefined;
    const message = ServiceMessages.unhealthyTarget(this.name, t.metadata.name, inst ? ec2InstanceIdOf(inst) : undefined, binding?.hostPort ?? lb.containerPort, targetGroupName(lb.targetGroupArn!));
    this.event(`unhealthy-target-${t.metadata.name}`, message, false, 'Warning');
  }

  /** Counts, deployment lifecycle, steady state, service status and conditions. */
  private finishStatus(desired: number, deleting: boolean, health: Map<string, { healthy: boolean }>): void {
    // The tasks again, unless nothing was written since they were read (then they are the same).
    const all = this.read && this.read.rv === this.store.resourceVersion ? this.read.all : tasksOfService(this.store, this.key);
    const active = all.filter((t) => t.status?.desiredStatus === 'RUNNING');
    const deployments = (this.status.deployments ?? []).map((d) => ({ ...d }));
    let running = 0;
    let pending = 0;
    const kept: DeploymentStatus[] = [];
    deployments.forEach((d, i) => {
      const mine = active.filter((t) => t.metadata.labels?.[DEPLOYMENT_LABEL] === d.id);
      d.runningCount = mine.filter((t) => t.status?.lastStatus === 'RUNNING').length;
      d.pendingCount = mine.length - d.runningCount;
      d.desiredCount = i === 0 ? desired : 0;
      running += d.runningCount;
      pending += d.pendingCount;
      if (i > 0 && mine.length === 0 && all.every((t) => t.metadata.labels?.[DEPLOYMENT_LABEL] !== d.id || t.status?.lastStatus === 'STOPPED')) {
        return; // INACTIVE: replaced and without tasks, dropped from the array
      }
      kept.push(d);
    });
    const primary = kept[0];
    // Steady: one deployment, every desired task RUNNING and healthy (tasks started in this
    // reconcile are not in `health`, and are pending anyway).
    const primaryTasks = active.filter((t) => t.metadata.labels?.[DEPLOYMENT_LABEL] === primary?.id);
    const steady = Boolean(primary) && kept.length === 1 && primary.runningCount === desired && primary.pendingCount === 0 && !deleting &&
      primaryTasks.every((t) => health.get(t.metadata.name)?.healthy);
    if (primary && primary.rolloutState === 'IN_PROGRESS' && steady && this.baked(primary)) {
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
      // Blue/green: production now serves from the group the new revision registered in (the roles swap).
      const side = primaryTasks[0]?.metadata.labels?.[TARGET_SIDE_LABEL] === 'alternate' ? 'alternate' : 'primary';
      if (primaryTasks.length && side !== (this.sched.productionSide ?? 'primary')) this.sched.productionSide = side;
      primary.updatedAt = iso(this.now);
      this.sched.lastCompleted = { id: primary.id, taskDefinition: primary.taskDefinition };
      const failedId = this.sched.rollbacks?.[primary.id];
      if (failedId) {
        this.setServiceDeployment(arn.serviceDeployment(this.cluster, this.name, shortId(failedId)), 'ROLLBACK_SUCCESSFUL');
        delete this.sched.rollbacks![primary.id];
      } else {
        this.recordServiceDeployment(primary, 'SUCCESSFUL');
      }
    }
    if (steady && !this.sched.steady) this.event('steady', ServiceMessages.steady(this.name));
    this.sched.steady = steady;

    this.status.deployments = kept;
    this.status.desiredCount = desired;
    this.status.runningCount = running;
    this.status.pendingCount = pending;
    this.status.taskDefinition = primary?.taskDefinition;
    this.status.status = deleting ? (active.length === 0 && all.every((t) => ['STOPPED', 'STOPPING', 'DEPROVISIONING'].includes(t.status?.lastStatus ?? '')) ? 'INACTIVE' : 'DRAINING') : 'ACTIVE';
    const gen = this.svc.metadata.generation;
    const c = this.status.conditions;
    const failed = primary?.rolloutState === 'FAILED';
    let conds = setConditionKeep(c, steady ? { type: 'Ready', status: 'True', reason: 'SteadyState', message: `${running}/${desired} tasks running`, observedGeneration: gen }
      : { type: 'Ready', status: 'False', reason: deleting ? 'Draining' : 'NotSteady', message: `${running}/${desired} tasks running, ${pending} pending`, observedGeneration: gen }, this.now);
    conds = setConditionKeep(conds, primary?.rolloutState === 'IN_PROGRESS'
      ? { type: 'Progressing', status: 'True', reason: 'DeploymentInProgress', message: primary.rolloutStateReason, observedGeneration: gen }
      : { type: 'Progressing', status: 'False', reason: primary?.rolloutState === 'COMPLETED' ? 'DeploymentCompleted' : 'DeploymentFailed', message: primary?.rolloutStateReason ?? '', observedGeneration: gen }, this.now);
    conds = setConditionKeep(conds, failed
      ? { type: 'Degraded', status: 'True', reason: 'CircuitBreakerTripped', message: primary.rolloutStateReason, observedGeneration: gen }
      : { type: 'Degraded', status: 'False', reason: 'AsExpected', message: '', observedGeneration: gen }, this.now);
    this.status.conditions = conds;
  }

  /**
   * With deployment alarms, a steady deployment stays IN_PROGRESS for a bake time in which the
   * alarms are still watched ("ECS computes this time period based on the alarm configuration";
   * ecsplane: bakeTimeInMinutes if set, else DEFAULT_ALARM_BAKE_MS). Without alarms: no bake time.
   */
  private baked(primary: DeploymentStatus): boolean {
    const alarms = this.spec.deploymentConfiguration?.alarms;
    if (!alarms?.enable || !(alarms.alarmNames ?? []).length || this.sched.rollbacks?.[primary.id]) return true;
    const bakeMs = this.spec.deploymentConfiguration?.bakeTimeInMinutes !== undefined ? this.spec.deploymentConfiguration.bakeTimeInMinutes * 60_000 : DEFAULT_ALARM_BAKE_MS;
    const until = ((this.sched.bakeUntil ??= {})[primary.id] ??= this.now + bakeMs);
    for (const id of Object.keys(this.sched.bakeUntil)) if (!this.status.deployments?.some((d) => d.id === id)) delete this.sched.bakeUntil[id];
    if (this.now >= until) {
      delete this.sched.bakeUntil[primary.id];
      return true;
    }
    this.requeue = Math.min(this.requeue, until - this.now);
    return false;
  }

  /** Record a service event; `throttle`d kinds repeat at most every EVENT_REPEAT_MS. */
  private event(kind: string, message: string, throttle = false, type: 'Normal' | 'Warning' = 'Normal'): void {
    const last = (this.sched.lastEventAt ??= {});
    if (throttle && last[kind] !== undefined && this.now - last[kind] < EVENT_REPEAT_MS) return;
    if (throttle) last[kind] = this.now;
    this.sched.eventSeq = (this.sched.eventSeq ?? 0) + 1;
    const id = uuidFrom(`${this.svc.metadata.uid}/event/${this.sched.eventSeq}`);
    const ev: ServiceEvent = { id, createdAt: iso(this.now), message };
    this.status.events = [ev, ...(this.status.events ?? [])].slice(0, MAX_EVENTS);
    this.owner.deps.events.record(this.svc, kindToReason(kind), message, type);
  }

  private commit(): void {
    this.status.scheduler = this.sched as Record<string, unknown>;
    writeStatus(this.store, this.svc, this.status);
  }
}

function serviceDefaults(spec: ServiceSpec): ServiceSpec {
  return specDefaults<ServiceSpec>('Service', spec);
}

/**
 * A working copy of the stored (frozen) status: new top level, deployments and scheduler state
 * (the parts a reconcile changes in place); events and conditions are only ever replaced, so
 * they are shared with the stored object instead of copied.
 */
function copyStatus(stored: ServiceStatus | undefined): ServiceStatus {
  const out = thaw(stored ?? {}) as ServiceStatus;
  if (stored?.deployments) out.deployments = stored.deployments.map((d) => clone(d));
  if (stored?.scheduler) out.scheduler = clone(stored.scheduler);
  return out;
}

function kindToReason(kind: string): string {
  if (kind.startsWith('started')) return 'TasksStarted';
  if (kind.startsWith('stopped')) return 'TasksStopped';
  if (kind.startsWith('draining')) return 'DrainingConnections';
  if (kind.startsWith('registered')) return 'TargetsRegistered';
  if (kind.startsWith('unhealthy-target')) return 'TargetUnhealthy';
  return ({ steady: 'SteadyState', unplaceable: 'UnableToPlace', deadlock: 'DeploymentConfigurationDeadlock', throttle: 'TasksFailingToStart', failed: 'DeploymentFailed', rollback: 'DeploymentRollback' } as Record<string, string>)[kind] ?? 'ServiceEvent';
}

function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The digits of `ecs-svc/1234…`: the id part of the service deployment and revision ARNs. */
function shortId(deploymentId: string): string {
  return deploymentId.slice(deploymentId.indexOf('/') + 1);
}

function nameOfArn(taskDefinitionArn: string): string {
  const { family, revision } = parseTaskDefinitionRef(taskDefinitionArn);
  return `${family}:${revision}`;
}

function fargateView(t: TaskObject) {
  return {
    name: `fargate-${t.status?.availabilityZone ?? ''}`,
    arn: '',
    ec2InstanceId: '',
    status: 'ACTIVE',
    agentConnected: true,
    agentVersion: '',
    registeredAt: 0,
    attributes: { 'ecs.availability-zone': t.status?.availabilityZone ?? null },
    remainingCpu: 0,
    remainingMemory: 0,
    usedTcpPorts: new Set<number>(),
    usedUdpPorts: new Set<number>(),
    tasks: [],
  };
}
