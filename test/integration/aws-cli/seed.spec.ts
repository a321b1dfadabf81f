/**
 * The seed notes' AWS CLI session (examples/aws-cli/seed-session.sh), run with the real `aws` CLI
 * against `ecsplane run`: every `aws ecs …` / `aws application-autoscaling …` call verbatim, then
 * `aws ecs wait services-stable` returns.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { awsEnv, requireAwsCli, runBash, runSupports, startRun, tempHome, type RunningEcsplane } from './aws-cli.js';

const SCRIPT = 'examples/aws-cli/seed-session.sh';
// CI lays shared/ beside the clone; developers have it at the same relative place.
const SEEDS = resolve('..', 'shared', 'seeds');

/** Every `aws …` command in the seed's ```bash blocks (a command ends at a blank or comment line). */
export function seedCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
  const commands: string[] = [];
  for (const block of blocks) {
    for (const group of block.split(/\n\s*\n/)) {
      const text = group
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n')
        .trim();
      if (text.startsWith('aws ')) commands.push(text);
    }
  }
  return commands;
}

describe('AWS CLI: the seed session runs verbatim against ecsplane run', function () {
  let run: RunningEcsplane | undefined;
  let home: ReturnType<typeof tempHome> | undefined;
  afterEach(async () => {
    await run?.stop();
    run = undefined;
    home?.cleanup();
    home = undefined;
  });

  it('the script holds every aws command of the seed, character for character', function () {
    const file = existsSync(SEEDS) ? readdirSync(SEEDS).find((f) => readFileSync(join(SEEDS, f), 'utf8').includes('aws ecs create-service')) : undefined;
    if (!file) return this.skip();
    const seed = readFileSync(join(SEEDS, file), 'utf8');
    const commands = seedCommands(seed);
    expect(commands.length).to.be.at.least(8);
    const script = readFileSync(SCRIPT, 'utf8');
    for (const c of commands) expect(script, c).to.include(c);
    // The task definition file is the seed's JSON as is.
    const json = /## Task Definition\n\n```json\n([\s\S]*?)```/.exec(seed)![1];
    expect(readFileSync('examples/aws-cli/task-def.json', 'utf8')).to.equal(json);
  });

  it('create-cluster … put-scaling-policy succeed and `aws ecs wait services-stable` returns', async function () {
    requireAwsCli(this);
    // With --time-scale 60 the ~1 virtual minute of health checks and draining takes about a second;
    // on the real clock (a build without the flag) the script's fast web-tg keeps it near a minute.
    const fast = runSupports('--time-scale');
    this.timeout(fast ? 120_000 : 240_000);
    run = await startRun(fast ? ['--time-scale', '60'] : []);
    home = tempHome();
    const { code, out } = await runBash([SCRIPT], awsEnv(run.endpoint, home.dir), fast ? 100_000 : 220_000);
    expect(code, `${out.slice(-6000)}\n--- ecsplane:\n${run.log().slice(-2000)}`).to.equal(0);
    expect(out).to.include('seed session: services-stable returned');
    // The describe-services summary the script prints after the waiter.
    const summary = JSON.parse(/\{\s*"desired"[\s\S]*?\}/.exec(out)![0]);
    expect(summary).to.deep.include({ running: summary.desired, deployments: 1 });
    expect(summary.taskDefinition).to.match(/task-definition\/web-app:4$/);
  });
});

describe('AWS CLI: the user path, `make run` then `make aws-session`, on the real clock', function () {
  it('the seed session runs against `make run` as README says, and the waiter returns', async function () {
    requireAwsCli(this);
    this.timeout(420_000);
    // `make run` exactly as typed (API on 127.0.0.1:4566), in its own process group for Ctrl-C.
    const run = spawn('make', ['run'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    run.stdout!.on('data', (d) => (log += d));
    run.stderr!.on('data', (d) => (log += d));
    const home = tempHome();
    try {
      for (const deadline = Date.now() + 180_000; !log.includes('AWS API listening on http://127.0.0.1:4566'); ) {
        if (run.exitCode !== null || Date.now() > deadline) throw new Error(`make run did not serve the API on :4566:\n${log.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // `make aws-session` as typed; only HOME points at an empty directory (no user AWS config).
      const env = { PATH: process.env.PATH, HOME: home.dir, TMPDIR: home.dir };
      const { code, out } = await runBash(['-c', 'make aws-session'], env as NodeJS.ProcessEnv, 360_000);
      expect(code, `${out.slice(-6000)}\n--- make run:\n${log.slice(-2000)}`).to.equal(0);
      expect(out).to.include('seed session: services-stable returned');
    } finally {
      if (run.exitCode === null) process.kill(-run.pid!, 'SIGINT');
      await new Promise((r) => (run.exitCode !== null || run.signalCode !== null ? r(undefined) : run.once('exit', r)));
      home.cleanup();
    }
  });
});
