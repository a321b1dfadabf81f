/**
 * Helpers for the end-to-end tests of the Kubernetes bridge: kubectl, polling, a free port, the
 * ecsplane child process, and finding the kube-apiserver (KUBECONFIG, else hack/test-apiserver.sh env).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (works from test/e2e under tsx and from dist/test/e2e). */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
})();

export const KUBECTL = process.env.KUBECTL ?? 'kubectl';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      cmd,
      args,
      { cwd: ROOT, env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0;
        resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

export class Kubectl {
  constructor(
    readonly kubeconfig: string,
    readonly namespace: string,
  ) {}

  /** Run kubectl (namespaced unless args contain -A or --all-namespaces); throws on failure. */
  async run(args: string[], opts: { input?: string; namespaced?: boolean; allowFail?: boolean; timeoutMs?: number } = {}): Promise<string> {
    const ns = opts.namespaced === false ? [] : ['-n', this.namespace];
    const r = await run(KUBECTL, [...ns, ...args], { env: { KUBECONFIG: this.kubeconfig }, input: opts.input, timeoutMs: opts.timeoutMs });
    if (r.code !== 0 && !opts.allowFail) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
    return opts.allowFail && r.code !== 0 ? '' : r.stdout;
  }

  async json(args: string[]): Promise<any> {
    return JSON.parse(await this.run([...args, '-o', 'json']));
  }

  /** The object, or undefined when it does not exist. */
  async get(resource: string, name: string): Promise<any | undefined> {
    const r = await run(KUBECTL, ['-n', this.namespace, 'get', resource, name, '-o', 'json', '--ignore-not-found'], { env: { KUBECONFIG: this.kubeconfig } });
    if (r.code !== 0) throw new Error(`kubectl get ${resource} ${name}: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
  }

  async list(resource: string, selector?: string): Promise<any[]> {
    return (await this.json(['get', resource, ...(selector ? ['-l', selector] : [])])).items;
  }
}

/** Poll `fn` until it returns a truthy value (returned) or time runs out (throws with the last value). */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false | null>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
      last = v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${(lastErr as Error).message}` : ''}${last !== undefined ? ` (last: ${JSON.stringify(last)})` : ''}`);
    }
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolvePromise(port));
    });
  });
}

export async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

/**
 * The kube-apiserver to test against: $KUBECONFIG if it answers /readyz, else the one
 * hack/test-apiserver.sh runs (its `env`). Undefined when there is none.
 */
export async function findApiserver(): Promise<{ kubeconfig: string; viaScript: boolean } | undefined> {
  const ready = async (kubeconfig: string) =>
    (await run(KUBECTL, ['--request-timeout=5s', 'get', '--raw', '/readyz'], { env: { KUBECONFIG: kubeconfig }, timeoutMs: 15_000 })).stdout.trim() === 'ok';
  const script = join(ROOT, 'hack/test-apiserver.sh');
  let scriptConfig: string | undefined;
  if (existsSync(script)) {
    const env = await run(script, ['env'], { timeoutMs: 15_000 });
    scriptConfig = /KUBECONFIG=(?:'([^']+)'|(\S+))/.exec(env.stdout)?.slice(1).find(Boolean);
  }
  const fromEnv = process.env.KUBECONFIG;
  if (fromEnv && (await ready(fromEnv))) return { kubeconfig: fromEnv, viaScript: fromEnv === scriptConfig };
  if (scriptConfig && (await ready(scriptConfig))) return { kubeconfig: scriptConfig, viaScript: true };
  return undefined;
}

/** `ecsplane run` with the bridge, as a child process; output goes to a log file. */
export class EcsplaneProcess {
  child: ChildProcess | undefined;
  readonly logFile: string;
  private exited: Promise<number | null> | undefined;

  constructor(
    readonly kubeconfig: string,
    readonly namespace: string,
    readonly healthPort: number,
    logDir: string,
  ) {
    mkdirSync(logDir, { recursive: true });
    this.logFile = resolve(logDir, `ecsplane-${namespace}-${Date.now()}.log`);
  }

  start(extraEnv: NodeJS.ProcessEnv = {}, extraArgs: string[] = []): void {
    const out = createWriteStream(this.logFile, { flags: 'a' });
    this.child = spawn(process.execPath, ['dist/controllers/cli/main.js', 'run', '--kubeconfig', this.kubeconfig, '--namespace', this.namespace, ...extraArgs], {
      cwd: ROOT,
      env: { ...process.env, ECSPLANE_PLAIN: '1', ECSPLANE_HEALTH_PORT: String(this.healthPort), ECSPLANE_HEALTH_ADDR: '127.0.0.1', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.pipe(out, { end: false });
    this.child.stderr!.pipe(out, { end: false });
    this.exited = new Promise((r) => this.child!.once('exit', (code) => r(code)));
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  async waitReady(timeoutMs = 90_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`ecsplane exited (${this.child?.exitCode ?? this.child?.signalCode}) before it was ready; see ${this.logFile}`);
      const r = await httpGet(`http://127.0.0.1:${this.healthPort}/readyz`).catch(() => ({ status: 0 }));
      if (r.status === 200) return;
      if (Date.now() > end) throw new Error(`ecsplane bridge not ready after ${timeoutMs} ms; see ${this.logFile}`);
      await sleep(200);
    }
  }

  async health(): Promise<any> {
    return JSON.parse((await httpGet(`http://127.0.0.1:${this.healthPort}/debug/bridge`)).body);
  }

  /** kill -9: no clean stop, nothing flushed or written on the way out. */
  async kill(): Promise<void> {
    if (!this.child || !this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (clean stop), SIGKILL after `graceMs`. Resolves with the exit code. */
  async stop(graceMs = 15_000): Promise<number | null> {
    if (!this.child || !this.running) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    const code = await this.exited!;
    clearTimeout(t);
    return code;
  }
}

/**
 * A Kubernetes watch of one resource of a namespace as the tests see it (`kubectl get --raw ...?watch=1`,
 * newline-delimited events, starting with ADDED for what exists), resumed when the stream ends. Every event
 * goes to `onEvent` with the resulting view of all objects, so a test can check each observed moment.
 */
export class KubeWatch {
  readonly objects = new Map<string, any>();
  readonly counts = { ADDED: 0, MODIFIED: 0, DELETED: 0 };
  private child: ChildProcess | undefined;
  private stopped = false;
  private lastRv = '';

  constructor(
    readonly kubeconfig: string,
    readonly path: string,
    private readonly onEvent: (type: string, obj: any, all: Map<string, any>) => void,
  ) {}

  start(): void {
    if (this.stopped) return;
    const rv = this.lastRv ? `&resourceVersion=${this.lastRv}` : '';
    this.child = spawn(KUBECTL, ['get', '--raw', `${this.path}?watch=1&timeoutSeconds=600${rv}`], { cwd: ROOT, env: { ...process.env, KUBECONFIG: this.kubeconfig }, stdio: ['ignore', 'pipe', 'ignore'] });
    let buf = '';
    this.child.stdout!.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) this.handle(JSON.parse(line));
      }
    });
    this.child.once('exit', () => setTimeout(() => this.start(), 200)); // resume from the last resourceVersion
  }

  /** Wait until the initial ADDED events arrived (at least `n` objects). */
  async synced(n: number, timeoutMs = 30_000): Promise<void> {
    await waitFor(`${n} objects in the watch of ${this.path}`, async () => this.objects.size >= n, timeoutMs, 50);
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill();
  }

  private handle(ev: { type: string; object: any }): void {
    if (ev.type === 'ERROR') {
      this.lastRv = ''; // expired: list again (ADDED for what exists; the counts then include them)
      return;
    }
    const obj = ev.object;
    this.lastRv = obj?.metadata?.resourceVersion ?? this.lastRv;
    if (ev.type === 'BOOKMARK') return;
    const known = this.objects.has(obj.metadata.name);
    if (ev.type === 'DELETED') this.objects.delete(obj.metadata.name);
    else this.objects.set(obj.metadata.name, obj);
    if (ev.type === 'ADDED' && known) return; // a relist repeats what is known
    if (ev.type in this.counts) this.counts[ev.type as keyof KubeWatch['counts']]++;
    this.onEvent(ev.type, obj, this.objects);
  }
}

