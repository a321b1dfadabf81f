/**
 * Leader election (issue #15), against a real kube-apiserver: two `ecsplane run --kubeconfig … --leader-elect`
 * replicas on one namespace with controller-runtime's timing (lease 15 s, renew deadline 10 s, retry 2 s).
 * One leads; the standby runs no loop and writes nothing (no reconcile, no bridge). kill -9 of the leader:
 * the standby takes over within lease duration + renew deadline, with the same task custom resources (uids:
 * none lost, none created again), never more tasks than maximumPercent allows and no service's Ready False
 * at any moment a watch saw, and no status flapping (Ready stays True/SteadyState). A clean stop (SIGTERM) releases the Lease: a standby takes over at its next try.
 *
 *   make test-e2e      (or REQUIRE_APISERVER=1 mocha dist/test/e2e/leader-election.spec.js with an apiserver)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { join } from 'node:path';
import { expect } from 'chai';
import { EcsplaneProcess, findApiserver, freePort, httpGet, KubeWatch, Kubectl, ROOT, waitFor, prepareApiserver, serviceAccountKubeconfig } from './helpers.js';

const REQUIRE = process.env.REQUIRE_APISERVER === '1';
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(ROOT, '.tmp', 'e2e-bridge');
const SVC = 'service.ecsplane.io';
const LEASE_MS = 15_000;
const RENEW_MS = 10_000;

/** The command docs/bridge.md shows (with `-n demo`), run here as written. */
export const LEASE_COLUMNS = ['get', 'lease', 'ecsplane-bridge', '-o', 'custom-columns=HOLDER:.spec.holderIdentity,TRANSITIONS:.spec.leaseTransitions,RENEWED:.spec.renewTime'];

const cond = (obj: any, type: string) => (obj?.status?.conditions ?? []).find((c: any) => c.type === type);

/** A replica: `ecsplane run --leader-elect` with its own metrics and probe ports. */
class Replica {
  proc: EcsplaneProcess;
  constructor(
    readonly label: string,
    kubeconfig: string,
    namespace: string,
    probePort: number,
    readonly metricsPort: number,
  ) {
    this.proc = new EcsplaneProcess(kubeconfig, namespace, probePort, join(ARTIFACTS, `leader-${label}`));
  }
  start(extraArgs: string[] = []): void {
    this.proc.start({}, ['--leader-elect', '--no-api', '--metrics-bind-address', `127.0.0.1:${this.metricsPort}`, ...extraArgs]);
  }
  async metrics(): Promise<string> {
    return (await httpGet(`http://127.0.0.1:${this.metricsPort}/metrics`)).body;
  }
  /** leader_election_master_status: 1 leading, 0 standing by, undefined before the elector runs. */
  async leading(): Promise<boolean | undefined> {
    const m = /^leader_election_master_status\{name="[^"]*"\} (\d)/m.exec(await this.metrics().catch(() => ''));
    return m ? m[1] === '1' : undefined;
  }
  async identity(): Promise<string> {
    return JSON.parse((await httpGet(`http://127.0.0.1:${this.proc.healthPort}/debug/leader`)).body).identity;
  }
  /** Reconciles this replica ran (controller_runtime_reconcile_total summed). */
  async reconciles(): Promise<number> {
    let n = 0;
    for (const line of (await this.metrics()).split('\n')) if (line.startsWith('controller_runtime_reconcile_total{')) n += Number(line.split(' ').pop());
    return n;
  }
  log(): string {
    return readFileSync(this.proc.logFile, 'utf8');
  }
}

/** Task CRs (uid, lastStatus) and the service's deployments: what a failover must not change. */
async function observe(k: Kubectl): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of await k.list('tasks.ecsplane.io')) out[`task/${t.metadata.name}`] = [t.metadata.uid, t.status?.lastStatus, t.status?.desiredStatus, t.status?.startedAt];
  const s = await k.get(SVC, 'web');
  out['service/web'] = [s.metadata.uid, s.status?.desiredCount, s.status?.runningCount, (s.status?.deployments ?? []).map((d: any) => [d.id, d.status, d.rolloutState, d.runningCount])];
  return out;
}

