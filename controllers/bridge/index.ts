/**
 * Entry point of the Kubernetes bridge, loaded by `ecsplane run --kubeconfig PATH [--namespace NS]` with
 * `await import()` (the embedded default never loads it nor @kubernetes/client-node).
 *
 * startBridge connects with the kubeconfig (`in-cluster`: the pod's service account), makes sure the
 * CRDs exist and are Established, lists every ecsplane.io resource of the namespace, then runs the
 * bridge until stop(). Options beyond the CLI's come from the environment:
 *   ECSPLANE_HEALTH_PORT      without `probes` (run passes its --health-probe-bind-address server): serve
 *                             /healthz and /readyz on this port (ECSPLANE_HEALTH_ADDR, default 127.0.0.1)
 *   ECSPLANE_BRIDGE_INSTALL_CRDS=0   do not create or update CRDs (they must be installed: `make install`)
 *   ECSPLANE_BRIDGE_STATUS_INTERVAL  minimum time between two writes for one object (default 500ms)
 *   ECSPLANE_BRIDGE_RESYNC           safety-net resync period (default 60s)
 *   ECSPLANE_WEBHOOK_PORT     serve the validating admission webhook (HTTPS) on this port and register it
 *                             (ECSPLANE_WEBHOOK_ADDR: bind address, default 127.0.0.1; ECSPLANE_WEBHOOK_SERVICE
 *                             `namespace/name[:port]`: in the cluster, the Service the apiserver calls;
 *                             ECSPLANE_WEBHOOK_HOST: otherwise the address it calls, default 127.0.0.1)
 */
import type { Server } from 'node:http';
import { parseDuration } from '../../api/duration.js';
import type { App } from '../register.js';
import type { Logger } from '../runtime/logger.js';
import type { Probes } from '../runtime/endpoints.js';
import { Bridge, type BridgeOptions } from './bridge.js';
import { serveHealth } from './health.js';
import { ensureCrds } from './install.js';
import { connect } from './kube.js';
import { loopProgress } from './progress.js';
import { parseWebhookService } from './webhook-config.js';
import { startWebhook, type RunningWebhook, type WebhookOptions } from './webhook-server.js';

/** The health endpoint's address: loopback unless asked (it shows counters, and needs no audience). */
export function healthAddress(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  return explicit ?? (env.ECSPLANE_HEALTH_ADDR || '127.0.0.1');
}

export interface StartBridgeOptions {
  kubeconfig: string;
  namespace: string;
  logger: Logger;
  /** Health endpoint port (default: $ECSPLANE_HEALTH_PORT, else none). */
  healthPort?: number;
  healthHost?: string;
  installCrds?: boolean;
  bridge?: BridgeOptions;
  /** The admission webhook (default: from $ECSPLANE_WEBHOOK_PORT, else none). */
  webhook?: WebhookOptions;
  /** Register readiness (`bridge`) and /debug/bridge here instead of serving a health endpoint of its own. */
  probes?: Probes;
}

/** The webhook's options from the environment (undefined: no webhook). */
export function webhookOptionsFromEnv(env: NodeJS.ProcessEnv): WebhookOptions | undefined {
  if (!env.ECSPLANE_WEBHOOK_PORT) return undefined;
  const port = Number(env.ECSPLANE_WEBHOOK_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`ECSPLANE_WEBHOOK_PORT: bad port ${JSON.stringify(env.ECSPLANE_WEBHOOK_PORT)}`);
  return {
    port,
    host: env.ECSPLANE_WEBHOOK_ADDR || '127.0.0.1',
    ...(env.ECSPLANE_WEBHOOK_SERVICE ? { service: parseWebhookService(env.ECSPLANE_WEBHOOK_SERVICE) } : {}),
    ...(env.ECSPLANE_WEBHOOK_HOST ? { urlHost: env.ECSPLANE_WEBHOOK_HOST } : {}),
  };
}

export interface RunningBridge {
  bridge: Bridge;
  stop(): Promise<void>;
}

