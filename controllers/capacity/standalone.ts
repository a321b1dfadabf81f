/**
 * Where a standalone task (RunTask) runs when it names a capacity provider strategy, or the cluster has a
 * default one and the task names no launch type (ecs-semantics §1 "Strategy base/weight").
 *
 * Not wired yet: the task loop's `initStandalone` (controllers/task/reconciler.ts, another owner) sets
 * `launchType: task.spec.launchType ?? 'EC2'`; spreading `...standaloneLaunch(store, task)` there instead
 * makes such tasks FARGATE/FARGATE_SPOT tasks, or EC2 tasks that wait in PROVISIONING for their
 * provider's instances (placeExisting and the capacity-wait requeue already key on capacityProviderName).
 * A Task object is one task, so the split is the strategy's first pick: the base provider, else the
 * largest weight (ties: the first listed).
 */
import { clusterOf } from '../../api/meta.js';
import type { CapacityProviderStrategyItem } from '../../api/v1alpha1/types.js';
import type { ResourceStore } from '../../store/store.js';
import { nextProvider } from '../scaling-math/index.js';
import { FARGATE_PROVIDERS, strategyFor } from '../service/targets.js';
import type { TaskObject } from '../shared/instances.js';

export interface StandaloneLaunch {
  launchType: string;
  capacityProviderName?: string;
}

export function standaloneLaunch(store: ResourceStore, task: TaskObject): StandaloneLaunch {
  const spec = task.spec as { launchType?: string; capacityProviderStrategy?: CapacityProviderStrategyItem[] };
  const strategy = strategyFor(store, clusterOf(task), spec);
  if (!strategy) return { launchType: spec.launchType ?? 'EC2' };
  const provider = nextProvider(strategy, {});
  return { launchType: FARGATE_PROVIDERS.has(provider) ? 'FARGATE' : 'EC2', capacityProviderName: provider };
}
