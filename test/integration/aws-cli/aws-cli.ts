/** Shared by the tests that drive ecsplane with the real AWS CLI (installed by `make aws-cli`). */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = 'dist/controllers/cli/main.js';
export const AWS_BIN_DIR = resolve('.venv-aws/bin');
export const AWS = join(AWS_BIN_DIR, 'aws');

/** Skip (or, with REQUIRE_AWS_CLI set, as CI does, fail) when `make aws-cli` has not run. */
export function requireAwsCli(ctx: Mocha.Context): void {
  if (existsSync(AWS)) return;
  if (process.env.REQUIRE_AWS_CLI) throw new Error(`${AWS} is missing: run \`make aws-cli\``);
  console.log(`    (skipped: ${AWS} is missing; \`make aws-cli\` installs it)`);
  ctx.skip();
}

/** `ecsplane run` flags the running binary has (`--time-scale` comes from another change). */
export function runSupports(flag: string): boolean {
  return execFileSync(process.execPath, [CLI, 'run', '--help'], { encoding: 'utf8' }).includes(flag);
}

export interface RunningEcsplane {
  child: ChildProcess;
  endpoint: string;
  /** Everything the child printed on stderr so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Start `ecsplane run ARGS --api-addr 127.0.0.1:0` and wait (bounded) for its API address. */
export function startRun(args: string[]): Promise<RunningEcsplane> {
  const child = spawn(process.execPath, [CLI, 'run', '--no-watch', '--api-addr', '127.0.0.1:0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return new Promise((resolveRun, reject) => {
    const timer = setTimeout(() => void stop().then(() => reject(new Error(`no "AWS API listening" line: ${err}`))), 15_000);
    child.once('exit', (code) => reject(new Error(`ecsplane run exited (${code}): ${err}`)));
    child.stderr!.on('data', (d) => {
      err += d.toString();
      const m = /AWS API listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolveRun({ child, endpoint: m[1], log: () => err, stop });
      }
    });
  });
}

/** An environment for the AWS CLI that reads no user config: dummy credentials, this endpoint. */
export function awsEnv(endpoint: string, home: string): NodeJS.ProcessEnv {
  return {
    PATH: `${AWS_BIN_DIR}:${process.env.PATH}`,
    HOME: home,
    TMPDIR: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_PAGER: '',
  };
}

/** A temporary HOME for the AWS CLI; `cleanup` removes it. */
export function tempHome(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ecsplane-aws-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run a shell script or command line with bash; resolves with its exit code and output. */
export function runBash(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn('bash', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}
