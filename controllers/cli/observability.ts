/**
 * `ecsplane run`'s metrics and health-probe endpoints (controller-runtime's flags, loopback by default):
 *   --metrics-bind-address       127.0.0.1:8080  GET /metrics
 *   --health-probe-bind-address  127.0.0.1:8081  /healthz, /readyz (+ /debug/bridge with the bridge)
 * `0` turns one off. The probe address defaults to $ECSPLANE_HEALTH_ADDR:$ECSPLANE_HEALTH_PORT when
 * that is set (the bridge's earlier variables). A port in use is said once and `run` goes on without
 * that endpoint, as with the AWS API.
 */
import type { App } from '../register.js';
import { parseBindAddress, Probes, serveMetrics, serveProbes, type BindAddress, type Endpoint } from '../runtime/endpoints.js';
import type { Logger } from '../runtime/logger.js';
import { DEFAULT_METRICS_ADDRESS, DEFAULT_PROBE_ADDRESS } from './run-defaults.js';

export { DEFAULT_METRICS_ADDRESS, DEFAULT_PROBE_ADDRESS };

export interface EndpointOptions {
  metricsBindAddress?: string;
  healthProbeBindAddress?: string;
}

export interface Addresses {
  metrics: BindAddress | undefined;
  probes: BindAddress | undefined;
}

/** Checked before anything starts: a bad address is a usage error. */
export function endpointAddresses(opts: EndpointOptions, env: NodeJS.ProcessEnv = process.env): Addresses {
  const fromEnv = env.ECSPLANE_HEALTH_PORT ? `${env.ECSPLANE_HEALTH_ADDR || '127.0.0.1'}:${env.ECSPLANE_HEALTH_PORT}` : undefined;
  return {
    metrics: parseBindAddress('--metrics-bind-address', opts.metricsBindAddress ?? DEFAULT_METRICS_ADDRESS),
    probes: parseBindAddress('--health-probe-bind-address', opts.healthProbeBindAddress ?? fromEnv ?? DEFAULT_PROBE_ADDRESS),
  };
}

export interface RunningEndpoints {
  probes: Probes;
  metricsUrl?: string;
  probesUrl?: string;
  close(): Promise<void>;
}

export async function startEndpoints(app: App, addrs: Addresses, log: Logger): Promise<RunningEndpoints> {
  const probes = new Probes();
  const open: Endpoint[] = [];
  const start = async (what: string, flag: string, addr: BindAddress, serve: () => Promise<Endpoint>, paths: string) => {
    try {
      const ep = await serve();
      open.push(ep);
      log.info(`${what} on ${ep.url} (${paths})`);
      return ep.url;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'EADDRINUSE' ? `${addr.host}:${addr.port} is in use (another ecsplane?)` : e.message;
      log.warn(`${what} not started: ${why}; running without it (pass ${flag} HOST:PORT, or 0)`);
      return undefined;
    }
  };
  const metrics = app.metrics;
  const metricsUrl =
    addrs.metrics && metrics ? await start('metrics', '--metrics-bind-address', addrs.metrics, () => serveMetrics(addrs.metrics!, () => metrics.scrape()), '/metrics') : undefined;
  const probesUrl = addrs.probes ? await start('health probes', '--health-probe-bind-address', addrs.probes, () => serveProbes(addrs.probes!, probes), '/healthz, /readyz') : undefined;
  return { probes, metricsUrl, probesUrl, close: async () => void (await Promise.all(open.map((e) => e.close()))) };
}
