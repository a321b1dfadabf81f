import { pickIndex } from './rng.js';

export interface PlaceFargateRequest {
  count: number;
  /** AZs of the task's subnets. */
  availabilityZones: string[];
  /** Tasks of the service (or group) already running per AZ. */
  existingPerAz: Record<string, number>;
  rng: () => number;
}

/**
 * Fargate spreads a service's tasks over the AZs of its subnets: each new task goes to the AZ with
 * the fewest tasks so far (existing + chosen in this call); ties are broken with the rng over the
 * AZs in name order. Returns one AZ per task ([] when there is no AZ).
 */
export function placeFargate(req: PlaceFargateRequest): string[] {
  const azs = [...new Set(req.availabilityZones)].sort();
  const out: string[] = [];
  if (azs.length === 0) return out;
  const counts = azs.map((az) => {
    const c = Object.prototype.hasOwnProperty.call(req.existingPerAz, az) ? req.existingPerAz[az] : 0;
    return Number.isFinite(c) ? c : 0;
  });
  const ties: number[] = [];
  const count = Math.max(0, Math.floor(req.count));
  for (let t = 0; t < count; t++) {
    let min = Infinity;
    ties.length = 0;
    for (let a = 0; a < azs.length; a++) {
      if (counts[a] < min) {
        min = counts[a];
        ties.length = 0;
      }
      if (counts[a] === min) ties.push(a);
    }
    const a = ties.length > 1 ? ties[pickIndex(req.rng, ties.length)] : ties[0];
    counts[a]++;
    out.push(azs[a]);
  }
  return out;
}
