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

type Key =
  | { kind: 'bucket'; of: Int32Array; counts: Int32Array }
  | { kind: 'instance' }
  | { kind: 'free'; resource: 'cpu' | 'memory' }
  | { kind: 'instanceFewest' }
  | { kind: 'instanceTotal' };

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

  // Candidate order by id, so that ties (and random picks) do not depend on the input order.
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => idCompare(candidates[a].id, candidates[b].id) || a - b);

  // Instances of the candidates, and tasks of the service per instance.
  const instIndex = new Map<InstanceView, number>();
  const instOf = new Int32Array(n);
  const instList: InstanceView[] = [];
  for (let k = 0; k < n; k++) {
    const inst = candidates[k].instance;
    let id = instIndex.get(inst);
    if (id === undefined) instIndex.set(inst, (id = instList.push(inst) - 1));
    instOf[k] = id;
  }
  const perInstance = new Int32Array(instList.length);
  for (let k = 0; k < n; k++) perInstance[instOf[k]]++;
  const totalPerInstance = Int32Array.from(instList, (inst) => inst.tasks.length);

  const bucketKey = (attribute: string): Key => {
    const ids = new Map<string | null | undefined, number>();
    const of = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const attrs = candidates[k].instance.attributes;
      const v = attributeValue(attrs, attribute);
      let id = ids.get(v);
      if (id === undefined) ids.set(v, (id = ids.size));
      of[k] = id;
    }
    const counts = new Int32Array(ids.size);
    for (let k = 0; k < n; k++) counts[of[k]]++;
    return { kind: 'bucket', of, counts };
  };

  const keys: Key[] = [];
  let randomTies = false;
  if (chain.length === 0) {
    keys.push(bucketKey(AZ_ATTRIBUTE), { kind: 'instance' }, { kind: 'instanceTotal' });
  } else {
    for (const st of chain) {
      if (st.kind === 'random') {
        randomTies = true;
        break;
      }
      if (st.kind === 'spreadAttribute') keys.push(bucketKey(st.attribute)), (randomTies = true);
      else if (st.kind === 'spreadInstance') keys.push({ kind: 'instance' }), (randomTies = true);
      else keys.push({ kind: 'free', resource: st.resource }, { kind: 'instanceFewest' });
    }
  }
  const nk = keys.length;
  /** Lower is a better victim. */
  const keyOf = (s: number, k: number): number => {
    const key = keys[s];
    switch (key.kind) {
      case 'bucket':
        return -key.counts[key.of[k]];
      case 'instance':
        return -perInstance[instOf[k]];
      case 'instanceFewest':
        return perInstance[instOf[k]];
      case 'instanceTotal':
        return -totalPerInstance[instOf[k]];
      case 'free': {
        const inst = candidates[k].instance;
        return -(key.resource === 'cpu' ? inst.remainingCpu : inst.remainingMemory);
      }
    }
  };

  // Tiers.
  const prefer = req.preferDeploymentIds ?? [];
  const preferRank = new Map<string, number>();
  prefer.forEach((d, r) => preferRank.has(d) || preferRank.set(d, r));
  const tier = new Int32Array(n);
  const alive = new Uint8Array(n);
  let removable = 0;
  for (let k = 0; k < n; k++) {
    const c = candidates[k];
    if (c.protected) continue;
    alive[k] = 1;
    removable++;
    const r = c.deploymentId !== undefined ? preferRank.get(c.deploymentId) : undefined;
    tier[k] = c.daemon ? prefer.length + 1 : r ?? prefer.length;
  }

  const victims: string[] = [];
  const best = new Float64Array(nk);
  const ties: number[] = [];
  while (victims.length < count && removable > 0) {
    let minTier = Infinity;
    for (let k = 0; k < n; k++) if (alive[k] && tier[k] < minTier) minTier = tier[k];
    ties.length = 0;
    for (let o = 0; o < n; o++) {
      const k = order[o];
      if (!alive[k] || tier[k] !== minTier) continue;
      if (ties.length === 0) {
        for (let s = 0; s < nk; s++) best[s] = keyOf(s, k);
        ties.push(k);
        continue;
      }
      let cmp = 0;
      let s = 0;
      let v = 0;
      for (; s < nk; s++) {
        v = keyOf(s, k);
        if (v !== best[s]) {
          cmp = v < best[s] ? -1 : 1;
          break;
        }
      }
      if (cmp < 0) {
        best[s] = v;
        for (let s2 = s + 1; s2 < nk; s2++) best[s2] = keyOf(s2, k);
        ties.length = 0;
        ties.push(k);
      } else if (cmp === 0) ties.push(k);
    }
    let victim = ties[0];
    if (ties.length > 1) {
      if (randomTies) victim = ties[pickIndex(rng, ties.length)];
      else {
        for (const k of ties) {
          const a = candidates[k].startedAt ?? Infinity;
          const b = candidates[victim].startedAt ?? Infinity;
          if (a > b) victim = k; // newest (or never started) first; ties keep id order
        }
      }
    }
    victims.push(candidates[victim].id);
    alive[victim] = 0;
    removable--;
    perInstance[instOf[victim]]--;
    totalPerInstance[instOf[victim]]--;
    for (const key of keys) if (key.kind === 'bucket') key.counts[key.of[victim]]--;
  }
  return victims;
}
