/**
 * Capacity provider strategies and associations as ECS reports their errors (ecs-semantics §1
 * CapacityProvider, "Strategy base/weight", §2): validation (api/) and admission (store/admission.ts)
 * seen through ApiServer.apply/delete, plus the base/weight split the service scheduler uses.
 */
import 'reflect-metadata';
import { expect } from 'chai';
import type { EcsError } from '../../../api/errors.js';
import type { Resource } from '../../../api/meta.js';
import { createApp, type App } from '../../../controllers/register.js';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { launchTargetFor } from '../../../controllers/service/targets.js';

const V = 'ecsplane.io/v1alpha1';
const doc = (kind: string, name: string, spec: unknown, annotations?: Record<string, string>): Resource => ({
  apiVersion: V,
  kind,
  metadata: { name, ...(annotations ? { annotations } : {}) },
  spec,
});
const asg = (name: string) => doc('AutoScalingGroup', name, { MinSize: 0, MaxSize: 4, AvailabilityZones: ['us-east-1a'] });
const cp = (name: string, asgName: string) => doc('CapacityProvider', name, { autoScalingGroupProvider: { autoScalingGroupArn: asgName } });
const td = doc('TaskDefinition', 'web', {
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'web', image: 'nginx' }],
});
const svc = (name: string, strategy: unknown, extra: Record<string, unknown> = {}) =>
  doc('Service', name, {
    cluster: 'prod',
    taskDefinition: 'web',
    desiredCount: 0,
    networkConfiguration: { awsvpcConfiguration: { subnets: ['s-1'] } },
    ...(strategy ? { capacityProviderStrategy: strategy } : {}),
    ...extra,
  });

function fails(fn: () => unknown): EcsError {
  try {
    fn();
  } catch (err) {
    return err as EcsError;
  }
  throw new Error('expected an error');
}

