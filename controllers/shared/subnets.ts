/**
 * Private addresses of declared subnets (the `Subnet` kind). An awsvpc task's ENI takes one
 * address from the subnet of its Availability Zone when it leaves PROVISIONING, and holds it until
 * the task is STOPPED; a subnet with no free address fails the task, as EC2 refuses to create the
 * interface (`InsufficientFreeAddressesInSubnet`). Without declared subnets nothing is counted.
 *
 * The used addresses are kept per subnet from the store's write stream (like instance usage), so
 * an allocation does not rescan the subnet's tasks.
 */
import { REGION } from '../../api/arn.js';
import { parseCidr, usableAddresses, type SubnetSpec } from '../../api/v1alpha1/subnet.js';
import type { Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';

/** The subnet and address an awsvpc task holds now (not STOPPED), from its ENI attachment. */
export function heldAddress(t: Resource | undefined): { subnet: string; ip: string } | undefined {
  const s = t?.status;
  if (!s || s.lastStatus === 'STOPPED' || !Array.isArray(s.attachments)) return undefined;
  for (const a of s.attachments) {
    if (a?.type !== 'ElasticNetworkInterface' || a.status !== 'ATTACHED') continue;
    let subnet: string | undefined;
    let ip: string | undefined;
    for (const d of a.details ?? []) {
      if (d.name === 'subnetId') subnet = d.value;
      else if (d.name === 'privateIPv4Address') ip = d.value;
    }
    if (subnet && ip) return { subnet, ip };
  }
  return undefined;
}

interface Pool {
  used: Set<number>;
  /** Where the next search for a free address starts. */
  cursor: number;
}

export class SubnetAddresses {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly store: ResourceStore) {
    store.onWrite((ev) => this.written(ev));
    store.onRestore(() => this.pools.clear());
  }

  /** The declared subnet's spec, or undefined. */
  spec(subnetId: string): SubnetSpec | undefined {
    return this.store.get('Subnet', subnetId)?.spec as SubnetSpec | undefined;
  }

  /** Addresses taken now (undefined for a subnet that is not declared). */
  usedCount(subnetId: string): number | undefined {
    return this.spec(subnetId) ? this.pool(subnetId).used.size : undefined;
  }

  /**
   * A free address of a declared subnet ('' when it has none left), or undefined when the subnet
   * is not declared or has no IPv4 block (ecsplane then invents an address as before).
   */
  allocate(subnetId: string): string | '' | undefined {
    const spec = this.spec(subnetId);
    const cidr = spec?.CidrBlock ? parseCidr(spec.CidrBlock) : undefined;
    const usable = spec ? usableAddresses(spec) : undefined;
    if (!spec || usable === undefined) return undefined;
    const pool = this.pool(subnetId);
    if (pool.used.size >= usable) return '';
    // AWS reserves the first four addresses and the last one of every subnet: offsets 4 … usable + 3.
    for (let n = 0; n < usable; n++) {
      const offset = 4 + ((pool.cursor - 4 + n) % usable);
      if (pool.used.has(offset)) continue;
      pool.cursor = offset + 1;
      return cidr ? ipOf(cidr.base + offset) : `0.0.0.${offset}`;
    }
    return '';
  }

  private pool(subnetId: string): Pool {
    let p = this.pools.get(subnetId);
    if (!p) {
      p = { used: new Set(), cursor: 4 };
      for (const t of this.store.list('Task')) {
        const held = heldAddress(t);
        if (held?.subnet === subnetId) p.used.add(this.offsetOf(subnetId, held.ip));
      }
      this.pools.set(subnetId, p);
    }
    return p;
  }

  private offsetOf(subnetId: string, ip: string): number {
    const spec = this.spec(subnetId);
    const cidr = spec?.CidrBlock ? parseCidr(spec.CidrBlock) : undefined;
    const n = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
    return cidr ? n - cidr.base : n;
  }

  private written(ev: WatchEvent): void {
    const obj = ev.object;
    if (obj.kind === 'Subnet') {
      this.pools.delete(obj.metadata.name); // a changed block: count again
      return;
    }
    if (obj.kind !== 'Task' || this.pools.size === 0) return;
    const before = heldAddress(ev.previous);
    const after = ev.type === 'DELETED' ? undefined : heldAddress(obj);
    if (before?.subnet === after?.subnet && before?.ip === after?.ip) return;
    if (before && this.pools.has(before.subnet)) this.pools.get(before.subnet)!.used.delete(this.offsetOf(before.subnet, before.ip));
    if (after && this.pools.has(after.subnet)) this.pools.get(after.subnet)!.used.add(this.offsetOf(after.subnet, after.ip));
  }
}

const pools = new WeakMap<ResourceStore, SubnetAddresses>();

export function subnetAddresses(store: ResourceStore): SubnetAddresses {
  let p = pools.get(store);
  if (!p) pools.set(store, (p = new SubnetAddresses(store)));
  return p;
}

function ipOf(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/**
 * The Availability Zones of a task's subnets: the declared subnets' zones (in the order listed),
 * else one per listed subnet in order (us-east-1a, 1b, …) as before.
 */
export function zonesOfSubnets(store: ResourceStore, networkConfiguration: any): string[] {
  const subnets: string[] = networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  const declared: string[] = [];
  for (const id of subnets) {
    const spec = store.get('Subnet', id)?.spec as SubnetSpec | undefined;
    if (spec) declared.push(spec.AvailabilityZone ?? `${REGION}a`);
  }
  if (declared.length) return [...new Set(declared)];
  const n = Math.max(1, Math.min(6, subnets.length || 3));
  return Array.from({ length: n }, (_, i) => `${REGION}${'abcdef'[i]}`);
}

/** The subnet a task in `az` takes its ENI from: the first listed subnet in that zone, else the first listed. */
export function subnetForZone(store: ResourceStore, networkConfiguration: any, az: string | undefined): string | undefined {
  const subnets: string[] = networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  for (const id of subnets) {
    const spec = store.get('Subnet', id)?.spec as SubnetSpec | undefined;
    if (spec && (spec.AvailabilityZone ?? `${REGION}a`) === az) return id;
  }
  // Undeclared subnets: the i-th listed subnet is zone i (zonesOfSubnets).
  const i = az ? 'abcdef'.indexOf(az.slice(-1)) : -1;
  if (i >= 0 && i < subnets.length && !subnets.some((id) => store.get('Subnet', id))) return subnets[i];
  return subnets[0];
}
