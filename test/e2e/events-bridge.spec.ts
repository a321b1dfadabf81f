/**
 * Rule and Schedule as custom resources through the bridge, against a real kube-apiserver + etcd
 * (`make test-e2e`): kubectl applies them, ecsplane runs their ECS targets, status flows back to the
 * custom resources; a bad cron is reported on the resource with EventBridge's ValidationException.
 * Without a reachable apiserver the suite is skipped, or fails when REQUIRE_APISERVER=1.
 */
import { join } from 'node:path';
import { expect } from 'chai';
import { EcsplaneProcess, findApiserver, freePort, Kubectl, ROOT, waitFor, prepareApiserver } from './helpers.js';

const REQUIRE = process.env.REQUIRE_APISERVER === '1';
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(ROOT, '.tmp', 'e2e-events');
const cond = (obj: any, type: string) => (obj?.status?.conditions ?? []).find((c: any) => c.type === type);

const TARGET = {
  Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/demo',
  RoleArn: 'arn:aws:iam::123456789012:role/ecsEventsRole',
  EcsParameters: { TaskDefinitionArn: 'web', LaunchType: 'FARGATE', NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-a'] } } },
};

describe('Kubernetes bridge: EventBridge Rule and Schedule custom resources (e2e)', function () {
  this.timeout(180_000);
  let k: Kubectl;
  let ecsplane: EcsplaneProcess;
  const namespace = `e2e-ev-${Date.now().toString(36)}`;

  before(async function () {
    const prepared = await prepareApiserver(this, namespace);
    k = prepared.k;
    ecsplane = new EcsplaneProcess(prepared.kubeconfig, namespace, await freePort(), ARTIFACTS);
    ecsplane.start();
    await ecsplane.waitReady();
    await k.run(['apply', '-f', 'examples/kubernetes/00-cluster.yaml', '-f', 'examples/kubernetes/10-taskdefinition-web.yaml']);
  });

  after(async function () {
    if (!ecsplane) return;
    await ecsplane.stop();
    await k.run(['delete', 'namespace', namespace, '--wait=false'], { namespaced: false, allowFail: true });
  });

  it('a Rule custom resource runs its target; invocations and the rule ARN come back in its status', async () => {
    const rule = { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Rule', metadata: { name: 'every-minute' }, spec: { ScheduleExpression: 'rate(1 minute)', Targets: [{ Id: 'web', ...TARGET }] } };
    await k.run(['apply', '-f', '-'], { input: JSON.stringify(rule) });
    const got = await waitFor('rule status with an invocation', async () => {
      const o = await k.get('rule.ecsplane.io', 'every-minute');
      return o?.status?.invocations >= 1 && o.status.tasksStarted >= 1 ? o : undefined;
    }, 60_000);
    expect(got.status.arn).to.equal('arn:aws:events:us-east-1:123456789012:rule/every-minute');
    expect(cond(got, 'Ready')).to.include({ status: 'True', reason: 'Enabled' });
    const tasks = await k.list('task.ecsplane.io');
    expect(tasks.some((t: any) => t.spec.startedBy === 'events-rule/every-minute')).to.equal(true);
  });

  it('a Schedule with a bad cron is reported on the resource with ValidationException and the field', async () => {
    const bad = { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Schedule', metadata: { name: 'bad' }, spec: { ScheduleExpression: 'cron(0 9 * * * *)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: TARGET } };
    await k.run(['apply', '-f', '-'], { input: JSON.stringify(bad) });
    const o = await waitFor('Synced=False on schedule bad', async () => {
      const x = await k.get('schedule.ecsplane.io', 'bad');
      return cond(x, 'Synced')?.status === 'False' ? x : undefined;
    }, 30_000);
    expect(cond(o, 'Synced')).to.include({ reason: 'ValidationException' });
    expect(cond(o, 'Synced').message).to.contain('spec.ScheduleExpression');
  });
});
