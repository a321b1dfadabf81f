/**
 * docs/bridge.md's metrics scrape of the embedded quickstart, its commands run as written: `ecsplane run` with
 * the metrics and probe addresses shown, then the two curl commands; every series the docs show is in the
 * answer (values move with time: the counts of tasks and instances are compared, the rest by name).
 */
import { expect } from 'chai';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const DOC = readFileSync(resolve('docs/bridge.md'), 'utf8');
const MARKER = 'A scrape of the embedded quickstart';

/** The `$ command` lines of the block after MARKER, each with the output lines that follow it. */
function session(): Array<{ command: string; output: string[] }> {
  const at = DOC.indexOf(MARKER);
  expect(at, `docs/bridge.md shows "${MARKER}"`).to.be.greaterThan(-1);
  const open = DOC.indexOf('```\n', at) + 4;
  const lines = DOC.slice(open, DOC.indexOf('```', open)).split('\n').filter(Boolean);
  const out: Array<{ command: string; output: string[] }> = [];
  for (const l of lines) {
    if (l.startsWith('$ ')) out.push({ command: l.slice(2), output: [] });
    else out[out.length - 1].output.push(l);
  }
  return out;
}

const series = (line: string) => line.slice(0, line.lastIndexOf(' '));
const movesWithTime = (line: string) => /^(controller_runtime_|workqueue_|ecsplane_store_resource_version|ecsplane_services\{)/.test(line);

describe('docs/bridge.md: the metrics scrape, its commands as written', function () {
  this.timeout(90_000);
  let run: ChildProcess | undefined;
  after(() => run?.kill('SIGKILL'));

  it('ecsplane run, /readyz?verbose and /metrics print what the docs show', async function () {
    if (spawnSync('sh', ['-c', 'command -v curl']).status !== 0) this.skip(); // the docs' commands use curl
    const [start, readyz, metrics] = session();
    expect(start.command).to.match(/^node dist\/controllers\/cli\/main\.js run /);
    run = spawn('bash', ['-c', `exec ${start.command}`], { stdio: 'ignore', env: { ...process.env, ECSPLANE_PLAIN: '1' } });
    const sh = async (command: string) => (await exec('bash', ['-c', command], { maxBuffer: 16 * 1024 * 1024 })).stdout.split('\n').filter(Boolean);
    const end = Date.now() + 60_000;
    let got: string[] = [];
    for (;;) {
      got = await sh(metrics.command).catch(() => []);
      if (got.includes('ecsplane_tasks{cluster="prod",service="web-app",last_status="RUNNING"} 3') && got.includes('ecsplane_tasks{cluster="prod",service="api",last_status="RUNNING"} 3')) break;
      if (Date.now() > end) throw new Error(`no steady quickstart in the metrics after 60 s: ${got.join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await sh(readyz.command)).to.deep.equal(readyz.output);
    got = await sh(metrics.command);
    const shown = metrics.output.map((l) => (movesWithTime(l) ? series(l) : l));
    const seen = got.map((l) => (movesWithTime(l) ? series(l) : l));
    const rolloutFree = (xs: string[]) => xs.map((x) => x.replace(/rollout_state="[A-Z_]+"/, 'rollout_state=…'));
    for (const line of rolloutFree(shown)) expect(rolloutFree(seen), line).to.include(line);
  });
});
