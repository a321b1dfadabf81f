/** Container instance loop: keeps status (resource accounting, counts, state) exact. */
import { inject, injectable } from '../runtime/di.js';
import { clusterOf, makeKey } from '../../api/meta.js';
import { instanceAccounting } from '../shared/accounting.js';
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

/** Task events wake the instance the task sits on. */
export function instanceKeysForTask(ev: { object: TaskObject }): string[] {
  const inst = ev.object.status?.containerInstance;
  return inst ? [internedKey(clusterOf(ev.object), inst)] : [];
}
