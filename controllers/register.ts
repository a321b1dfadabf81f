/**
 * The composition root: one tsyringe child container per app (so every test gets fresh state),
 * holding the store, clock, API server, event recorder and manager, with every loop registered.
 */
import './runtime/reflect.js';
import { container as rootContainer, type DependencyContainer } from './runtime/di.js';
import { keyOf, makeKey, clusterOf } from '../api/meta.js';
import { ApiServer } from '../store/apiserver.js';
import { ResourceStore } from '../store/store.js';
import type { Clock } from './runtime/clock.js';
import { EventRecorder } from './runtime/events.js';
import { silentLogger, type Logger } from './runtime/logger.js';
import { Manager } from './runtime/manager.js';
import { TOKENS } from './runtime/tokens.js';
import { ownerKeys } from './runtime/controller.js';
import { mulberry32 } from './placement/index.js';
import { registerIndexes } from './shared/indexes.js';
import { LoadModel } from './shared/load-model.js';
import { AlarmStateStore } from './shared/alarm-states.js';
import { HookResultStore } from './shared/hook-results.js';
import { ClusterReconciler, clusterKeyOf } from './cluster/reconciler.js';
import { ContainerInstanceReconciler, instanceKeysForTask } from './container-instance/reconciler.js';
import { TaskReconciler, taskKeysForInstance } from './task/reconciler.js';
import { ServiceReconciler } from './service/reconciler.js';
import { serviceKeysForInstance } from './service/wake.js';
import { GarbageCollector, gcKeys } from './gc/reconciler.js';
import { TargetGroupReconciler, targetGroupKeysForTask } from './load-balancer/reconciler.js';
import { SubnetReconciler, subnetKeysForTask } from './subnet/reconciler.js';
import { AccountSettingReconciler } from './account-setting/reconciler.js';
import { registerScalingControllers } from './scaling-loops.js';
import { RuntimeMetrics } from './runtime/metrics.js';
import { registerEcsGauges } from './metrics/ecs-gauges.js';
import { registerQueueControllers } from './queue-loops.js';
import { registerEventControllers } from './event-loops.js';
import type { EventBus } from './events/bus.js';

export interface AppOptions {
  clock: Clock;
  seed?: number;
  logger?: Logger;
  /** Watch history kept by the store. */
  historySize?: number;
  /** Deterministic uids (simulate). */
  deterministicIds?: boolean;
  /** Safety-net resync period for every loop (0 = off). */
  resyncMs?: number;
  /** Prometheus metrics of the loops and the store (`ecsplane run`; off in simulate, which would only pay for them). */
  metrics?: boolean;
}

export interface App {
  container: DependencyContainer;
  store: ResourceStore;
  api: ApiServer;
  manager: Manager;
  events: EventRecorder;
  clock: Clock;
  load: LoadModel;
  /** This app's own prom-client Registry and instruments (when AppOptions.metrics). */
  metrics?: RuntimeMetrics;
  /** CloudWatch alarm states the deployment alarms read (Scenario `alarm` steps set them). */
  alarms: AlarmStateStore;
  /** Lifecycle hook answers (Scenario `hook` steps set them). */
  hooks: HookResultStore;
  /** The EventBridge event bus (controllers/events). */
  bus: EventBus;
}

export function createApp(opts: AppOptions): App {
  const c = rootContainer.createChildContainer();
  let uidSeq = 0;
  const store = new ResourceStore({
    now: () => opts.clock.now(),
    historySize: opts.historySize,
    uid: opts.deterministicIds ? () => `00000000-0000-4000-8000-${(++uidSeq).toString(16).padStart(12, '0')}` : undefined,
  });
  registerIndexes(store);
  c.registerInstance(TOKENS.Store, store);
  c.registerInstance(TOKENS.Clock, opts.clock);
  c.registerInstance(TOKENS.Logger, opts.logger ?? silentLogger);
  c.registerInstance(TOKENS.Random, mulberry32(opts.seed ?? 1));
  c.registerInstance(TOKENS.Metrics, new LoadModel());
  const alarms = new AlarmStateStore();
  c.registerInstance(TOKENS.Alarms, alarms);
  const hooks = new HookResultStore();
  c.registerInstance(TOKENS.Hooks, hooks);
  const events = c.resolve(EventRecorder);
  c.registerInstance(TOKENS.Events, events);
  const api = c.resolve(ApiServer);
  c.registerInstance(TOKENS.ApiServer, api);
  const manager = c.resolve(Manager);
  c.registerInstance(TOKENS.Manager, manager);
  registerControllers(c, manager, store, opts.resyncMs ?? 0);
  let metrics: RuntimeMetrics | undefined;
  if (opts.metrics) {
    metrics = new RuntimeMetrics();
    c.registerInstance(TOKENS.RuntimeMetrics, metrics);
    manager.instrument(metrics);
    registerEcsGauges(metrics, store);
  }
  const bus = registerEventControllers(c, manager, store, opts.resyncMs ?? 0);
  return { container: c, store, api, manager, events, clock: opts.clock, load: c.resolve<LoadModel>(TOKENS.Metrics), metrics, alarms, hooks, bus };
}

