/** CreateCapacityProvider, DescribeCapacityProviders, UpdateCapacityProvider, DeleteCapacityProvider (FARGATE and FARGATE_SPOT are built in). */
import type { Resource } from '../../../api/meta.js';
import type { App } from '../../register.js';
import { AwsError } from '../errors.js';
import type { JsonOperation } from '../router.js';
import { applyOne, reapply } from './apply.js';
import { arn, byName, includesTags, lastSegment, missing, paginate, resource, without } from './common.js';

const BUILTIN = ['FARGATE', 'FARGATE_SPOT'];

export function capacityProviderView(cp: Resource, include?: unknown): Record<string, unknown> {
  return {
    ...cp.spec,
    ...(cp.status ?? {}),
    capacityProviderArn: arn.capacityProvider(cp.metadata.name),
    name: cp.metadata.name,
    status: cp.metadata.deletionTimestamp ? 'INACTIVE' : 'ACTIVE',
    tags: includesTags(include) ? (cp.spec.tags ?? []) : undefined,
  };
}

function builtinView(name: string): Record<string, unknown> {
  return { capacityProviderArn: arn.capacityProvider(name), name, status: 'ACTIVE', tags: [] };
}

function providerOf(app: App, ref: unknown): Resource {
  const cp = typeof ref === 'string' ? app.store.get('CapacityProvider', lastSegment(ref)) : undefined;
  if (!cp) throw new AwsError('InvalidParameterException', 'The specified capacity provider does not exist.');
  return cp;
}

export const capacityProviderOperations: Record<string, JsonOperation> = {
  async CreateCapacityProvider({ app }, input) {
    if (BUILTIN.includes(input.name) || /^(aws|ecs|fargate)/i.test(input.name)) {
      throw new AwsError('InvalidParameterException', 'The specified capacity provider name is invalid: it cannot start with "aws", "ecs" or "fargate".');
    }
    if (app.store.get('CapacityProvider', input.name)) throw new AwsError('ClientException', `The specified capacity provider '${input.name}' already exists.`);
    const created = await applyOne(app, resource('CapacityProvider', input.name, without(input)));
    return { capacityProvider: capacityProviderView(created, ['TAGS']) };
  },

  DescribeCapacityProviders({ app }, input) {
    const capacityProviders: unknown[] = [];
    const failures: unknown[] = [];
    if (input.capacityProviders?.length) {
      for (const ref of input.capacityProviders as string[]) {
        const name = lastSegment(ref);
        const cp = app.store.get('CapacityProvider', name);
        if (cp) capacityProviders.push(capacityProviderView(cp, input.include));
        else if (BUILTIN.includes(name)) capacityProviders.push(builtinView(name));
        else failures.push(missing(ref, arn.capacityProvider(name)));
      }
      return { capacityProviders, failures };
    }
    const all = [...BUILTIN.map(builtinView), ...app.store.list('CapacityProvider').sort(byName).map((cp) => capacityProviderView(cp, input.include))];
    const page = paginate(all, input, 'DescribeCapacityProviders', 10);
    return { capacityProviders: page.items, failures, nextToken: page.nextToken };
  },

  async UpdateCapacityProvider({ app }, input) {
    const cp = providerOf(app, input.name);
    const spec = { ...cp.spec, autoScalingGroupProvider: { ...cp.spec.autoScalingGroupProvider, ...input.autoScalingGroupProvider } };
    const updated = await reapply(app, cp, spec);
    return { capacityProvider: capacityProviderView(updated) };
  },

  async DeleteCapacityProvider({ app }, input) {
    const cp = providerOf(app, input.capacityProvider);
    await app.api.deleteAndPersist('CapacityProvider', cp.metadata.name);
    return { capacityProvider: { ...capacityProviderView(cp), status: 'INACTIVE', updateStatus: 'DELETE_IN_PROGRESS' } };
  },
};
