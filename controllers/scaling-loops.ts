/** Capacity provider, Auto Scaling group and Application Auto Scaling loops (registered here). */
import type { DependencyContainer } from './runtime/di.js';
import type { ResourceStore } from '../store/store.js';
import type { Manager } from './runtime/manager.js';

export function registerScalingControllers(_c: DependencyContainer, _manager: Manager, _store: ResourceStore, _resyncMs: number): void {
  // Registered by the capacity-provider and autoscaling work (issue: capacity providers and AAS).
}
