/**
 * Subnet loop: status is DescribeSubnets' view of the subnet (SubnetId, CidrBlock, AvailabilityZone,
 * AvailableIpAddressCount, State), counting the addresses awsvpc tasks hold now.
 */
import { inject, injectable } from '../runtime/di.js';
import { setCondition } from '../../api/conditions.js';
import { usableAddresses, type SubnetSpec } from '../../api/v1alpha1/subnet.js';
import { withDefaults } from '../../api/validate.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import type { Clock } from '../runtime/clock.js';
import type { ReconcileOutcome, Reconciler } from '../runtime/controller.js';
import { TOKENS } from '../runtime/tokens.js';
import { writeStatus } from '../shared/status.js';
import { heldAddress, subnetAddresses } from '../shared/subnets.js';

/** Pure: the status of a subnet with `used` addresses taken. */
export function planSubnetStatus(name: string, spec: SubnetSpec, used: number): Record<string, unknown> {
  const usable = usableAddresses(spec);
  return {
    SubnetId: name,
    VpcId: spec.VpcId,
    ...(spec.CidrBlock ? { CidrBlock: spec.CidrBlock } : {}),
    AvailabilityZone: spec.AvailabilityZone,
    ...(usable !== undefined ? { AvailableIpAddressCount: Math.max(0, usable - used) } : {}),
    State: 'available',
  };
}

@injectable()
export class SubnetReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  reconcile(key: string): ReconcileOutcome {
    const subnet = this.store.get('Subnet', key);
    if (!subnet) return;
    const spec = withDefaults('Subnet', subnet.spec) as SubnetSpec;
    const used = subnetAddresses(this.store).usedCount(key) ?? 0;
    const free = planSubnetStatus(key, spec, used).AvailableIpAddressCount as number | undefined;
    const status = {
      ...(subnet.status ?? {}),
      ...planSubnetStatus(key, spec, used),
      observedGeneration: subnet.metadata.generation,
      conditions: setCondition(
        subnet.status?.conditions,
        { type: 'Ready', status: 'True', reason: 'Available', message: free === undefined ? 'no IPv4 block' : `${free} addresses free`, observedGeneration: subnet.metadata.generation },
        this.clock.now(),
      ),
    };
    writeStatus(this.store, subnet, status);
  }
}

/** A task taking or giving back an address wakes its subnet. */
export function subnetKeysForTask(ev: WatchEvent): string[] {
  const keys = new Set<string>();
  const before = heldAddress(ev.previous);
  const after = ev.type === 'DELETED' ? undefined : heldAddress(ev.object);
  if (before?.subnet !== after?.subnet || before?.ip !== after?.ip) {
    if (before) keys.add(before.subnet);
    if (after) keys.add(after.subnet);
  }
  return [...keys];
}
