/**
 * envtest conventions of the test apiserver scripts, without starting anything real: KUBEBUILDER_ASSETS is
 * honoured, a port in use is found (with its process) before anything starts, a command waiting for the lock
 * says who holds it, and build-k8s-bins.sh says what it builds and for how long (a fake `go` that takes 3 s).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';

const ROOT = resolve('.');
const SCRIPT = join(ROOT, 'hack/test-apiserver.sh');
const BUILD = join(ROOT, 'hack/build-k8s-bins.sh');

function exe(path: string, body: string): void {
  writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(path, 0o755);
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('hack: test apiserver scripts (envtest conventions, progress)', function () {
  this.timeout(60_000);
  let dir: string;
  let assets: string;
  let server: Server;
  let busyPort: number;
  const haveFlock = spawnSync('sh', ['-c', 'command -v flock']).status === 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-scripts-'));
    assets = join(dir, 'assets');
    mkdirSync(assets);
    for (const b of ['kube-apiserver', 'etcd']) exe(join(assets, b), 'echo "fake $0 must not be started" >&2; exit 3');
    server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    busyPort = (server.address() as { port: number }).port;
  });
  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the binaries from KUBEBUILDER_ASSETS and refuses a port in use before starting anything, naming its process', async () => {
    // etcd's ports are free (another test apiserver may hold the default ones); the apiserver's is taken.
    const [etcd, peer] = [await freePort(), await freePort()];
    const env = { ECSPLANE_APISERVER_DIR: join(dir, 'run'), KUBEBUILDER_ASSETS: assets, ECSPLANE_K8S_BIN_DIR: '', ETCD_PORT: String(etcd), ETCD_PEER_PORT: String(peer), APISERVER_PORT: String(busyPort) };
    const r = await run(SCRIPT, ['start'], env);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include(`test-apiserver: binaries from KUBEBUILDER_ASSETS=${assets}`);
    expect(r.stderr).to.match(new RegExp(`test-apiserver: error: 127\\.0\\.0\\.1:${busyPort} is already in use \\(pid ${process.pid}: [^)]*node[^)]*\\); set ETCD_PORT / ETCD_PEER_PORT / APISERVER_PORT`));
    expect(r.stderr).to.not.include('must not be started');
  });

  it('a command waiting for the lock says so at once, with who holds it, and again while it waits', async function () {
    if (!haveFlock) this.skip();
    const runDir = join(dir, 'locked', 'run');
    mkdirSync(join(dir, 'locked'));
    writeFileSync(`${runDir}.lock-holder`, 'pid 4242 (hack/test-apiserver.sh start) since 12:00:00Z, in /work/wt/someone\n');
    // Another start holds the lock for 2.5 s.
    const holder = spawn('flock', [join(dir, 'locked'), 'sleep', '2.5'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    const r = await run(SCRIPT, ['stop'], { ECSPLANE_APISERVER_DIR: runDir, LOCK_PROGRESS_EVERY: '1' });
    holder.kill();
    expect(r.code).to.equal(0);
    expect(r.stderr).to.include(`test-apiserver: waiting for the lock on ${join(dir, 'locked')} (another start/stop runs); held by pid 4242 (hack/test-apiserver.sh start) since 12:00:00Z, in /work/wt/someone`);
    expect(r.stderr).to.match(/test-apiserver: still waiting for the lock on .* after 1\.\d s; held by pid 4242/);
    expect(r.stderr).to.match(/test-apiserver: got the lock after 2\.\d s/);
  });

  it('build-k8s-bins.sh says what it builds and how long it has been at it', async () => {
    const bin = join(dir, 'fakego');
    mkdirSync(bin);
    // A go that reports a recent version and takes 3 s per build (etcd then builds too: ECSPLANE_ETCD_FROM_APT is unset).
    exe(
      join(bin, 'go'),
      `case "$1" in
  env) echo go1.30.0 ;;
  build) out=""; while [ $# -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done; sleep 3; printf '#!/bin/sh\\n' >"$out"; chmod +x "$out" ;;
esac`,
    );
    const cache = join(dir, 'cache');
    const r = await run(BUILD, [], { ECSPLANE_K8S_CACHE: cache, PATH: `${bin}:${process.env.PATH}`, BUILD_PROGRESS_EVERY: '1' });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/build-k8s-bins: building kube-apiserver v1\.\d+\.\d+ with go1\.30\.0/);
    expect(r.stderr).to.match(/build-k8s-bins: still building kube-apiserver: [12] s elapsed/);
    expect(r.stderr).to.match(/build-k8s-bins: built kube-apiserver in [34] s -> /);
    expect(r.stderr).to.match(/build-k8s-bins: still building etcd: [12] s elapsed/);
    expect(r.stdout.trim().split('\n').pop()).to.match(new RegExp(`^${cache}/v1\\.\\d+\\.\\d+$`));
  });
});
