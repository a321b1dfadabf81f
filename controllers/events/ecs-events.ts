/**
 * ECS's own events on the event bus, in the shapes of the AWS page "Amazon ECS events":
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_cwe_events.html
 * - "ECS Task State Change" when a task's lastStatus or desiredStatus changes (ecs_task_events.html);
 *   detail is the DescribeTasks view of the task with its `version`.
 * - "ECS Container Instance State Change" when an instance's status or agent connection changes
 *   (ecs_container_instance_events.html). ECS also sends one for every change of remaining resources;
 *   ecsplane leaves those out to keep the bus readable (docs/events.md).
 * - "ECS Service Action" (ecs_service_events.html): SERVICE_STEADY_STATE, SERVICE_TASK_PLACEMENT_FAILURE,
 *   SERVICE_TASK_START_IMPAIRED, TASKS_STOPPED, from the service scheduler's own events.
 * - "ECS Deployment State Change" (ecs_service_deployment_events.html): SERVICE_DEPLOYMENT_IN_PROGRESS,
 *   _COMPLETED, _FAILED when a deployment's rolloutState changes.
 * An observer of the store and the event recorder, not a loop: it writes nothing but bus events.
 */
import type { Subscription } from 'rxjs';
import { arn } from '../../api/arn.js';
import { clusterOf, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import type { EventRecorder, RecordedEvent } from '../runtime/events.js';
import type { EventBus } from './bus.js';

export const ECS_SOURCE = 'aws.ecs';
export const DetailType = {
  Task: 'ECS Task State Change',
  ContainerInstance: 'ECS Container Instance State Change',
  ServiceAction: 'ECS Service Action',
  Deployment: 'ECS Deployment State Change',
} as const;

/** Service scheduler event reasons (controllers/service) → ECS Service Action event names and types. */
const SERVICE_ACTIONS: Record<string, { eventName: string; eventType: 'INFO' | 'WARN' | 'ERROR' }> = {
  SteadyState: { eventName: 'SERVICE_STEADY_STATE', eventType: 'INFO' },
  UnableToPlace: { eventName: 'SERVICE_TASK_PLACEMENT_FAILURE', eventType: 'ERROR' },
  TasksFailingToStart: { eventName: 'SERVICE_TASK_START_IMPAIRED', eventType: 'WARN' },
  TasksStopped: { eventName: 'TASKS_STOPPED', eventType: 'INFO' },
};

const iso = (ms: number) => new Date(ms).toISOString();

/** The Task State Change detail: the task as DescribeTasks shows it, with ARNs and its version. */
export function taskDetail(t: Resource): Record<string, unknown> {
  const s = t.status ?? {};
  const cluster = clusterOf(t);
  const taskArn = s.taskArn ?? arn.task(cluster, t.metadata.name);
  const pick = (k: string) => (s[k] !== undefined ? { [k]: s[k] } : {});
  return {
    ...pick('availabilityZone'),
    ...pick('capacityProviderName'),
    clusterArn: arn.cluster(cluster),
    ...(s.containerInstance ? { containerInstanceArn: arn.containerInstance(cluster, s.containerInstance) } : {}),
    containers: (s.containers ?? []).map((c: any) => ({ ...c, taskArn, containerArn: `${taskArn.replace(':task/', ':container/')}/${c.name}` })),
    ...pick('cpu'),
    ...pick('createdAt'),
    desiredStatus: s.desiredStatus,
    ...pick('group'),
    ...pick('launchType'),
    lastStatus: s.lastStatus,
    ...pick('memory'),
    overrides: t.spec?.overrides ?? { containerOverrides: [] },
    ...pick('pullStartedAt'),
    ...pick('pullStoppedAt'),
    ...pick('startedAt'),
    ...pick('startedBy'),
    ...pick('stoppingAt'),
    ...pick('stoppedAt'),
    ...pick('stoppedReason'),
    ...pick('stopCode'),
    taskArn,
    taskDefinitionArn: s.taskDefinitionArn,
    updatedAt: iso(Date.parse(t.metadata.creationTimestamp ?? '') || 0),
    version: Number(t.metadata.resourceVersion ?? 1),
  };
}

function instanceDetail(ci: Resource): Record<string, unknown> {
  const s = ci.status ?? {};
  const cluster = clusterOf(ci);
  return {
    agentConnected: s.agentConnected,
    attributes: s.attributes ?? [],
    clusterArn: arn.cluster(cluster),
    containerInstanceArn: arn.containerInstance(cluster, ci.metadata.name),
    ec2InstanceId: s.ec2InstanceId,
    registeredResources: s.registeredResources ?? [],
    remainingResources: s.remainingResources ?? [],
    status: s.status,
    ...(s.capacityProviderName ? { capacityProviderName: s.capacityProviderName } : {}),
    version: Number(ci.metadata.resourceVersion ?? 1),
  };
}

export class EcsEventEmitter {
  private subs: Subscription[] = [];

  constructor(
    private readonly store: ResourceStore,
    private readonly recorder: EventRecorder,
    private readonly bus: EventBus,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.subs.push(this.store.watch('Task').subscribe((ev) => this.onTask(ev)));
    this.subs.push(this.store.watch('ContainerInstance').subscribe((ev) => this.onInstance(ev)));
    this.subs.push(this.store.watch('Service').subscribe((ev) => this.onService(ev)));
    this.subs.push(this.recorder.stream.subscribe((ev) => this.onRecorded(ev)));
  }

  stop(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
  }

  private onTask(ev: WatchEvent): void {
    if (ev.type === 'DELETED') return;
    const s = ev.object.status;
    // RunTask failures[]: ECS starts no task, so there is no task to report on.
    if (!s?.lastStatus || s.failures?.length) return;
    const p = ev.previous?.status;
    if (p && p.lastStatus === s.lastStatus && p.desiredStatus === s.desiredStatus) return;
    const task = ev.object;
    const now = this.now();
    this.bus.putLazy(ECS_SOURCE, DetailType.Task, () => {
      const detail: Record<string, unknown> = { ...taskDetail(task), updatedAt: iso(now) };
      return { resources: [detail.taskArn as string], detail };
    });
  }

  private onInstance(ev: WatchEvent): void {
    if (ev.type === 'DELETED') return;
    const s = ev.object.status;
    if (!s?.status) return;
    const p = ev.previous?.status;
    if (p && p.status === s.status && p.agentConnected === s.agentConnected) return;
    const ci = ev.object;
    const now = this.now();
    this.bus.putLazy(ECS_SOURCE, DetailType.ContainerInstance, () => {
      const detail: Record<string, unknown> = { ...instanceDetail(ci), updatedAt: iso(now) };
      return { resources: [detail.containerInstanceArn as string], detail };
    });
  }

  private onService(ev: WatchEvent): void {
    if (ev.type === 'DELETED') return;
    const before = new Map<string, string>((ev.previous?.status?.deployments ?? []).map((d: any) => [d.id, d.rolloutState]));
    for (const d of ev.object.status?.deployments ?? []) {
      if (!d.rolloutState || before.get(d.id) === d.rolloutState) continue;
      const eventName = `SERVICE_DEPLOYMENT_${d.rolloutState}`;
      const verb = { IN_PROGRESS: 'in progress', COMPLETED: 'completed', FAILED: 'failed' }[d.rolloutState as string] ?? d.rolloutState;
      const cluster = clusterOf(ev.object);
      this.bus.put({
        Source: ECS_SOURCE,
        DetailType: DetailType.Deployment,
        Resources: [arn.service(cluster, ev.object.metadata.name)],
        Detail: {
          eventType: d.rolloutState === 'FAILED' ? 'ERROR' : 'INFO',
          eventName,
          deploymentId: d.id,
          updatedAt: iso(this.now()),
          reason: d.rolloutState === 'FAILED' && d.rolloutStateReason ? d.rolloutStateReason : `ECS deployment ${d.id} ${verb}.`,
        },
      });
    }
  }

  private onRecorded(ev: RecordedEvent): void {
    if (ev.kind !== 'Service') return;
    const action = SERVICE_ACTIONS[ev.reason];
    if (!action) return;
    const detail: Record<string, unknown> = { ...action, clusterArn: arn.cluster(ev.cluster), createdAt: iso(ev.t) };
    if (action.eventName === 'SERVICE_TASK_PLACEMENT_FAILURE') {
      const reason = /RESOURCE:[A-Z_]+|MissingAttribute|MISSING|AGENT/.exec(ev.message)?.[0];
      if (reason) detail.reason = reason;
    }
    this.bus.put({ Source: ECS_SOURCE, DetailType: DetailType.ServiceAction, Resources: [arn.service(ev.cluster, ev.name)], Detail: detail });
  }
}
