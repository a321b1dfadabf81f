/**
 * `ecsplane run` (embedded, no Kubernetes) as a user runs it: /metrics with controller-runtime's names and the
 * ECS gauges while the quickstart converges, /healthz and /readyz, JSON logs on stderr, and the option errors.
 */
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const CLI = resolve('dist/controllers/cli/main.js');

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ecsplane run: metrics, probes and structured logs (embedded mode)', function () {
  this.timeout(60_000);
  let child: ChildProcess | undefined;
  afterEach(() => child?.kill('SIGKILL'));

  it('serves /metrics and the probes on the addresses asked for, and logs JSON lines', async () => {
    child = spawn(
      process.execPath,
      [CLI, 'run', '-f', 'examples/quickstart', '--no-watch', '--api-addr', '127.0.0.1:0', '--metrics-bind-address', '127.0.0.1:0', '--health-probe-bind-address', '127.0.0.1:0', '--log-format', 'json'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ECSPLANE_PLAIN: '1' } },
    );
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const urls = await until('both endpoints logged', async () => {
      const lines = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const url = (prefix: string) => lines.map((l) => /^(\S+) on (http:\S+)/.exec(l.msg)).find((m) => m && m[1] === prefix)?.[2];
      const metrics = url('metrics');
      const probes = lines.map((l) => /^health probes on (http:\S+)/.exec(l.msg)?.[1]).find(Boolean);
      return metrics && probes ? { metrics, probes } : undefined;
    });
    expect((await fetch(`${urls.probes}/healthz`)).status).to.equal(200);
    await until('ready', async () => (await fetch(`${urls.probes}/readyz`)).status === 200);
    expect(await (await fetch(`${urls.probes}/readyz?verbose`)).text()).to.equal('[+]ping ok\n[+]loops ok\nreadyz check passed\n');
    const text = await until('6 RUNNING tasks in the metrics', async () => {
      const t = await (await fetch(`${urls.metrics}/metrics`)).text();
      return sample(t, 'ecsplane_tasks{cluster="prod",service="web-app",last_status="RUNNING"}') === 3 && sample(t, 'ecsplane_tasks{cluster="prod",service="api",last_status="RUNNING"}') === 3 ? t : undefined;
    });
    expect(sample(text, 'controller_runtime_reconcile_total{controller="service",result="success"}')).to.be.greaterThan(0);
    expect(sample(text, 'workqueue_adds_total{controller="task",name="task"}')).to.be.greaterThan(0);
    expect(sample(text, 'workqueue_depth{controller="service",name="service"}')).to.be.a('number');
    expect(sample(text, 'ecsplane_container_instances{cluster="prod",status="ACTIVE"}')).to.equal(3);
    expect(sample(text, 'ecsplane_store_resource_version')).to.be.greaterThan(0);
    expect(text).to.include('# TYPE workqueue_queue_duration_seconds histogram');
    // Every log line is one JSON object with level, time and msg.
    for (const line of stderr.split('\n').filter(Boolean)) expect(JSON.parse(line)).to.include.keys('level', 'time', 'msg');
  });

  it('bad options are usage errors named by their flag; --leader-elect needs the bridge and excludes --state', async () => {
    const fails = async (args: string[]) => {
      try {
        await exec(process.execPath, [CLI, 'run', '--no-api', '--for', '1s', ...args]);
      } catch (err) {
        return (err as { stderr: string }).stderr.trim();
      }
      throw new Error(`run ${args.join(' ')} succeeded`);
    };
    expect(await fails(['--metrics-bind-address', 'localhost'])).to.equal('ecsplane: --metrics-bind-address must be HOST:PORT, :PORT (every interface) or 0 (off), got "localhost"');
    expect(await fails(['--log-format', 'xml'])).to.match(/option '--log-format <format>' argument 'xml' is invalid\. Allowed choices are text, json\./);
    expect(await fails(['--leader-elect'])).to.equal('ecsplane: --leader-elect needs the Kubernetes bridge (--kubeconfig): the Lease lives in its namespace');
    expect(await fails(['--leader-elect-lease-duration', '20s'])).to.equal('ecsplane: --leader-elect-* options need --leader-elect');
    expect(await fails(['--kubeconfig', 'nowhere', '--leader-elect', '--state', 'x.json'])).to.match(/^ecsplane: --leader-elect and --state exclude each other/);
    expect(await fails(['--kubeconfig', 'nowhere', '--leader-elect', '--leader-elect-renew-deadline', '20s'])).to.equal('ecsplane: --leader-elect-lease-duration must be greater than --leader-elect-renew-deadline');
  });
});