describe('capacity provider strategies and associations (validation + admission)', () => {
  let app: App;
  beforeEach(() => {
    app = createApp({ clock: new VirtualClock(Date.UTC(2026, 0, 1)) });
    app.api.applyAll([asg('asg-a'), cp('cp-a', 'asg-a'), asg('asg-b'), cp('cp-b', 'asg-b'), td]);
    app.api.apply(doc('Cluster', 'prod', { capacityProviders: ['FARGATE', 'FARGATE_SPOT', 'cp-a'] }));
  });

  describe('strategy validation', () => {
    const cases: Array<[string, unknown, string, RegExp]> = [
      ['only one item may set a base', [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', base: 2, weight: 1 }], 'InvalidParameterException', /Only one capacity provider in a capacity provider strategy can have a base defined/],
      ['all weights 0', [{ capacityProvider: 'FARGATE', base: 2 }, { capacityProvider: 'FARGATE_SPOT', weight: 0 }], 'InvalidParameterException', /must have a weight greater than 0/],
      ['Fargate and Auto Scaling group providers mixed', [{ capacityProvider: 'FARGATE', weight: 1 }, { capacityProvider: 'cp-a', weight: 1 }], 'InvalidParameterException', /cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers/],
      ['the same provider twice', [{ capacityProvider: 'FARGATE', weight: 1 }, { capacityProvider: 'FARGATE', weight: 2 }], 'InvalidParameterException', /Duplicate capacity provider/],
    ];
    for (const [name, strategy, type, message] of cases) {
      it(`${name} ⇒ ${type}`, () => {
        const err = fails(() => app.api.apply(svc('web', strategy)));
        expect(err.type).to.equal(type);
        expect(err.message).to.match(message);
        expect(app.store.get('Service', 'prod/web')).to.equal(undefined);
      });
    }

    it('launchType and capacityProviderStrategy are mutually exclusive', () => {
      const err = fails(() => app.api.apply(svc('web', [{ capacityProvider: 'FARGATE', weight: 1 }], { launchType: 'FARGATE' })));
      expect(err.message).to.match(/Specifying both a launch type and capacity provider strategy is not supported/);
    });

    it('a provider name cannot start with aws, ecs or fargate', () => {
      for (const name of ['fargate-x', 'ecs-x', 'aws-x']) expect(fails(() => app.api.apply(cp(name, 'asg-a'))).type).to.equal('InvalidParameterException');
    });
  });

  describe('association (admission)', () => {
    it('a service strategy may only use providers associated with its cluster', () => {
      const err = fails(() => app.api.apply(svc('web', [{ capacityProvider: 'cp-b', weight: 1 }])));
      expect(err.type).to.equal('InvalidParameterException');
      expect(err.message).to.match(/cannot contain a capacity provider that is not associated with the cluster/);
    });

    it("a cluster's default strategy may only use its own providers", () => {
      const err = fails(() => app.api.apply(doc('Cluster', 'prod', { capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] })));
      expect(err.type).to.equal('InvalidParameterException');
      expect(err.message).to.match(/not associated with the cluster/);
    });

    it('FARGATE and FARGATE_SPOT are built in: associated without CapacityProvider objects', () => {
      expect(app.store.get('CapacityProvider', 'FARGATE')).to.equal(undefined);
      expect(app.api.apply(svc('web', [{ capacityProvider: 'FARGATE', base: 2, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }])).action).to.equal('created');
    });

    it('an unknown provider cannot be associated', () => {
      const err = fails(() => app.api.apply(doc('Cluster', 'prod', { capacityProviders: ['nope'] })));
      expect(err.message).to.match(/The specified capacity provider 'nope' does not exist/);
    });

    it('a provider belongs to one cluster', () => {
      const err = fails(() => app.api.apply(doc('Cluster', 'other', { capacityProviders: ['cp-a'] })));
      expect(err.message).to.match(/already associated with cluster 'prod'/);
    });

    it('a provider must name an existing Auto Scaling group', () => {
      const err = fails(() => app.api.apply(cp('cp-c', 'missing')));
      expect(err.type).to.equal('ClientException');
      expect(err.message).to.match(/Auto Scaling group 'missing' does not exist/);
    });

    it('removing a provider a service uses ⇒ ResourceInUseException (PutClusterCapacityProviders)', () => {
      app.api.apply(svc('web', [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]));
      const err = fails(() => app.api.apply(doc('Cluster', 'prod', { capacityProviders: ['FARGATE', 'cp-a'] })));
      expect(err.type).to.equal('ResourceInUseException');
      expect(err.message).to.match(/FARGATE_SPOT is in use/);
      expect(app.store.get('Cluster', 'prod')!.spec.capacityProviders).to.include('FARGATE_SPOT');
      // An unused provider can go.
      expect(app.api.apply(doc('Cluster', 'prod', { capacityProviders: ['FARGATE', 'FARGATE_SPOT'] })).action).to.equal('configured');
    });

    it('deleting a provider still associated ⇒ ResourceInUseException (DeleteCapacityProvider)', () => {
      const err = fails(() => app.api.delete('CapacityProvider', 'cp-a'));
      expect(err.type).to.equal('ResourceInUseException');
      app.api.apply(doc('Cluster', 'prod', { capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }));
      expect(app.api.delete('CapacityProvider', 'cp-a').metadata.name).to.equal('cp-a');
    });
  });

  describe('base/weight split of a service (targets.ts launchTargetFor)', () => {
    const split = (strategy: any[], count: number) => {
      const target = launchTargetFor(app.store, 'prod', { taskDefinition: 'web', capacityProviderStrategy: strategy } as any);
      return Object.fromEntries(target.split(count, app.store, 'prod/none').map((p) => [p.capacityProviderName, [p.count, p.launchType, p.waitForCapacity]]));
    };
    const worked = [{ capacityProvider: 'FARGATE', base: 2, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }];
    it('FARGATE base 2 weight 1 + FARGATE_SPOT weight 3, desired 10 ⇒ 4 and 6', () => {
      expect(split(worked, 10)).to.deep.equal({ FARGATE: [4, 'FARGATE', false], FARGATE_SPOT: [6, 'FARGATE', false] });
    });
    it('desired 1 ⇒ FARGATE 1 (the base first)', () => expect(split(worked, 1)).to.deep.equal({ FARGATE: [1, 'FARGATE', false] }));
    it('a weight-0 provider gets only its base', () => {
      expect(split([{ capacityProvider: 'FARGATE', base: 2, weight: 0 }, { capacityProvider: 'FARGATE_SPOT', weight: 1 }], 5)).to.deep.equal({ FARGATE: [2, 'FARGATE', false], FARGATE_SPOT: [3, 'FARGATE', false] });
    });
    it('Auto Scaling group providers launch EC2 tasks that wait for capacity', () => {
      expect(split([{ capacityProvider: 'cp-a', weight: 1 }], 3)).to.deep.equal({ 'cp-a': [3, 'EC2', true] });
    });
    it("the cluster's default strategy applies when the service has neither launch type nor strategy", () => {
      app.api.apply(doc('Cluster', 'prod', { capacityProviders: ['FARGATE', 'FARGATE_SPOT', 'cp-a'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }));
      const target = launchTargetFor(app.store, 'prod', { taskDefinition: 'web' } as any);
      expect(target.capacityProviderStrategy).to.deep.equal([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    });
  });
});
