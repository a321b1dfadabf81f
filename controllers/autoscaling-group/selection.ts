/**
 * Where an Auto Scaling group launches and which instances it terminates: EC2 Auto Scaling's default
 * behaviour, AZ balance first (launch into the AZ with the fewest instances; terminate from the AZ with
 * the most), then the oldest instance. Protected instances are never chosen. Pure.
 */
import type { AsgInstance } from './types.js';

const byId = (a: AsgInstance, b: AsgInstance) => (a.InstanceId < b.InstanceId ? -1 : a.InstanceId > b.InstanceId ? 1 : 0);

function countByAz(zones: readonly string[], active: readonly AsgInstance[]): Map<string, number> {
  const n = new Map(zones.map((z) => [z, 0]));
  for (const i of active) n.set(i.AvailabilityZone, (n.get(i.AvailabilityZone) ?? 0) + 1);
  return n;
}

/** AZs for `count` new instances, given the active ones: each goes to the least-used AZ (spec order breaks ties). */
export function launchZones(zones: readonly string[], active: readonly AsgInstance[], count: number): string[] {
  if (zones.length === 0) return [];
  const n = countByAz(zones, active);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let best = zones[0];
    for (const z of zones) if ((n.get(z) ?? 0) < (n.get(best) ?? 0)) best = z;
    n.set(best, (n.get(best) ?? 0) + 1);
    out.push(best);
  }
  return out;
}

/**
 * Up to `count` instances to terminate from `active`: unprotected only; each pick comes from the AZ with
 * the most active instances (spec order breaks ties), oldest launch first within it (then by id).
 */
export function terminationVictims(zones: readonly string[], active: readonly AsgInstance[], count: number): AsgInstance[] {
  const n = countByAz(zones, active);
  const candidates = active.filter((i) => !i.ProtectedFromScaleIn);
  const order = [...zones, ...[...n.keys()].filter((z) => !zones.includes(z))];
  const out: AsgInstance[] = [];
  while (out.length < count && candidates.length > 0) {
    const azs = order.filter((z) => candidates.some((c) => c.AvailabilityZone === z));
    const az = azs.reduce((best, z) => ((n.get(z) ?? 0) > (n.get(best) ?? 0) ? z : best), azs[0]);
    const inAz = candidates
      .filter((c) => c.AvailabilityZone === az)
      .sort((a, b) => Date.parse(a.LaunchTime) - Date.parse(b.LaunchTime) || byId(a, b));
    const victim = inAz[0];
    out.push(victim);
    candidates.splice(candidates.indexOf(victim), 1);
    n.set(az, (n.get(az) ?? 1) - 1);
  }
  return out;
}
