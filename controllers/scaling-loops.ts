/**
 * Capacity provider, Auto Scaling group and Application Auto Scaling loops (issue #4; docs/scaling.md).
 * Each is an independent, level-triggered loop with its own kind; time-based work (one-minute metric
 * periods, launch delays, schedules) is a requeueAfterMs on the object's own key.
 */
import type { DependencyContainer } from 'tsyringe';
import type { ResourceStore } from '../store/store.js';
import type { WatchEvent } from '../store/watch.js';
import type { Manager } from './runtime/manager.js';
import {
  AutoScalingGroupReconciler,
  allAsgKeys,
  asgKeysForInstance,
  asgKeysForProvider,
  asgKeysForTask,
} from './autoscaling-group/reconciler.js';
import { CapacityProviderReconciler, providerKeysForAsg, providerKeysForCluster } from './capacity/reconciler.js';
import { ScalableTargetReconciler, targetKeysFor, targetKeysForService, targetKeysForTask, targetKeysOfService } from './autoscaling/reconciler.js';
import type { LoadModel } from './shared/load-model.js';
import { TOKENS } from './runtime/tokens.js';

export function registerScalingControllers(c: DependencyContainer, manager: Manager, store: ResourceStore, resyncMs: number): void {
  manager.add({
    name: 'capacity-provider',
    forKind: 'CapacityProvider',
    reconciler: c.resolve(CapacityProviderReconciler),
    resyncMs,
    watches: [
      { kind: 'CapacityProvider' },
      { kind: 'AutoScalingGroup', toKeys: providerKeysForAsg(store) },
      { kind: 'Cluster', toKeys: providerKeysForCluster(store) },
    ],
  });
  manager.add({
    name: 'auto-scaling-group',
    forKind: 'AutoScalingGroup',
    reconciler: c.resolve(AutoScalingGroupReconciler),
    resyncMs,
    watches: [
      { kind: 'AutoScalingGroup' },
      { kind: 'CapacityProvider', toKeys: asgKeysForProvider },
      { kind: 'Cluster', toKeys: allAsgKeys(store) },
      // The group reads an instance's existence and annotations (EC2 state, draining), not its usage.
      { kind: 'ContainerInstance', toKeys: unlessStatusOnly(asgKeysForInstance) },
      // Tasks starting and stopping change protection (managed termination protection) and draining.
      { kind: 'Task', toKeys: asgKeysForTask(store), delayMs: 1000 },
    ],
  });
  const aas = manager.add({
    name: 'application-auto-scaling',
    forKind: 'ScalableTarget',
    reconciler: c.resolve(ScalableTargetReconciler),
    resyncMs,
    watches: [
      { kind: 'ScalableTarget' },
      // Their status is this loop's own output: a status-only write wakes nobody.
      { kind: 'ScalingPolicy', toKeys: unlessStatusOnly(targetKeysFor(store)) },
      { kind: 'ScheduledAction', toKeys: unlessStatusOnly(targetKeysFor(store)) },
      // Deployments (no scale-in while one runs), desiredCount changes and task counts (activities).
      { kind: 'Service', toKeys: targetKeysForService(store) },
      // A task that starts or stops running changes the service's utilisation (quiet windows, quiet.ts).
      { kind: 'Task', toKeys: targetKeysForTask(store) },
    ],
  });
  // So does its load (a Scenario `load` step, CloudWatch PutMetricData).
  c.resolve<LoadModel>(TOKENS.Metrics).onChange((serviceKey) => {
    for (const key of targetKeysOfService(store, serviceKey)) aas.queue.add(key);
  });
}

/**
 * Skips events that changed only an object's status (spec, labels, annotations, finalizers and
 * deletion unchanged: the store keeps those parts by identity when only status is written). Live
 * events carry the previous version; replayed ones do not and always pass.
 */
export function unlessStatusOnly(toKeys: (ev: WatchEvent) => string[]): (ev: WatchEvent) => string[] {
  return (ev) => {
    const prev = ev.previous?.metadata;
    const now = ev.object.metadata;
    if (
      ev.type === 'MODIFIED' &&
      prev &&
      ev.previous!.spec === ev.object.spec &&
      prev.labels === now.labels &&
      prev.annotations === now.annotations &&
      prev.finalizers === now.finalizers &&
      prev.deletionTimestamp === now.deletionTimestamp
    ) {
      return [];
    }
    return toKeys(ev);
  };
}