/**
 * Start the bridge. When the store is empty it is rebuilt from the custom resources first, so call this
 * before `app.manager.start()`: no loop may act on a half-rebuilt store.
 */
export async function startBridge(app: App, opts: StartBridgeOptions): Promise<RunningBridge> {
  const log = opts.logger;
  const env = process.env;
  const api = await connect(opts.kubeconfig, opts.namespace);
  log.info(`bridge: ${api.server}, namespace ${opts.namespace}`);
  const bridge = new Bridge(
    { api, store: app.store, apiServer: app.api, events: app.events, clock: app.clock, logger: log, loops: loopProgress(app.manager, app.store) },
    {
      statusIntervalMs: env.ECSPLANE_BRIDGE_STATUS_INTERVAL ? parseDuration(env.ECSPLANE_BRIDGE_STATUS_INTERVAL, 'ECSPLANE_BRIDGE_STATUS_INTERVAL') : undefined,
      resyncMs: env.ECSPLANE_BRIDGE_RESYNC ? parseDuration(env.ECSPLANE_BRIDGE_RESYNC, 'ECSPLANE_BRIDGE_RESYNC') : undefined,
      ...opts.bridge,
    },
  );
  // Liveness answers while the CRDs are ensured and the first lists are taken (readiness does not).
  let server: Server | undefined;
  const port = opts.probes ? undefined : (opts.healthPort ?? (env.ECSPLANE_HEALTH_PORT ? Number(env.ECSPLANE_HEALTH_PORT) : undefined));
  if (opts.probes) {
    opts.probes.addReadyzCheck('bridge', () => bridge.ready || `not in sync with Kubernetes yet: ${JSON.stringify(bridge.health().reflectors ?? {})}`);
    opts.probes.debug.set('/debug/bridge', () => bridge.health());
  }
  if (app.metrics) instrumentBridge(app, bridge);
  if (port !== undefined) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad health port ${JSON.stringify(port)}`);
    server = await serveHealth(bridge, port, healthAddress(opts.healthHost, env), log);
  }
  const install = opts.installCrds ?? env.ECSPLANE_BRIDGE_INSTALL_CRDS !== '0';
  const webhookOpts = opts.webhook ?? webhookOptionsFromEnv(env);
  let webhook: RunningWebhook | undefined;
  try {
    await ensureCrds(api, log, { readOnly: !install });
    await bridge.start();
    // After the rebuild: the webhook checks against the store the loops will run on.
    if (webhookOpts) webhook = await startWebhook(api, app.api, log, webhookOpts);
  } catch (err) {
    await bridge.stop();
    server?.close();
    throw err;
  }
  log.info('bridge: in sync; mirroring the store into Kubernetes');
  return {
    bridge,
    async stop() {
      await webhook?.stop();
      await bridge.stop();
      app.metrics?.removeGauge('ecsplane_bridge_write_queue');
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      log.info('bridge: stopped');
    },
  };
}

/** The bridge's loops under controller-runtime's metric names, and its write queue as a gauge. */
function instrumentBridge(app: App, bridge: Bridge): void {
  const metrics = app.metrics!;
  bridge.desired.instrument(metrics.instrument('bridge-desired', bridge.desired.queue));
  bridge.status.instrument(metrics.instrument('bridge-status', bridge.status.queue));
  metrics.gauge('ecsplane_bridge_write_queue', 'Writes to Kubernetes waiting: status (queued or held by the per-object rate limit), desired (custom resources to apply), events', ['queue'], (set) => {
    set({ queue: 'status' }, bridge.status.queue.length + bridge.status.queue.pendingDelayed());
    set({ queue: 'desired' }, bridge.desired.queue.length + bridge.desired.queue.pendingDelayed());
    set({ queue: 'events' }, bridge.sink.pending);
  });
}

export { leaseClient } from './kube.js';
export { LeaderElector, DEFAULT_TIMING } from './leader-election.js';