/**
 * The `before` of every e2e suite: a kube-apiserver (skip the suite without one, fail it when
 * REQUIRE_APISERVER=1), the suite's namespace and the CRDs, Established.
 */
export async function prepareApiserver(ctx: Mocha.Context, namespace: string): Promise<{ k: Kubectl; kubeconfig: string; viaScript: boolean }> {
  const found = await findApiserver();
  if (!found) {
    if (process.env.REQUIRE_APISERVER === '1') throw new Error('REQUIRE_APISERVER=1 but no kube-apiserver answers (KUBECONFIG, or hack/test-apiserver.sh start)');
    ctx.skip();
  }
  const k = new Kubectl(found!.kubeconfig, namespace);
  await k.run(['create', 'namespace', namespace], { namespaced: false });
  await k.run(['apply', '--server-side', '--force-conflicts', '-f', 'api/crd'], { namespaced: false });
  await k.run(['wait', '--for', 'condition=established', '--timeout=60s', '-f', 'api/crd'], { namespaced: false });
  return { k, kubeconfig: found!.kubeconfig, viaScript: found!.viaScript };
}

/** A kubeconfig (written to `file`, mode 0600) that acts as hack/deploy's service account ecsplane-bridge. */
export async function serviceAccountKubeconfig(k: Kubectl, file: string): Promise<string> {
  const token = (await k.run(['-n', 'ecsplane', 'create', 'token', 'ecsplane-bridge', '--duration=1h'], { namespaced: false })).trim();
  const admin = JSON.parse(await k.run(['config', 'view', '--raw', '--minify', '-o', 'json'], { namespaced: false }));
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: admin.clusters,
    users: [{ name: 'ecsplane-bridge', user: { token } }],
    contexts: [{ name: 'sa', context: { cluster: admin.clusters[0].name, user: 'ecsplane-bridge', namespace: 'ecsplane' } }],
    'current-context': 'sa',
  };
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return file;
}
