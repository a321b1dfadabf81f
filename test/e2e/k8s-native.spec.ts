/**
 * ecsplane as a Kubernetes user expects its controllers to behave (issue #15, the CRD/API half), end to end
 * against a real kube-apiserver + etcd:
 *   - `kubectl scale ecssvc/web --replicas=4` (scale subresource; the bridge carries it into the store through
 *     the admission pipeline, and runningCount back), the task selector of an HPA;
 *   - `kubectl explain` on status fields (schemas generated from the AWS output shapes) and whole spec
 *     descriptions;
 *   - an ECS-invalid manifest refused at `kubectl apply` (admission webhook with a generated CA; CEL rules that
 *     hold without it), and what happens while ecsplane is down (failurePolicy Ignore);
 *   - READY (with its reason) and TASKDEFINITION family:revision columns, and the watches docs/bridge.md shows.
 * The commands docs/bridge.md shows are run as written there (namespace `demo` → this test's namespace), and
 * their output is saved to .tmp/e2e-bridge/k8s-native-*.txt (docs/bridge.md shows it).
 *
 *   make test-e2e      (or: E2E_ARGS='--grep k8s-native' ... see docs/bridge.md, Tests)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { EcsplaneProcess, findApiserver, freePort, Kubectl, KUBECTL, ROOT, run, sleep, waitFor, type ExecResult, prepareApiserver, serviceAccountKubeconfig } from './helpers.js';

const REQUIRE = process.env.REQUIRE_APISERVER === '1';
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(ROOT, '.tmp', 'e2e-bridge');
const SVC = 'service.ecsplane.io';
const DOC = readFileSync(join(ROOT, 'docs/bridge.md'), 'utf8');

/** Commands exactly as docs/bridge.md shows them. */
const CMD = {
  scale: 'kubectl scale -n demo ecssvc/web --replicas=4',
  get: 'kubectl get -n demo ecssvc web',
  scaleSubresource: 'kubectl get -n demo --raw /apis/ecsplane.io/v1alpha1/namespaces/demo/services/web/scale',
  selected: `kubectl get -n demo tasks.ecsplane.io -l "$(kubectl get -n demo ecssvc web -o jsonpath='{.status.selector}')"`,
  applyInvalid: 'kubectl apply -n demo -f examples/kubernetes/invalid/',
  explain: 'kubectl explain ecssvc.status.deployments.rolloutState',
  watchWide: 'kubectl get -n demo ecssvc -w -o wide',
  watchJsonpath: `kubectl get -n demo ecssvc web -w -o jsonpath='{.status.runningCount}/{.spec.desiredCount} {.status.summary.ready}{"\\n"}'`,
  watchAll: 'kubectl get ecs -n demo -w',
  getBroken: 'kubectl get -n demo ecssvc broken',
};

const cond = (obj: any, type: string) => (obj?.status?.conditions ?? []).find((c: any) => c.type === type);

