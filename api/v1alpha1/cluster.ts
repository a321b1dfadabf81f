/** Cluster (CreateCluster input) rules beyond the schema, and defaults. */
import { EcsError, ErrorType, capValue } from '../errors.js';
import {
  ECS_NAME,
  ECS_NAME_MESSAGE,
  Issues,
  arr,
  checkName,
  checkQuota,
  checkStrategy,
  clone,
  nonEmpty,
  obj,
  strategyWithDefaults,
  type NameRule,
} from './common.js';
import type { ClusterSpec } from './types.js';

export const CLUSTER_NAME: NameRule = { pattern: ECS_NAME, message: ECS_NAME_MESSAGE, nameField: 'clusterName' };

export function validateCluster(o: any): EcsError[] {
  const issues = new Issues(ErrorType.InvalidParameter);
  checkName(o, CLUSTER_NAME, issues);
  const spec = obj(o?.spec);
  const providers = new Set<string>();
  arr(spec.capacityProviders).forEach((p, i) => {
    const f = `spec.capacityProviders[${i}]`;
    if (!nonEmpty(p) || !ECS_NAME.test(p)) return issues.add(f, `Invalid capacity provider name '${capValue(p)}'. ${ECS_NAME_MESSAGE}`);
    if (providers.has(p)) issues.add(f, `Duplicate capacity provider '${capValue(p)}'.`);
    providers.add(p);
  });
  const strategy = 'spec.defaultCapacityProviderStrategy';
  checkQuota(issues, 'capacityProvidersPerCluster', 'capacityProviders count', arr(spec.capacityProviders).length, 'spec.capacityProviders');
  checkStrategy(spec.defaultCapacityProviderStrategy, strategy, issues);
  // A default strategy may only use providers associated with the cluster (ecs-semantics §1 CapacityProvider).
  arr(spec.defaultCapacityProviderStrategy).forEach((item, i) => {
    const p = obj(item).capacityProvider;
    if (nonEmpty(p) && !providers.has(p)) {
      issues.add(
        `${strategy}[${i}].capacityProvider`,
        'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
      );
    }
  });
  arr(spec.settings).forEach((s, i) => {
    const { name, value } = obj(s);
    if (name === 'containerInsights' && !['enabled', 'disabled', 'enhanced'].includes(value)) {
      issues.add(`spec.settings[${i}].value`, 'containerInsights must be enabled, disabled or enhanced.');
    }
  });
  return issues.list;
}

/** The defaulted view (pure): clusterName, empty provider lists, containerInsights disabled. */
export function clusterWithDefaults(spec: ClusterSpec, meta?: { name?: string }): ClusterSpec {
  const s = clone(spec) ?? ({} as ClusterSpec);
  if (s.clusterName === undefined && meta?.name) s.clusterName = meta.name;
  s.capacityProviders ??= [];
  s.defaultCapacityProviderStrategy = strategyWithDefaults(s.defaultCapacityProviderStrategy) ?? [];
  s.settings ??= [{ name: 'containerInsights', value: 'disabled' }];
  return s;
}
