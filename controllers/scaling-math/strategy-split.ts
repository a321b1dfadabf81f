/**
 * Capacity provider strategy arithmetic (ecs-semantics §1 "Strategy base/weight"). Pure; no validation
 * beyond what is needed to compute (validateStrategy lives with the API validators).
 *
 * Rule (docs/scaling.md "Strategy split"): the `base` is filled first; after that each next task goes to
 * the provider (weight > 0) furthest below its weighted share of the tasks beyond the bases; ties go to
 * the provider listed first in the strategy.
 */
import { EcsError, ErrorType } from '../../api/errors.js';

export interface StrategyItem {
  capacityProvider: string;
  base?: number;
  weight?: number;
}

interface Slot {
  name: string;
  base: number;
  weight: number;
  count: number;
}

function slots(strategy: readonly StrategyItem[], existing: Readonly<Record<string, number>>): Slot[] {
  if (strategy.length === 0) {
    throw new EcsError(ErrorType.InvalidParameter, 'The capacity provider strategy is empty.', 'capacityProviderStrategy');
  }
  const seen = new Map<string, Slot>();
  const out: Slot[] = [];
  for (const item of strategy) {
    const prior = seen.get(item.capacityProvider);
    if (prior) {
      // Duplicates are a validation error elsewhere; here they merge (max base, summed weight).
      prior.base = Math.max(prior.base, item.base ?? 0);
      prior.weight += item.weight ?? 0;
      continue;
    }
    const slot: Slot = {
      name: item.capacityProvider,
      base: item.base ?? 0,
      weight: item.weight ?? 0,
      count: Math.max(0, existing[item.capacityProvider] ?? 0),
    };
    seen.set(slot.name, slot);
    out.push(slot);
  }
  return out;
}

/** Index of the slot the next task goes to. */
function pick(s: readonly Slot[]): number {
  // 1. Bases first, in strategy order.
  for (let i = 0; i < s.length; i++) if (s[i].count < s[i].base) return i;

  // 2. Weighted share of the tasks beyond the bases, counting the task being placed.
  let totalWeight = 0;
  let beyond = 1;
  for (const x of s) {
    totalWeight += x.weight;
    beyond += Math.max(0, x.count - x.base);
  }
  if (totalWeight <= 0) {
    throw new EcsError(
      ErrorType.InvalidParameter,
      'The capacity provider strategy has no capacity provider with a weight greater than 0 beyond its base.',
      'capacityProviderStrategy',
    );
  }
  // deficit_i = beyond × w_i / W − c_i, compared as beyond × w_i − c_i × W (exact integers).
  let best = -1;
  let bestDeficit = -Infinity;
  for (let i = 0; i < s.length; i++) {
    if (s[i].weight <= 0) continue;
    const deficit = beyond * s[i].weight - Math.max(0, s[i].count - s[i].base) * totalWeight;
    if (deficit > bestDeficit) {
      best = i;
      bestDeficit = deficit;
    }
  }
  return best;
}

/**
 * The provider the next task goes to, given the tasks already on each provider (`existing`, keyed by
 * provider name; providers absent from the strategy are ignored).
 * Throws EcsError(InvalidParameterException) when the strategy is empty or, once every base is filled, no
 * provider has a weight > 0.
 */
export function nextProvider(strategy: readonly StrategyItem[], existing: Readonly<Record<string, number>>): string {
  const s = slots(strategy, existing);
  return s[pick(s)].name;
}

/**
 * How `count` new tasks split across the strategy's providers, given the tasks already on each provider.
 * Returns the number of NEW tasks per provider (every strategy provider is a key, possibly 0).
 *
 * Example: [FARGATE base 2 weight 1, FARGATE_SPOT weight 3], existing {}, count 10 ⇒
 * {FARGATE: 4, FARGATE_SPOT: 6}; count 1 ⇒ {FARGATE: 1, FARGATE_SPOT: 0}.
 */
export function splitByStrategy(
  strategy: readonly StrategyItem[],
  existing: Readonly<Record<string, number>>,
  count: number,
): Record<string, number> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const s = slots(strategy, existing);
  const added: Record<string, number> = {};
  for (const x of s) added[x.name] = 0;
  for (let n = 0; n < count; n++) {
    const i = pick(s);
    s[i].count++;
    added[s[i].name]++;
  }
  return added;
}
