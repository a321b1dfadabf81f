/** Fixture builders for tests (kubebuilder/kube-rs style). */
import 'reflect-metadata';
import type { Resource } from '../../api/meta.js';
import { createApp, type App } from '../../controllers/register.js';
import { VirtualClock } from '../../controllers/runtime/clock.js';

export const T0 = Date.UTC(2026, 0, 1);

export function testApp(seed = 1): App & { clock: VirtualClock } {
  const clock = new VirtualClock(T0);
  const app = createApp({ clock, seed, deterministicIds: true }) as App & { clock: VirtualClock };
  app.manager.startWatching();
  return app;
}

export function cluster(name = 'prod', spec: Record<string, unknown> = {}): Resource {
  return { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec: { ...spec } };
}

export function instance(name: string, opts: { cluster?: string; cpu?: number; memory?: number; az?: string; attributes?: Array<{ name: string; value?: string }> } = {}): Resource {
  return {
    apiVersion: 'ecsplane.io/v1alpha1',
    kind: 'ContainerInstance',
    metadata: { name },
    spec: {
      cluster: opts.cluster ?? 'prod',
      totalResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: opts.cpu ?? 2048 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: opts.memory ?? 4096 },
      ],
      attributes: [{ name: 'ecs.availability-zone', value: opts.az ?? 'us-east-1a' }, ...(opts.attributes ?? [])],
    },
  };
}

export function taskDefinition(family: string, opts: { image?: string; cpu?: number; memory?: number; annotations?: Record<string, string>; healthCheck?: boolean; hostPort?: number; spec?: Record<string, unknown> } = {}): Resource {
  return {
    apiVersion: 'ecsplane.io/v1alpha1',
    kind: 'TaskDefinition',
    metadata: { name: family, annotations: opts.annotations },
    spec: {
      family,
      containerDefinitions: [
        {
          name: 'app',
          image: opts.image ?? 'nginx:1',
          cpu: opts.cpu ?? 256,
          memory: opts.memory ?? 512,
          essential: true,
          ...(opts.hostPort !== undefined ? { portMappings: [{ containerPort: 80, hostPort: opts.hostPort }] } : {}),
          ...(opts.healthCheck ? { healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, timeout: 2, retries: 2 } } : {}),
        },
      ],
      ...(opts.spec ?? {}),
    },
  };
}

export function service(name: string, opts: { cluster?: string; taskDefinition?: string; desiredCount?: number; spec?: Record<string, unknown> } = {}): Resource {
  return {
    apiVersion: 'ecsplane.io/v1alpha1',
    kind: 'Service',
    metadata: { name },
    spec: {
      cluster: opts.cluster ?? 'prod',
      taskDefinition: opts.taskDefinition ?? 'web',
      desiredCount: opts.desiredCount ?? 2,
      ...(opts.spec ?? {}),
    },
  };
}

/** Run the loops until quiet, then advance virtual time in `stepMs` steps up to `ms`. */
export function runFor(app: App & { clock: VirtualClock }, ms: number, stepMs = 1000): void {
  app.manager.drain();
  const end = app.clock.now() + ms;
  while (app.clock.now() < end) {
    const next = Math.min(end, app.clock.now() + stepMs, app.clock.nextTimerAt() ?? Infinity);
    app.clock.advanceTo(next);
    app.manager.drain();
  }
}
