/** Container instance loop: keeps status (resource accounting, counts, state) exact. */
import { inject, injectable } from '../runtime/di.js';
import { clusterOf, makeKey, type Resource } from '../../api/meta.js';
import { holdsTheSame, instanceAccounting } from '../shared/accounting.js';
import { internedKey } from '../shared/keys.js';
import type { ResourceStore } from '../../store/store.js';
import type { Clock } from '../runtime/clock.js';
import type { Reconciler } from '../runtime/controller.js';
import { TOKENS } from '../runtime/tokens.js';
import type { InstanceObject, TaskObject } from '../shared/instances.js';
import { writeStatus } from '../shared/status.js';
import { planInstanceStatus } from './plan.js';

@injectable()
export class ContainerInstanceReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  reconcile(key: string): void {
    const inst = this.store.get('ContainerInstance', key) as InstanceObject | undefined;
    if (!inst) return;
    writeStatus(this.store, inst, planInstanceStatus(inst, instanceAccounting(this.store).of(key), this.clock.now()));
  }
}

/**
 * Task events wake the instance the task sits on, unless the change leaves what the task holds
 * there as it was (a health check passing, a timestamp): the instance's status would not change.
 */
export function instanceKeysForTask(ev: { type?: string; object: TaskObject; previous?: Resource }): string[] {
  const inst = ev.object.status?.containerInstance;
  if (!inst) return [];
  if (ev.type === 'MODIFIED' && ev.previous && holdsTheSame(ev.previous as TaskObject, ev.object)) return [];
  return [internedKey(clusterOf(ev.object), inst)];
}