describe('leader election (e2e, real kube-apiserver): two replicas, one active, kill -9 of the leader', function () {
  this.timeout(600_000);
  this.slow(60_000);

  let k: Kubectl;
  const replicas: Replica[] = [];
  const watches: KubeWatch[] = [];
  const namespace = `e2e-leader-${Date.now().toString(36)}`;
  let kubeconfig = '';

  const replica = async (label: string, extraArgs: string[] = []) => {
    const r = new Replica(label, kubeconfig, namespace, await freePort(), await freePort());
    replicas.push(r);
    r.start(extraArgs);
    await r.proc.waitReady(); // a standby is ready too (it must not stall a Deployment's rollout)
    await waitFor(`${label}'s elector running`, async () => (await r.leading()) !== undefined, 30_000);
    return r;
  };

  before(async function () {
    const prepared = await prepareApiserver(this, namespace);
    k = prepared.k;
    kubeconfig = prepared.kubeconfig;
  });

  after(async function () {
    for (const w of watches) w.stop();
    for (const r of replicas) {
      await r.proc.stop();
      process.stdout.write(`      (replica ${r.label} log: ${r.proc.logFile})\n`);
    }
    if (k) await k.run(['delete', 'namespace', namespace, '--wait=false'], { namespaced: false, allowFail: true });
  });

  it('one leads, the standby writes nothing; kill -9 of the leader: the standby takes over within lease + renew deadline, no task lost or duplicated, no status flapping', async () => {
    const a = await replica('a');
    await waitFor('a replica leads', async () => (await a.leading()) === true, 30_000);
    const b = await replica('b');
    expect(await b.leading(), 'the second replica stands by').to.equal(false);

    await k.run(['apply', '-f', 'examples/kubernetes/']);
    await k.run(['wait', '--for=condition=Ready', `${SVC}/web`, '--timeout=120s'], { timeoutMs: 130_000 });
    await waitFor('2 RUNNING tasks, service steady', async () => {
      const tasks = await k.list('tasks.ecsplane.io');
      const s = await k.get(SVC, 'web');
      return tasks.length === 2 && tasks.every((t) => t.status?.lastStatus === 'RUNNING') && cond(s, 'Ready')?.reason === 'SteadyState' && s.status.runningCount === 2;
    }, 90_000);

    // The standby: no reconcile, no bridge, nothing written; only the Lease names the leader.
    expect(await b.reconciles(), 'reconciles run by the standby').to.equal(0);
    expect(b.log()).to.include('standing by (no loops run, nothing is written)');
    expect(b.log()).to.not.match(/bridge: /);
    const lease = await k.get('lease.coordination.k8s.io', 'ecsplane-bridge');
    expect(lease.spec.holderIdentity).to.equal(await a.identity());
    expect(lease.spec.leaseDurationSeconds).to.equal(15);
    const transcript: string[] = [`$ kubectl -n ${namespace} ${LEASE_COLUMNS.join(' ')}`, (await k.run(LEASE_COLUMNS)).trimEnd()];
    expect(readFileSync(join(ROOT, 'docs/bridge.md'), 'utf8'), 'docs/bridge.md shows the command').to.include(`kubectl -n demo ${LEASE_COLUMNS.join(' ')}`);
    const tasksBefore = new Set((await k.list('tasks.ecsplane.io')).map((t) => t.metadata.name));
    const before = await observe(k);

    // Every moment the watches see: tasks alive against maximumPercent (2 × 200 %), Ready of the service.
    let most = 0;
    const taskWatch = new KubeWatch(kubeconfig, `/apis/ecsplane.io/v1alpha1/namespaces/${namespace}/tasks`, (_t, _o, all) => {
      let n = 0;
      for (const t of all.values()) if (t.status?.lastStatus !== 'STOPPED' && t.status?.desiredStatus !== 'STOPPED') n++;
      most = Math.max(most, n);
    });
    const readySeen: string[] = [];
    const serviceWatch = new KubeWatch(kubeconfig, `/apis/ecsplane.io/v1alpha1/namespaces/${namespace}/services`, (_t, obj) => {
      const r = cond(obj, 'Ready');
      const seen = `${r?.status}/${r?.reason} running=${obj.status?.runningCount}`;
      if (readySeen[readySeen.length - 1] !== seen) readySeen.push(seen);
    });
    watches.push(taskWatch, serviceWatch);
    taskWatch.start();
    serviceWatch.start();
    await taskWatch.synced(2);
    await serviceWatch.synced(1);
    const added = taskWatch.counts.ADDED;

    await a.proc.kill();
    const t0 = Date.now();
    await waitFor('the standby leads', async () => (await b.leading()) === true, LEASE_MS + RENEW_MS + 5_000, 100);
    const takeoverMs = Date.now() - t0;
    expect(takeoverMs, 'takeover time (ms)').to.be.at.most(LEASE_MS + RENEW_MS);
    await waitFor('the new leader in sync', async () => (await httpGet(`http://127.0.0.1:${b.proc.healthPort}/readyz?verbose`)).body.includes('[+]bridge ok'), 60_000);
    let last: unknown;
    await waitFor('the same tasks and deployments after the failover', async () => JSON.stringify((last = await observe(k))) === JSON.stringify(before), 60_000, 200).catch((err) => {
      throw new Error(`${(err as Error).message}\n before: ${JSON.stringify(before)}\n after:  ${JSON.stringify(last)}`);
    });
    expect((await k.get('lease.coordination.k8s.io', 'ecsplane-bridge')).spec.holderIdentity).to.equal(await b.identity());
    transcript.push(`$ kill -9 <leader> ... ${takeoverMs} ms later:`, `$ kubectl -n ${namespace} ${LEASE_COLUMNS.join(' ')}`, (await k.run(LEASE_COLUMNS)).trimEnd());
    transcript.push('standby log:', ...b.log().split('\n').filter((l) => /leader election|bridge: (in sync|https)/.test(l)));
    writeFileSync(join(ARTIFACTS, 'leader-failover.txt'), transcript.join('\n') + '\n');
    expect(await b.reconciles(), 'the new leader reconciles').to.be.greaterThan(0);

    const duplicated = taskWatch.counts.ADDED - added + [...(await k.list('tasks.ecsplane.io'))].filter((t) => !tasksBefore.has(t.metadata.name)).length;
    const lost = taskWatch.counts.DELETED;
    expect(duplicated, 'task custom resources created during the failover').to.equal(0);
    expect(lost, 'task custom resources deleted during the failover').to.equal(0);
    expect(most, 'most tasks alive at any observed moment').to.be.at.most(4);
    // No flapping: a status still right after the failover is not rewritten (not even Ready=Unknown, StatusFromBeforeRestart).
    expect(readySeen, 'Ready and runningCount of the service at every moment the watch saw').to.deep.equal(['True/SteadyState running=2']);

    // A clean stop releases the Lease: a new standby takes over at its next try, not after 15 s.
    const c = await replica('c', ['--log-format', 'json']);
    expect(await c.leading()).to.equal(false);
    const t1 = Date.now();
    expect(await b.proc.stop()).to.equal(0);
    await waitFor('the third replica leads after a clean stop', async () => (await c.leading()) === true, LEASE_MS + 5_000, 100);
    const handoverMs = Date.now() - t1;
    expect(handoverMs, 'hand-over after a released lease (ms)').to.be.below(LEASE_MS);
    expect(b.log()).to.include('leader election: released lease');
    await waitFor('the third replica in sync', async () => c.log().includes('bridge: in sync'), 60_000);
    // --log-format json: every log line an object (the file also holds the status lines run prints on stdout).
    const json = c.log().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(json.map((l) => l.msg)).to.include.members(['bridge: in sync; mirroring the store into Kubernetes']);
    transcript.push(`$ kill <leader> (SIGTERM) ... ${handoverMs} ms later, a third replica (--log-format json) leads:`, ...c.log().split('\n').filter((l) => l.startsWith('{') && /leader election|bridge: in sync/.test(l)));
    writeFileSync(join(ARTIFACTS, 'leader-failover.txt'), transcript.join('\n') + '\n');
    await waitFor('the same tasks and deployments after the hand-over', async () => JSON.stringify(await observe(k)) === JSON.stringify(before), 60_000, 200);

    process.stdout.write(
      `      leader election: kill -9 of the leader -> standby leads after ${takeoverMs} ms (limit ${LEASE_MS + RENEW_MS}); ` +
        `${duplicated} duplicated, ${lost} lost task CRs; most tasks seen ${most}/4; Ready seen: ${readySeen.join(' -> ')}; ` +
        `clean stop -> hand-over after ${handoverMs} ms\n`,
    );
  });

  it('the deploy manifests: 2 replicas with --leader-elect, a metrics Service; the deploy RBAC is enough to lead', async function () {
    const docs = ['30-deployment.yaml', '40-metrics-service.yaml'].flatMap((f) => parseAllDocuments(readFileSync(join(ROOT, 'hack/deploy', f), 'utf8')).map((d) => d.toJS()));
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(deployment.spec.replicas).to.equal(2);
    expect(container.args).to.include.members(['--leader-elect', '--metrics-bind-address=:8080', '--health-probe-bind-address=:8081']);
    expect(container.args.some((a: string) => a.startsWith('--state')), 'no --state with leader election').to.equal(false);
    const service = docs.find((d) => d.kind === 'Service');
    expect(service.spec.ports).to.deep.include({ name: 'metrics', port: 8080, targetPort: 'metrics', protocol: 'TCP' });
    expect(service.spec.selector).to.deep.equal(deployment.spec.selector.matchLabels);

    // The bridge's service account (hack/deploy RBAC only) takes the Lease in namespace ecsplane.
    await k.run(['apply', '-f', 'hack/deploy/00-namespace.yaml', '-f', 'hack/deploy/10-serviceaccount.yaml', '-f', 'hack/deploy/20-rbac.yaml'], { namespaced: false });
    const saConfig = await serviceAccountKubeconfig(k, join(ARTIFACTS, 'leader-sa-kubeconfig.json'));
    const sa = new Kubectl(saConfig, 'ecsplane');
    for (const verb of ['get', 'create', 'update']) expect((await sa.run(['auth', 'can-i', verb, 'leases.coordination.k8s.io'], { allowFail: true })).trim(), verb).to.equal('yes');
    expect((await sa.run(['auth', 'can-i', 'delete', 'leases.coordination.k8s.io'], { allowFail: true })).trim()).to.not.equal('yes');
    const r = new Replica('sa', saConfig, 'ecsplane', await freePort(), await freePort());
    replicas.push(r);
    r.proc.start({}, ['--leader-elect', '--no-api', '--metrics-bind-address', `127.0.0.1:${r.metricsPort}`, '--leader-elect-resource-name', `e2e-${namespace}`]);
    await waitFor('the service account leads', async () => (await r.leading()) === true, 60_000);
    await r.proc.waitReady();
    expect((await k.run(['-n', 'ecsplane', 'get', 'lease', `e2e-${namespace}`, '-o', 'jsonpath={.spec.holderIdentity}'], { namespaced: false })).trim()).to.equal(await r.identity());
    expect(await r.proc.stop()).to.equal(0);
    expect((await k.run(['-n', 'ecsplane', 'get', 'lease', `e2e-${namespace}`, '-o', 'jsonpath={.spec.holderIdentity}'], { namespaced: false })).trim(), 'released on a clean stop').to.equal('');
    await k.run(['-n', 'ecsplane', 'delete', 'lease', `e2e-${namespace}`], { namespaced: false, allowFail: true });
  });
});