function registerControllers(c: DependencyContainer, manager: Manager, store: ResourceStore, resyncMs: number): void {
  c.registerSingleton(TaskReconciler);
  manager.add({
    name: 'service',
    forKind: 'Service',
    reconciler: c.resolve(ServiceReconciler),
    resyncMs,
    watches: [
      { kind: 'Service' },
      { kind: 'Task', toKeys: ownerKeys('Service'), ignoreOwnWrites: true },
      // Capacity and health changes can unblock placement: wake the cluster's services.
      {
        kind: 'ContainerInstance',
        toKeys: serviceKeysForInstance(store),
        delayMs: 1000,
      },
      {
        kind: 'ScalableTarget',
        toKeys: (ev) => {
          // The service reads a target's spec and desired counts only (effectiveDesiredCount); its
          // per-minute status writes (datapoints, activities) wake nobody.
          const prev = ev.previous;
          if (prev && prev.spec === ev.object.spec && prev.status?.desiredCount === ev.object.status?.desiredCount && prev.status?.specDesiredCount === ev.object.status?.specDesiredCount) return [];
          const m = /^service\/([^/]+)\/([^/]+)$/.exec(ev.object.spec?.ResourceId ?? '');
          return m ? [makeKey(m[1], m[2])] : [];
        },
      },
    ],
  });
  manager.add({
    name: 'task',
    forKind: 'Task',
    reconciler: c.resolve(TaskReconciler), // a singleton: RunTask asks it for a new task's first status
    resyncMs,
    watches: [{ kind: 'Task' }, { kind: 'ContainerInstance', toKeys: taskKeysForInstance(store) }],
  });
  manager.add({
    name: 'container-instance',
    forKind: 'ContainerInstance',
    reconciler: c.resolve(ContainerInstanceReconciler),
    resyncMs,
    watches: [{ kind: 'ContainerInstance' }, { kind: 'Task', toKeys: instanceKeysForTask }],
  });
  manager.add({
    name: 'cluster',
    forKind: 'Cluster',
    reconciler: c.resolve(ClusterReconciler),
    resyncMs,
    watches: [
      { kind: 'Cluster' },
      { kind: 'Service', toKeys: clusterKeyOf, delayMs: 1000 },
      { kind: 'Task', toKeys: clusterKeyOf, delayMs: 1000 },
      { kind: 'ContainerInstance', toKeys: clusterKeyOf, delayMs: 1000 },
    ],
  });
  manager.add({
    name: 'garbage-collector',
    forKind: '*',
    reconciler: c.resolve(GarbageCollector),
    watches: [{ kind: '*', toKeys: gcKeys(store) }],
  });
  manager.add({
    name: 'target-group',
    forKind: 'TargetGroup',
    reconciler: c.resolve(TargetGroupReconciler),
    resyncMs,
    watches: [{ kind: 'TargetGroup' }, { kind: 'Task', toKeys: targetGroupKeysForTask(store), delayMs: 1000 }],
  });
  manager.add({
    name: 'subnet',
    forKind: 'Subnet',
    reconciler: c.resolve(SubnetReconciler),
    resyncMs,
    watches: [{ kind: 'Subnet' }, { kind: 'Task', toKeys: subnetKeysForTask, delayMs: 1000 }],
  });
  manager.add({
    name: 'account-setting',
    forKind: 'AccountSetting',
    reconciler: c.resolve(AccountSettingReconciler),
    resyncMs,
    watches: [{ kind: 'AccountSetting' }],
  });
  registerScalingControllers(c, manager, store, resyncMs);
  registerQueueControllers(c, manager, store, resyncMs);
}