describe('k8s-native: kubectl scale, explain, rejected at apply, printer columns (e2e, real kube-apiserver)', function () {
  this.timeout(180_000);
  this.slow(30_000);

  let k: Kubectl;
  let ecsplane: EcsplaneProcess;
  const namespace = `e2e-native-${Date.now().toString(36)}`;
  const configName = `ecsplane-${namespace}`;

  /** A docs command, run with bash as written (namespace demo → ours); never throws. */
  const sh = (command: string, timeoutMs = 60_000): Promise<ExecResult> =>
    run('bash', ['-c', command.replace(/-n demo\b/g, `-n ${namespace}`).replace('/namespaces/demo/', `/namespaces/${namespace}/`)], {
      env: { KUBECONFIG: k.kubeconfig },
      timeoutMs,
    });
  /** A watch: runs for `seconds`, then is stopped (exit 124 is timeout's). */
  const watch = (command: string, seconds: number) => sh(`timeout ${seconds} ${command}`, (seconds + 30) * 1000);
  const save = (name: string, text: string) => writeFileSync(join(ARTIFACTS, `k8s-native-${name}.txt`), text.replaceAll(namespace, 'demo'));
  const startEcsplane = async () => {
    ecsplane = new EcsplaneProcess(k.kubeconfig, namespace, await freePort(), ARTIFACTS);
    ecsplane.start({ ECSPLANE_WEBHOOK_PORT: String(await freePort()) }, ['--no-api']);
    await ecsplane.waitReady();
    await waitFor('the webhook configuration', () => k.run(['get', 'validatingwebhookconfiguration', configName, '-o', 'name'], { namespaced: false, allowFail: true }), 30_000);
  };

  before(async function () {
    const prepared = await prepareApiserver(this, namespace);
    k = prepared.k;
    await startEcsplane();
    await k.run(['apply', '-f', 'examples/kubernetes/']);
    await k.run(['wait', '--for=condition=Ready', `${SVC}/web`, '--timeout=120s']);
  });

  after(async function () {
    if (!k) return;
    await ecsplane?.stop();
    await k.run(['delete', 'validatingwebhookconfiguration', configName, '--ignore-not-found'], { namespaced: false, allowFail: true });
    await k.run(['delete', 'namespace', namespace, '--wait=false'], { namespaced: false, allowFail: true });
  });

  it('docs/bridge.md shows every command this test runs', () => {
    for (const c of Object.values(CMD)) expect(DOC, c).to.contain(c);
  });

  it('kubectl explain documents status fields with the AWS descriptions, and spec descriptions whole', async () => {
    const r = await sh(CMD.explain);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('rolloutState <string>');
    expect(r.stdout.replace(/\s+/g, ' ')).to.contain('When a service deployment is started, it begins in an IN_PROGRESS state.');
    save('explain', `$ ${CMD.explain}\n${r.stdout}`);
    // Other kinds' output shapes, and a spec field's description past its first sentence.
    const task = await k.run(['explain', 'ecstask.status.containers.networkBindings.hostPort'], { namespaced: false });
    expect(task).to.contain('hostPort <integer>');
    const ci = await k.run(['explain', 'ecsci.status.remainingResources'], { namespaced: false });
    expect(ci).to.contain('remainingResources <[]Object>');
    const maxPercent = (await k.run(['explain', 'ecssvc.spec.deploymentConfiguration.maximumPercent'], { namespaced: false })).replace(/\s+/g, ' ');
    expect(maxPercent).to.contain('If a service is using the rolling update (ECS) deployment type, the maximumPercent parameter represents an upper limit');
    expect(maxPercent.length).to.be.greaterThan(1000);
  });

  it('shows READY and TASKDEFINITION family:revision by default, the ARN with -o wide', async () => {
    const r = await sh(CMD.get);
    expect(r.code, r.stderr).to.equal(0);
    const [header, row] = r.stdout.trim().split('\n');
    expect(header.split(/\s+/)).to.deep.equal(['NAME', 'CLUSTER', 'DESIRED', 'RUNNING', 'PENDING', 'TASKDEFINITION', 'STATUS', 'READY', 'AGE']);
    expect(row.split(/\s+/).slice(0, 8)).to.deep.equal(['web', 'demo', '2', '2', '0', 'web:1', 'ACTIVE', 'True']);
    const wide = await k.run(['get', 'ecssvc', '-o', 'wide']);
    expect(wide).to.match(/TASKDEFINITIONARN/);
    expect(wide).to.contain('arn:aws:ecs:us-east-1:123456789012:task-definition/web:1');
  });

  it('kubectl scale ecssvc/web --replicas=4 reaches the store and comes back as runningCount; the scale subresource selects its tasks', async () => {
    const wide = watch(CMD.watchWide, 14);
    const jsonpath = watch(CMD.watchJsonpath, 14);
    await sleep(1500);
    const r = await sh(CMD.scale);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('service.ecsplane.io/web scaled');
    const scaled = await waitFor('4 running and Ready', async () => {
      const o = await k.get(SVC, 'web');
      return o?.status?.runningCount === 4 && o.status.desiredCount === 4 && cond(o, 'Ready')?.status === 'True' ? o : undefined;
    }, 60_000);
    expect(scaled.spec.desiredCount).to.equal(4);
    expect(cond(scaled, 'Synced')).to.include({ status: 'True', observedGeneration: scaled.metadata.generation }); // applied through the pipeline
    const get = await sh(CMD.get);
    const scale = JSON.parse((await sh(CMD.scaleSubresource)).stdout);
    expect(scale).to.deep.include({ kind: 'Scale', apiVersion: 'autoscaling/v1' });
    expect(scale.spec).to.deep.equal({ replicas: 4 });
    expect(scale.status).to.deep.equal({ replicas: 4, selector: 'ecsplane.io/cluster=demo,ecsplane.io/service=web' });
    const selected = await sh(CMD.selected);
    expect(selected.code, selected.stderr).to.equal(0);
    expect(selected.stdout.match(/\bRUNNING\s+RUNNING\b/g)).to.have.length(4);
    const [w, j] = await Promise.all([wide, jsonpath]);
    expect(j.stdout).to.match(/^2\/2 True$/m);
    expect(j.stdout).to.match(/^4\/4 True$/m);
    expect(w.stdout).to.match(/^web\s+demo\s+4\s+4\s+0\s+web:1\s+ACTIVE\s+True\b/m);
    save('scale', [`$ ${CMD.scale}`, r.stdout.trim(), `$ ${CMD.get}`, get.stdout.trim(), `$ ${CMD.scaleSubresource}`, JSON.stringify(scale), `$ ${CMD.selected}`, selected.stdout.trim()].join('\n') + '\n');
    save('watch', [`$ ${CMD.watchWide}`, w.stdout.trim(), `$ ${CMD.watchJsonpath}`, j.stdout.trim()].join('\n') + '\n');
    // And back: kubectl scale down stops tasks the way UpdateService does.
    await k.run(['scale', 'ecssvc/web', '--replicas=2']);
    await waitFor('2 running', async () => ((await k.get(SVC, 'web'))?.status?.runningCount === 2 ? true : undefined), 60_000);
  });

  it('kubectl apply of an ECS-invalid manifest fails: the admission webhook (ECS rules) and CEL (without ecsplane)', async () => {
    const r = await sh(CMD.applyInvalid);
    expect(r.code).to.not.equal(0);
    expect(r.stderr).to.contain(
      'Error from server (InvalidParameterException): error when creating "examples/kubernetes/invalid/service-daemon-fargate.yaml": admission webhook "validate.ecsplane.io" denied the request: InvalidParameterException: spec.schedulingStrategy: The DAEMON scheduling strategy is not supported with Fargate.',
    );
    expect(r.stderr).to.contain('spec.deploymentConfiguration.maximumPercent: Invalid value: "object": InvalidParameterException: maximumPercent must be at least 100.');
    expect(r.stdout).to.not.contain('created');
    expect(await k.get(SVC, 'broken')).to.equal(undefined);
    expect(await k.get(SVC, 'broken-percent')).to.equal(undefined);
    save('rejected', `$ ${CMD.applyInvalid}\n${r.stdout}${r.stderr}`);
    // RunTask: launch type and capacity provider strategy together (CEL).
    const task = await run(KUBECTL, ['-n', namespace, 'apply', '-f', '-'], {
      env: { KUBECONFIG: k.kubeconfig },
      input: JSON.stringify({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Task', metadata: { name: 'both' }, spec: { cluster: 'demo', taskDefinition: 'web', launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] } }),
    });
    expect(task.code).to.not.equal(0);
    expect(task.stderr).to.contain('spec.launchType: Invalid value: "object": InvalidParameterException: Specifying both a launch type and capacity provider strategy is not supported.');
    // A field ecsplane does not simulate is accepted with a warning.
    const warned = await run(KUBECTL, ['-n', namespace, 'apply', '-f', '-'], {
      env: { KUBECONFIG: k.kubeconfig },
      input: JSON.stringify({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', metadata: { name: 'warned' }, spec: { cluster: 'demo', taskDefinition: 'web', desiredCount: 0, launchType: 'FARGATE', deploymentController: { type: 'CODE_DEPLOY' }, networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'] } } } }),
    });
    expect(warned.code, warned.stderr).to.equal(0);
    expect(warned.stderr).to.match(/^Warning: NotSimulated: spec\.deploymentController\.type: /m);
    await k.run(['delete', SVC, 'warned', '--wait=true', '--timeout=60s']);
  });

  it('kubectl get ecs -w is refused by kubectl (one kind per watch); a watch per kind works', async () => {
    const r = await watch(CMD.watchAll, 5);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('error: you may only specify a single resource type');
  });

  it('while ecsplane is down its webhook is skipped (failurePolicy Ignore; CEL still holds); once back, the resource shows why and new writes are checked again', async () => {
    await ecsplane.kill(); // kill -9: the configuration stays, pointing at nothing
    const down = await sh(CMD.applyInvalid);
    expect(down.stdout).to.contain('service.ecsplane.io/broken created');
    expect(down.stderr).to.contain('maximumPercent must be at least 100.'); // the CRD's own rule
    await startEcsplane();
    const broken = await waitFor('Ready=False on broken', async () => {
      const o = await k.get(SVC, 'broken');
      return cond(o, 'Ready')?.status === 'False' ? o : undefined;
    }, 30_000);
    expect(cond(broken, 'Synced')).to.include({ reason: 'InvalidParameterException' });
    const get = await sh(CMD.getBroken);
    expect(get.stdout).to.match(/^broken\s+demo\s+.*False: InvalidParameterException\s+\S+$/m);
    save('ready-reason', `$ ${CMD.getBroken}\n${get.stdout}`);
    // The restarted ecsplane registered its new address and CA: a change is checked again.
    const patch = await run(KUBECTL, ['-n', namespace, 'patch', SVC, 'broken', '--type=merge', '-p', JSON.stringify({ spec: { desiredCount: 2 } })], { env: { KUBECONFIG: k.kubeconfig } });
    expect(patch.code).to.not.equal(0);
    expect(patch.stderr).to.contain('denied the request: InvalidParameterException: spec.schedulingStrategy');
    // Fixing it is allowed, and so is deleting it.
    await k.run(['patch', SVC, 'broken', '--type=merge', '-p', JSON.stringify({ spec: { schedulingStrategy: 'REPLICA' } })]);
    await waitFor('broken applied', async () => (cond(await k.get(SVC, 'broken'), 'Synced')?.status === 'True' ? true : undefined), 30_000);
    await k.run(['delete', SVC, 'broken', '--wait=true', '--timeout=60s']);
  });

  it('in the cluster\'s way (hack/deploy, deploy RBAC only): the CA goes into the Secret and the deployed configuration, and a restart reuses it', async function () {
    this.timeout(240_000);
    const files = ['00-namespace.yaml', '10-serviceaccount.yaml', '20-rbac.yaml', '40-webhook.yaml'].flatMap((f) => ['-f', `hack/deploy/${f}`]);
    await k.run(['apply', ...files], { namespaced: false });
    const saConfig = await serviceAccountKubeconfig(k, join(ARTIFACTS, 'sa-kubeconfig-webhook.json'));
    const caBundle = async () => (await k.json(['get', 'validatingwebhookconfiguration', 'ecsplane-bridge']))?.webhooks?.[0]?.clientConfig?.caBundle;
    const secretCa = async () => (await k.json(['-n', 'ecsplane', 'get', 'secret', 'ecsplane-webhook-tls'])).data['ca.crt'];
    const env = { ECSPLANE_WEBHOOK_PORT: String(await freePort()), ECSPLANE_WEBHOOK_ADDR: '127.0.0.1', ECSPLANE_WEBHOOK_SERVICE: 'ecsplane/ecsplane-webhook' };
    let first: string | undefined;
    try {
      for (const round of [1, 2]) {
        const bridge = new EcsplaneProcess(saConfig, 'ecsplane', await freePort(), ARTIFACTS);
        bridge.start(env, ['--no-api']);
        try {
          await bridge.waitReady();
          const ca = await waitFor('caBundle filled in', caBundle, 30_000);
          expect(ca).to.equal(await secretCa());
          if (round === 1) first = ca;
          else expect(ca).to.equal(first); // the Secret's CA, not a new one
        } finally {
          expect(await bridge.stop()).to.equal(0);
        }
        expect(readFileSync(bridge.logFile, 'utf8')).to.not.match(/forbidden/i);
        expect(await caBundle()).to.equal(first); // the deployed configuration stays when the bridge stops
      }
    } finally {
      await k.run(['delete', 'validatingwebhookconfiguration', 'ecsplane-bridge', '--ignore-not-found'], { namespaced: false, allowFail: true });
      await k.run(['-n', 'ecsplane', 'delete', 'secret', 'ecsplane-webhook-tls', '--ignore-not-found'], { namespaced: false, allowFail: true });
    }
  });

  it('a clean stop removes the webhook configuration it registered', async () => {
    expect(await ecsplane.stop()).to.equal(0);
    const left = await k.run(['get', 'validatingwebhookconfiguration', configName, '--ignore-not-found', '-o', 'name'], { namespaced: false });
    expect(left.trim()).to.equal('');
  });
});
