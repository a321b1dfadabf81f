/**
 * The metrics and health-probe HTTP endpoints of `ecsplane run`, with controller-runtime's flags and
 * conventions: `--metrics-bind-address` serves GET /metrics (Prometheus text format) and
 * `--health-probe-bind-address` serves /healthz (liveness) and /readyz (readiness), each the AND of named
 * checks; `?verbose` lists them as `[+]name ok` / `[-]name failed: why`, like the kube-apiserver. The
 * address is HOST:PORT, or `:PORT` for every interface (controller-runtime's form), or `0` for none.
 */
import { createServer, type Server } from 'node:http';

/** A check passes when it returns true; a string (or a throw) is the reason it fails. */
export type Check = () => true | string;

export class Probes {
  private readonly healthz = new Map<string, Check>([['ping', () => true]]);
  private readonly readyz = new Map<string, Check>([['ping', () => true]]);
  /** Extra GET endpoints (e.g. /debug/bridge): path → JSON body. */
  readonly debug = new Map<string, () => unknown>();

  addHealthzCheck(name: string, check: Check): void {
    this.healthz.set(name, check);
  }
  addReadyzCheck(name: string, check: Check): void {
    this.readyz.set(name, check);
  }
  removeReadyzCheck(name: string): void {
    this.readyz.delete(name);
  }

  /** [ok, lines] of a probe (`healthz` or `readyz`). */
  run(which: 'healthz' | 'readyz'): { ok: boolean; lines: string[] } {
    const lines: string[] = [];
    let ok = true;
    for (const [name, check] of which === 'healthz' ? this.healthz : this.readyz) {
      let r: true | string;
      try {
        r = check();
      } catch (err) {
        r = (err as Error)?.message ?? String(err);
      }
      if (r === true) lines.push(`[+]${name} ok`);
      else {
        ok = false;
        lines.push(`[-]${name} failed: ${r}`);
      }
    }
    return { ok, lines };
  }
}

export interface BindAddress {
  host: string;
  port: number;
}

/** `HOST:PORT`, `:PORT` (every interface) or `0` (off → undefined). */
export function parseBindAddress(flag: string, value: string): BindAddress | undefined {
  if (value === '0') return undefined;
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]*):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`${flag} must be HOST:PORT, :PORT (every interface) or 0 (off), got ${JSON.stringify(value.slice(0, 80))}`);
  return { host: m[1] === '' ? '0.0.0.0' : m[1].replace(/^\[|\]$/g, ''), port };
}

export interface Endpoint {
  server: Server;
  url: string;
  close(): Promise<void>;
}

type Handler = (path: string, query: string) => Promise<{ code: number; body: string; type?: string }>;

function serve(what: string, addr: BindAddress, handler: Handler): Promise<Endpoint> {
  const server = createServer((req, res) => {
    const [path, query = ''] = (req.url ?? '/').split('?');
    handler(path, query).then(
      ({ code, body, type }) => {
        res.writeHead(code, { 'content-type': type ?? 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`${what}: ${(err as Error)?.message ?? err}\n`);
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      const port = (server.address() as { port: number }).port;
      const host = addr.host.includes(':') ? `[${addr.host}]` : addr.host;
      const url = `http://${host}:${port}`;
      resolve({ server, url, close: () => new Promise<void>((r) => server.close(() => r())) });
    });
  });
}

/** GET /metrics from `scrape` (Prometheus text exposition format 0.0.4). */
export function serveMetrics(addr: BindAddress, scrape: () => Promise<string>): Promise<Endpoint> {
  return serve(
    'metrics',
    addr,
    async (path) => (path === '/metrics' ? { code: 200, body: await scrape(), type: 'text/plain; version=0.0.4; charset=utf-8' } : { code: 404, body: 'not found: try /metrics\n' }),
  );
}

/** /healthz, /livez, /readyz (and the probes' debug endpoints). */
export function serveProbes(addr: BindAddress, probes: Probes): Promise<Endpoint> {
  return serve(
    'probes',
    addr,
    async (path, query) => {
      const which = path === '/healthz' || path === '/livez' ? 'healthz' : path === '/readyz' ? 'readyz' : undefined;
      if (which) {
        const { ok, lines } = probes.run(which);
        const verbose = /(^|&)verbose(=|&|$)/.test(query);
        const body = verbose || !ok ? `${lines.join('\n')}\n${which} check ${ok ? 'passed' : 'failed'}\n` : 'ok\n';
        return { code: ok ? 200 : 503, body };
      }
      const debug = probes.debug.get(path);
      if (debug) return { code: 200, body: JSON.stringify(debug(), null, 2) + '\n', type: 'application/json' };
      return { code: 404, body: 'not found: try /healthz or /readyz\n' };
    },
  );
}
