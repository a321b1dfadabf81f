/**
 * The two servers of the side-by-side API figures, each a child process on 127.0.0.1 on a free
 * port: ecsplane (`run --no-watch --api-addr 127.0.0.1:0`, no state) and moto's server from
 * `.venv-moto/` (`make moto`). Readiness is a bounded poll of the child's output or of a request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ECSPLANE_CLI = fileURLToPath(new URL('../../controllers/cli/main.js', import.meta.url));
export const MOTO_SERVER = fileURLToPath(new URL('../../../.venv-moto/bin/moto_server', import.meta.url));

export interface ApiServer {
  name: string;
  endpoint: string;
  /** Empty the server's state (POST /_ecsplane/reset, POST /moto-api/reset). */
  reset(): Promise<void>;
  /** EC2 instance ids to register as container instances (moto checks them against its EC2). */
  ec2Instances?(count: number): Promise<string[]>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function stopChild(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    const kill = setTimeout(() => p.kill('SIGKILL'), 5000);
    p.once('exit', () => (clearTimeout(kill), resolve()));
    p.kill('SIGTERM');
  });
}

async function post(url: string): Promise<void> {
  const r = await fetch(url, { method: 'POST' });
  if (!r.ok) throw new Error(`POST ${url}: HTTP ${r.status}`);
  await r.arrayBuffer();
}

/** ecsplane `run` with no manifests and no state; resolves once it prints the API's address. */
export async function startEcsplane(timeScale = 1): Promise<ApiServer> {
  const p = spawn(process.execPath, [ECSPLANE_CLI, 'run', '--no-watch', '--api-addr', '127.0.0.1:0', '--time-scale', String(timeScale)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`ecsplane did not print its API address in 30 s: ${out.slice(-300)}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /AWS API listening on (http:\/\/[0-9.]+:\d+)/.exec(out);
      if (m) clearTimeout(timer), resolve(m[1]);
    };
    p.stdout!.on('data', onData);
    p.stderr!.on('data', onData);
    p.once('exit', (code) => (clearTimeout(timer), reject(new Error(`ecsplane exited (${code}): ${out.slice(-300)}`))));
  });
  p.stdout!.resume();
  p.stderr!.resume();
  return { name: 'ecsplane', endpoint, reset: () => post(`${endpoint}/_ecsplane/reset`), stop: () => stopChild(p) };
}

/** moto's server, or undefined when `.venv-moto/` is not installed. */
export async function startMoto(): Promise<ApiServer | undefined> {
  if (!existsSync(MOTO_SERVER)) return undefined;
  const port = await freePort();
  const p = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d) => (err = (err + d).slice(-2000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (p.exitCode !== null) throw new Error(`moto_server exited (${p.exitCode}): ${err.slice(-300)}`);
    try {
      const r = await fetch(`${endpoint}/moto-api/`);
      await r.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stopChild(p);
        throw new Error(`moto_server did not answer in 60 s: ${err.slice(-300)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { name: 'moto', endpoint, reset: () => post(`${endpoint}/moto-api/reset`), ec2Instances: (n) => motoInstances(endpoint, n), stop: () => stopChild(p) };
}

/** EC2 RunInstances on moto (AWS Query; moto routes by the credential scope and checks no signature). */
async function motoInstances(endpoint: string, count: number): Promise<string[]> {
  const body = new URLSearchParams({ Action: 'RunInstances', Version: '2016-11-15', ImageId: 'ami-12c6146b', InstanceType: 'm5.large', MinCount: String(count), MaxCount: String(count) });
  const r = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  const xml = await r.text();
  const ids = [...xml.matchAll(/<instanceId>(i-[0-9a-f]+)<\/instanceId>/g)].map((m) => m[1]);
  if (!r.ok || ids.length !== count) throw new Error(`moto RunInstances: HTTP ${r.status}, ${ids.length} ids: ${xml.slice(0, 200)}`);
  return ids;
}
