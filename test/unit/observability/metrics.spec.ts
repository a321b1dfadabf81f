/**
 * Metrics of the runtime (controller-runtime's names and labels) and ecsplane's gauges, in embedded mode:
 * one prom-client Registry per app, read as Prometheus text.
 */
import { expect } from 'chai';
import { ResourceStore } from '../../../store/store.js';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { Manager } from '../../../controllers/runtime/manager.js';
import { TerminalError } from '../../../controllers/runtime/controller.js';
import { silentLogger } from '../../../controllers/runtime/logger.js';
import { RuntimeMetrics } from '../../../controllers/runtime/metrics.js';
import { createApp } from '../../../controllers/register.js';
import { loadManifests } from '../../../controllers/cli/manifests.js';

const cluster = (name: string) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec: {} });

/** The value of one sample (`name{labels}`), undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    if (line.slice(0, i) === series) return Number(line.slice(i + 1));
  }
  return undefined;
}

describe('metrics: controller-runtime names over the runtime', () => {
  let clock: VirtualClock;
  let store: ResourceStore;
  let manager: Manager;
  let metrics: RuntimeMetrics;
  beforeEach(() => {
    clock = new VirtualClock(0);
    store = new ResourceStore({ now: () => clock.now() });
    manager = new Manager(store, clock, silentLogger);
    metrics = new RuntimeMetrics();
  });

  it('counts reconciles by result, errors, terminal errors, retries and queue adds', async () => {
    const fail = new Set(['bad']);
    manager.add({
      name: 'demo',
      forKind: 'Cluster',
      watches: [{ kind: 'Cluster' }],
      maxRetries: 2,
      reconciler: {
        reconcile: (k) => {
          if (fail.has(k)) throw new Error('boom');
          if (k === 'final') throw new TerminalError('no way');
          return k === 'later' ? { requeueAfterMs: 1000 } : undefined;
        },
      },
    });
    manager.instrument(metrics);
    manager.startWatching();
    for (const n of ['ok', 'later', 'bad', 'final']) store.create(cluster(n));
    manager.drain();
    for (let t = 1; t <= 5; t++) {
      clock.advanceTo(t * 1000);
      manager.drain();
    }
    const text = await metrics.scrape();
    // ok once; later at 0 and 1000..5000 (requeued each time); bad 3 times (first try + 2 retries); final once.
    expect(sample(text, 'controller_runtime_reconcile_total{controller="demo",result="success"}')).to.equal(1);
    expect(sample(text, 'controller_runtime_reconcile_total{controller="demo",result="requeue_after"}')).to.equal(6);
    expect(sample(text, 'controller_runtime_reconcile_total{controller="demo",result="error"}')).to.equal(4);
    expect(sample(text, 'controller_runtime_reconcile_errors_total{controller="demo"}')).to.equal(4);
    expect(sample(text, 'controller_runtime_terminal_reconcile_errors_total{controller="demo"}')).to.equal(1);
    expect(sample(text, 'controller_runtime_reconcile_time_seconds_count{controller="demo"}')).to.equal(11);
    expect(sample(text, 'workqueue_retries_total{controller="demo",name="demo"}')).to.equal(2);
    expect(sample(text, 'workqueue_adds_total{controller="demo",name="demo"}')).to.equal(11);
    expect(sample(text, 'workqueue_queue_duration_seconds_count{controller="demo",name="demo"}')).to.equal(11);
    expect(sample(text, 'workqueue_depth{controller="demo",name="demo"}')).to.equal(0);
    expect(text).to.include('# TYPE controller_runtime_reconcile_time_seconds histogram');
    expect(text).to.include('controller_runtime_reconcile_time_seconds_bucket{le="0.005",controller="demo"}');
  });

  it('workqueue_depth is the number of keys waiting at scrape time', async () => {
    manager.add({ name: 'demo', forKind: 'Cluster', watches: [{ kind: 'Cluster' }], reconciler: { reconcile: () => undefined } });
    manager.instrument(metrics);
    manager.startWatching();
    for (const n of ['a', 'b', 'c']) store.create(cluster(n));
    expect(sample(await metrics.scrape(), 'workqueue_depth{controller="demo",name="demo"}')).to.equal(3);
    manager.drain();
    expect(sample(await metrics.scrape(), 'workqueue_depth{controller="demo",name="demo"}')).to.equal(0);
  });
});

describe('metrics: an app with metrics (what `ecsplane run` serves)', () => {
  it('ECS gauges: tasks by lastStatus and service, services by rolloutState, instances by status, store objects and resourceVersion', async () => {
    const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
    const app = createApp({ clock, metrics: true });
    for (const doc of loadManifests(['examples/quickstart'])) app.api.apply(doc);
    app.manager.startWatching();
    for (let i = 0; i < 600; i++) {
      app.manager.drain();
      clock.advanceTo(clock.now() + 1000);
    }
    app.manager.drain();
    const text = await app.metrics!.scrape();
    expect(sample(text, 'ecsplane_tasks{cluster="prod",service="web-app",last_status="RUNNING"}')).to.equal(3);
    expect(sample(text, 'ecsplane_tasks{cluster="prod",service="api",last_status="RUNNING"}')).to.equal(3);
    expect(sample(text, 'ecsplane_services{cluster="prod",rollout_state="COMPLETED"}')).to.equal(2);
    expect(sample(text, 'ecsplane_service_desired_tasks{cluster="prod",service="web-app"}')).to.equal(3);
    expect(sample(text, 'ecsplane_service_running_tasks{cluster="prod",service="web-app"}')).to.equal(3);
    expect(sample(text, 'ecsplane_container_instances{cluster="prod",status="ACTIVE"}')).to.equal(3);
    expect(sample(text, 'ecsplane_store_objects{kind="Task"}')).to.equal(6);
    expect(sample(text, 'ecsplane_store_resource_version')).to.equal(app.store.resourceVersion);
    expect(sample(text, 'controller_runtime_reconcile_total{controller="service",result="success"}')).to.be.greaterThan(0);
  });

  it('each app has its own Registry (two apps in one process do not share counters)', async () => {
    const a = createApp({ clock: new VirtualClock(0), metrics: true });
    const b = createApp({ clock: new VirtualClock(0), metrics: true });
    a.api.apply(cluster('one') as any);
    a.manager.startWatching();
    a.manager.drain();
    expect(a.metrics!.registry).to.not.equal(b.metrics!.registry);
    expect(sample(await a.metrics!.scrape(), 'controller_runtime_reconcile_total{controller="cluster",result="success"}')).to.equal(1);
    expect(sample(await b.metrics!.scrape(), 'controller_runtime_reconcile_total{controller="cluster",result="success"}')).to.equal(undefined);
    expect(createApp({ clock: new VirtualClock(0) }).metrics, 'simulate pays nothing').to.equal(undefined);
  });
});
