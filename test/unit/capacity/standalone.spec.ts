/** The provider a standalone task goes to (controllers/capacity/standalone.ts; not wired into the task loop yet). */
import 'reflect-metadata';
import { expect } from 'chai';
import { standaloneLaunch } from '../../../controllers/capacity/standalone.js';
import { ResourceStore } from '../../../store/store.js';

const task = (spec: Record<string, unknown>) => ({ apiVersion: 'v', kind: 'Task', metadata: { name: 't' }, spec: { cluster: 'c', taskDefinition: 'x', ...spec } }) as any;

describe('standalone task capacity provider', () => {
  const store = new ResourceStore();
  store.create({ apiVersion: 'v', kind: 'Cluster', metadata: { name: 'c' }, spec: { capacityProviders: ['FARGATE', 'FARGATE_SPOT', 'cp'], defaultCapacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] } });
  const cases: Array<[string, Record<string, unknown>, object]> = [
    ['launch type wins', { launchType: 'FARGATE' }, { launchType: 'FARGATE' }],
    ['the base provider first', { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }] }, { launchType: 'FARGATE', capacityProviderName: 'FARGATE' }],
    ['else the largest weight', { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }] }, { launchType: 'FARGATE', capacityProviderName: 'FARGATE_SPOT' }],
    ["the cluster's default strategy: an Auto Scaling group provider runs EC2 tasks", {}, { launchType: 'EC2', capacityProviderName: 'cp' }],
  ];
  for (const [name, spec, want] of cases) it(name, () => expect(standaloneLaunch(store, task(spec))).to.deep.equal(want));
});
