/**
 * Each task's life for the task Gantt chart: when it was created, pulled, started, told to stop
 * and stopped, where it ran and for which deployment. A task's own status holds all of it, so
 * only tasks deleted from the store (stopped over an hour ago, or with their service) are kept
 * here, from the Task watch: nothing per live task (the fleet benchmark's heap per task).
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
  /** Timelines of the tasks no longer in the store. */
  private readonly gone: TaskTimeline[] = [];
  private subscription?: Subscription;
  private store?: ResourceStore;

  constructor(private readonly start: number) {}

  watch(store: ResourceStore): void {
    this.store = store;
    this.subscription = store.watch('Task').subscribe((ev) => {
      if (ev.type === 'DELETED') {
        const t = this.timelineOf(ev.object as TaskObject);
        if (t) this.gone.push(t);
      }
    });
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }

  /** Every task seen, in order of creation (then id). */
  list(): TaskTimeline[] {
    const live = (this.store?.list('Task') ?? []).map((t) => this.timelineOf(t as TaskObject)).filter((t): t is TaskTimeline => t !== undefined);
    return [...this.gone, ...live].sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private timelineOf(t: TaskObject): TaskTimeline | undefined {
    const s = t.status;
    if (!s) return undefined;
    const sec = (iso: string | undefined) => (iso ? (parseTime(iso) - this.start) / 1000 : undefined);
    const ref = s.taskDefinitionArn ?? t.spec?.taskDefinition ?? '';
    // Fields the task never reached stay undefined (JSON output leaves them out).
    return {
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
  }
}
