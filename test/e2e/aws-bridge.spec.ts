/**
 * The AWS API and the Kubernetes bridge are two front ends onto one store (e2e, real kube-apiserver):
 * a service created with @aws-sdk/client-ecs appears as a custom resource, and a Service custom
 * resource applied with kubectl is what DescribeServices returns.
 *
 *   make test-e2e      (starts the test apiserver, runs this with REQUIRE_APISERVER=1)
 */
import { join } from 'node:path';
import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import { EcsplaneProcess, findApiserver, freePort, Kubectl, ROOT, waitFor, prepareApiserver } from './helpers.js';

const REQUIRE = process.env.REQUIRE_APISERVER === '1';
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(ROOT, '.tmp', 'e2e-aws-bridge');
const SVC = 'service.ecsplane.io';

const fargateTaskDefinition = (family: string) => ({
  family,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1.27', essential: true }],
});
const networkConfiguration = { awsvpcConfiguration: { subnets: ['subnet-a'], assignPublicIp: 'DISABLED' } };

describe('AWS API ↔ Kubernetes bridge (e2e, real kube-apiserver)', function () {
  this.timeout(180_000);
  this.slow(30_000);

  let k: Kubectl;
  let ecsplane: EcsplaneProcess;
  let ecs: E.ECSClient;
  const namespace = `e2e-aws-${Date.now().toString(36)}`;

  before(async function () {
    const prepared = await prepareApiserver(this, namespace);
    k = prepared.k;
    const apiPort = await freePort();
    ecsplane = new EcsplaneProcess(prepared.kubeconfig, namespace, await freePort(), ARTIFACTS);
    ecsplane.start({}, ['--api-addr', `127.0.0.1:${apiPort}`]);
    await ecsplane.waitReady();
    ecs = new E.ECSClient({ endpoint: `http://127.0.0.1:${apiPort}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });

  after(async function () {
    ecs?.destroy();
    if (!ecsplane) return;
    const code = await ecsplane.stop();
    process.stdout.write(`      (ecsplane exited ${code}; log: ${ecsplane.logFile})\n`);
    await k.run(['delete', 'namespace', namespace, '--wait=false'], { namespaced: false, allowFail: true });
  });

  it('a cluster, task definition and service created through the AWS API appear as custom resources', async () => {
    const input = { cluster: 'from-api', serviceName: 'api-web', taskDefinition: 'api-web', desiredCount: 1, launchType: 'FARGATE', networkConfiguration } as const;
    await ecs.send(new E.CreateClusterCommand({ clusterName: 'from-api' }));
    await ecs.send(new E.RegisterTaskDefinitionCommand(fargateTaskDefinition('api-web') as E.RegisterTaskDefinitionCommandInput));
    await ecs.send(new E.CreateServiceCommand(input as E.CreateServiceCommandInput));

    const svc = await waitFor('service.ecsplane.io/api-web with a RUNNING task in status', async () => {
      const cr = await k.get(SVC, 'api-web');
      return cr?.status?.runningCount === 1 ? cr : undefined;
    });
    // spec is the CreateService request as sent (minus nothing: the SDK sends exactly these members).
    expect(svc.spec).to.deep.equal(input);
    expect(svc.status).to.include({ status: 'ACTIVE', desiredCount: 1 });
    expect((await k.get('cluster.ecsplane.io', 'from-api'))?.spec).to.deep.equal({ clusterName: 'from-api' });
    expect((await k.get('taskdefinitionrevision.ecsplane.io', 'api-web.1'))?.status).to.include({ revision: 1, status: 'ACTIVE' });
    const tasks = await waitFor('the task mirror', async () => {
      const items = (await k.list('tasks.ecsplane.io')).filter((t) => t.spec?.cluster === 'from-api');
      return items.length === 1 ? items : undefined;
    });
    expect(tasks[0].metadata.ownerReferences?.[0]).to.include({ kind: 'Service', name: 'api-web', uid: svc.metadata.uid });

    // A change through the API reaches the custom resource's status too.
    await ecs.send(new E.UpdateServiceCommand({ cluster: 'from-api', service: 'api-web', desiredCount: 2 }));
    await waitFor('runningCount 2 on the custom resource', async () => (await k.get(SVC, 'api-web'))?.status?.runningCount === 2);
  });

  it('a Service custom resource applied with kubectl is returned by DescribeServices', async () => {
    const docs = [
      { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name: 'from-k8s' }, spec: { clusterName: 'from-k8s' } },
      { apiVersion: 'ecsplane.io/v1alpha1', kind: 'TaskDefinition', metadata: { name: 'k8s-web' }, spec: fargateTaskDefinition('k8s-web') },
      {
        apiVersion: 'ecsplane.io/v1alpha1',
        kind: 'Service',
        metadata: { name: 'k8s-web' },
        spec: { cluster: 'from-k8s', taskDefinition: 'k8s-web', desiredCount: 2, launchType: 'FARGATE', networkConfiguration },
      },
    ];
    await k.run(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }) });

    const described = await waitFor('DescribeServices from-k8s/k8s-web with 2 running', async () => {
      const out = await ecs.send(new E.DescribeServicesCommand({ cluster: 'from-k8s', services: ['k8s-web'] }));
      const s = out.services?.[0];
      return s?.runningCount === 2 ? s : undefined;
    });
    expect(described).to.include({ serviceName: 'k8s-web', status: 'ACTIVE', desiredCount: 2, launchType: 'FARGATE' });
    expect(described.serviceArn).to.equal('arn:aws:ecs:us-east-1:123456789012:service/from-k8s/k8s-web');
    expect(described.taskDefinition).to.equal('arn:aws:ecs:us-east-1:123456789012:task-definition/k8s-web:1');
    expect(described.networkConfiguration).to.deep.equal(networkConfiguration);
    const list = await ecs.send(new E.ListServicesCommand({ cluster: 'from-k8s' }));
    expect(list.serviceArns).to.deep.equal([described.serviceArn]);
  });
});
