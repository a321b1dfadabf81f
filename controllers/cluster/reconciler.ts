/** Cluster loop: status counters. Events of the cluster's services, tasks and instances wake it. */
import { inject, injectable } from '../runtime/di.js';
import { clusterOf } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import type { Clock } from '../runtime/clock.js';
import type { Reconciler } from '../runtime/controller.js';
import { TOKENS } from '../runtime/tokens.js';
import { writeStatus } from '../shared/status.js';
import { planClusterStatus } from './plan.js';
import { clusterCounters } from './counts.js';

@injectable()
export class ClusterReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  reconcile(key: string): void {
    const cluster = this.store.get('Cluster', key);
    if (!cluster) return;
    writeStatus(this.store, cluster, planClusterStatus(cluster, clusterCounters(this.store).of(key), this.clock.now()));
  }
}

export const clusterKeyOf = (ev: WatchEvent): string[] => [clusterOf(ev.object)];
