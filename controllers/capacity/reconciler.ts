/**
 * Capacity provider loop: observes the provider's tasks, instances and Auto Scaling group, asks the
 * pure plan (plan.ts) for the managed-scaling decision once a minute and writes it to status, where the
 * Auto Scaling group loop picks it up (docs/scaling.md "Desired capacity").
 */
import { inject, injectable } from '../runtime/di.js';
import type { Resource } from '../../api/meta.js';
import { managedScalingWithDefaults } from '../../api/v1alpha1/capacity-provider.js';
import type { AutoScalingGroupSpec, CapacityProviderSpec } from '../../api/v1alpha1/types.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import type { Clock } from '../runtime/clock.js';
import type { EventRecorder } from '../runtime/events.js';
import type { ReconcileOutcome, Reconciler } from '../runtime/controller.js';
import { TOKENS } from '../runtime/tokens.js';
import { writeStatus } from '../shared/status.js';
import type { AsgStatus } from '../autoscaling-group/types.js';
import { asgNameOf, clusterOfProvider, providersOfAsg } from './association.js';
import { observeDemand, observeGroup } from './observe.js';
import { planCapacityProvider } from './plan.js';
import type { CapacityProviderStatus } from './types.js';
import { specDefaults } from '../shared/defaults.js';

@injectable()
export class CapacityProviderReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Events) private readonly events: EventRecorder,
  ) {}

  reconcile(key: string): ReconcileOutcome {
    const cp = this.store.get('CapacityProvider', key) as Resource<CapacityProviderSpec, CapacityProviderStatus> | undefined;
    if (!cp) return;
    const spec = specDefaults<CapacityProviderSpec>('CapacityProvider', cp.spec, { name: key });
    const asgName = asgNameOf(cp);
    const asg = asgName ? (this.store.get('AutoScalingGroup', asgName) as Resource<AutoScalingGroupSpec, AsgStatus> | undefined) : undefined;
    const cluster = clusterOfProvider(this.store, key);
    const plan = planCapacityProvider({
      name: key,
      uid: cp.metadata.uid!,
      generation: cp.metadata.generation ?? 1,
      spec,
      managedScaling: managedScalingWithDefaults(spec.autoScalingGroupProvider?.managedScaling),
      status: cp.status ?? {},
      cluster,
      asgName,
      group: asg ? observeGroup(asg) : undefined,
      demand: asg ? observeDemand(this.store, asg, cluster, key) : undefined,
      now: this.clock.now(),
    });
    writeStatus(this.store, cp, plan.status);
    for (const e of plan.events) this.events.record(cp, e.reason, e.message, e.type);
    return { requeueAfterMs: plan.requeueAfterMs };
  }
}

/** A group change wakes the providers driving it; a cluster change, the providers it lists. */
export function providerKeysForAsg(store: ResourceStore): (ev: WatchEvent) => string[] {
  return (ev) => providersOfAsg(store, ev.object.metadata.name).map((cp) => cp.metadata.name);
}

export function providerKeysForCluster(store: ResourceStore): (ev: WatchEvent) => string[] {
  return (ev) => {
    const listed: string[] = ev.object.spec?.capacityProviders ?? [];
    return store.list('CapacityProvider').map((cp) => cp.metadata.name).filter((n) => listed.includes(n) || store.get('CapacityProvider', n)?.status?.cluster === ev.object.metadata.name);
  };
}
