/**
 * A rolling update driven only through the AWS API (RegisterTaskDefinition + UpdateService to the
 * new revision) gives the same deployments[] and events[] as the same update in `simulate`, both on
 * a virtual clock from the same start. Both sides are read with DescribeServices, so they go through
 * the same renderer; ids (tasks, deployments, events) differ between runs and are numbered in order
 * of appearance (task ids, listed in id order in event messages, are blanked) before comparing.
 */
import 'reflect-metadata';
import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import type { Resource } from '../../../api/meta.js';
import { Simulation, SIMULATION_START } from '../../../controllers/simulation/runner.js';
import { startAwsServer } from '../../../controllers/aws/server.js';
import { startTestApi, T0, type TestApi } from '../aws/harness.js';

const MIN = 60_000;
const UPDATE_AT = 2 * MIN;
const UNTIL = 10 * MIN;

const taskDefinition = (image: string) => ({
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: 80, protocol: 'tcp' }] }],
});
const createService = {
  cluster: 'prod',
  serviceName: 'web',
  taskDefinition: 'web:1',
  desiredCount: 4,
  launchType: 'FARGATE',
  deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], assignPublicIp: 'DISABLED' } },
};

const doc = (kind: string, name: string, spec: unknown): Resource => ({ apiVersion: 'ecsplane.io/v1alpha1', kind, metadata: { name }, spec }) as Resource;

/** deployments[] and events[] of prod/web, with ids numbered by first appearance. */
function normalised(service: E.Service): unknown {
  const ids = new Map<string, string>();
  // Task ids are random on one side and sequential on the other, so a message lists them in a different order.
  const text = JSON.stringify({ deployments: service.deployments, events: service.events }).replace(/\(task [0-9a-f]{32}\)/g, '(task …)').replace(
    /ecs-svc\/\d+|[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    (id) => ids.get(id) ?? (ids.set(id, `<id${ids.size + 1}>`), `<id${ids.size}>`),
  );
  return JSON.parse(text);
}

async function describeWeb(ecs: E.ECSClient): Promise<E.Service> {
  const out = await ecs.send(new E.DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
  return out.services![0];
}

describe('AWS API ↔ simulate: a rolling update through UpdateService matches the simulated one', () => {
  let api: TestApi | undefined;
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });

  it('same deployments[] and events[] at every minute of the update', async () => {
    expect(T0).to.equal(SIMULATION_START);
    // simulate: the update is a Scenario step applying the new revision and the re-pointed service.
    const sim = new Simulation(
      [
        doc('Cluster', 'prod', { clusterName: 'prod' }),
        doc('TaskDefinition', 'web', taskDefinition('nginx:1.26')),
        doc('Service', 'web', createService),
        doc('Scenario', 'rolling', {
          until: '10m',
          steps: [{ at: '2m', apply: [doc('TaskDefinition', 'web', taskDefinition('nginx:1.27')), doc('Service', 'web', { ...createService, taskDefinition: 'web:2' })] }],
        }),
      ],
      { seed: 1 },
    );
    sim.start();
    const simServer = await startAwsServer(sim.app, { port: 0 });
    const simEcs = new E.ECSClient({ endpoint: simServer.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

    // The API: the same inputs, as an ECS user sends them.
    api = await startTestApi();
    await api.ecs.send(new E.CreateClusterCommand({ clusterName: 'prod' }));
    await api.ecs.send(new E.RegisterTaskDefinitionCommand(taskDefinition('nginx:1.26') as E.RegisterTaskDefinitionCommandInput));
    await api.ecs.send(new E.CreateServiceCommand(createService as E.CreateServiceCommandInput));
    try {
      let updated = false;
      let mostDeployments = 0;
      for (let t = MIN; t <= UNTIL; t += MIN) {
        api.advance(t - (api.clock.now() - T0));
        sim.runUntil(t);
        if (t === UPDATE_AT && !updated) {
          updated = true;
          await api.ecs.send(new E.RegisterTaskDefinitionCommand(taskDefinition('nginx:1.27') as E.RegisterTaskDefinitionCommandInput));
          await api.ecs.send(new E.UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
        }
        const [viaApi, viaSim] = [await describeWeb(api.ecs), await describeWeb(simEcs)];
        expect(normalised(viaApi), `at ${t / MIN}m`).to.deep.equal(normalised(viaSim));
        mostDeployments = Math.max(mostDeployments, viaApi.deployments!.length);
      }
      expect(mostDeployments, 'the update ran as two deployments side by side').to.equal(2);
      const final = await describeWeb(api.ecs);
      expect(final.deployments!.map((d) => [d.status, d.taskDefinition?.split('/').pop(), d.runningCount, d.rolloutState])).to.deep.equal([['PRIMARY', 'web:2', 4, 'COMPLETED']]);
      expect(final.events!.map((e) => e.message).join('\n')).to.include('has reached a steady state');
    } finally {
      simEcs.destroy();
      await simServer.close();
    }
  });
});
