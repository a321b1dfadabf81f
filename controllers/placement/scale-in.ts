/**
 * Scale-in victim selection (ecs-semantics §5 "Scale-in victims"), one victim at a time with
 * counts updated after each choice:
 *
 * 1. Protected tasks are never chosen (they still count for the balance).
 * 2. Tiers: tasks of `preferDeploymentIds` first (in the order of that list), then other
 *    non-daemon tasks, daemon tasks last.
 * 3. Within the tier, the strategy chain ranks candidates (best victim first):
 *    - spread attribute:<x>: the bucket (e.g. AZ) with the most tasks of the service;
 *    - spread instanceId/host: the instance with the most tasks of the service;
 *    - binpack cpu|memory: the instance with the most free cpu|memory (the least utilised), then
 *      the one with fewer tasks of the service (closest to empty);
 *    - random: uniformly among what is left.
 *    With no strategy: the AZ with the most tasks of the service, then the busiest instance (most
 *    tasks of the service, then most tasks overall).
 * 4. Remaining ties: random (via rng) when the chain has spread or random ("random within an
 *    AZ"); otherwise deterministic: never-started tasks first, then the newest, then by id.
 */
import { attributeValue } from './cql.js';
import { pickIndex } from './rng.js';
import { AZ_ATTRIBUTE, compileStrategies, type CompiledStrategy } from './strategy.js';
import type { InstanceView, PlacedTaskView, PlacementStrategy } from './types.js';

export type ScaleInCandidate = PlacedTaskView & { instance: InstanceView };

export interface SelectTasksToStopRequest {
  candidates: ScaleInCandidate[];
  count: number;
  strategy: PlacementStrategy[];
  rng: () => number;
  /** Deployments whose tasks go first (e.g. old deployments), highest priority first. */
  preferDeploymentIds?: string[];
}

/**
 * A ranking key: value(k) = sign * values[index[k]], lower is a better victim.
 * Instance- and bucket-level keys index through instOf / bucket ids so that removing a victim only
 * updates one counter.
 */
interface Key {
  values: Float64Array;
  index: Int32Array;
  sign: 1 | -1;
}

function idCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ids of the tasks to stop, in the order chosen. Fewer than `count` when not enough are removable. */
export function selectTasksToStop(req: SelectTasksToStopRequest): string[] {
  const { candidates, rng } = req;
  const chain: CompiledStrategy[] = compileStrategies(req.strategy ?? []);
  const n = candidates.length;
  const count = Math.max(0, Math.floor(req.count));
  if (count === 0 || n === 0) return [];

  // Instances of the candidates; tasks of the service and tasks overall per instance.
  const instIndex = new Map<InstanceView, number>();
  const instOf = new Int32Array(n);
  const instList: InstanceView[] = [];
  for (let k = 0; k < n; k++) {
    const inst = candidates[k].instance;
    let id = instIndex.get(inst);
    if (id === undefined) instIndex.set(inst, (id = instList.push(inst) - 1));
    instOf[k] = id;
  }
  const perInstance = new Float64Array(instList.length);
  for (let k = 0; k < n; k++) perInstance[instOf[k]]++;
  const totalPerInstance = Float64Array.from(instList, (inst) => inst.tasks.length);
  const self = Int32Array.from({ length: n }, (_, k) => k);

  const buckets: Array<{ of: Int32Array; counts: Float64Array }> = [];
  const bucketKey = (attribute: string): Key => {
    const ids = new Map<string | null | undefined, number>();
    const of = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const v = attributeValue(candidates[k].instance.attributes, attribute);
      let id = ids.get(v);
      if (id === undefined) ids.set(v, (id = ids.size));
      of[k] = id;
    }
    const counts = new Float64Array(ids.size);
    for (let k = 0; k < n; k++) counts[of[k]]++;
    buckets.push({ of, counts });
    return { values: counts, index: of, sign: -1 };
  };
  const mostOfService: Key = { values: perInstance, index: instOf, sign: -1 };
  const free = (resource: 'cpu' | 'memory'): Key => ({
    values: Float64Array.from(candidates, (c) => (resource === 'cpu' ? c.instance.remainingCpu : c.instance.remainingMemory)),
    index: self,
    sign: -1,
  });

  const keys: Key[] = [];
  let randomTies = false;
  if (chain.length === 0) {
    keys.push(bucketKey(AZ_ATTRIBUTE), mostOfService, { values: totalPerInstance, index: instOf, sign: -1 });
  } else {
    for (const st of chain) {
      if (st.kind === 'random') {
        randomTies = true;
        break;
      }
      if (st.kind === 'spreadAttribute') keys.push(bucketKey(st.attribute)), (randomTies = true);
      else if (st.kind === 'spreadInstance') keys.push(mostOfService), (randomTies = true);
      else keys.push(free(st.resource), { values: perInstance, index: instOf, sign: 1 });
    }
  }
  const nk = keys.length;

  // Tiers: preferred deployments (in list order), then the rest, daemon tasks last.
  const prefer = req.preferDeploymentIds ?? [];
  const preferRank = new Map<string, number>();
  prefer.forEach((d, r) => preferRank.has(d) || preferRank.set(d, r));
  const tier = new Int32Array(n);
  const started = new Float64Array(n);
  const alive: number[] = [];
  for (let k = 0; k < n; k++) {
    const c = candidates[k];
    started[k] = c.startedAt ?? Infinity;
    if (c.protected) continue;
    const r = c.deploymentId !== undefined ? preferRank.get(c.deploymentId) : undefined;
    tier[k] = c.daemon ? prefer.length + 1 : (r ?? prefer.length);
    alive.push(k);
  }
  // Removable candidates by (tier, id): the best tier is always a prefix; ties stay in id order,
  // so the outcome does not depend on the input order.
  alive.sort((a, b) => tier[a] - tier[b] || idCompare(candidates[a].id, candidates[b].id) || a - b);
  const order = Int32Array.from(alive);
  let m = order.length;
  const buf = new Int32Array(m);

  const victims: string[] = [];
  while (victims.length < count && m > 0) {
    const t0 = tier[order[0]];
    let end = 1;
    while (end < m && tier[order[end]] === t0) end++;
    // One pass per key over the remaining ties (positions in `order`).
    let w = end;
    for (let s = 0; s < nk; s++) {
      const { values, index, sign } = keys[s];
      const len = w;
      w = 0;
      let min = Infinity;
      for (let c = 0; c < len; c++) {
        const pos = s === 0 ? c : buf[c];
        const k = order[pos];
        const v = sign * values[index[k]];
        if (v < min) (min = v), (w = 0), (buf[w++] = pos);
        else if (v === min) buf[w++] = pos;
      }
      if (w === 1) break;
    }
    let pos: number;
    if (w === 1) pos = nk > 0 ? buf[0] : 0;
    else if (randomTies) {
      const r = pickIndex(rng, w);
      pos = nk > 0 ? buf[r] : r;
    } else {
      // Deterministic: never-started tasks first, then the newest; id order on equal times.
      pos = nk > 0 ? buf[0] : 0;
      for (let c = 1; c < w; c++) {
        const p = nk > 0 ? buf[c] : c;
        if (started[order[p]] > started[order[pos]]) pos = p;
      }
    }
    const victim = order[pos];
    order.copyWithin(pos, pos + 1, m);
    m--;
    victims.push(candidates[victim].id);
    perInstance[instOf[victim]]--;
    totalPerInstance[instOf[victim]]--;
    for (const b of buckets) b.counts[b.of[victim]]--;
  }
  return victims;
}
