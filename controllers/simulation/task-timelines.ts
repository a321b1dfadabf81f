/**
 * Each task's life for the task Gantt chart: when it was created, pulled, started, told to stop
 * and stopped, where it ran and for which deployment. Kept from the Task watch, so tasks the
 * simulation has since forgotten (garbage-collected, stopped over an hour ago) keep their line.
 */
import type { Subscription } from 'rxjs';
import { clusterOf } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import { DEPLOYMENT_LABEL, SERVICE_LABEL } from '../shared/indexes.js';
import type { TaskObject } from '../shared/instances.js';
import { parseTime } from '../shared/time.js';

export interface TaskTimeline {
  cluster: string;
  /** Task id. */
  name: string;
  /** Owning service, or undefined for a standalone task. */
  service?: string;
  /** Service deployment that started it (`ecs-svc/…`). */
  deploymentId?: string;
  /** `family:revision`. */
  taskDefinition: string;
  /** Container instance it was placed on; undefined for Fargate or before placement. */
  containerInstance?: string;
  capacityProvider?: string;
  launchType?: string;
  lastStatus: string;
  /** Seconds since the start of the simulation; undefined when the task never got there. */
  createdAt: number;
  pullStartedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
}

export class TaskTimelines {
  private readonly byTask = new Map<string, TaskTimeline>();
  private subscription?: Subscription;

  constructor(private readonly start: number) {}

  watch(store: ResourceStore): void {
    for (const t of store.list('Task')) this.observe(t as TaskObject);
    this.subscription = store.watch('Task').subscribe((ev) => {
      if (ev.type !== 'DELETED') this.observe(ev.object as TaskObject);
    });
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }

  /** Every task seen, in order of creation (then id). */
  list(): TaskTimeline[] {
    return [...this.byTask.values()].sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private observe(t: TaskObject): void {
    const s = t.status;
    if (!s) return;
    const sec = (iso: string | undefined) => (iso ? (parseTime(iso) - this.start) / 1000 : undefined);
    const ref = s.taskDefinitionArn ?? t.spec?.taskDefinition ?? '';
    const entry: TaskTimeline = {
      cluster: clusterOf(t),
      name: t.metadata.name,
      service: t.metadata.labels?.[SERVICE_LABEL],
      deploymentId: t.metadata.labels?.[DEPLOYMENT_LABEL],
      taskDefinition: ref.slice(ref.lastIndexOf('/') + 1),
      containerInstance: s.containerInstance,
      capacityProvider: s.capacityProviderName,
      launchType: s.launchType,
      lastStatus: s.lastStatus ?? 'PROVISIONING',
      createdAt: sec(s.createdAt) ?? 0,
      pullStartedAt: sec(s.pullStartedAt),
      startedAt: sec(s.startedAt),
      stoppingAt: sec(s.stoppingAt),
      stoppedAt: sec(s.stoppedAt),
      stopCode: s.stopCode,
      stoppedReason: s.stoppedReason,
    };
    // Undefined fields are left out so the JSON output stays compact and stable.
    for (const k of Object.keys(entry) as (keyof TaskTimeline)[]) if (entry[k] === undefined) delete entry[k];
    this.byTask.set(`${entry.cluster}/${entry.name}`, entry);
  }
}
