/**
 * The Kubernetes bridge end to end, against a real kube-apiserver + etcd (hack/test-apiserver.sh, or any
 * cluster in $KUBECONFIG): CRDs installed with kubectl, `ecsplane run --kubeconfig … --namespace …` as a
 * child process, examples/kubernetes applied with kubectl, status and mirrored objects read back with
 * kubectl; a rolling deployment, a rejected manifest, a kube-apiserver restart, deletion and cleanup.
 *
 *   make test-e2e      (starts the test apiserver, runs this with REQUIRE_APISERVER=1)
 *
 * Without a reachable apiserver the suite is skipped, or fails when REQUIRE_APISERVER=1.
 * Artifacts (the ecsplane log, `kubectl get ecs` output) go to .tmp/e2e-bridge/.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { KINDS } from '../../api/v1alpha1/index.js';
import { EcsplaneProcess, findApiserver, freePort, Kubectl, ROOT, run, sleep, waitFor, prepareApiserver, serviceAccountKubeconfig } from './helpers.js';

const REQUIRE = process.env.REQUIRE_APISERVER === '1';
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(ROOT, '.tmp', 'e2e-bridge');
const SVC = 'service.ecsplane.io';

const rev = (arn: string | undefined) => (arn ?? '').replace(/^.*task-definition\//, '');
const cond = (obj: any, type: string) => (obj?.status?.conditions ?? []).find((c: any) => c.type === type);

describe('Kubernetes bridge (e2e, real kube-apiserver)', function () {
  this.timeout(180_000);
  this.slow(30_000);

  let k: Kubectl;
  let ecsplane: EcsplaneProcess;
  let viaScript = false;
  const namespace = `e2e-${Date.now().toString(36)}`;
  const started = Date.now();

  before(async function () {
    const prepared = await prepareApiserver(this, namespace);
    k = prepared.k;
    viaScript = prepared.viaScript;
    ecsplane = new EcsplaneProcess(prepared.kubeconfig, namespace, await freePort(), ARTIFACTS);
    ecsplane.start();
    await ecsplane.waitReady();
  });

  after(async function () {
    if (!ecsplane) return;
    const code = await ecsplane.stop();
    process.stdout.write(`      (ecsplane exited ${code}; log: ${ecsplane.logFile}; ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    // Best effort: the test apiserver has no controller-manager, so the namespace stays Terminating there.
    await k.run(['delete', 'namespace', namespace, '--wait=false'], { namespaced: false, allowFail: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && k) {
      const dump = await k.run(['get', 'ecs', '-o', 'wide'], { allowFail: true });
      process.stdout.write(`      kubectl get ecs at failure:\n${dump.replace(/^/gm, '        ')}\n      ecsplane log: ${ecsplane?.logFile}\n`);
    }
  });

  it('validates the deploy manifests with the apiserver (kubectl apply --dry-run=server -f hack/deploy/)', async () => {
    // The namespace must exist for a server-side dry run of the namespaced objects.
    await k.run(['apply', '-f', 'hack/deploy/00-namespace.yaml'], { namespaced: false });
    const out = await k.run(['apply', '--dry-run=server', '-f', 'hack/deploy/'], { namespaced: false });
    for (const what of ['serviceaccount/ecsplane-bridge', 'clusterrole.rbac.authorization.k8s.io/ecsplane-bridge-crds', 'role.rbac.authorization.k8s.io/ecsplane-bridge', 'deployment.apps/ecsplane-bridge']) {
      expect(out).to.contain(what);
    }
  });

  it('serves the CRDs with field documentation (kubectl explain)', async () => {
    const crds = await k.json(['get', 'crd', '-l', 'app.kubernetes.io/part-of=ecsplane']);
    expect(crds.items).to.have.length(Object.keys(KINDS).length); // one CRD per kind
    const out = await waitFor('kubectl explain', () => k.run(['explain', 'ecssvc.spec.deploymentConfiguration'], { namespaced: false, allowFail: true }), 30_000);
    expect(out).to.contain('minimumHealthyPercent');
  });

  it('applies examples/kubernetes with kubectl; the service becomes Ready', async () => {
    await k.run(['apply', '-f', 'examples/kubernetes/']);
    await k.run(['wait', '--for=condition=Ready', `${SVC}/web`, '--timeout=120s'], { timeoutMs: 130_000 });
    const svc = await k.get(SVC, 'web');
    expect(svc.status).to.include({ status: 'ACTIVE', desiredCount: 2, runningCount: 2, pendingCount: 0 });
    expect(svc.status.observedGeneration).to.equal(svc.metadata.generation);
    expect(cond(svc, 'Synced')).to.include({ status: 'True', reason: 'Applied' });
    expect(cond(svc, 'Ready')).to.include({ status: 'True', reason: 'SteadyState' });
    expect(svc.status).to.not.have.property('scheduler');
    // Spec is never rewritten.
    expect(svc.spec).to.deep.equal({
      cluster: 'demo',
      taskDefinition: 'web',
      desiredCount: 2,
      launchType: 'FARGATE',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-web'], assignPublicIp: 'DISABLED' } },
    });
    const cluster = await k.get('cluster.ecsplane.io', 'demo');
    expect(cond(cluster, 'Ready')?.status).to.equal('True');
    const td = await k.get('taskdefinition.ecsplane.io', 'web');
    expect(td.status).to.include({ revision: 1, status: 'ACTIVE' });
  });

  it('mirrors tasks and the task definition revision, owned by their custom resources', async () => {
    const svc = await k.get(SVC, 'web');
    const tasks = await waitFor('2 RUNNING task mirrors', async () => {
      const items = (await k.list('tasks.ecsplane.io')).filter((t) => t.status?.lastStatus === 'RUNNING');
      return items.length === 2 ? items : undefined;
    });
    for (const t of tasks) {
      expect(t.metadata.labels).to.include({ 'app.kubernetes.io/managed-by': 'ecsplane-bridge', 'ecsplane.io/cluster': 'demo' });
      expect(t.metadata.ownerReferences).to.deep.equal([
        { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: false },
      ]);
      expect(t.spec).to.include({ cluster: 'demo', taskDefinition: 'web:1' });
      expect(t.status).to.include({ group: 'service:web', desiredStatus: 'RUNNING', healthStatus: 'HEALTHY' });
    }
    const td = await k.get('taskdefinition.ecsplane.io', 'web');
    const rev1 = await k.get('taskdefinitionrevision.ecsplane.io', 'web.1');
    expect(rev1.status).to.include({ family: 'web', revision: 1, status: 'ACTIVE' });
    expect(rev1.metadata.ownerReferences[0]).to.include({ kind: 'TaskDefinition', name: 'web', uid: td.metadata.uid });
    expect(rev1.metadata.annotations).to.include({ 'ecsplane.io/name': 'web:1', 'sim.ecsplane.io/start-delay': '1s' });
  });

  it('turns service events into Kubernetes Events on the Service', async () => {
    const events = await waitFor('TasksStarted and SteadyState events', async () => {
      const items = (await k.json(['get', 'events', '--field-selector', 'involvedObject.kind=Service,involvedObject.name=web'])).items;
      const reasons = new Set(items.map((e: any) => e.reason));
      return reasons.has('TasksStarted') && reasons.has('SteadyState') ? items : undefined;
    }, 30_000);
    const started = events.find((e: any) => e.reason === 'TasksStarted');
    expect(started.message).to.match(/\(service web\) has started 2 tasks/);
    expect(started.involvedObject).to.include({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', name: 'web' });
    expect(started.source.component).to.equal('ecsplane-bridge');
  });

  it('puts a hand-edited or deleted mirror back (the bridge owns mirrors whole)', async () => {
    const task = (await k.list('tasks.ecsplane.io')).find((t) => t.status?.lastStatus === 'RUNNING');
    const name = task.metadata.name;
    await k.run(['patch', 'task.ecsplane.io', name, '--type=merge', '-p', JSON.stringify({ metadata: { labels: { extra: 'x' } }, spec: { group: 'hacked' } })]);
    await waitFor('edited mirror restored', async () => {
      const t = await k.get('task.ecsplane.io', name);
      return t?.spec.group === 'service:web' && !t.metadata.labels.extra ? t : undefined;
    }, 30_000);
    await k.run(['delete', 'task.ecsplane.io', name, '--wait=true']);
    const back = await waitFor('deleted mirror recreated', () => k.get('task.ecsplane.io', name), 30_000);
    expect(back.status?.lastStatus ?? (await waitFor('its status', async () => (await k.get('task.ecsplane.io', name))?.status))?.lastStatus).to.equal('RUNNING');
  });

  it('kubectl get ecs lists every kind', async () => {
    const out = await k.run(['get', 'ecs']);
    for (const what of ['cluster.ecsplane.io/demo', 'service.ecsplane.io/web', 'taskdefinition.ecsplane.io/web', 'taskdefinitionrevision.ecsplane.io/web.1', 'task.ecsplane.io/']) {
      expect(out).to.contain(what);
    }
    writeFileSync(join(ARTIFACTS, 'kubectl-get-ecs.txt'), `$ kubectl get ecs -n ${namespace}\n${out}`);
  });

  it('rolls out a new task definition revision: a new PRIMARY deployment, then COMPLETED', async () => {
    const td = await k.get('taskdefinition.ecsplane.io', 'web');
    const env = td.spec.containerDefinitions[0].environment;
    expect(env[0]).to.deep.equal({ name: 'VERSION', value: '1' });
    await k.run(['patch', 'taskdefinition.ecsplane.io', 'web', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containerDefinitions/0/environment/0/value', value: '2' }])]);
    const rev2 = await waitFor('revision web.2', () => k.get('taskdefinitionrevision.ecsplane.io', 'web.2'), 30_000);
    expect(rev2.spec.containerDefinitions[0].environment).to.deep.equal([{ name: 'VERSION', value: '2' }]);
    // UpdateService --task-definition web:2
    await k.run(['patch', SVC, 'web', '--type=merge', '-p', JSON.stringify({ spec: { taskDefinition: 'web:2' } })]);
    const seen: string[] = [];
    const final = await waitFor(
      'deployment of web:2 COMPLETED',
      async () => {
        const svc = await k.get(SVC, 'web');
        const deps = svc.status?.deployments ?? [];
        const shape = deps.map((d: any) => `${d.status}:${rev(d.taskDefinition)}:${d.rolloutState}`).join(' ');
        if (seen.at(-1) !== shape) seen.push(shape);
        return deps.length === 1 && deps[0].status === 'PRIMARY' && rev(deps[0].taskDefinition) === 'web:2' && deps[0].rolloutState === 'COMPLETED' &&
          cond(svc, 'Ready')?.status === 'True' && svc.status.observedGeneration === svc.metadata.generation
          ? svc
          : undefined;
      },
      120_000,
      200,
    );
    // While it rolled: the new PRIMARY next to the old deployment.
    expect(seen.some((s) => /^PRIMARY:web:2:IN_PROGRESS ACTIVE:web:1:/.test(s)), seen.join(' | ')).to.equal(true);
    expect(final.status.taskDefinition).to.match(/web:2$/);
    const running = (await k.list('tasks.ecsplane.io')).filter((t) => t.status?.lastStatus === 'RUNNING');
    expect(running.map((t) => t.spec.taskDefinition)).to.deep.equal(['web:2', 'web:2']);
  });

  it('Queue and MetricAlarm are custom resources like the others: status flows back; a bad attribute is reported with the SQS error', async () => {
    await k.run(['apply', '-f', 'examples/kubernetes/queues/']);
    const q = await waitFor('Queue orders status', async () => {
      const o = await k.get('queue.ecsplane.io', 'orders');
      return o.status?.QueueArn ? o : undefined;
    }, 30_000);
    expect(q.status).to.include({ QueueArn: 'arn:aws:sqs:us-east-1:123456789012:orders', ApproximateNumberOfMessages: 0 });
    const alarm = await waitFor('MetricAlarm status', async () => {
      const o = await k.get('metricalarm.ecsplane.io', 'orders-backlog-high');
      return o.status?.StateValue ? o : undefined;
    }, 30_000);
    expect(alarm.status.AlarmArn).to.equal('arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-backlog-high');
    await k.run(['patch', 'queue.ecsplane.io', 'orders', '--type=merge', '-p', JSON.stringify({ spec: { Attributes: { VisibilityTimeout: '99999' } } })]);
    const bad = await waitFor('Synced=False on queue orders', async () => {
      const o = await k.get('queue.ecsplane.io', 'orders');
      return cond(o, 'Synced')?.status === 'False' ? o : undefined;
    }, 30_000);
    expect(cond(bad, 'Synced')).to.include({ reason: 'InvalidAttributeValue' });
    expect(cond(bad, 'Synced')!.message).to.contain('spec.Attributes.VisibilityTimeout');
    await k.run(['delete', '-f', 'examples/kubernetes/queues/', '--wait=true', '--timeout=30s']);
  });

  it('reports a manifest ECS rejects on the resource (condition + Warning event) and applies nothing', async () => {
    await k.run(['apply', '-f', 'examples/kubernetes/invalid/service-daemon-fargate.yaml']);
    const bad = await waitFor('Ready=False on service broken', async () => {
      const o = await k.get(SVC, 'broken');
      return cond(o, 'Ready')?.status === 'False' ? o : undefined;
    }, 30_000);
    for (const type of ['Ready', 'Synced']) {
      const c = cond(bad, type);
      expect(c).to.include({ status: 'False', reason: 'InvalidParameterException' });
      expect(c.message).to.contain('spec.schedulingStrategy');
    }
    expect(bad.status).to.not.have.property('serviceArn'); // never reached the store
    const warnings = await waitFor('Warning event on broken', async () => {
      const items = (await k.json(['get', 'events', '--field-selector', 'involvedObject.name=broken,type=Warning'])).items;
      return items.length ? items : undefined;
    }, 20_000);
    expect(warnings[0]).to.include({ reason: 'InvalidParameterException' });
    expect((await ecsplane.health()).ready).to.equal(true); // the bridge is fine
    // Fixing the manifest makes it apply.
    await k.run(['patch', SVC, 'broken', '--type=merge', '-p', JSON.stringify({ spec: { schedulingStrategy: 'REPLICA' } })]);
    const fixed = await waitFor('broken applied after the fix', async () => {
      const o = await k.get(SVC, 'broken');
      return cond(o, 'Synced')?.status === 'True' && o.status?.serviceArn ? o : undefined;
    }, 30_000);
    expect(fixed.status.serviceArn).to.match(/service\/demo\/broken$/);
    await k.run(['delete', SVC, 'broken', '--wait=true', '--timeout=30s']);
  });

  it('recovers from a kube-apiserver restart: changes made after it reach the store, status flows again', async function () {
    if (!viaScript) {
      if (REQUIRE) throw new Error('REQUIRE_APISERVER=1 but the apiserver was not started by hack/test-apiserver.sh, so it cannot be restarted');
      this.skip();
    }
    this.timeout(240_000);
    // Scale to 3 just before the restart: the new tasks start (and change status) while the apiserver is
    // down; those updates must show up afterwards.
    await k.run(['patch', SVC, 'web', '--type=merge', '-p', JSON.stringify({ spec: { desiredCount: 3 } })]);
    await waitFor('desiredCount 3 applied', async () => (await k.get(SVC, 'web'))?.status?.desiredCount === 3, 15_000, 50);
    const t0 = Date.now();
    const r = await run(join(ROOT, 'hack/test-apiserver.sh'), ['restart-apiserver'], { timeoutMs: 180_000 });
    expect(r.code, r.stderr).to.equal(0);
    process.stdout.write(`      (kube-apiserver restarted in ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    await waitFor('kubectl answers again', () => k.run(['get', SVC, 'web'], { allowFail: true }), 60_000);
    const three = await waitFor('3 tasks running (started while the apiserver was down)', async () => {
      const o = await k.get(SVC, 'web');
      return o?.status?.runningCount === 3 && cond(o, 'Ready')?.status === 'True' ? o : undefined;
    }, 90_000);
    expect(three.status.observedGeneration).to.equal(three.metadata.generation);
    // A change after the restart reaches the store, and its status comes back.
    await k.run(['patch', SVC, 'web', '--type=merge', '-p', JSON.stringify({ spec: { desiredCount: 2 } })]);
    const svc = await waitFor('web scaled back to 2 after the restart', async () => {
      const o = await k.get(SVC, 'web');
      return o?.status?.runningCount === 2 && o.status.desiredCount === 2 && o.status.observedGeneration === o.metadata.generation ? o : undefined;
    }, 90_000);
    expect(svc.status.deployments[0].desiredCount).to.equal(2);
    const tasks = await waitFor('2 RUNNING task mirrors', async () => {
      const items = (await k.list('tasks.ecsplane.io')).filter((t) => t.status?.lastStatus === 'RUNNING');
      return items.length === 2 ? items : undefined;
    }, 30_000);
    expect(tasks).to.have.length(2);
    await waitFor('bridge ready again', async () => (await ecsplane.health()).ready, 60_000);
    const health = await ecsplane.health();
    expect(Object.values<any>(health.reflectors).every((x) => x.synced && x.connected)).to.equal(true);
    // No duplicated Events: every service event was posted once (retried creates reuse their name).
    const events = (await k.json(['get', 'events', '--field-selector', 'involvedObject.kind=Service,involvedObject.name=web'])).items;
    const started = events.filter((e: any) => e.reason === 'TasksStarted').map((e: any) => e.message);
    expect(new Set(started).size).to.equal(started.length);
  });

  it('deleting the Service drains it and removes its mirrored tasks; deleting the TaskDefinition removes its revisions', async () => {
    await k.run(['delete', SVC, 'web', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
    await waitFor('no task mirrors left', async () => (await k.list('tasks.ecsplane.io')).length === 0, 60_000);
    await waitFor('cluster shows no services', async () => (await k.get('cluster.ecsplane.io', 'demo'))?.status?.activeServicesCount === 0, 60_000);
    await k.run(['delete', 'taskdefinition.ecsplane.io', 'web', '--wait=true', '--timeout=60s']);
    await waitFor('no revision mirrors left', async () => (await k.list('taskdefinitionrevisions.ecsplane.io')).length === 0, 60_000);
    await k.run(['delete', 'cluster.ecsplane.io', 'demo', '--wait=true', '--timeout=60s']);
    await waitFor('namespace empty of ecsplane objects', async () => (await k.run(['get', 'ecs', '-o', 'name'])).trim() === '', 60_000);
  });

  it('works with only the deploy RBAC (hack/deploy service account token, namespace ecsplane)', async function () {
    this.timeout(240_000);
    await k.run(['apply', '-f', 'hack/deploy/00-namespace.yaml', '-f', 'hack/deploy/10-serviceaccount.yaml', '-f', 'hack/deploy/20-rbac.yaml'], { namespaced: false });
    const saConfig = await serviceAccountKubeconfig(k, join(ARTIFACTS, 'sa-kubeconfig.json'));
    const sa = new Kubectl(saConfig, 'ecsplane');
    expect((await sa.run(['auth', 'can-i', 'create', 'customresourcedefinitions'], { namespaced: false, allowFail: true })).trim()).to.equal('yes');
    expect((await sa.run(['auth', 'can-i', 'delete', 'customresourcedefinitions'], { namespaced: false, allowFail: true })).trim()).to.not.equal('yes');
    expect((await sa.run(['auth', 'can-i', 'list', 'services.ecsplane.io', '-n', 'default'], { namespaced: false, allowFail: true })).trim()).to.not.equal('yes');
    const bridge = new EcsplaneProcess(saConfig, 'ecsplane', await freePort(), ARTIFACTS);
    bridge.start();
    try {
      await bridge.waitReady();
      const user = new Kubectl(k.kubeconfig, 'ecsplane'); // the user applies as admin, the bridge acts as its SA
      await user.run(['apply', '-f', 'examples/kubernetes/']);
      await user.run(['wait', '--for=condition=Ready', `${SVC}/web`, '--timeout=120s'], { timeoutMs: 130_000 });
      await waitFor('task mirrors in ecsplane', async () => (await user.list('tasks.ecsplane.io')).length === 2, 30_000);
      await waitFor('events in ecsplane', async () => (await user.json(['get', 'events'])).items.some((e: any) => e.reason === 'SteadyState'), 30_000);
      const health = await bridge.health();
      expect(health.applyErrors).to.equal(0);
      await user.run(['delete', '-f', 'examples/kubernetes/', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
      await waitFor('ecsplane namespace empty', async () => (await user.run(['get', 'ecs', '-o', 'name'])).trim() === '', 90_000);
    } finally {
      await bridge.stop();
    }
    expect(bridge.child?.exitCode).to.equal(0);
    expect(readFileSync(bridge.logFile, 'utf8')).to.not.match(/forbidden/i);
  });

  it('a restarted ecsplane (fresh store) rebuilds its store from the custom resources: same tasks, same revision', async function () {
    this.timeout(240_000);
    await k.run(['apply', '-f', 'examples/kubernetes/']);
    await k.run(['wait', '--for=condition=Ready', `${SVC}/web`, '--timeout=120s'], { timeoutMs: 130_000 });
    const tasks = async () => (await k.list('tasks.ecsplane.io')).map((t) => `${t.metadata.name} ${t.metadata.uid} ${t.status?.lastStatus}`).sort();
    const before = await waitFor('2 RUNNING task mirrors', async () => {
      const t = await tasks();
      return t.length === 2 && t.every((x) => x.endsWith(' RUNNING')) ? t : undefined;
    }, 60_000);
    const revision = (await k.get('taskdefinition.ecsplane.io', 'web')).status.revision;
    expect(await ecsplane.stop()).to.equal(0); // clean exit on SIGTERM
    ecsplane.start();
    await ecsplane.waitReady();
    expect((await ecsplane.health()).rebuilt).to.be.greaterThan(0);
    await k.run(['wait', '--for=condition=Ready', `${SVC}/web`, '--timeout=120s'], { timeoutMs: 130_000 });
    expect(await tasks()).to.deep.equal(before); // the same mirrors: not deleted and created again
    expect((await k.get('taskdefinition.ecsplane.io', 'web')).status.revision).to.equal(revision); // not registered again
    await sleep(100);
  });
});
