/**
 * The bridge survives its own restart (issue #10 §4), against a real kube-apiserver: `ecsplane run
 * --kubeconfig … --namespace …` without --state runs the docs' example plus a second task definition
 * revision, a service pinned to web:2 and a RunTask-style Task; it is killed with SIGKILL three times and
 * started again, and every time the store is rebuilt from the custom resources: the same services,
 * deployments, revisions and task custom resources (same uids: none deleted and created again), never more
 * tasks than maximumPercent allows at any moment a watch observed, the pinned service Ready.
 *
 *   make test-e2e      (or REQUIRE_APISERVER=1 mocha dist/test/e2e/bridge-restart.spec.js with an apiserver)
 */
import { join } from 'node:path';
import { expect } from 'chai';
import { EcsplaneProcess, findApiserver, freePort, KubeWatch, Kubectl, ROOT, waitFor, prepareApiserver } from './helpers.js';

const REQUIRE = process.env.REQUIRE_APISERVER === '1';
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(ROOT, '.tmp', 'e2e-bridge');
const KILLS = Number(process.env.E2E_KILLS ?? 3); // E2E_KILLS=10 for a longer run
const SVC = 'service.ecsplane.io';
const STALE_REASON = 'StatusFromBeforeRestart';

const cond = (obj: any, type: string) => (obj?.status?.conditions ?? []).find((c: any) => c.type === type);
const net = { awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-web'] } };
const extra = [
  {
    apiVersion: 'ecsplane.io/v1alpha1',
    kind: 'Service',
    metadata: { name: 'pinned' },
    spec: {
      cluster: 'demo', taskDefinition: 'web:2', desiredCount: 2, launchType: 'FARGATE', networkConfiguration: net,
      deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
    },
  },
  // `ecsplane run-task --task-definition web:1 --count 2` as a custom resource: batch and its sibling batch-2.
  { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Task', metadata: { name: 'batch' }, spec: { cluster: 'demo', taskDefinition: 'web:1', count: 2, launchType: 'FARGATE', networkConfiguration: net } },
];

/** What must not change across a restart, per kind and name (uids included: nothing deleted and recreated). */
async function observe(k: Kubectl): Promise<Record<string, any>> {
  const out: Record<string, any> = {};
  for (const s of await k.list('services.ecsplane.io')) {
    const st = s.status ?? {};
    out[`service/${s.metadata.name}`] = {
      uid: s.metadata.uid,
      generation: s.metadata.generation,
      observedGeneration: st.observedGeneration,
      taskDefinition: st.taskDefinition,
      counts: [st.desiredCount, st.runningCount, st.pendingCount],
      deployments: (st.deployments ?? []).map((d: any) => [d.id, d.status, d.taskDefinition, d.rolloutState, d.desiredCount, d.runningCount, d.pendingCount, d.createdAt]),
      ready: [cond(s, 'Ready')?.status, cond(s, 'Ready')?.reason],
    };
  }
  for (const t of await k.list('tasks.ecsplane.io')) {
    const st = t.status ?? {};
    out[`task/${t.metadata.name}`] = [t.metadata.uid, t.spec.taskDefinition, st.group, st.lastStatus, st.desiredStatus, st.healthStatus, st.startedAt, st.taskArn];
  }
  for (const r of await k.list('taskdefinitionrevisions.ecsplane.io')) {
    out[`taskdefinitionrevision/${r.metadata.name}`] = [r.metadata.uid, r.status?.revision, r.status?.status, r.status?.registeredAt, JSON.stringify(r.spec)];
  }
  const td = await k.get('taskdefinition.ecsplane.io', 'web');
  out['taskdefinition/web'] = [td.metadata.uid, td.status?.revision, td.status?.revisions];
  return out;
}

const diff = (a: Record<string, any>, b: Record<string, any>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).map((key) => `${key}: ${JSON.stringify(a[key])} → ${JSON.stringify(b[key])}`);

describe('Kubernetes bridge restart (e2e, real kube-apiserver): kill -9, rebuild from the custom resources', function () {
  this.timeout(600_000);
  this.slow(60_000);

  let k: Kubectl;
  let ecsplane: EcsplaneProcess;
  const watches: KubeWatch[] = [];
  const namespace = `e2e-restart-${Date.now().toString(36)}`;

  before(async function () {
    const prepared = await prepareApiserver(this, namespace);
    k = prepared.k;
    ecsplane = new EcsplaneProcess(prepared.kubeconfig, namespace, await freePort(), ARTIFACTS);
    ecsplane.start();
    await ecsplane.waitReady();
  });

  after(async function () {
    for (const w of watches) w.stop();
    if (!ecsplane) return;
    await ecsplane.stop();
    process.stdout.write(`      (ecsplane log: ${ecsplane.logFile})\n`);
    await k.run(['delete', 'namespace', namespace, '--wait=false'], { namespaced: false, allowFail: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && k) {
      const dump = await k.run(['get', 'ecs', '-o', 'wide'], { allowFail: true });
      process.stdout.write(`      kubectl get ecs at failure:\n${dump.replace(/^/gm, '        ')}\n      ecsplane log: ${ecsplane?.logFile}\n`);
    }
  });

  it(`keeps every service, revision and task custom resource across kill -9 x${KILLS}`, async () => {
    // The docs' example, then web:2 (a changed task definition), the pinned service and the RunTask.
    await k.run(['apply', '-f', 'examples/kubernetes/']);
    await k.run(['wait', '--for=condition=Ready', `${SVC}/web`, '--timeout=120s'], { timeoutMs: 130_000 });
    await k.run(['patch', 'taskdefinition.ecsplane.io', 'web', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containerDefinitions/0/environment/0/value', value: '2' }])]);
    await waitFor('revision web.2', () => k.get('taskdefinitionrevision.ecsplane.io', 'web.2'), 30_000);
    await k.run(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: extra }) });
    await k.run(['wait', '--for=condition=Ready', `${SVC}/pinned`, '--timeout=120s'], { timeoutMs: 130_000 });
    await waitFor('6 RUNNING tasks (web 2, pinned 2, batch 2)', async () => {
      const items = await k.list('tasks.ecsplane.io');
      return items.length === 6 && items.every((t) => t.status?.lastStatus === 'RUNNING' && t.status?.healthStatus === 'HEALTHY') ? items : undefined;
    }, 90_000);
    await waitFor('services steady', async () => (await k.list('services.ecsplane.io')).every((s) => cond(s, 'Ready')?.reason === 'SteadyState'), 60_000);
    const before = await observe(k);

    // Every moment a watch sees: tasks per group against maximumPercent, and the stale marker on services.
    const limits: Record<string, number> = { 'service:web': 4, 'service:pinned': 2, 'family:web': 2 }; // 2 × 200 %, 2 × 100 %, RunTask count 2
    const most: Record<string, number> = {};
    const taskWatch = new KubeWatch(k.kubeconfig, `/apis/ecsplane.io/v1alpha1/namespaces/${namespace}/tasks`, (_type, _obj, all) => {
      const counts: Record<string, number> = {};
      for (const t of all.values()) {
        if (t.status?.lastStatus === 'STOPPED' || t.status?.desiredStatus === 'STOPPED') continue;
        const g = t.status?.group ?? '?';
        counts[g] = (counts[g] ?? 0) + 1;
      }
      for (const [g, n] of Object.entries(counts)) most[g] = Math.max(most[g] ?? 0, n);
    });
    const staleSeen = new Set<string>();
    const serviceWatch = new KubeWatch(k.kubeconfig, `/apis/ecsplane.io/v1alpha1/namespaces/${namespace}/services`, (_type, obj) => {
      if (cond(obj, 'Ready')?.reason === STALE_REASON) staleSeen.add(`${obj.metadata.name}@${cond(obj, 'Ready').message}`);
    });
    watches.push(taskWatch, serviceWatch);
    taskWatch.start();
    serviceWatch.start();
    await taskWatch.synced(6);
    await serviceWatch.synced(2);
    const addedBefore = taskWatch.counts.ADDED;

    let unchanged = 0;
    const readyMs: number[] = [];
    const sameMs: number[] = [];
    let marked = 0;
    for (let i = 1; i <= KILLS; i++) {
      const health = await ecsplane.health();
      expect(health.staleMarked, 'every stale marker was taken back').to.equal(health.staleCleared);
      await ecsplane.kill();
      const t0 = Date.now();
      ecsplane.start();
      await ecsplane.waitReady();
      readyMs.push(Date.now() - t0);
      let last: string[] = [];
      await waitFor(`the same services, revisions and tasks after kill -9 #${i}`, async () => {
        last = diff(before, await observe(k));
        return last.length === 0;
      }, 60_000, 200).catch((err) => {
        throw new Error(`${(err as Error).message}\n        ${last.join('\n        ')}`);
      });
      sameMs.push(Date.now() - t0);
      const h = await ecsplane.health();
      expect(h.rebuilt, 'store objects rebuilt').to.be.greaterThan(10);
      expect(h.rebuildSkipped).to.equal(0);
      expect(h.mirrorCreates + h.mirrorDeletes, 'no mirror created or deleted').to.equal(0);
      await waitFor('markers taken back', async () => {
        const x = await ecsplane.health();
        return x.staleMarked === x.staleCleared;
      }, 30_000);
      marked += (await ecsplane.health()).staleMarked;
      unchanged++;
    }

    // The pinned service is Ready on its revision; nothing shows the stale marker any more.
    const pinned = await k.get(SVC, 'pinned');
    expect(cond(pinned, 'Ready')).to.include({ status: 'True', reason: 'SteadyState' });
    expect(pinned.status.taskDefinition).to.match(/task-definition\/web:2$/);
    for (const s of await k.list('services.ecsplane.io')) expect(cond(s, 'Ready')?.reason, s.metadata.name).to.not.equal(STALE_REASON);
    const after = await observe(k);
    const names = (o: Record<string, any>) => Object.keys(o).filter((x) => x.startsWith('task/'));
    const duplicated = names(after).filter((n) => !(n in before)).length + (taskWatch.counts.ADDED - addedBefore);
    const lost = names(before).filter((n) => !(n in after)).length + taskWatch.counts.DELETED;
    expect(duplicated, 'duplicated task custom resources').to.equal(0);
    expect(lost, 'lost task custom resources').to.equal(0);
    for (const [g, limit] of Object.entries(limits)) expect(most[g] ?? 0, `most ${g} tasks at any observed moment`).to.be.at.most(limit);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    process.stdout.write(
      `      chaos: bridge kill -9 x${KILLS}: services unchanged ${unchanged}/${KILLS}, ${duplicated} duplicated, ${lost} lost task CRs; ` +
        `most tasks seen web ${most['service:web']}/4 pinned ${most['service:pinned']}/2 batch ${most['family:web']}/2; ` +
        `ready after ${med(readyMs)} ms, all re-observed after ${med(sameMs)} ms (median); ${marked} stale markers written and taken back (${staleSeen.size} seen by the watch)\n`,
    );
  });

  it('kill -9 in the middle of a rolling deployment: the rollout completes, never above maximumPercent, no task CR lost', async () => {
    let most = 0;
    const taskWatch = new KubeWatch(k.kubeconfig, `/apis/ecsplane.io/v1alpha1/namespaces/${namespace}/tasks`, (_type, _obj, all) => {
      let n = 0;
      for (const t of all.values()) if (t.status?.group === 'service:pinned' && t.status?.lastStatus !== 'STOPPED' && t.status?.desiredStatus !== 'STOPPED') n++;
      most = Math.max(most, n);
    });
    watches.push(taskWatch);
    taskWatch.start();
    await taskWatch.synced(6);
    // web:2 → web:1 → web:2, killed 0.3 s and 1 s into each rollout (desiredCount 2, 50 % / 100 %: at most 2 tasks).
    for (const [td, afterMs] of [['web:1', 300], ['web:2', 1000]] as const) {
      await k.run(['patch', SVC, 'pinned', '--type=merge', '-p', JSON.stringify({ spec: { taskDefinition: td } })]);
      await new Promise((r) => setTimeout(r, afterMs));
      await ecsplane.kill();
      ecsplane.start();
      await ecsplane.waitReady();
      await waitFor(`the rollout to ${td} completed after kill -9`, async () => {
        const o = await k.get(SVC, 'pinned');
        const deps = o?.status?.deployments ?? [];
        return deps.length === 1 && deps[0].rolloutState === 'COMPLETED' && deps[0].taskDefinition.endsWith(`/${td}`) && o.status.runningCount === 2 &&
          o.status.observedGeneration === o.metadata.generation && cond(o, 'Ready')?.reason === 'SteadyState';
      }, 120_000, 200);
    }
    expect(most, 'most pinned tasks at any observed moment').to.be.at.most(2);
    expect(taskWatch.counts.DELETED, 'task custom resources deleted').to.equal(0);
    process.stdout.write(`      chaos: bridge kill -9 mid-rollout x2: rollouts completed 2/2, most pinned tasks seen ${most}/2, ${taskWatch.counts.DELETED} task CRs deleted\n`);
  });
});
