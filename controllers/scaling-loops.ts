/**
 * Capacity provider, Auto Scaling group and Application Auto Scaling loops (issue #4; docs/scaling.md).
 * Each is an independent, level-triggered loop with its own kind; time-based work (one-minute metric
 * periods, launch delays, schedules) is a requeueAfterMs on the object's own key.
 */
import type { DependencyContainer } from 'tsyringe';
import type { ResourceStore } from '../store/store.js';
import type { Manager } from './runtime/manager.js';
import {
  AutoScalingGroupReconciler,
  allAsgKeys,
  asgKeysForInstance,
  asgKeysForProvider,
  asgKeysForTask,
} from './autoscaling-group/reconciler.js';
import { CapacityProviderReconciler, providerKeysForAsg, providerKeysForCluster } from './capacity/reconciler.js';
import { ScalableTargetReconciler, targetKeysFor, targetKeysForService } from './autoscaling/reconciler.js';

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
      { kind: 'ContainerInstance', toKeys: asgKeysForInstance },
      // Tasks starting and stopping change protection (managed termination protection) and draining.
      { kind: 'Task', toKeys: asgKeysForTask(store), delayMs: 1000 },
    ],
  });
  manager.add({
    name: 'application-auto-scaling',
    forKind: 'ScalableTarget',
    reconciler: c.resolve(ScalableTargetReconciler),
    resyncMs,
    watches: [
      { kind: 'ScalableTarget' },
      { kind: 'ScalingPolicy', toKeys: targetKeysFor(store) },
      { kind: 'ScheduledAction', toKeys: targetKeysFor(store) },
      // Deployments (no scale-in while one runs), desiredCount changes and task counts (activities).
      { kind: 'Service', toKeys: targetKeysForService(store) },
    ],
  });
}
