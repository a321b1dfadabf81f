/**
 * A tiny HTTP endpoint for Kubernetes probes of the bridge process:
 *   /healthz  200 while the bridge runs (liveness; does not depend on the kube-apiserver, so an apiserver
 *             outage never restarts the pod),
 *   /readyz   200 once every CR is listed and every watch is connected, else 503 (readiness),
 *   /debug/bridge  the counters as JSON.
 */
import { createServer, type Server } from 'node:http';
import type { Logger } from '../runtime/logger.js';

export interface HealthSource {
  readonly ready: boolean;
  health(): Record<string, unknown>;
}

export function serveHealth(source: HealthSource, port: number, host: string, log: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (code: number, body: string, type = 'text/plain') => {
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/healthz' || path === '/livez') return send(200, 'ok\n');
    if (path === '/readyz') return source.ready ? send(200, 'ok\n') : send(503, 'not ready: ' + JSON.stringify(source.health()) + '\n');
    if (path === '/debug/bridge') return send(200, JSON.stringify(source.health(), null, 2) + '\n', 'application/json');
    send(404, 'not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      log.info(`bridge: health endpoint on http://${host}:${port}/healthz (/readyz)`);
      resolve(server);
    });
  });
}
